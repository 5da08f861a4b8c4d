#include "io/csv_chunks.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <system_error>

#include "io/csv_loader.hpp"
#include "io/csv_piece_pool.hpp"
#include "io/csv_reader.hpp"
#include "io/load_errors.hpp"
#include "io/loader.hpp"
#include "io/table_builder.hpp"
#include "io/text_encoding.hpp"

namespace tally {

bool can_read_in_chunks(const std::string& path) {
  const std::string ext = lowercase_extension(path);
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

Result<std::unique_ptr<CsvChunkReader>> CsvChunkReader::open(
    const SourceSchema& schema, const std::string& path, SymbolTable& symbols,
    const LoadOptions& options, bool read_ahead, unsigned parse_threads) {
  const Location whole_file{path, 0, 0, 0};
  if (!can_read_in_chunks(path))
    return Error{whole_file,
                 "cannot read " + path + " in chunks: expected a .csv, .tsv or .txt file", ""};
  const auto encoding = parse_encoding_name(schema.encoding);
  if (!encoding)
    return Error{whole_file, "unknown encoding \"" + schema.encoding + "\"",
                 "use \"utf-8\" or \"windows-1252\""};
  std::unique_ptr<CsvChunkReader> chunks(new CsvChunkReader());
  chunks->schema_ = schema;
  chunks->path_ = path;
  chunks->symbols_ = &symbols;
  chunks->options_ = &options;
  chunks->utf8_ = *encoding == TextEncoding::utf8;
  chunks->read_ahead_ = read_ahead;
  chunks->parse_threads_ = read_ahead ? parse_threads : 1;
  errno = 0;
  chunks->file_ = std::fopen(path.c_str(), "rb");
  if (!chunks->file_) {
    const int code = errno;
    return Error{whole_file,
                 "cannot open " + path + ": " +
                     (code != 0 ? std::string(std::strerror(code)) : "unknown error"),
                 ""};
  }
  const char delimiter =
      lowercase_extension(path) == ".tsv" && schema.delimiter == ',' ? '\t' : schema.delimiter;
  chunks->delimiter_ = delimiter;
  chunks->reader_ = std::make_unique<CsvReader>(
      chunks->file_, CsvOptions{delimiter, chunks->utf8_, options.read_buffer_size});
  auto builder = TableBuilder::make(schema, path, symbols, options.calendar, chunks->utf8_);
  if (!builder) return builder.take_errors();
  LoadErrors errors(path, options.max_errors);
  auto layout = read_csv_header(*chunks->reader_, schema, *encoding, *builder, errors);
  if (!errors.empty() || !layout) return errors.take();
  chunks->layout_ = std::make_unique<CsvLayout>(std::move(*layout));
  for (std::size_t f = 0; f < builder->field_count(); ++f)
    chunks->labels_.push_back(builder->label(f));
  return chunks;
}

CsvChunkReader::~CsvChunkReader() {
  pool_.reset();
  if (ahead_ && ahead_->thread.joinable()) ahead_->thread.join();
  reader_.reset();
  if (file_) std::fclose(file_);
}

namespace {

/// Renumbers the text of `table` from `from`'s ids to `to`'s.
void renumber_symbols(Table& table, const SymbolTable& from, SymbolTable& to) {
  std::vector<SymbolId> ids(from.size());
  for (SymbolId id = 0; id < ids.size(); ++id) ids[id] = to.intern(from.text(id));
  auto renumber = [&](std::vector<SymbolId>& values) {
    for (SymbolId& id : values)
      if (id < ids.size()) id = ids[id];  // else a null's placeholder
  };
  for (Column& column : table.columns) {
    renumber(column.symbols);
    renumber(column.list.items);
  }
}

}  // namespace

Result<Table> CsvChunkReader::next(std::size_t max_rows) {
  if (!pieces_tried_) {
    pieces_tried_ = true;
    if (start_pieces(max_rows)) return next_piece(max_rows);
  }
  if (pool_) return next_piece(max_rows);
  if (!read_ahead_) return read(max_rows, *symbols_, bad_rows_);
  if (!ahead_) {
    if (done_) return read(max_rows, *symbols_, bad_rows_);  // an empty table
    read_next_ahead(max_rows);
  }
  ahead_->thread.join();
  std::unique_ptr<Ahead> ready = std::move(ahead_);
  Result<Table> table = std::move(*ready->table);
  bad_rows_ = std::move(ready->bad_rows);
  if (!table) {
    done_ = true;  // no chunk after an error
    return table;
  }
  renumber_symbols(table.value(), ready->symbols, *symbols_);
  if (!done_) read_next_ahead(max_rows);
  return table;
}

bool CsvChunkReader::start_pieces(std::size_t max_rows) {
  if (parse_threads_ < 2 || !utf8_ || options_->bad_rows || done_ || !schema_.header ||
      layout_->expected_fields == 0)
    return false;
  std::error_code no_size;
  const std::uint64_t size = std::filesystem::file_size(path_, no_size);
  const std::uint64_t start = reader_->bytes_consumed();
  if (no_size || start >= size) return false;
  // A piece's length in bytes, from the lines of the file's first 64 KiB.
  std::FILE* sample = std::fopen(path_.c_str(), "rb");
  if (!sample) return false;
  std::vector<char> text(std::size_t{1} << 16);
  std::size_t got = 0;
  if (fseeko(sample, static_cast<off_t>(start), SEEK_SET) == 0)
    got = std::fread(text.data(), 1, text.size(), sample);
  std::fclose(sample);
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.begin() + got, '\n'));
  // Pieces end at line feeds: a file whose lines end with a lone CR would be
  // one piece, so it is read sequentially.
  for (std::size_t i = 0; i + 1 < got; ++i)
    if (text[i] == '\r' && text[i + 1] != '\n') return false;
  if (lines == 0) return false;
  const double line_bytes = static_cast<double>(got) / static_cast<double>(lines);
  CsvPieceSetup setup;
  setup.schema = schema_;
  setup.path = path_;
  setup.delimiter = delimiter_;
  setup.layout = *layout_;
  setup.labels = labels_;
  setup.options = *options_;
  setup.start = start;
  setup.size = size;
  setup.piece_bytes = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(line_bytes * static_cast<double>(max_rows)));
  setup.workers = parse_threads_;
  setup.window = 2 * std::size_t{parse_threads_};
  rows_before_ = reader_->rows_consumed();
  pool_ = std::make_unique<CsvPiecePool>(std::move(setup));
  return true;
}

Result<Table> CsvChunkReader::next_piece(std::size_t max_rows) {
  std::unique_ptr<CsvPiece> piece = pool_->next();
  if (piece && piece->good) {
    Table& table = piece->table;
    renumber_symbols(table, piece->symbols, *symbols_);
    for (std::uint32_t& row : table.file_rows) row += static_cast<std::uint32_t>(rows_before_);
    rows_before_ += piece->rows_consumed;
    records_before_ += table.rows;
    ++pieces_read_;
    bytes_read_.store(piece->end, std::memory_order_relaxed);
    if (pool_->finished()) {
      pool_.reset();
      done_ = true;
    }
    return std::move(table);
  }
  pool_.reset();
  if (!piece) {  // the file had no records after the header
    done_ = true;
    return read(max_rows, *symbols_, bad_rows_);
  }
  if (piece->stopped) {
    done_ = true;
    return Error{{path_, 0, 0, 0}, "the load of " + path_ + " was stopped before its end", ""};
  }
  // From here the file is read sequentially, from the first record of the
  // piece that was not good: the records of the pieces returned are passed.
  CsvRecord record;
  CsvSyntaxError syntax;
  for (std::size_t r = 0; r < records_before_; ++r)
    if (reader_->next(record, syntax) != CsvReader::Status::record) break;
  return next(max_rows);
}

void CsvChunkReader::read_next_ahead(std::size_t max_rows) {
  ahead_ = std::make_unique<Ahead>();
  Ahead& ahead = *ahead_;
  try {
    ahead.thread = std::thread([this, &ahead, max_rows] {
      try {
        ahead.table.emplace(read(max_rows, ahead.symbols, ahead.bad_rows));
      } catch (const std::exception& e) {
        ahead.table.emplace(
            Error{{path_, 0, 0, 0}, "the load of " + path_ + " stopped: " + e.what(), ""});
      }
    });
  } catch (const std::system_error&) {  // no thread to be had: read it here
    ahead.table.emplace(read(max_rows, ahead.symbols, ahead.bad_rows));
  }
}

Result<Table> CsvChunkReader::read(std::size_t max_rows, SymbolTable& symbols,
                                   std::vector<BadRow>& bad_rows) {
  const Location whole_file{path_, 0, 0, 0};
  LoadOptions options = *options_;
  bad_rows.clear();
  if (options.bad_rows) options.bad_rows = &bad_rows;
  options.progress = nullptr;
  auto builder = TableBuilder::make(schema_, path_, symbols, options.calendar, utf8_);
  if (!builder) return builder.take_errors();
  for (std::size_t f = 0; f < labels_.size(); ++f) builder->set_label(f, labels_[f]);
  if (options_->keep_going) builder->set_guard(&options_->keep_going);
  LoadErrors errors(path_, options.max_errors);
  if (!done_) {
    try {
      builder->reserve(max_rows);
      done_ = load_csv_records(*reader_, *layout_,
                               utf8_ ? TextEncoding::utf8 : TextEncoding::windows1252, options,
                               *builder, errors, 0, max_rows);
    } catch (const LoadStopped&) {
      return Error{whole_file, "the load of " + path_ + " was stopped before its end", ""};
    }
    bytes_read_.store(reader_->bytes_consumed(), std::memory_order_relaxed);
  }
  if (!errors.empty()) return errors.take();
  // The rows keep their file rows (no compact_file_rows): a chunk does not
  // start at the file's second line.
  return builder->finish();
}

}  // namespace tally
