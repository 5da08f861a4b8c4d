// An RFC 4180 record splitter that streams a file through a fixed-size
// buffer: memory is one buffer plus the current record, whatever the file
// size. Quoted fields may hold delimiters, doubled quotes ("") and line
// breaks; records end with LF, CRLF or a lone CR, and the last one needs no
// line end. A record may span any number of buffer refills.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tally {

struct CsvOptions {
  char delimiter = ',';
  /// Skip a UTF-8 byte order mark at the start of the file.
  bool skip_bom = true;
  /// Bytes read per refill; tests make it tiny to cross chunk boundaries.
  std::size_t buffer_size = std::size_t{1} << 20;
  /// Read at most this many bytes from the file's position: the reader of
  /// one part of a file split at line ends (io/parallel_csv.cpp).
  std::uint64_t byte_limit = UINT64_MAX;
};

/// One record: its fields and the row a spreadsheet would show it on (the
/// first record is row 1; a record spanning several lines is one row; an
/// empty line is a row that yields no record).
class CsvRecord {
 public:
  std::size_t size() const { return count_; }
  /// Field i; valid until the reader reads the next record.
  std::string_view field(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1] + (data_ ? 1 : 0);
    return std::string_view((data_ ? data_ : text_.data()) + begin, ends_[i] - begin);
  }
  int row() const { return row_; }

 private:
  friend class CsvReader;
  // A record read in place: fields are views of the reader's buffer from
  // data_, each ending at its ends_ offset, separated by one delimiter byte.
  // Otherwise (data_ null) the fields are copied back to back into text_.
  const char* data_ = nullptr;
  std::string text_;  // all fields back to back, reused from record to record
  // ends_[0, count_): the end offset of each field. The vector only grows
  // (the rest is spare room), so that the scanner writes offsets without a
  // size update per field.
  std::vector<std::uint32_t> ends_;
  std::size_t count_ = 0;
  int row_ = 0;

  void add_end(std::uint32_t end) {
    if (count_ == ends_.size()) grow();
    ends_[count_++] = end;
  }
  void grow() { ends_.resize(std::max<std::size_t>(32, 2 * ends_.size())); }
};

/// A malformed record: an unterminated quote or text after a closing quote.
struct CsvSyntaxError {
  int row = 0;     ///< where the offending record starts
  int column = 0;  ///< 1-based field index
  std::string message;
};

class CsvReader {
 public:
  /// Reads from `file`, which the caller owns and keeps open.
  CsvReader(std::FILE* file, const CsvOptions& options);

  enum class Status { record, end, error };
  /// The next record into `record` (its buffers are reused), or `end`, or
  /// `error` with `error` filled. After a syntax error the reader resumes at
  /// the next line, so that later rows can still be checked.
  Status next(CsvRecord& record, CsvSyntaxError& error);
  /// True when reading the file failed (an I/O error, not a syntax error).
  bool io_failed() const { return io_failed_; }
  /// True once any quote character was read, quoted field or not: a file
  /// split at line ends can be parsed in parts only when it has none, since a
  /// quoted field may hold a line break.
  bool saw_quote() const { return saw_quote_; }
  /// Rows consumed so far (records, empty lines and syntax-error lines).
  int rows_consumed() const { return row_; }
  /// Bytes of the file consumed so far.
  std::uint64_t bytes_consumed() const { return bytes_read_ - (len_ - pos_); }

 private:
  bool refill();
  bool scan_in_buffer(CsvRecord& record);
  void skip_rest_of_line();

  std::FILE* file_;
  CsvOptions options_;
  std::size_t buffer_size_;
  std::unique_ptr<char[]> buffer_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool eof_ = false;
  bool io_failed_ = false;
  bool saw_quote_ = false;
  std::uint64_t left_ = 0;  // bytes the byte limit still allows
  std::uint64_t bytes_read_ = 0;
  bool at_file_start_ = true;
  bool after_cr_ = false;  // the previous record ended with CR: a following LF belongs to it
  int row_ = 0;            // rows consumed so far
  bool special_[256] = {};
};

}  // namespace tally
