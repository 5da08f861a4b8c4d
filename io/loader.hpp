// Loading a source file into typed columns, by its extension: `.csv`, `.txt`
// and `.tsv` through the CSV reader, `.json` through the JSON reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// A row left out because a value does not fit its field (see
/// LoadOptions::bad_rows).
struct BadRow {
  int row = 0;              ///< spreadsheet numbering (header = 1)
  int column = 0;           ///< 1-based column of the file; 0 when the file lacks it
  std::string column_name;  ///< as the file's header spells it (else the field name)
  std::string value;        ///< the text found
  std::string expected;     ///< what the field takes: "a number", "a date (YYYY-MM-DD)"
  std::string message;      ///< the whole message, as an error would say it
  std::string hint;         ///< how to fix it, or ""
};

struct LoadOptions {
  /// Stop collecting after this many errors (the rest are counted in a last
  /// "and N more errors" entry).
  int max_errors = 20;
  /// The plan's calendar, for `period` fields (labels like 2026-Q1).
  Calendar calendar;
  /// Bytes read from the file at a time; tests shrink it to make records
  /// cross buffer boundaries.
  std::size_t read_buffer_size = std::size_t{1} << 20;
  /// When set (`--lenient`), a row with a value that does not fit its field
  /// is left out of the table and described here (one entry per bad value)
  /// instead of being an error: a row of a delimited file, or a record of a
  /// JSON file (a wrong type, an unparsable value, a missing required key, an
  /// item that is not an object; its row is the line of its `{`). Rows with
  /// the wrong number of fields, and JSON that does not parse, still fail
  /// the load.
  std::vector<BadRow>* bad_rows = nullptr;
  /// A UTF-8 delimited file of at least this many bytes is parsed in parts on
  /// `threads` threads (io/parallel_csv.hpp); tests lower it to cover that
  /// path on small files. threads = 0: one per core, at most 8.
  std::size_t parallel_min_bytes = std::size_t{16} << 20;
  /// Called now and then, from the thread that called load_table, with the
  /// bytes of the file read so far (every 65,536 records of a delimited file,
  /// and as each part of a file read in parts is joined), so that a long load
  /// can show how far it is. Null: no cost.
  std::function<void(std::uint64_t bytes)> progress;
  /// Asked every 65,536 rows, and before the columns are sized for the rows
  /// a file's length promises, whether the load may go on, with how many
  /// bytes the columns grew by since it was last asked (a run charges them
  /// to its memory budget and checks its deadline and cancellation here).
  /// When it answers false the load stops with an error. It is called from
  /// the threads that read a file in parts, too, so it must be thread-safe.
  /// Null: no cost.
  std::function<bool(std::uint64_t more_bytes)> keep_going;
  unsigned threads = 0;
};

/// The threads a load reads with: `asked`, or when 0 one per core, at most 8.
unsigned load_threads(unsigned asked);

/// The extension of `path`'s file name with its dot, in lower case
/// (".csv"); "" when the name has none. It decides how a file is read.
std::string lowercase_extension(const std::string& path);

/// Reads `path` into a Table that follows `schema`. Text values are interned
/// in `symbols`. Every bad value is an error naming the file, the row (as a
/// spreadsheet shows it), the column and the value, and what was expected;
/// missing files, missing required columns and duplicate keys are errors too.
/// Memory grows with the columns, not with the file text (the file is read
/// in chunks / streamed).
Result<Table> load_table(const SourceSchema& schema, const std::string& path, SymbolTable& symbols,
                         const LoadOptions& options = {});

}  // namespace tally
