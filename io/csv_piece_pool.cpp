#include "io/csv_piece_pool.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>

#include "io/csv_reader.hpp"
#include "io/load_errors.hpp"
#include "io/table_builder.hpp"

namespace tally {

CsvPiecePool::CsvPiecePool(CsvPieceSetup setup) : setup_(std::move(setup)) {
  setup_.window = std::max<std::size_t>(1, setup_.window);
  setup_.piece_bytes = std::max<std::uint64_t>(1, setup_.piece_bytes);
  slots_.resize(setup_.window);
  next_begin_ = setup_.start;
  all_claimed_ = next_begin_ >= setup_.size;
  bounds_file_ = std::fopen(setup_.path.c_str(), "rb");
  window_buffer_.resize(std::size_t{1} << 16);
  const std::lock_guard<std::mutex> lock(mutex_);
  for (unsigned w = 0; w < setup_.workers; ++w) {
    try {
      workers_.emplace_back([this] { work(); });
      ++live_;
    } catch (const std::system_error&) {
      break;  // those started take every piece; with none, next() parses them
    }
  }
}

CsvPiecePool::~CsvPiecePool() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  if (bounds_file_) std::fclose(bounds_file_);
}

std::uint64_t CsvPiecePool::line_end_from(std::uint64_t at) {
  if (!bounds_file_ || at >= setup_.size) return setup_.size;
  if (fseeko(bounds_file_, static_cast<off_t>(at), SEEK_SET) != 0) return setup_.size;
  for (;;) {
    const std::size_t got =
        std::fread(window_buffer_.data(), 1, window_buffer_.size(), bounds_file_);
    if (got == 0) return setup_.size;
    const auto* feed = static_cast<const char*>(std::memchr(window_buffer_.data(), '\n', got));
    if (feed) return at + static_cast<std::uint64_t>(feed - window_buffer_.data()) + 1;
    at += got;
  }
}

bool CsvPiecePool::claim(std::size_t& index, std::uint64_t& begin, std::uint64_t& end) {
  if (all_claimed_) return false;
  index = claimed_++;
  begin = next_begin_;
  end = line_end_from(begin + setup_.piece_bytes - 1);
  if (end > setup_.size) end = setup_.size;
  next_begin_ = end;
  all_claimed_ = end >= setup_.size;
  return true;
}

void CsvPiecePool::parse(CsvPiece& piece) const {
  std::FILE* file = std::fopen(setup_.path.c_str(), "rb");
  if (!file) return;  // not good: the sequential read reports it
  try {
    if (fseeko(file, static_cast<off_t>(piece.begin), SEEK_SET) == 0) {
      CsvReader reader(file, CsvOptions{setup_.delimiter, false, setup_.options.read_buffer_size,
                                        piece.end - piece.begin});
      auto builder = TableBuilder::make(setup_.schema, setup_.path, piece.symbols,
                                        setup_.options.calendar, true);
      if (builder) {
        for (std::size_t f = 0; f < setup_.labels.size(); ++f)
          builder->set_label(f, setup_.labels[f]);
        if (setup_.options.keep_going) builder->set_guard(&setup_.options.keep_going);
        LoadOptions strict = setup_.options;
        strict.bad_rows = nullptr;  // any bad value: not good, the sequential read reports it
        strict.progress = nullptr;
        LoadErrors errors(setup_.path, strict.max_errors);
        load_csv_records(reader, setup_.layout, TextEncoding::utf8, strict, *builder, errors,
                         piece.end - piece.begin);
        piece.good = errors.empty() && !reader.saw_quote() && !reader.io_failed();
        piece.rows_consumed = reader.rows_consumed();
        if (piece.good) piece.table = builder->finish();
      }
    }
  } catch (const LoadStopped&) {
    piece.stopped = true;
    piece.good = false;
  } catch (...) {  // out of memory on this thread: the sequential read reports it
    piece.good = false;
  }
  std::fclose(file);
}

void CsvPiecePool::work() {
  for (;;) {
    std::unique_ptr<CsvPiece> piece;
    try {
      piece = std::make_unique<CsvPiece>();
    } catch (...) {  // no memory for another piece: the caller parses the rest
      break;
    }
    std::size_t index = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock,
                    [&] { return stop_ || all_claimed_ || claimed_ < taken_ + setup_.window; });
      if (stop_ || !claim(index, piece->begin, piece->end)) break;
    }
    parse(*piece);
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      slots_[index % setup_.window] = std::move(piece);
    }
    changed_.notify_all();
  }
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    --live_;
  }
  changed_.notify_all();
}

bool CsvPiecePool::finished() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return all_claimed_ && taken_ == claimed_;
}

std::unique_ptr<CsvPiece> CsvPiecePool::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  std::unique_ptr<CsvPiece>& slot = slots_[taken_ % setup_.window];
  changed_.wait(lock, [&] { return slot || (all_claimed_ && taken_ == claimed_) || live_ == 0; });
  if (slot) {
    std::unique_ptr<CsvPiece> piece = std::move(slot);
    ++taken_;
    lock.unlock();
    changed_.notify_all();  // a place in the window opened
    return piece;
  }
  // No worker left (none started, or they ran out of memory): every piece
  // claimed has been taken, and this thread parses the next one itself.
  auto piece = std::make_unique<CsvPiece>();
  std::size_t index = 0;
  if (!claim(index, piece->begin, piece->end)) return nullptr;
  ++taken_;
  lock.unlock();
  parse(*piece);
  return piece;
}

}  // namespace tally
