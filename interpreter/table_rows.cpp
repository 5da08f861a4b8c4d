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

void append_rows(Table& to, const Table& from, const std::vector<std::uint32_t>& rows) {
  if (to.columns.empty() && to.rows == 0) {
    to = select_rows(from, rows);
    return;
  }
  for (std::size_t c = 0; c < to.columns.size() && c < from.columns.size(); ++c) {
    Column& column = to.columns[c];
    const Column& source = from.columns[c];
    // A column keeps validity flags only when it has a null: add them on
    // whichever side lacks them.
    if (!source.valid.empty() && column.valid.empty()) column.valid.assign(to.rows, 1);
    copy_cells(source, column, rows);
    if (source.valid.empty() && !column.valid.empty())
      column.valid.resize(to.rows + rows.size(), 1);
  }
  if (to.file_rows.empty() && to.rows > 0) {
    std::vector<std::uint32_t> numbers;
    for (std::size_t r = 0; r < to.rows; ++r) numbers.push_back(to.file_row(r));
    to.file_rows = std::move(numbers);
  }
  for (std::uint32_t r : rows) to.file_rows.push_back(from.file_row(r));
  to.rows += rows.size();
}

}  // namespace tally
