// Appends parsed values to the typed columns of a Table, one row at a time:
// null handling (empty fields, sentinel tokens), required values, key
// uniqueness, UTF-8 checks on text. Shared by the CSV and JSON readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/intern_cache.hpp"
#include "io/short_text_cache.hpp"
#include "io/source_schema.hpp"
#include "io/value_parser.hpp"

namespace tally {

/// Why a value was rejected; messages start with `column "<label>": `.
struct ValueProblem {
  std::string message;
  std::string hint;
  std::string found;     ///< the text of the value ("" for a missing one)
  std::string expected;  ///< what the field takes
};

/// Thrown by TableBuilder when its guard says stop (LoadOptions::keep_going:
/// the run was cancelled, or passed a limit). It unwinds the reader to
/// load_table, or to a worker of a file read in parts, which turn it into an
/// error; it never leaves the io layer.
struct LoadStopped {};

/// The bytes a table's columns hold (capacity, not size: what is allocated).
std::size_t table_bytes(const Table& table);

class TableBuilder {
 public:
  /// One parser per field; errors (without a row) when a field's options do
  /// not fit its type. `check_utf8` validates text values (off when the
  /// reader transcodes from Windows-1252, which always yields valid UTF-8).
  static Result<TableBuilder> make(const SourceSchema& schema, std::string path,
                                   SymbolTable& symbols, const Calendar& calendar, bool check_utf8);

  std::size_t field_count() const { return parsers_.size(); }
  const FieldSpec& field(std::size_t i) const { return parsers_[i].field(); }
  /// The name messages use for field `i`: the file's column name once known
  /// (a header's spelling, a JSON key), else the field name.
  void set_label(std::size_t i, std::string label) { labels_[i] = std::move(label); }
  const std::string& label(std::size_t i) const { return labels_[i]; }

  /// Appends field `i`'s value for the current row from its UTF-8 text.
  /// Returns false and fills `problem` when the value is bad; a placeholder
  /// is appended anyway so that columns stay aligned.
  bool append(std::size_t i, std::string_view text, ValueProblem& problem);
  /// Appends a null given as such (an empty field, a null token, JSON null);
  /// `found` describes it for the message when the field is required.
  bool append_null(std::size_t i, ValueProblem& problem, std::string_view found);
  /// Appends a null for a value the row does not have at all (a JSON key that
  /// is absent, a column the file lacks); an error when the field is required.
  bool append_absent(std::size_t i, ValueProblem& problem, std::string_view why);
  /// Starts a row; `file_row` is the row number users see (for messages
  /// and Table::file_rows).
  void begin_row(std::uint32_t file_row) { file_row_ = file_row; }
  /// Closes the current row: every field must have had one append.
  void end_row();
  /// Leaves the row just closed out of the finished table (a bad row
  /// skipped under --lenient); its values stay in the columns until finish.
  void drop_last_row() { dropped_.push_back(static_cast<std::uint32_t>(table_.rows - 1)); }
  std::size_t rows() const { return table_.rows; }
  /// Room for `rows` rows in every column (an estimate; more may come).
  void reserve(std::size_t rows);
  /// What file rows are called in messages: "rows" (CSV), "lines" (JSON).
  void set_row_word(std::string word) { row_word_ = std::move(word); }

  /// The table, without the rows dropped by drop_last_row.
  Table finish();

  /// Asks `guard` (which must outlive the builder) every 65,536 rows, and
  /// before reserve() allocates, whether to go on, telling it how many bytes
  /// the columns grew by since it was last asked; when it answers false,
  /// end_row or reserve throws LoadStopped.
  void set_guard(const std::function<bool(std::uint64_t more_bytes)>* guard) { guard_ = guard; }

 private:
  void ask_guard(std::size_t bytes_then);
  TableBuilder() = default;
  void push_placeholder(Column& column);
  void mark_valid(Column& column);
  bool check_key(std::size_t i, std::string_view text, ValueProblem& problem);
  bool reject(std::size_t i, std::string_view text, ValueProblem& problem);

  Table table_;
  SymbolTable* symbols_ = nullptr;
  bool check_utf8_ = true;
  std::uint32_t file_row_ = 0;
  std::string row_word_ = "rows";
  std::vector<ValueParser> parsers_;
  std::vector<std::string> labels_;
  std::vector<InternCache> intern_caches_;         // one per field, used by text fields
  std::vector<ShortTextCache<Date>> date_caches_;  // one per field, used by date fields
  std::vector<std::string_view> items_;            // reused by list fields
  std::string scratch_;
  std::vector<std::uint32_t> dropped_;  // rows to leave out, ascending
  // Key fields: first row index of every value seen (decimals by value, the
  // other kinds by a 64-bit image of the value).
  std::vector<std::unordered_map<std::int64_t, std::uint32_t>> seen_;
  // Key fields whose values have risen so far need no map (check_key).
  struct RisingKeys {
    bool rising = true;
    bool any = false;  // a valid key was seen
    std::int64_t last = 0;
  };
  std::vector<RisingKeys> rising_;
  std::vector<std::unordered_map<Decimal, std::uint32_t>> seen_decimals_;
  const std::function<bool(std::uint64_t)>* guard_ = nullptr;
  std::size_t reported_bytes_ = 0;  // told to the guard so far
};

}  // namespace tally
