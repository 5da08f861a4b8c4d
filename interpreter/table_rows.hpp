// Copies of a loaded table restricted to some of its rows, in a given order:
// used to leave out rows rejected under `--lenient` and to build the roster
// of one payee per row from an effective-dated roster, and to keep some
// rows of each chunk of a streamed source.
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/runtime/column.hpp"

namespace tally {

/// A table with the rows `rows` of `table` (in that order, repeats allowed),
/// every column and file row number kept.
Table select_rows(const Table& table, const std::vector<std::uint32_t>& rows);

/// Appends the rows `rows` of `from` to `to`, a table of the same columns
/// (or an empty table, which takes `from`'s columns): a streamed run keeps
/// the rows of the payees explained, chunk after chunk.
void append_rows(Table& to, const Table& from, const std::vector<std::uint32_t>& rows);

}  // namespace tally
