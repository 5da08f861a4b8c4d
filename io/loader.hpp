// Loading a source file into typed columns, by its extension: `.csv`, `.txt`
// and `.tsv` through the CSV reader, `.json` through the JSON reader.
#pragma once

#include <cstddef>
#include <string>

#include "interpreter/runtime/calendar.hpp"

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/source_schema.hpp"

namespace tally {

struct LoadOptions {
  /// Stop collecting after this many errors (the rest are counted in a last
  /// "and N more errors" entry).
  int max_errors = 20;
  /// The plan's calendar, for `period` fields (labels like 2026-Q1).
  Calendar calendar;
  /// Bytes read from the file at a time; tests shrink it to make records
  /// cross buffer boundaries.
  std::size_t read_buffer_size = std::size_t{1} << 20;
};

/// Reads `path` into a Table that follows `schema`. Text values are interned
/// in `symbols`. Every bad value is an error naming the file, the row (as a
/// spreadsheet shows it), the column and the value, and what was expected;
/// missing files, missing required columns and duplicate keys are errors too.
/// Memory grows with the columns, not with the file text (the file is read
/// in chunks / streamed).
Result<Table> load_table(const SourceSchema& schema, const std::string& path, SymbolTable& symbols,
                         const LoadOptions& options = {});

}  // namespace tally
