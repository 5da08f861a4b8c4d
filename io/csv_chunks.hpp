// Reading a large delimited file a chunk of rows at a time (the streaming
// mode of a run, interpreter/streaming.cpp): each chunk is a Table of its
// own, typed and checked exactly as load_table checks a whole file, whose
// rows keep their true file row numbers (Table::file_row), so that a bad
// value in the last chunk is reported at its row and column. Reading ahead,
// the chunk after the one returned is parsed on a second thread (its text
// interned in a symbol table of its own, renumbered into the caller's when
// it is returned) while the caller works on the one returned. With more
// parse threads, the file is cut into pieces of about the chunk's length,
// parsed on that many threads at once (io/csv_piece_pool.hpp), each piece a
// chunk; a piece with a quote or a bad value makes the reader go on
// sequentially from that piece's first row, so every message stays exact.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"

namespace tally {

class CsvPiecePool;
class CsvReader;
struct CsvLayout;

class CsvChunkReader {
 public:
  /// Opens `path` (.csv, .tsv or .txt; JSON files cannot be read in chunks)
  /// and reads its header. Text is interned in `symbols`, which must outlive
  /// the reader, as must `options` (its guard is asked by every chunk, from
  /// the reading thread; when it has bad_rows (lenient), the bad rows of
  /// each chunk are given by take_bad_rows instead). `read_ahead`: parse the
  /// next chunk on a second thread. `parse_threads` (with read_ahead): when
  /// 2 or more, and the file is UTF-8 with a header and not read leniently,
  /// parse that many pieces of the file at once; a chunk is then a piece of
  /// about (not at most) the rows asked for.
  static Result<std::unique_ptr<CsvChunkReader>> open(const SourceSchema& schema,
                                                      const std::string& path, SymbolTable& symbols,
                                                      const LoadOptions& options,
                                                      bool read_ahead = false,
                                                      unsigned parse_threads = 1);
  ~CsvChunkReader();
  CsvChunkReader(const CsvChunkReader&) = delete;
  CsvChunkReader& operator=(const CsvChunkReader&) = delete;

  /// The next chunk of at most `max_rows` records (of about as many when
  /// parsed in pieces; a table of 0 rows once the file is read), or the
  /// errors of its rows, each located at its file row and column.
  Result<Table> next(std::size_t max_rows);
  /// The rows of the chunk last returned that were left out for a bad value
  /// (when LoadOptions::bad_rows is set: --lenient).
  std::vector<BadRow> take_bad_rows() { return std::move(bad_rows_); }
  /// Whether every chunk has been returned.
  bool done() const { return !ahead_ && done_; }  // done_ is the helper's while it reads
  /// The bytes of the file parsed so far (the chunk read ahead included),
  /// for a progress display.
  std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  /// How many of the chunks returned were parsed as pieces (the others were
  /// read sequentially), for tests.
  std::size_t pieces_read() const { return pieces_read_; }
  /// Whether the chunks to come are being parsed as pieces on other threads
  /// (which then keep the cores busy).
  bool parsing_in_pieces() const { return pool_ != nullptr; }

 private:
  CsvChunkReader() = default;
  /// Reads the next chunk from the file, interning in `symbols`.
  Result<Table> read(std::size_t max_rows, SymbolTable& symbols, std::vector<BadRow>& bad_rows);
  /// Starts reading the next chunk on the helper thread.
  void read_next_ahead(std::size_t max_rows);
  /// Starts the piece pool for chunks of about `max_rows` rows, when the file
  /// can be parsed in pieces; false when it cannot.
  bool start_pieces(std::size_t max_rows);
  /// The next piece as a chunk, or, when it is not good, the next chunk read
  /// sequentially from its first row on.
  Result<Table> next_piece(std::size_t max_rows);

  /// A chunk read ahead: its table, with text in its own symbols.
  struct Ahead {
    std::thread thread;
    SymbolTable symbols;
    std::vector<BadRow> bad_rows;
    std::optional<Result<Table>> table;
  };

  SourceSchema schema_;
  std::string path_;
  SymbolTable* symbols_ = nullptr;
  const LoadOptions* options_ = nullptr;
  std::FILE* file_ = nullptr;
  std::unique_ptr<CsvReader> reader_;
  std::unique_ptr<CsvLayout> layout_;
  std::vector<std::string> labels_;  ///< per field: the header's spelling
  bool utf8_ = true;
  bool done_ = false;  ///< the file is read to its end
  bool read_ahead_ = false;
  std::atomic<std::uint64_t> bytes_read_{0};
  std::unique_ptr<Ahead> ahead_;
  std::vector<BadRow> bad_rows_;
  char delimiter_ = ',';
  unsigned parse_threads_ = 1;
  bool pieces_tried_ = false;           ///< start_pieces was called
  std::unique_ptr<CsvPiecePool> pool_;  ///< while the file is parsed in pieces
  int rows_before_ = 0;                 ///< file rows before the next piece
  std::size_t records_before_ = 0;      ///< records in the pieces returned
  std::size_t pieces_read_ = 0;
};

/// Whether `path` names a file CsvChunkReader can read (by its extension).
bool can_read_in_chunks(const std::string& path);

}  // namespace tally
