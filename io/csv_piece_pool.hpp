// Parsing a delimited file as a run of consecutive pieces on several
// threads, handed out in file order (the streaming mode's reader on more than
// one core, io/csv_chunks.hpp). The file is cut at line ends, piece after
// piece, as the workers claim them; each piece is parsed by its own reader
// into a table of its own, its text interned in a symbol table of its own.
// A piece is parsed strictly, as io/parallel_csv.hpp parses a part: any quote
// character, any bad value or row, or anything unusual marks it not good, and
// the caller then reads on sequentially from that piece's first byte, which
// words every message exactly. At most `window` pieces are held parsed ahead
// of the one the caller works on, so memory stays a few pieces.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/csv_loader.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// One piece of the file, parsed.
struct CsvPiece {
  bool good = false;  ///< parsed without a quote, a bad value or a failure
  Table table;        ///< its rows, their file rows counted from the piece's first line (1)
  SymbolTable symbols;
  int rows_consumed = 0;    ///< file rows the piece spans (records and empty lines)
  std::uint64_t begin = 0;  ///< its first byte in the file
  std::uint64_t end = 0;    ///< the byte after its last
  bool stopped = false;     ///< LoadOptions::keep_going said stop while it was parsed
};

/// What the pool parses, and how.
struct CsvPieceSetup {
  SourceSchema schema;
  std::string path;
  char delimiter = ',';
  CsvLayout layout;                 ///< from the file's header (which must have one)
  std::vector<std::string> labels;  ///< per field: the header's spelling
  LoadOptions options;              ///< calendar, buffer size, keep_going
  std::uint64_t start = 0;          ///< the first byte after the header
  std::uint64_t size = 0;           ///< the file's size
  std::uint64_t piece_bytes = 1;    ///< about how long a piece is (it ends at a line end)
  unsigned workers = 2;
  std::size_t window = 4;  ///< pieces parsed (or being parsed) ahead of the caller's
};

class CsvPiecePool {
 public:
  /// Starts the workers (when no thread can be had, or the workers could not
  /// go on for want of memory, next() parses the pieces itself).
  explicit CsvPiecePool(CsvPieceSetup setup);
  /// Stops the workers, after the pieces they are parsing.
  ~CsvPiecePool();
  CsvPiecePool(const CsvPiecePool&) = delete;
  CsvPiecePool& operator=(const CsvPiecePool&) = delete;

  /// The next piece in file order (waiting for it), or null after the last.
  std::unique_ptr<CsvPiece> next();
  /// Whether every piece has been handed out.
  bool finished();

 private:
  /// Claims the next piece (under the lock): its index and bytes; false at the end.
  bool claim(std::size_t& index, std::uint64_t& begin, std::uint64_t& end);
  /// The byte after the first line feed at or after `at`, or the file's size.
  std::uint64_t line_end_from(std::uint64_t at);
  void parse(CsvPiece& piece) const;
  void work();

  CsvPieceSetup setup_;
  std::FILE* bounds_file_ = nullptr;  ///< read under the lock, to find line ends
  std::vector<char> window_buffer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  /// Piece k, once parsed, waits in slot k % window until it is taken: a
  /// piece is claimed only once the one `window` before it is taken.
  std::vector<std::unique_ptr<CsvPiece>> slots_;
  std::size_t live_ = 0;     ///< workers still taking pieces
  std::size_t claimed_ = 0;  ///< pieces claimed so far
  std::size_t taken_ = 0;    ///< pieces handed to the caller so far
  std::uint64_t next_begin_ = 0;
  bool all_claimed_ = false;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace tally
