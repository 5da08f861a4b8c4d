#include "interpreter/inline_table.hpp"

#include <set>
#include <string>

#include "io/value_parser.hpp"

namespace tally {

namespace {

/// Appends the value of `text` to `column`; false when it does not parse.
bool append_value(Column& column, const std::string& text, SymbolTable& symbols,
                  const Calendar& calendar) {
  switch (column.type.kind) {
    case Kind::boolean: {
      const auto value = parse_bool(text);
      if (!value) return false;
      column.bools.push_back(*value ? 1 : 0);
      return true;
    }
    case Kind::integer: {
      const auto value = parse_integer(text);
      if (!value) return false;
      column.ints.push_back(*value);
      return true;
    }
    case Kind::decimal:
    case Kind::money:
    case Kind::percent: {
      const auto value = Decimal::parse(text, true);
      if (!value) return false;
      column.decimals.push(*value);
      return true;
    }
    case Kind::date: {
      const auto value = parse_iso_date(text);
      if (!value) return false;
      column.dates.push_back(*value);
      return true;
    }
    case Kind::period: {
      const auto value = parse_period(text, calendar);
      if (!value) return false;
      column.periods.push_back(*value);
      return true;
    }
    case Kind::list: {
      // Items separated by `|`, as list columns are usually written.
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t end = text.find('|', start);
        if (end == std::string::npos) end = text.size();
        if (end > start)
          column.list.items.push_back(symbols.intern(text.substr(start, end - start)));
        start = end + 1;
      }
      column.list.offsets.push_back(static_cast<std::uint32_t>(column.list.items.size()));
      return true;
    }
    default:
      column.symbols.push_back(symbols.intern(text));
      return true;
  }
}

}  // namespace

Result<Table> load_inline_table(const SourceSchema& schema, const InlineTable& given,
                                SymbolTable& symbols, const Calendar& calendar) {
  Table table;
  table.name = schema.name;
  table.path = given.origin.empty() ? schema.name : given.origin;
  Errors errors;
  std::vector<int> column_of(schema.fields.size(), -1);
  for (std::size_t c = 0; c < given.columns.size(); ++c) {
    bool found = false;
    for (std::size_t f = 0; f < schema.fields.size(); ++f)
      if (schema.fields[f].name == given.columns[c]) {
        column_of[f] = static_cast<int>(c);
        found = true;
      }
    if (!found)
      errors.push_back(Error{{table.path, 0, 0, 0},
                             "`" + schema.name + "` has no field `" + given.columns[c] + "`",
                             ""});
  }
  if (!errors.empty()) return errors;
  for (const FieldSpec& field : schema.fields) {
    Column column;
    column.name = field.name;
    column.type = field.type;
    table.columns.push_back(std::move(column));
  }
  std::vector<std::set<std::string>> keys(schema.fields.size());
  for (std::size_t r = 0; r < given.rows.size(); ++r) {
    const auto& row = given.rows[r];
    const int line = r < given.row_lines.size() ? given.row_lines[r] : static_cast<int>(r + 1);
    const Location where{table.path, line, 0, 0};
    for (std::size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldSpec& field = schema.fields[f];
      Column& column = table.columns[f];
      const int c = column_of[f];
      const std::optional<std::string>* cell = c >= 0 && static_cast<std::size_t>(c) < row.size()
                                                   ? &row[static_cast<std::size_t>(c)]
                                                   : nullptr;
      if (!cell || !cell->has_value()) {
        if (field.key || !field.type.optional)
          errors.push_back(Error{where,
                                 "`" + schema.name + "` needs a value for `" + field.name + "` (" +
                                     type_name(field.type) + "), found none",
                                 "set it, e.g. `" + field.name + " ...`"});
        if (column.valid.empty()) column.valid.assign(table.rows, 1);
        column.valid.push_back(0);
        column.push_placeholder();
        continue;
      }
      const std::string& text = **cell;
      if (!append_value(column, text, symbols, calendar)) {
        errors.push_back(Error{where,
                               "`" + field.name + "` of `" + schema.name + "` is " +
                                   type_name(field.type) + ", found \"" + text + "\"",
                               ""});
        column.push_placeholder();
      }
      if (!column.valid.empty()) column.valid.push_back(1);
      if (field.key && !keys[f].insert(text).second)
        errors.push_back(Error{
            where,
            "two rows of `" + schema.name + "` have the key `" + field.name + "` \"" + text + "\"",
            ""});
    }
    table.file_rows.push_back(static_cast<std::uint32_t>(line));
    ++table.rows;
  }
  if (!errors.empty()) return errors;
  return table;
}

}  // namespace tally
