// How run-time messages name an input row: its file and row number as a
// spreadsheet shows it, and the transaction's id (the source's key field).
#pragma once

#include <cstddef>
#include <string>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// "deals.csv row 4".
std::string row_label(const Table& table, std::size_t row);
/// The file and row of `row`, for an Error.
Location row_location(const Table& table, std::size_t row);
/// One cell as text, as the file would show it ("" for a null).
std::string cell_text(const Column& column, std::size_t row, const SymbolTable& symbols,
                      const Calendar& calendar);
/// The index of the key field of `schema`, or -1.
int key_field(const SourceSchema& schema);
/// The transaction id of `row`: its key field's value, or "" without a key.
std::string transaction_id(const SourceSchema& schema, const Table& table, std::size_t row,
                           const SymbolTable& symbols, const Calendar& calendar);

}  // namespace tally
