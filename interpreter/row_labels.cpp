#include "interpreter/row_labels.hpp"

#include "interpreter/runtime/decimal.hpp"

namespace tally {

std::string row_label(const Table& table, std::size_t row) {
  return table.path + " row " + std::to_string(table.file_row(row));
}

Location row_location(const Table& table, std::size_t row) {
  Location where;
  where.file = table.path;
  where.line = static_cast<int>(table.file_row(row));
  return where;
}

std::string cell_text(const Column& column, std::size_t row, const SymbolTable& symbols,
                      const Calendar& calendar) {
  if (column.is_null(row)) return "";
  switch (column.type.kind) {
    case Kind::boolean:
      return column.bools[row] ? "true" : "false";
    case Kind::integer:
      return std::to_string(column.ints[row]);
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      return column.decimals.at(row).to_string();
    case Kind::date:
      return format_date(column.dates[row]);
    case Kind::period:
      return period_label(column.periods[row], calendar);
    case Kind::list: {
      std::string out;
      for (std::uint32_t i = column.list.offsets[row]; i < column.list.offsets[row + 1]; ++i)
        out += (out.empty() ? "" : "|") + std::string(symbols.text(column.list.items[i]));
      return out;
    }
    default:
      return std::string(symbols.text(column.symbols[row]));
  }
}

int key_field(const SourceSchema& schema) {
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].key) return static_cast<int>(f);
  return -1;
}

std::string transaction_id(const SourceSchema& schema, const Table& table, std::size_t row,
                           const SymbolTable& symbols, const Calendar& calendar) {
  const int key = key_field(schema);
  if (key < 0 || static_cast<std::size_t>(key) >= table.columns.size()) return "";
  return cell_text(table.columns[static_cast<std::size_t>(key)], row, symbols, calendar);
}

}  // namespace tally
