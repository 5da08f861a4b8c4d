// Sources given in memory: columns of the host's arrays (tally::ColumnTable)
// and rows from a host callback (tally::RowSource).
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

namespace {

std::string in_memory_origin(const std::string& source) {
  return source + " (in memory)";
}

/// Checks what every column call shares, then adds `column` to the source's
/// ColumnTable. `count` must agree with the source's other columns, so the
/// mistake is reported at the call that makes it rather than at run time.
tally_status add_column(const char* function, tally_options* options, const char* source,
                        const char* field, size_t count, const uint8_t* valid,
                        tally::ColumnData column) {
  const std::string name = source;
  if (options->run.tables.count(name) || options->run.rows.count(name))
    return fail(TALLY_INVALID_ARGUMENT, std::string(function) + ": source `" + name +
                                            "` is already given as rows; a source is given "
                                            "one way only");
  // Looked up, not created: a failed call must leave no empty table behind
  // (it would hide the source's file).
  static const tally::ColumnTable none;
  auto found = options->run.columns.find(name);
  const tally::ColumnTable& current = found == options->run.columns.end() ? none : found->second;
  for (const tally::ColumnData& existing : current.columns) {
    if (existing.name == field)
      return fail(TALLY_INVALID_ARGUMENT, std::string(function) + ": source `" + name +
                                              "` already has a column `" + field + "`");
    if (existing.size() != count)
      return fail(TALLY_INVALID_ARGUMENT,
                  std::string(function) + ": column `" + field + "` of source `" + name + "` has " +
                      std::to_string(count) + " values, but column `" + existing.name + "` has " +
                      std::to_string(existing.size()));
  }
  if (valid) column = column.with_nulls(std::span<const std::uint8_t>(valid, count));
  tally::ColumnTable& table = options->run.columns[name];
  table.origin = in_memory_origin(name);
  table.columns.push_back(std::move(column));
  return TALLY_OK;
}

/// The common NULL checks; `values` may be NULL only for an empty column.
tally_status check_column_args(const char* function, tally_options* options, const char* source,
                               const char* field, const void* values, size_t count) {
  if (!options) return null_argument(function, "options");
  if (!source) return null_argument(function, "source");
  if (!field) return null_argument(function, "field");
  if (!values && count > 0) return null_argument(function, "values");
  return TALLY_OK;
}

}  // namespace

extern "C" {

tally_status tally_options_column_int64(tally_options* options, const char* source,
                                        const char* field, const int64_t* values, size_t count,
                                        const uint8_t* valid) {
  const char* f = "tally_options_column_int64";
  return guarded(f, [&] {
    if (tally_status s = check_column_args(f, options, source, field, values, count)) return s;
    return add_column(f, options, source, field, count, valid,
                      tally::ColumnData::integers(field, {values, count}));
  });
}

tally_status tally_options_column_decimal(tally_options* options, const char* source,
                                          const char* field, const int64_t* units, int scale,
                                          size_t count, const uint8_t* valid) {
  const char* f = "tally_options_column_decimal";
  return guarded(f, [&] {
    if (tally_status s = check_column_args(f, options, source, field, units, count)) return s;
    if (scale < 0 || scale > tally::ColumnData::kMaxScale)
      return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": scale " + std::to_string(scale) +
                                              " is out of range (0 to " +
                                              std::to_string(tally::ColumnData::kMaxScale) + ")");
    return add_column(f, options, source, field, count, valid,
                      tally::ColumnData::decimals(field, {units, count}, scale));
  });
}

tally_status tally_options_column_date(tally_options* options, const char* source,
                                       const char* field, const int32_t* days, size_t count,
                                       const uint8_t* valid) {
  const char* f = "tally_options_column_date";
  return guarded(f, [&] {
    if (tally_status s = check_column_args(f, options, source, field, days, count)) return s;
    return add_column(f, options, source, field, count, valid,
                      tally::ColumnData::dates(field, {days, count}));
  });
}

tally_status tally_options_column_bool(tally_options* options, const char* source,
                                       const char* field, const uint8_t* values, size_t count,
                                       const uint8_t* valid) {
  const char* f = "tally_options_column_bool";
  return guarded(f, [&] {
    if (tally_status s = check_column_args(f, options, source, field, values, count)) return s;
    return add_column(f, options, source, field, count, valid,
                      tally::ColumnData::booleans(field, {values, count}));
  });
}

tally_status tally_options_column_text(tally_options* options, const char* source,
                                       const char* field, const char* const* values, size_t count,
                                       const uint8_t* valid) {
  const char* f = "tally_options_column_text";
  return guarded(f, [&] {
    if (tally_status s = check_column_args(f, options, source, field, values, count)) return s;
    // The C++ column holds string_views: build them once, beside the options.
    std::vector<std::string_view> cells(count);
    std::vector<std::uint8_t> present(count, 1);
    bool any_null = valid != nullptr;
    for (size_t i = 0; i < count; ++i) {
      if (valid && !valid[i]) present[i] = 0;
      if (values[i]) {
        cells[i] = values[i];
      } else {
        present[i] = 0;
        any_null = true;
      }
    }
    options->text_cells.push_back(std::move(cells));
    const auto& stored = options->text_cells.back();
    const uint8_t* mask = nullptr;
    if (any_null) {
      options->null_masks.push_back(std::move(present));
      mask = options->null_masks.back().data();
    }
    tally_status status =
        add_column(f, options, source, field, count, mask,
                   tally::ColumnData::texts(field, {stored.data(), stored.size()}));
    if (status != TALLY_OK) {  // not used: give the storage back
      options->text_cells.pop_back();
      if (mask) options->null_masks.pop_back();
    }
    return status;
  });
}

tally_status tally_options_add_rows(tally_options* options, const char* source,
                                    const char* const* columns, size_t column_count,
                                    tally_row_callback next, void* user_data) {
  const char* f = "tally_options_add_rows";
  return guarded(f, [&] {
    if (!options) return null_argument(f, "options");
    if (!source) return null_argument(f, "source");
    if (!columns && column_count > 0) return null_argument(f, "columns");
    if (!next) return null_argument(f, "next");
    const std::string name = source;
    if (options->run.tables.count(name) || options->run.columns.count(name) ||
        options->run.rows.count(name))
      return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": source `" + name +
                                              "` is already given in memory; a source is "
                                              "given one way only");
    tally::RowSource rows;
    for (size_t i = 0; i < column_count; ++i) {
      if (!columns[i])
        return fail(TALLY_INVALID_ARGUMENT,
                    std::string(f) + ": column name " + std::to_string(i) + " is NULL");
      rows.columns.emplace_back(columns[i]);
    }
    rows.origin = in_memory_origin(name);
    rows.next = [next, user_data,
                 count = column_count](std::vector<std::optional<std::string>>& cells) {
      std::vector<const char*> raw(count, nullptr);
      if (!next(user_data, raw.data(), count)) return false;
      cells.resize(count);
      for (size_t i = 0; i < count; ++i) {
        if (raw[i])
          cells[i] = std::string(raw[i]);
        else
          cells[i].reset();
      }
      return true;
    };
    options->run.rows.emplace(name, std::move(rows));
    return TALLY_OK;
  });
}

}  // extern "C"
