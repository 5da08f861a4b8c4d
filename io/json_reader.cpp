#include "io/json_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/column_mapping.hpp"
#include "io/text_encoding.hpp"

namespace tally {

namespace {

// The file as a stream of bytes for the parser, read in chunks, counting
// lines so that events can be placed in the text.
class ByteSource {
 public:
  ByteSource(std::FILE* file, std::size_t buffer_size)
      : file_(file), buffer_(std::max<std::size_t>(buffer_size, 1)) {}

  bool at_end() {
    if (pos_ < len_) return false;
    if (eof_) return true;
    len_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    pos_ = 0;
    if (len_ == 0) {
      eof_ = true;
      io_failed_ = std::ferror(file_) != 0;
    }
    return len_ == 0;
  }
  char peek() const { return buffer_[pos_]; }
  void advance() {
    const char c = buffer_[pos_++];
    if (c == '\n') {
      ++line_;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      token_line_ = line_;
    }
  }
  /// The line of the last non-blank byte read: the parser reads one byte
  /// past a number, which may be the line break after it.
  int token_line() const { return token_line_; }
  bool io_failed() const { return io_failed_; }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool eof_ = false;
  bool io_failed_ = false;
  int line_ = 1;
  int token_line_ = 1;
};

// An input iterator over a ByteSource, the form nlohmann::json::sax_parse takes.
class ByteIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  ByteIterator() = default;
  explicit ByteIterator(ByteSource* source) : source_(source) {}
  char operator*() const { return source_->peek(); }
  ByteIterator& operator++() {
    source_->advance();
    return *this;
  }
  friend bool operator==(const ByteIterator& a, const ByteIterator& b) {
    return a.done() == b.done();
  }

 private:
  bool done() const { return source_ == nullptr || source_->at_end(); }
  ByteSource* source_ = nullptr;
};

std::string json_kind_with_article(std::string_view kind) {
  return (kind == "array" || kind == "object" ? "an " : "a ") + std::string(kind);
}

// Builds rows from the parser's events: depth 0 is outside the top array,
// 1 inside it, 2 inside a row object; deeper values are skipped (and are an
// error when they sit under a declared field).
class RowHandler {
 public:
  RowHandler(const SourceSchema& schema, ByteSource& source, TableBuilder& builder,
             LoadErrors& errors, std::vector<BadRow>* bad_rows)
      : lookup_(schema),
        bad_rows_(bad_rows),
        source_(source),
        builder_(builder),
        errors_(errors),
        values_(schema.fields.size()),
        states_(schema.fields.size(), State::absent),
        lines_(schema.fields.size(), 0) {}

  bool null() { return scalar(State::null, {}, "null"); }
  bool boolean(bool value) { return scalar(State::value, value ? "true" : "false", "boolean"); }
  bool number_integer(std::int64_t value) {
    return scalar(State::value, std::to_string(value), "number");
  }
  bool number_unsigned(std::uint64_t value) {
    return scalar(State::value, std::to_string(value), "number");
  }
  bool number_float(double, const std::string& text) {
    return scalar(State::value, text, "number");
  }
  bool string(std::string& value) { return scalar(State::value, value, "string"); }
  bool binary(nlohmann::json::binary_t&) { return scalar(State::value, {}, "binary value"); }

  bool start_object(std::size_t) { return open("object"); }
  bool start_array(std::size_t) { return open("array"); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    if (depth_ != 2 || skip_depth_ > 0) return true;  // keys of skipped nested objects
    const auto field = lookup_.find(name);
    current_ = field ? static_cast<int>(*field) : -1;
    if (current_ >= 0 && states_[static_cast<std::size_t>(current_)] != State::absent) {
      errors_.add(source_.token_line(), current_ + 1,
                  "key " + quote_value(name) + " appears twice in the same object");
      current_ = -1;
    }
    if (current_ >= 0) builder_.set_label(static_cast<std::size_t>(current_), name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& error) {
    // nlohmann says "[json.exception.parse_error.101] parse error at line 3,
    // column 5: syntax error while parsing ..."; keep the position as the
    // location and the explanation as the message.
    std::string what = error.what();
    int line = 0, column = 0;
    if (auto at = what.find(" at line "); at != std::string::npos) {
      line = std::atoi(what.c_str() + at + 9);
      if (auto col = what.find(", column ", at); col != std::string::npos) {
        column = std::atoi(what.c_str() + col + 9);
      }
    }
    if (auto colon = what.find(": "); colon != std::string::npos) what.erase(0, colon + 2);
    errors_.add(line, column, "invalid JSON: " + what);
    return false;
  }

  bool saw_array() const { return saw_array_; }

 private:
  enum class State : std::uint8_t { absent, null, value, nested };

  bool scalar(State state, std::string_view text, std::string_view kind) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return top_level_error(kind);
    if (depth_ == 1) {
      ++item_;
      not_an_object(kind);
      return true;
    }
    if (current_ >= 0) {
      const auto f = static_cast<std::size_t>(current_);
      states_[f] = state;
      values_[f].assign(text);
      lines_[f] = source_.token_line();
      current_ = -1;
    }
    return true;
  }

  bool top_level_error(std::string_view kind) {
    errors_.add(
        source_.token_line(), 0,
        "expected a JSON array of objects (one per row), found " + json_kind_with_article(kind));
    return false;
  }

  bool open(std::string_view kind) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (depth_ == 0) {
      if (kind != "array") return top_level_error(kind);
      saw_array_ = true;
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) {
      ++item_;
      if (kind != "object") {
        not_an_object(kind);
        skip_depth_ = 1;
        return true;
      }
      depth_ = 2;
      object_line_ = source_.token_line();
      std::fill(states_.begin(), states_.end(), State::absent);
      current_ = -1;
      return true;
    }
    // A nested value inside a row object.
    if (current_ >= 0) {
      const auto f = static_cast<std::size_t>(current_);
      states_[f] = State::nested;
      values_[f].assign(kind);
      lines_[f] = source_.token_line();
      current_ = -1;
    }
    skip_depth_ = 1;
    return true;
  }

  bool close() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    if (depth_ == 2) {
      finish_row();
      depth_ = 1;
      return true;
    }
    depth_ = 0;
    return true;
  }

  /// An item of the top array that is not an object: an error, or under
  /// --lenient a record left out (it made no row).
  void not_an_object(std::string_view kind) {
    std::string message = "item " + std::to_string(item_) + " of the array is " +
                          json_kind_with_article(kind) + "; expected an object (one per row)";
    if (bad_rows_) {
      bad_rows_->push_back(BadRow{source_.token_line(), 0, "", std::string(kind), "an object",
                                  std::move(message), ""});
      return;
    }
    errors_.add(source_.token_line(), 0, std::move(message));
  }

  void finish_row() {
    builder_.begin_row(static_cast<std::uint32_t>(object_line_));
    bool bad = false;
    for (std::size_t f = 0; f < states_.size(); ++f) {
      bool ok = true;
      switch (states_[f]) {
        case State::absent:
          ok = builder_.append_absent(
              f, problem_, "the object has no key " + quote_value(column_name(builder_.field(f))));
          break;
        case State::null:
          ok = builder_.append_null(f, problem_, "null");
          break;
        case State::value:
          ok = builder_.append(f, values_[f], problem_);
          break;
        case State::nested:
          // A placeholder keeps the columns aligned; the error is ours, not the null's.
          builder_.append_null(f, problem_, "");
          problem_.message = "column \"" + builder_.label(f) +
                             "\": expected a single value, found " +
                             json_kind_with_article(values_[f]);
          problem_.hint.clear();
          problem_.found = values_[f];
          problem_.expected = "a single value";
          ok = false;
          break;
      }
      if (!ok && bad_rows_) {
        // --lenient: the record is left out, named by the line of its `{`
        // (the row the rest of the run names it by); the message keeps the
        // value's own line when it is elsewhere.
        bad = true;
        std::string message = std::move(problem_.message);
        if (states_[f] != State::absent && lines_[f] != object_line_)
          message += " (line " + std::to_string(lines_[f]) + ")";
        bad_rows_->push_back(BadRow{object_line_, 0, builder_.label(f), std::move(problem_.found),
                                    std::move(problem_.expected), std::move(message),
                                    std::move(problem_.hint)});
      } else if (!ok) {
        const int line = states_[f] == State::absent ? object_line_ : lines_[f];
        errors_.add(line, static_cast<int>(f) + 1, std::move(problem_.message),
                    std::move(problem_.hint));
      }
    }
    builder_.end_row();
    if (bad) builder_.drop_last_row();
  }

  FieldLookup lookup_;
  std::vector<BadRow>* bad_rows_;  // --lenient: records left out, else null
  ByteSource& source_;
  TableBuilder& builder_;
  LoadErrors& errors_;
  std::vector<std::string> values_;  // per field: the value text of the current object
  std::vector<State> states_;
  std::vector<int> lines_;
  ValueProblem problem_;
  int depth_ = 0;
  int skip_depth_ = 0;
  int current_ = -1;  // field of the key just read, -1 when undeclared
  int item_ = 0;
  int object_line_ = 0;
  bool saw_array_ = false;
};

}  // namespace

void load_json(std::FILE* file, const SourceSchema& schema, const LoadOptions& options,
               TableBuilder& builder, LoadErrors& errors) {
  ByteSource source(file, options.read_buffer_size);
  RowHandler handler(schema, source, builder, errors, options.bad_rows);
  builder.set_row_word("lines");
  nlohmann::json::sax_parse(ByteIterator(&source), ByteIterator(), &handler);
  if (source.io_failed()) errors.add(0, 0, "cannot read the file: an I/O error occurred");
}

}  // namespace tally
