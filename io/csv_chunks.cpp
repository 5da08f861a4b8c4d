#include "io/csv_chunks.hpp"

#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>

#include "io/csv_loader.hpp"
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

Result<std::unique_ptr<CsvChunkReader>> CsvChunkReader::open(const SourceSchema& schema,
                                                             const std::string& path,
                                                             SymbolTable& symbols,
                                                             const LoadOptions& options,
                                                             bool read_ahead) {
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
  }
  bytes_read_.store(reader_->bytes_consumed(), std::memory_order_relaxed);
  if (!errors.empty()) return errors.take();
  // The rows keep their file rows (no compact_file_rows): a chunk does not
  // start at the file's second line.
  return builder->finish();
}

}  // namespace tally
