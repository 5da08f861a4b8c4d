// Appends parsed values to the typed columns of a Table, one row at a time:
// null handling (empty fields, sentinel tokens), required values, key
// uniqueness, UTF-8 checks on text. Shared by the CSV and JSON readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/field_appenders.hpp"
#include "io/intern_cache.hpp"
#include "io/short_text_cache.hpp"
#include "io/source_schema.hpp"
#include "io/text_encoding.hpp"
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
  bool append(std::size_t i, std::string_view text, ValueProblem& problem) {
    // The field's fast path (io/field_appenders.hpp) takes the plain values;
    // the general path parses any other and words the messages.
    return append_fast(i, text) || append_general(i, text, problem);
  }
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
  void end_row() {
    if (!implicit_file_rows_ || file_row_ != table_.rows + 2 || !table_.file_rows.empty())
      push_file_row();
    ++table_.rows;
    if (guard_ && table_.rows % 65'536 == 0) [[unlikely]]
      ask_guard(table_bytes(table_));
  }
  /// Keeps Table::file_rows empty for as long as row r is on file row r + 2
  /// (a header, then a record per line), which Table::file_row reads the
  /// same; for a caller that reads only the finished table (a whole file
  /// loaded at once), not one that joins the file_rows of several builders.
  void use_implicit_file_rows() { implicit_file_rows_ = true; }
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
  void push_file_row();
  void mark_valid(Column& column) {
    if (!column.valid.empty()) column.valid.push_back(1);
  }
  /// Appends `text` when field i's fast path takes it: true; false when it
  /// leaves the value, untouched, to append_general.
  bool append_fast(std::size_t i, std::string_view text);
  bool append_general(std::size_t i, std::string_view text, ValueProblem& problem);
  bool check_key(std::size_t i, std::string_view text, ValueProblem& problem);
  bool reject(std::size_t i, std::string_view text, ValueProblem& problem);

  Table table_;
  SymbolTable* symbols_ = nullptr;
  bool check_utf8_ = true;
  std::uint32_t file_row_ = 0;
  bool implicit_file_rows_ = false;
  std::string row_word_ = "rows";
  std::vector<ValueParser> parsers_;
  std::vector<std::string> labels_;
  std::vector<InternCache> intern_caches_;                // one per field, used by text fields
  std::vector<ShortTextCache<Date>> date_caches_;         // one per field, used by date fields
  std::vector<FastPath> fast_paths_;                      // one per field
  std::vector<std::unique_ptr<IsoDateCache>> iso_dates_;  // for the fields of FastPath::iso_date
  std::vector<std::string_view> items_;                   // reused by list fields
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

[[gnu::always_inline]] inline bool TableBuilder::append_fast(std::size_t i, std::string_view text) {
  Column& column = table_.columns[i];
  switch (fast_paths_[i]) {
    case FastPath::none:
      return false;
    case FastPath::integer: {
      std::int64_t value = 0;
      if (!parse_plain_digits(text, value)) return false;
      column.ints.push_back(value);
      break;
    }
    case FastPath::integer_key: {
      std::int64_t value = 0;
      if (!parse_plain_digits(text, value)) return false;
      // A key that rises is new (check_key); any other goes the long way.
      RisingKeys& rising = rising_[i];
      if (!rising.rising || (rising.any && value <= rising.last)) return false;
      rising.any = true;
      rising.last = value;
      column.ints.push_back(value);
      break;
    }
    case FastPath::plain_decimal: {
      std::int64_t units = 0;
      int scale = 0;
      if (!parse_plain_units(text, units, scale)) return false;
      column.decimals.push(Decimal::from_units(units, scale));
      break;
    }
    case FastPath::iso_date: {
      std::uint32_t ymd = 0;
      if (!split_iso_date(text, ymd)) return false;
      Date date;
      if (!iso_dates_[i]->date(ymd, date)) return false;
      column.dates.push_back(date);
      break;
    }
    case FastPath::text: {
      // Without spaces at either end, the text is its own trimmed value; a
      // non-ASCII one needs the UTF-8 check of the general path.
      if (text.empty()) return false;
      const char first = text.front();
      const char last = text.back();
      if (first == ' ' || first == '\t' || last == ' ' || last == '\t') return false;
      SymbolId id;
      if (text.size() <= 8) {
        const std::uint64_t word = InternCache::pack(text);
        if (check_utf8_ && (word & 0x8080808080808080ULL) != 0) return false;
        id = intern_caches_[i].intern_packed(word, text, *symbols_);
      } else {
        if (check_utf8_ && !is_ascii(text)) return false;
        id = intern_caches_[i].intern(text, *symbols_);
      }
      column.symbols.push_back(id);
      break;
    }
  }
  mark_valid(column);
  return true;
}

}  // namespace tally
