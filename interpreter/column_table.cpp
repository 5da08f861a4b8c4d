// A source given as the host's typed arrays: see host_sources.hpp.
#include <string>

#include "interpreter/host_sources.hpp"
#include "io/table_builder.hpp"

namespace tally {

namespace {

// Dates the engine prints and computes with: years 1 to 9999.
constexpr std::int32_t kFirstDay = -719162;  // 0001-01-01
constexpr std::int32_t kLastDay = 2932896;   // 9999-12-31
constexpr std::size_t kMaxErrors = 20;

const char* kind_name(ColumnData::Kind kind) {
  switch (kind) {
    case ColumnData::Kind::integers:
      return "integers";
    case ColumnData::Kind::decimals:
      return "decimals";
    case ColumnData::Kind::dates:
      return "dates";
    case ColumnData::Kind::booleans:
      return "booleans";
    case ColumnData::Kind::texts:
      return "texts";
  }
  return "values";
}

bool suits(ColumnData::Kind kind, Kind field) {
  const bool numeric = field == Kind::decimal || field == Kind::money || field == Kind::percent;
  switch (kind) {
    case ColumnData::Kind::integers:
      return field == Kind::integer || numeric;
    case ColumnData::Kind::decimals:
      return numeric;
    case ColumnData::Kind::dates:
      return field == Kind::date;
    case ColumnData::Kind::booleans:
      return field == Kind::boolean;
    case ColumnData::Kind::texts:
      return true;
  }
  return false;
}

class ColumnLoader {
 public:
  ColumnLoader(const SourceSchema& schema, const std::string& origin, SymbolTable& symbols,
               const Calendar& calendar)
      : schema_(schema), origin_(origin), symbols_(symbols), calendar_(calendar) {}

  /// Fills `column` (field `f`) from `data`, `rows` long.
  void fill(std::size_t f, const ColumnData& data, Column& column) {
    const FieldSpec& field = schema_.fields[f];
    if (!suits(data.kind, field.type.kind)) {
      error(0,
            "column `" + data.name + "` gives " + kind_name(data.kind) + ", but `" + field.name +
                "` of `" + schema_.name + "` is " + type_name(field.type),
            "give it as " + std::string(field.type.kind == Kind::date      ? "dates or texts"
                                        : field.type.kind == Kind::boolean ? "booleans or texts"
                                        : field.type.kind == Kind::integer ? "integers or texts"
                                        : field.type.is_numeric() ? "integers, decimals or texts"
                                                                  : "texts"));
      return;
    }
    if (data.kind == ColumnData::Kind::texts) return fill_texts(f, data, column);
    const std::size_t rows = data.size();
    auto present = [&](std::size_t r) { return data.valid.empty() || data.valid[r] != 0; };
    switch (data.kind) {
      case ColumnData::Kind::integers:
        if (field.type.kind == Kind::integer) {
          column.ints.assign(data.ints.begin(), data.ints.end());
        } else {
          column.decimals.reserve(rows);
          for (std::int64_t v : data.ints) column.decimals.push(Decimal::from_int(v));
        }
        break;
      case ColumnData::Kind::decimals:
        if (data.scale < 0 || data.scale > ColumnData::kMaxScale) {
          error(0,
                "column `" + data.name + "` has scale " + std::to_string(data.scale) +
                    "; a scale is 0 to " + std::to_string(ColumnData::kMaxScale),
                "");
          return;
        }
        column.decimals.reserve(rows);
        for (std::int64_t u : data.ints) column.decimals.push(Decimal::from_units(u, data.scale));
        break;
      case ColumnData::Kind::dates:
        column.dates.reserve(rows);
        for (std::size_t r = 0; r < rows; ++r) {
          const std::int32_t d = data.days[r];
          if (present(r) && (d < kFirstDay || d > kLastDay))
            error(r + 1,
                  "column `" + data.name + "`: day " + std::to_string(d) +
                      " is not a date of the years 1 to 9999",
                  "dates are days since 1970-01-01");
          column.dates.push_back(Date{d});
        }
        break;
      case ColumnData::Kind::booleans:
        column.bools.reserve(rows);
        for (std::size_t r = 0; r < rows; ++r) {
          const std::uint8_t b = data.bools[r];
          if (present(r) && b > 1)
            error(r + 1, "column `" + data.name + "`: " + std::to_string(b) + " is not a boolean",
                  "give 0 for false and 1 for true");
          column.bools.push_back(b ? 1 : 0);
        }
        break;
      case ColumnData::Kind::texts:
        break;
    }
    if (!data.valid.empty()) mark_nulls(f, data, column);
  }

  /// A field no column gives: null in every row, an error when required.
  void fill_absent(std::size_t f, std::size_t rows, Column& column) {
    const FieldSpec& field = schema_.fields[f];
    if (rows > 0 && (field.key || !field.type.optional)) {
      error(0,
            "`" + schema_.name + "` needs a value for `" + field.name + "` (" +
                type_name(field.type) + "), and no column gives it",
            "add a column named `" + field.name + "`");
      return;
    }
    column.valid.assign(rows, 0);
    for (std::size_t r = 0; r < rows; ++r) column.push_placeholder();
  }

  Errors take_errors() { return std::move(errors_); }

 private:
  void mark_nulls(std::size_t f, const ColumnData& data, Column& column) {
    const FieldSpec& field = schema_.fields[f];
    bool any = false;
    for (std::size_t r = 0; r < data.valid.size(); ++r) {
      if (data.valid[r] != 0) continue;
      any = true;
      if (field.key || !field.type.optional)
        error(r + 1,
              "`" + schema_.name + "` needs a value for `" + field.name + "` (" +
                  type_name(field.type) + "), found null",
              "");
    }
    if (any) column.valid.assign(data.valid.begin(), data.valid.end());
    for (auto& v : column.valid) v = v ? 1 : 0;
  }

  /// Text cells go through the file parsers (a one-field table builder), so
  /// that they mean what the same text in a CSV file would.
  void fill_texts(std::size_t f, const ColumnData& data, Column& column) {
    SourceSchema one;
    one.name = schema_.name;
    one.fields.push_back(schema_.fields[f]);
    one.fields.back().key = false;  // keys are checked by the caller, as for files
    auto made = TableBuilder::make(one, origin_, symbols_, calendar_, true);
    if (!made) {
      for (Error& e : made.take_errors()) errors_.push_back(std::move(e));
      return;
    }
    TableBuilder& builder = made.value();
    builder.set_label(0, data.name);
    ValueProblem problem;
    for (std::size_t r = 0; r < data.size(); ++r) {
      builder.begin_row(static_cast<std::uint32_t>(r + 1));
      const bool ok = data.valid.empty() || data.valid[r] != 0
                          ? builder.append(0, data.strings[r], problem)
                          : builder.append_null(0, problem, "null");
      if (!ok) error(r + 1, std::move(problem.message), std::move(problem.hint));
      builder.end_row();
    }
    Table built = builder.finish();
    column = std::move(built.columns[0]);
  }

  void error(std::size_t row, std::string message, std::string hint) {
    if (errors_.size() < kMaxErrors)
      errors_.push_back(
          Error{{origin_, static_cast<int>(row), 0, 0}, std::move(message), std::move(hint)});
  }

  const SourceSchema& schema_;
  const std::string& origin_;
  SymbolTable& symbols_;
  const Calendar& calendar_;
  Errors errors_;
};

}  // namespace

Result<Table> load_column_table(const SourceSchema& schema, const ColumnTable& given,
                                SymbolTable& symbols, const Calendar& calendar,
                                const std::function<bool(std::uint64_t)>& keep_going) {
  const std::string origin = given.origin.empty() ? schema.name + " (columns)" : given.origin;
  std::vector<std::string> names;
  for (const ColumnData& data : given.columns) names.push_back(data.name);
  auto column_of = match_host_columns(schema, names, origin);
  if (!column_of) return column_of.take_errors();
  const std::size_t rows = given.columns.empty() ? 0 : given.columns[0].size();
  Errors errors;
  for (const ColumnData& data : given.columns) {
    if (data.size() != rows)
      errors.push_back(Error{{origin, 0, 0, 0},
                             "column `" + data.name + "` has " + std::to_string(data.size()) +
                                 " rows, but `" + given.columns[0].name + "` has " +
                                 std::to_string(rows),
                             "every column of a source has the same length"});
    if (!data.valid.empty() && data.valid.size() != data.size())
      errors.push_back(Error{{origin, 0, 0, 0},
                             "the null mask of column `" + data.name + "` has " +
                                 std::to_string(data.valid.size()) + " entries for " +
                                 std::to_string(data.size()) + " rows",
                             ""});
  }
  if (!errors.empty()) return errors;
  // The run's limits are asked for the memory before it is taken: about 8
  // bytes a cell (a symbol id, a date, a 64-bit unit) and a row number.
  if (keep_going && !keep_going((schema.fields.size() + 1) * std::uint64_t{8} * rows))
    return Error{{origin, 0, 0, 0}, "the columns of `" + schema.name + "` were not loaded", ""};
  Table table;
  table.name = schema.name;
  table.path = origin;
  table.rows = rows;
  ColumnLoader loader(schema, origin, symbols, calendar);
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    Column column;
    column.name = schema.fields[f].name;
    column.type = schema.fields[f].type;
    if (const int c = column_of.value()[f]; c >= 0)
      loader.fill(f, given.columns[static_cast<std::size_t>(c)], column);
    else
      loader.fill_absent(f, rows, column);
    table.columns.push_back(std::move(column));
  }
  if (Errors found = loader.take_errors(); !found.empty()) return found;
  table.file_rows.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) table.file_rows[r] = static_cast<std::uint32_t>(r + 1);
  return table;
}

namespace {

ColumnData named(ColumnData::Kind kind, std::string name) {
  ColumnData c;
  c.kind = kind;
  c.name = std::move(name);
  return c;
}

}  // namespace

ColumnData ColumnData::integers(std::string name, std::span<const std::int64_t> values) {
  ColumnData c = named(Kind::integers, std::move(name));
  c.ints = values;
  return c;
}

ColumnData ColumnData::decimals(std::string name, std::span<const std::int64_t> units, int scale) {
  ColumnData c = named(Kind::decimals, std::move(name));
  c.ints = units;
  c.scale = scale;
  return c;
}

ColumnData ColumnData::dates(std::string name, std::span<const std::int32_t> days) {
  ColumnData c = named(Kind::dates, std::move(name));
  c.days = days;
  return c;
}

ColumnData ColumnData::booleans(std::string name, std::span<const std::uint8_t> values) {
  ColumnData c = named(Kind::booleans, std::move(name));
  c.bools = values;
  return c;
}

ColumnData ColumnData::texts(std::string name, std::span<const std::string_view> values) {
  ColumnData c = named(Kind::texts, std::move(name));
  c.strings = values;
  return c;
}

ColumnData ColumnData::with_nulls(std::span<const std::uint8_t> present) const {
  ColumnData c = *this;
  c.valid = present;
  return c;
}

std::size_t ColumnData::size() const {
  switch (kind) {
    case Kind::integers:
    case Kind::decimals:
      return ints.size();
    case Kind::dates:
      return days.size();
    case Kind::booleans:
      return bools.size();
    case Kind::texts:
      return strings.size();
  }
  return 0;
}

}  // namespace tally
