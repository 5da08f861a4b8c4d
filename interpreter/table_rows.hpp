// Copies of a loaded table restricted to some of its rows, in a given order:
// used to leave out rows rejected under `--lenient` and to build the roster
// of one payee per row from an effective-dated roster.
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/runtime/column.hpp"

namespace tally {

/// A table with the rows `rows` of `table` (in that order, repeats allowed),
/// every column and file row number kept.
Table select_rows(const Table& table, const std::vector<std::uint32_t>& rows);

}  // namespace tally
