// A source given in memory (RunOptions::tables) turned into the typed
// columns a file would load into: what `tally test` runs its rows on.
#pragma once

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/source_schema.hpp"
#include "tally/tally.hpp"

namespace tally {

/// The rows of `given` as a Table of `schema`. Cells are plain text (see
/// InlineTable); a column that names no field, a cell that does not parse
/// as its field's type, a null in a required field or a repeated key is an
/// error naming `given.origin` and the row.
Result<Table> load_inline_table(const SourceSchema& schema, const InlineTable& given,
                                SymbolTable& symbols, const Calendar& calendar);

}  // namespace tally
