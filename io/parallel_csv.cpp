#include "io/parallel_csv.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "io/csv_loader.hpp"
#include "io/csv_reader.hpp"
#include "io/load_errors.hpp"
#include "io/table_builder.hpp"

namespace tally {

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

/// Where each part starts: 0, then the byte after the first line feed at or
/// after each k/n of the file; the file size closes the last part. A file
/// without line feeds in the right places gives fewer parts.
std::vector<std::uint64_t> part_bounds(std::FILE* file, std::uint64_t size, unsigned parts) {
  std::vector<std::uint64_t> bounds = {0};
  std::vector<char> window(std::size_t{1} << 16);
  for (unsigned k = 1; k < parts; ++k) {
    std::uint64_t at = std::max(size * k / parts, bounds.back());
    if (fseeko(file, static_cast<off_t>(at), SEEK_SET) != 0) break;
    std::optional<std::uint64_t> start;
    while (!start) {
      const std::size_t got = std::fread(window.data(), 1, window.size(), file);
      if (got == 0) break;
      const auto* feed = static_cast<const char*>(std::memchr(window.data(), '\n', got));
      if (feed) start = at + static_cast<std::uint64_t>(feed - window.data()) + 1;
      at += got;
    }
    if (!start || *start >= size) break;
    bounds.push_back(*start);
  }
  bounds.push_back(size);
  return bounds;
}

/// One part of the file being read: its own reader state, symbols and columns.
struct Part {
  Part(const std::string& path, const LoadOptions& options) : errors(path, options.max_errors) {}
  SymbolTable symbols;  // parts after the first intern here, then join the run's table
  std::optional<TableBuilder> builder;
  LoadErrors errors;
  bool saw_quote = false;
  int rows_consumed = 0;
};

bool read_part(const std::string& path, std::uint64_t begin, std::uint64_t end, std::uint64_t whole,
               const CsvLayout& layout, char delimiter, const LoadOptions& options, Part& part,
               CsvReader* reader = nullptr) {
  std::optional<CsvReader> own;
  File file;
  if (!reader) {
    file.reset(std::fopen(path.c_str(), "rb"));
    if (!file || fseeko(file.get(), static_cast<off_t>(begin), SEEK_SET) != 0) return false;
    own.emplace(file.get(), CsvOptions{delimiter, false, options.read_buffer_size, end - begin});
    reader = &*own;
  }
  LoadOptions strict = options;
  strict.bad_rows = nullptr;  // any bad value gives up: the sequential read reports it
  strict.progress = nullptr;  // reported as parts are joined, from the caller's thread
  // The first part's columns are sized for the whole file: the other parts
  // are appended to them in place, without a second copy of the table.
  // Told to stop (LoadStopped), the part fails and so does the read in parts.
  if (options.keep_going) part.builder->set_guard(&options.keep_going);
  load_csv_records(*reader, layout, TextEncoding::utf8, strict, *part.builder, part.errors,
                   begin == 0 ? whole : end - begin);
  part.saw_quote = reader->saw_quote();
  part.rows_consumed = reader->rows_consumed();
  return true;
}

/// Appends `from` (a later part) to `to`, its symbols renumbered by `remap`.
void append_column(Column& to, std::size_t to_rows, Column&& from, std::size_t from_rows,
                   const std::vector<SymbolId>& remap) {
  if (!from.valid.empty() || !to.valid.empty()) {
    if (to.valid.empty()) to.valid.assign(to_rows, 1);
    if (from.valid.empty())
      to.valid.insert(to.valid.end(), from_rows, 1);
    else
      to.valid.insert(to.valid.end(), from.valid.begin(), from.valid.end());
  }
  to.bools.insert(to.bools.end(), from.bools.begin(), from.bools.end());
  to.ints.insert(to.ints.end(), from.ints.begin(), from.ints.end());
  to.dates.insert(to.dates.end(), from.dates.begin(), from.dates.end());
  to.periods.insert(to.periods.end(), from.periods.begin(), from.periods.end());
  to.decimals.append(from.decimals);
  to.symbols.reserve(to.symbols.size() + from.symbols.size());
  for (SymbolId id : from.symbols) to.symbols.push_back(remap[id]);
  if (from.list.offsets.size() > 1) {
    const auto base = static_cast<std::uint32_t>(to.list.items.size());
    for (std::size_t r = 1; r < from.list.offsets.size(); ++r)
      to.list.offsets.push_back(base + from.list.offsets[r]);
    for (SymbolId id : from.list.items) to.list.items.push_back(remap[id]);
  }
}

}  // namespace

std::optional<Table> load_csv_in_parts(const SourceSchema& schema, const std::string& path,
                                       char delimiter, SymbolTable& symbols,
                                       const LoadOptions& options, bool* stopped) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  const unsigned threads = load_threads(options.threads);
  if (ec || size < options.parallel_min_bytes || threads < 2 || !schema.header) return std::nullopt;

  File first(std::fopen(path.c_str(), "rb"));
  if (!first) return std::nullopt;
  // Four parts per thread: threads that finish early take more, and each part
  // is freed once joined, so that memory holds the table and a few parts.
  const std::vector<std::uint64_t> bounds = part_bounds(first.get(), size, threads * 4);
  const std::size_t count = bounds.size() - 1;
  if (count < 2 || std::fseek(first.get(), 0, SEEK_SET) != 0) return std::nullopt;

  std::vector<std::unique_ptr<Part>> parts;
  for (std::size_t k = 0; k < count; ++k) {
    parts.push_back(std::make_unique<Part>(path, options));
    auto builder = TableBuilder::make(schema, path, k == 0 ? symbols : parts[k]->symbols,
                                      options.calendar, true);
    if (!builder) return std::nullopt;
    parts[k]->builder.emplace(std::move(*builder));
  }
  // The first part reads the header, which gives every part its layout.
  CsvReader head(first.get(), CsvOptions{delimiter, true, options.read_buffer_size, bounds[1]});
  const auto layout =
      read_csv_header(head, schema, TextEncoding::utf8, *parts[0]->builder, parts[0]->errors);
  if (!layout || !parts[0]->errors.empty()) return std::nullopt;

  // Workers take parts in order; this thread joins them in order as they are
  // done. Only the first part interns into the run's symbols, and it is
  // joined (and so finished) before any other part's symbols are added.
  enum : std::uint8_t { kPending, kRead, kFailed };
  std::vector<std::uint8_t> status(count, kPending);
  std::mutex mutex;
  std::condition_variable done;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> give_up{false};
  std::atomic<bool> told_to_stop{false};  // a part stopped by LoadOptions::keep_going
  auto work = [&] {
    for (std::size_t k = next++; k < count && !give_up; k = next++) {
      Part& part = *parts[k];
      bool read = false;
      try {
        read = read_part(path, bounds[k], bounds[k + 1], size, *layout, delimiter, options, part,
                         k == 0 ? &head : nullptr);
      } catch (const LoadStopped&) {
        told_to_stop = true;
      } catch (...) {  // out of memory on this thread: the sequential read reports it
      }
      const bool good = read && part.errors.empty() && !part.saw_quote;
      {
        const std::lock_guard<std::mutex> lock(mutex);
        status[k] = good ? kRead : kFailed;
      }
      done.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    try {
      workers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: those started take every part
    }
  }
  if (workers.empty()) return std::nullopt;
  auto stop = [&] {
    give_up = true;
    for (std::thread& worker : workers) worker.join();
  };

  Table table;
  std::uint32_t row_offset = 0;
  for (std::size_t k = 0; k < count; ++k) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [&] { return status[k] != kPending; });
    }
    if (status[k] == kFailed) {
      stop();
      if (told_to_stop && stopped) *stopped = true;
      return std::nullopt;
    }
    Part& part = *parts[k];
    if (k == 0) {
      table = part.builder->finish();
    } else {
      std::vector<SymbolId> remap(part.symbols.size());
      for (SymbolId id = 0; id < remap.size(); ++id)
        remap[id] = symbols.intern(part.symbols.text(id));
      Table piece = part.builder->finish();
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        append_column(table.columns[c], table.rows, std::move(piece.columns[c]), piece.rows, remap);
      for (std::uint32_t row : piece.file_rows) table.file_rows.push_back(row + row_offset);
      table.rows += piece.rows;
    }
    row_offset += static_cast<std::uint32_t>(part.rows_consumed);
    parts[k].reset();  // its columns are in the table now
    if (options.progress) options.progress(bounds[k + 1]);
  }
  stop();
  if (told_to_stop && stopped) *stopped = true;
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].key && !values_rise(table.columns[f])) return std::nullopt;
  return table;
}

}  // namespace tally
