#include "io/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace tally {

CsvReader::CsvReader(std::FILE* file, const CsvOptions& options)
    : file_(file),
      options_(options),
      buffer_size_(std::max<std::size_t>(options.buffer_size, 1)),
      // Not zeroed: only what fread fills is read, and the pages of a large
      // buffer over a small file are never touched.
      buffer_(std::make_unique_for_overwrite<char[]>(buffer_size_)),
      left_(options.byte_limit) {
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_[static_cast<unsigned char>('"')] = true;  // only to notice it: see saw_quote()
  special_[static_cast<unsigned char>('\n')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
}

bool CsvReader::refill() {
  if (eof_) return false;
  len_ = std::fread(buffer_.get(), 1,
                    static_cast<std::size_t>(std::min<std::uint64_t>(buffer_size_, left_)), file_);
  left_ -= len_;
  bytes_read_ += len_;
  pos_ = 0;
  if (len_ == 0) {
    eof_ = true;
    if (std::ferror(file_)) io_failed_ = true;
    return false;
  }
  return true;
}

bool CsvReader::scan_in_buffer(CsvRecord& record) {
  // Most records lie whole in the buffer and hold no quote: their fields are
  // read in place, without copying. Anything else (a quote, the buffer's end
  // before the line's) leaves pos_ unchanged for the general reader below.
  const char* const begin = buffer_.get() + pos_;
  const char* const end = buffer_.get() + len_;
  const char delimiter = options_.delimiter;
  // The field ends go straight into the record's spare room, the count kept
  // in a register.
  std::uint32_t* ends = record.ends_.data();
  std::size_t room = record.ends_.size();
  std::size_t count = 0;
  // One special byte at s: a field ends there, or the record, or (a quote)
  // the fast path gives up. Returns 1 = record done, 0 = go on, -1 = give up.
  auto at_special = [&](const char* s) {
    if (*s == '"') return -1;
    if (count == room) [[unlikely]] {
      record.count_ = count;
      record.grow();
      ends = record.ends_.data();
      room = record.ends_.size();
    }
    ends[count++] = static_cast<std::uint32_t>(s - begin);
    if (*s == delimiter) return 0;
    after_cr_ = *s == '\r';
    pos_ = static_cast<std::size_t>(s + 1 - buffer_.get());
    record.data_ = begin;
    record.count_ = count;
    return 1;
  };
  const char* p = begin;
#ifdef __SSE2__
  // 16 bytes at a time: a bit mask of the special bytes among them.
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i feeds = _mm_set1_epi8('\n');
  const __m128i returns = _mm_set1_epi8('\r');
  const __m128i quotes = _mm_set1_epi8('"');
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, feeds)),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, returns), _mm_cmpeq_epi8(bytes, quotes)));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0; mask &= mask - 1) {
      const int found = at_special(p + __builtin_ctz(mask));
      if (found != 0) return found > 0 || (record.count_ = 0, false);
    }
  }
#endif
  for (; p < end; ++p) {
    if (!special_[static_cast<unsigned char>(*p)]) continue;
    const int found = at_special(p);
    if (found != 0) return found > 0 || (record.count_ = 0, false);
  }
  record.count_ = 0;
  return false;
}

void CsvReader::skip_rest_of_line() {
  while (pos_ < len_ || refill()) {
    const char c = buffer_[pos_++];
    if (c == '\n') return;
    if (c == '\r') {
      after_cr_ = true;
      return;
    }
  }
}

CsvReader::Status CsvReader::next(CsvRecord& record, CsvSyntaxError& error) {
  record.text_.clear();
  record.count_ = 0;

  if (at_file_start_) {
    at_file_start_ = false;
    if (options_.skip_bom) {
      // The BOM may itself be split by a tiny buffer: compare byte by byte.
      static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
      std::size_t matched = 0;
      std::string consumed;
      while (matched < 3 && (pos_ < len_ || refill())) {
        if (static_cast<unsigned char>(buffer_[pos_]) != kBom[matched]) break;
        consumed.push_back(buffer_[pos_++]);
        ++matched;
      }
      // A partial BOM is data: keep the bytes as the start of the first field.
      if (matched < 3) record.text_ = consumed;
    }
  }

  // Skip empty lines (each is still a row) and the LF of a previous CRLF.
  if (record.text_.empty()) {
    for (;;) {
      if (pos_ == len_ && !refill()) return Status::end;
      const char c = buffer_[pos_];
      if (c == '\n' && after_cr_) {
        after_cr_ = false;
        ++pos_;
        continue;
      }
      after_cr_ = false;
      if (c == '\n' || c == '\r') {
        ++row_;
        ++pos_;
        after_cr_ = c == '\r';
        continue;
      }
      break;
    }
  }

  ++row_;
  record.row_ = row_;
  record.data_ = nullptr;
  if (record.text_.empty() && scan_in_buffer(record)) return Status::record;
  const char delimiter = options_.delimiter;
  std::string& text = record.text_;
  auto end_field = [&] { record.add_end(static_cast<std::uint32_t>(text.size())); };

  enum class State { field_start, unquoted, quoted, quote_in_quoted };
  State state = State::field_start;

  for (;;) {
    if (pos_ == len_ && !refill()) {
      // End of file ends the record, except inside an open quote.
      if (state == State::quoted) {
        error.row = record.row_;
        error.column = static_cast<int>(record.count_) + 1;
        error.message = "unterminated quoted field: the quote opened on row " +
                        std::to_string(record.row_) + " is never closed";
        return Status::error;
      }
      end_field();
      return Status::record;
    }
    switch (state) {
      case State::field_start:
        if (buffer_[pos_] == '"') {
          ++pos_;
          saw_quote_ = true;
          state = State::quoted;
        } else {
          state = State::unquoted;
        }
        break;
      case State::unquoted: {
        // Copy the run up to the next delimiter or line end in one go. A quote
        // inside an unquoted field is kept as a literal character.
        const std::size_t start = pos_;
        while (pos_ < len_ && !special_[static_cast<unsigned char>(buffer_[pos_])]) ++pos_;
        text.append(buffer_.get() + start, pos_ - start);
        if (pos_ == len_) break;
        const char c = buffer_[pos_++];
        if (c == '"') {
          saw_quote_ = true;
          text.push_back(c);
          break;
        }
        end_field();
        if (c == delimiter) {
          state = State::field_start;
          break;
        }
        after_cr_ = c == '\r';
        return Status::record;
      }
      case State::quoted: {
        const char* begin = buffer_.get() + pos_;
        const auto* quote = static_cast<const char*>(std::memchr(begin, '"', len_ - pos_));
        const std::size_t run = quote ? static_cast<std::size_t>(quote - begin) : len_ - pos_;
        text.append(begin, run);
        pos_ += run;
        if (quote) {
          ++pos_;
          state = State::quote_in_quoted;
        }
        break;
      }
      case State::quote_in_quoted: {
        const char c = buffer_[pos_];
        if (c == '"') {
          text.push_back('"');
          ++pos_;
          state = State::quoted;
        } else if (c == delimiter) {
          ++pos_;
          end_field();
          state = State::field_start;
        } else if (c == '\n' || c == '\r') {
          ++pos_;
          end_field();
          after_cr_ = c == '\r';
          return Status::record;
        } else {
          error.row = record.row_;
          error.column = static_cast<int>(record.count_) + 1;
          std::string shown(1, c);
          if (static_cast<unsigned char>(c) < 0x20)
            shown = "a control character";
          else
            shown = "'" + shown + "'";
          error.message = "unexpected " + shown +
                          " after the closing quote of a quoted field (a quote inside a quoted "
                          "field must be doubled: \"\")";
          skip_rest_of_line();
          return Status::error;
        }
        break;
      }
    }
  }
}

}  // namespace tally
