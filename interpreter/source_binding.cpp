// Stage 1: finding and loading the data of every source.
#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

#include "interpreter/host_sources.hpp"
#include "interpreter/inline_table.hpp"
#include "interpreter/manager_chains.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"
#include "io/loader.hpp"

namespace tally {

Result<std::string> bound_path(const std::string& name, const RunOptions& options, Span span,
                               const RunState& state) {
  if (auto it = options.bindings.find(name); it != options.bindings.end()) return it->second;
  namespace fs = std::filesystem;
  const fs::path dir(options.data_dir);
  const fs::path csv = dir / (name + ".csv");
  const fs::path json = dir / (name + ".json");
  std::error_code ec;
  const bool has_csv = fs::exists(csv, ec);
  const bool has_json = fs::exists(json, ec);
  if (has_csv && has_json)
    return Error{state.plan_location(span),
                 "source `" + name + "` matches both " + csv.string() + " and " + json.string(),
                 "choose one with --bind " + name + "=PATH"};
  if (has_csv) return csv.string();
  if (has_json) return json.string();
  return Error{
      state.plan_location(span),
      "no data for source `" + name + "`: found neither " + csv.string() + " nor " + json.string(),
      "put the file there, or bind it with --bind " + name + "=PATH"};
}

namespace {

/// The roster's `effective_from` date field, or -1: a roster with one makes
/// several rows per payee possible (docs/semantics/crediting.md).
int effective_from_field(const SourceSchema& schema) {
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].name == "effective_from" && schema.fields[f].type.kind == Kind::date)
      return static_cast<int>(f);
  return -1;
}

/// The fields of `schema` that identify a row: its key, and for an
/// effective-dated roster the key with `effective_from`.
std::vector<int> identity_fields(const SourceSchema& schema, int effective_from) {
  std::vector<int> fields;
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].key) fields.push_back(static_cast<int>(f));
  if (!fields.empty() && effective_from >= 0) fields.push_back(effective_from);
  return fields;
}

/// One identity cell as a 64-bit value: equal cells, equal values.
std::uint64_t cell_bits(const Column& column, std::size_t row) {
  switch (column.type.kind) {
    case Kind::boolean:
      return column.bools[row];
    case Kind::integer:
      return static_cast<std::uint64_t>(column.ints[row]);
    case Kind::date:
      return static_cast<std::uint32_t>(column.dates[row].days);
    case Kind::period:
      return static_cast<std::uint64_t>(period_ordinal(column.periods[row]));
    case Kind::text:
    case Kind::payee:
    case Kind::territory:
      return column.symbols[row];
    default:
      return static_cast<std::uint64_t>(column.decimals.at(row).hash());
  }
}

/// Reports every row whose identity (key, or key and effective date) repeats
/// an earlier row's, as a duplicate_key data error naming both rows; returns
/// the rows to keep (all but the repeats, which --lenient leaves out).
std::vector<std::uint32_t> unique_rows(RunState& state, const SourceSchema& schema,
                                       const Table& table, const std::vector<int>& fields) {
  std::vector<std::uint32_t> keep;
  keep.reserve(table.rows);
  if (fields.empty()) {  // no key: rows may repeat
    for (std::size_t row = 0; row < table.rows; ++row)
      keep.push_back(static_cast<std::uint32_t>(row));
    return keep;
  }
  // Keys usually rise from row to row (ids 1, 2, 3; texts never seen before
  // get rising symbol ids): then no key repeats, and no map is needed.
  if (fields.size() == 1 && values_rise(table.columns[static_cast<std::size_t>(fields[0])])) {
    for (std::size_t row = 0; row < table.rows; ++row)
      keep.push_back(static_cast<std::uint32_t>(row));
    return keep;
  }
  // One key field (the usual case) is hashed as it is; several as a tuple.
  std::unordered_map<std::uint64_t, std::uint32_t> first_of_one;
  std::map<std::vector<std::uint64_t>, std::uint32_t> first_of_many;
  if (fields.size() == 1) first_of_one.reserve(table.rows);
  std::vector<std::uint64_t> identity(fields.size());
  for (std::size_t row = 0; row < table.rows; ++row) {
    for (std::size_t i = 0; i < fields.size(); ++i)
      identity[i] = cell_bits(table.columns[static_cast<std::size_t>(fields[i])], row);
    std::uint32_t earlier = 0;
    bool inserted = false;
    if (fields.size() == 1) {
      const auto [it, added] =
          first_of_one.try_emplace(identity[0], static_cast<std::uint32_t>(row));
      earlier = it->second;
      inserted = added;
    } else {
      const auto [it, added] = first_of_many.try_emplace(identity, static_cast<std::uint32_t>(row));
      earlier = it->second;
      inserted = added;
    }
    // Decimal keys compare by hash first; equal hashes of unequal values are not repeats.
    bool repeat = !inserted;
    for (std::size_t i = 0; repeat && i < fields.size(); ++i) {
      const Column& c = table.columns[static_cast<std::size_t>(fields[i])];
      if (c.type.is_numeric() && c.type.kind != Kind::integer)
        repeat = c.decimals.at(row) == c.decimals.at(earlier);
    }
    if (!repeat) {
      keep.push_back(static_cast<std::uint32_t>(row));
      continue;
    }
    std::string value;
    std::string names;
    for (int f : fields) {
      const std::string cell = cell_text(table.columns[static_cast<std::size_t>(f)], row,
                                         state.symbols, state.model.calendar);
      value += (value.empty() ? "\"" : ", \"") + cell + "\"";
      const FieldSpec& spec = schema.fields[static_cast<std::size_t>(f)];
      names += (names.empty() ? "" : ", ") + (spec.from.empty() ? spec.name : spec.from);
    }
    const bool json = table.path.size() >= 5 && table.path.ends_with(".json");
    state.data_error(
        DataErrorKind::duplicate_key,
        Error{row_location(table, row),
              "column \"" + names + "\": duplicate key " + value + " on " +
                  (json ? "lines " : "rows ") + std::to_string(table.file_row(earlier)) + " and " +
                  std::to_string(table.file_row(row)),
              ""},
        transaction_id(schema, table, row, state.symbols, state.model.calendar));
  }
  return keep;
}

/// Turns the loaded effective-dated roster into its history and a roster of
/// one row per payee (the latest), so that every stage sees one payee per id.
void build_roster_history(RunState& state, int effective_from) {
  RosterHistory& history = state.roster_history;
  history.effective_from = effective_from;
  history.rows = std::move(state.tables[state.model.roster]);
  const Column& ids = history.rows.columns[state.model.roster_key];
  Column& from = history.rows.columns[effective_from];
  // An empty effective date means "since always".
  for (std::size_t row = 0; row < history.rows.rows; ++row)
    if (from.is_null(row)) from.dates[row] = Date{std::numeric_limits<std::int32_t>::min()};
  std::map<SymbolId, std::size_t> payee_of;
  for (std::size_t row = 0; row < history.rows.rows; ++row) {
    auto [it, inserted] = payee_of.try_emplace(ids.symbols[row], history.rows_of_payee.size());
    if (inserted) history.rows_of_payee.emplace_back();
    history.rows_of_payee[it->second].push_back(static_cast<std::uint32_t>(row));
  }
  std::vector<std::uint32_t> latest;
  for (auto& rows : history.rows_of_payee) {
    std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
      return from.dates[a] < from.dates[b];
    });
    latest.push_back(rows.back());
  }
  state.tables[state.model.roster] = select_rows(history.rows, latest);
}

/// The size of a file for a progress display; 0 when it cannot be known.
std::uint64_t file_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? std::uint64_t{0} : static_cast<std::uint64_t>(size);
}

/// Loads a source's file; `bytes_before` (the bytes of the files loaded
/// before it) grows by its size, for the progress display.
Result<Table> load_file(RunState& state, const RunOptions& options, const SourceSchema& schema,
                        const std::string& path, std::vector<BadRow>* bad_rows,
                        std::uint64_t total_bytes, std::uint64_t& bytes_before) {
  LoadOptions load_options;
  load_options.calendar = state.model.calendar;  // for `period` fields
  load_options.threads = state.threads;
  load_options.bad_rows = bad_rows;
  load_options.keep_going = state.budget.load_guard();  // limits: memory, time, cancel
  if (options.progress) {
    load_options.progress = [&options, total_bytes, before = bytes_before](std::uint64_t bytes) {
      options.progress(RunProgress{"load", 1, kRunStages, before + bytes, total_bytes});
    };
    bytes_before += file_bytes(path);
  }
  return load_table(schema, path, state.symbols, load_options);
}

}  // namespace

void load_sources(RunState& state, const RunOptions& options) {
  for (const auto& [name, path] : options.bindings) {
    bool known = false;
    for (const auto& source : state.model.sources) known = known || source.schema.name == name;
    if (!known)
      state.errors.push_back(
          Error{{}, "--bind names `" + name + "`, but the plan has no source of that name", ""});
  }
  // A source given in memory is given once: as rows of text (tables), as
  // typed columns or through a row callback, and names a source of the plan.
  auto in_memory = [&](const std::string& name) {
    return options.tables.count(name) + options.columns.count(name) + options.rows.count(name);
  };
  auto check_given = [&](const std::string& name, const char* how) {
    bool known = false;
    for (const auto& source : state.model.sources) known = known || source.schema.name == name;
    if (!known)
      state.errors.push_back(Error{{},
                                   std::string("the source given as ") + how + " is named `" +
                                       name + "`, but the plan has no source of that name",
                                   ""});
    else if (in_memory(name) > 1)
      state.errors.push_back(Error{{},
                                   "the source `" + name + "` is given in memory more than once",
                                   "give it in only one of RunOptions::tables, columns and rows"});
  };
  for (const auto& given : options.columns) check_given(given.first, "columns");
  for (const auto& given : options.rows) check_given(given.first, "rows");
  if (!state.errors.empty()) return;
  state.tables.resize(state.model.sources.size());
  // For a progress display: the bytes of all the files, and of those read.
  std::uint64_t total_bytes = 0;
  std::uint64_t bytes_before = 0;
  if (options.progress)
    for (const SourceModel& source : state.model.sources)
      if (!in_memory(source.schema.name))
        if (auto path = bound_path(source.schema.name, options, source.decl->name_span, state))
          total_bytes += file_bytes(*path);
  for (std::size_t i = 0; i < state.model.sources.size(); ++i) {
    const SourceModel& source = state.model.sources[i];
    if (static_cast<int>(i) == state.streamed_source) continue;  // read in chunks later
    // a source given in memory instead of a file
    if (auto given = options.tables.find(source.schema.name); given != options.tables.end()) {
      auto table =
          load_inline_table(source.schema, given->second, state.symbols, state.model.calendar);
      if (table)
        state.tables[i] = std::move(table.value());
      else
        for (auto& e : table.take_errors()) state.errors.push_back(std::move(e));
      continue;
    }
    // Keys are checked here rather than by the loader, so that a repeated id
    // is a data error (--lenient leaves the repeat out) and an effective-dated
    // roster may repeat a payee's id with another effective date.
    SourceSchema schema = source.schema;
    for (FieldSpec& field : schema.fields) field.key = false;
    // under --lenient a row with a value that does not fit its field
    // is left out by the loader and becomes a bad_row reject.
    std::vector<BadRow> bad_rows;
    std::vector<BadRow>* lenient_rows = state.lenient ? &bad_rows : nullptr;
    Result<Table> table = Error{};
    std::string where;  // the file or origin bad rows are reported in
    if (auto given = options.columns.find(source.schema.name); given != options.columns.end()) {
      table = load_column_table(schema, given->second, state.symbols, state.model.calendar,
                                state.budget.load_guard());
    } else if (auto rows = options.rows.find(source.schema.name); rows != options.rows.end()) {
      table = load_row_source(schema, rows->second, state.symbols, state.model.calendar,
                              lenient_rows, state.budget.load_guard());
    } else {
      auto path = bound_path(source.schema.name, options, source.decl->name_span, state);
      if (!path) {
        for (auto& e : path.take_errors()) state.errors.push_back(std::move(e));
        continue;
      }
      table = load_file(state, options, schema, *path, lenient_rows, total_bytes, bytes_before);
    }
    if (!table) {
      for (auto& e : table.take_errors()) state.errors.push_back(std::move(e));
      continue;
    }
    for (BadRow& bad : bad_rows)
      state.data_error(DataErrorKind::bad_row, Error{{table.value().path, bad.row, bad.column, 0},
                                                     std::move(bad.message),
                                                     std::move(bad.hint)});
    const int dated = source.is_roster ? effective_from_field(source.schema) : -1;
    const auto keep =
        unique_rows(state, source.schema, table.value(), identity_fields(source.schema, dated));
    state.tables[i] = keep.size() == table.value().rows ? std::move(table.value())
                                                        : select_rows(table.value(), keep);
    if (dated >= 0) build_roster_history(state, dated);
  }
  if (!state.errors.empty() || state.model.roster < 0) return;

  // The roster's ids, as symbols, index the payees.
  const Column& ids = state.roster().columns[state.model.roster_key];
  state.payee_of_symbol.assign(state.symbols.size(), -1);
  for (std::size_t row = 0; row < ids.symbols.size(); ++row)
    state.payee_of_symbol[ids.symbols[row]] = static_cast<std::int32_t>(row);
  check_manager_cycles(state);
}

}  // namespace tally
