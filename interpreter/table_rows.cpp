#include "interpreter/table_rows.hpp"

namespace tally {

namespace {

void copy_cells(const Column& from, Column& to, const std::vector<std::uint32_t>& rows) {
  if (!from.valid.empty()) {
    to.valid.reserve(rows.size());
    for (std::uint32_t r : rows) to.valid.push_back(from.valid[r]);
  }
  switch (from.type.kind) {
    case Kind::boolean:
      for (std::uint32_t r : rows) to.bools.push_back(from.bools[r]);
      break;
    case Kind::integer:
      for (std::uint32_t r : rows) to.ints.push_back(from.ints[r]);
      break;
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      to.decimals.reserve(rows.size());
      for (std::uint32_t r : rows) to.decimals.push(from.decimals.at(r));
      break;
    case Kind::date:
      for (std::uint32_t r : rows) to.dates.push_back(from.dates[r]);
      break;
    case Kind::period:
      for (std::uint32_t r : rows) to.periods.push_back(from.periods[r]);
      break;
    case Kind::list:
      for (std::uint32_t r : rows) {
        for (std::uint32_t i = from.list.offsets[r]; i < from.list.offsets[r + 1]; ++i)
          to.list.items.push_back(from.list.items[i]);
        to.list.offsets.push_back(static_cast<std::uint32_t>(to.list.items.size()));
      }
      break;
    default:  // text, payee, territory
      for (std::uint32_t r : rows) to.symbols.push_back(from.symbols[r]);
      break;
  }
}

}  // namespace

Table select_rows(const Table& table, const std::vector<std::uint32_t>& rows) {
  Table out;
  out.name = table.name;
  out.path = table.path;
  out.rows = rows.size();
  for (const Column& column : table.columns) {
    Column copy;
    copy.name = column.name;
    copy.type = column.type;
    copy_cells(column, copy, rows);
    out.columns.push_back(std::move(copy));
  }
  for (std::uint32_t r : rows) out.file_rows.push_back(table.file_row(r));
  return out;
}

}  // namespace tally
