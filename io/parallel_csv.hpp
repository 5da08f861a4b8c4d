// Loading one large delimited file on several threads: the file is cut at
// line ends into parts, each part is parsed into its own columns (text
// interned in its own symbol table) and the parts are joined in order.
//
// This is only a faster way to the same table. Whenever the parts could
// disagree with a sequential read — a quote character anywhere (a quoted
// field may hold a line break), any bad value or row, a key column that is
// not strictly increasing across the parts (duplicates could hide between
// them) — it gives up and the caller loads the file sequentially, which also
// words every message exactly (row numbers, first occurrences).
#pragma once

#include <optional>
#include <string>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// The table of the UTF-8 delimited file `path` loaded in parts, or nullopt
/// when the file is smaller than options.parallel_min_bytes, there is one
/// thread only, or the parallel read gave up (see above). `stopped` is set
/// when it gave up because LoadOptions::keep_going said stop (the caller
/// must then not read the file again).
std::optional<Table> load_csv_in_parts(const SourceSchema& schema, const std::string& path,
                                       char delimiter, SymbolTable& symbols,
                                       const LoadOptions& options, bool* stopped = nullptr);

}  // namespace tally
