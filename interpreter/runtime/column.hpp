// Typed columns: how source data lives in memory. One column per declared
// field, one vector per column, no per-row objects. Decimals are stored as
// 64-bit units at a column-wide scale (12345.67 at scale 2 is 1234567) and
// fall back to full Decimal values only when a value does not fit; text is
// interned to symbol ids; dates are day numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "interpreter/runtime/types.hpp"

namespace tally {

/// Decimal values (decimal, money, percent) of one column.
/// 10^n for the scales 64-bit units can take (0 to 18).
inline constexpr std::int64_t kPowersOfTen[] = {1,
                                                10,
                                                100,
                                                1'000,
                                                10'000,
                                                100'000,
                                                1'000'000,
                                                10'000'000,
                                                100'000'000,
                                                1'000'000'000,
                                                10'000'000'000,
                                                100'000'000'000,
                                                1'000'000'000'000,
                                                10'000'000'000'000,
                                                100'000'000'000'000,
                                                1'000'000'000'000'000,
                                                10'000'000'000'000'000,
                                                100'000'000'000'000'000,
                                                1'000'000'000'000'000'000};

class DecimalColumn {
 public:
  /// Appends a value. When its scale exceeds the column's, existing units are
  /// rescaled; when a value does not fit 64-bit units, the column switches to
  /// `wide` storage for good. Either way no value is ever altered.
  void push(const Decimal& value) {
    // The common case inline: a 64-bit value at the column's scale.
    if (!wide_mode_ && value.scale() == scale_ && value.is_small() &&
        (value.small_coefficient() != 0 || !value.is_negative())) {
      units_.push_back(value.small_coefficient());
      return;
    }
    push_other(value);
  }
  void push_zero() { push(Decimal{}); }  // placeholder under a null
  /// Empties the column, keeping its memory for the values to come.
  void clear() {
    units_.clear();
    wide_.clear();
    scale_ = 0;
    wide_mode_ = false;
  }
  /// Appends every value of `other`, in order.
  void append(const DecimalColumn& other);
  /// Keeps the rows whose flag in `keep` is nonzero, in order.
  void retain(const std::vector<std::uint8_t>& keep);
  Decimal at(std::size_t row) const {
    return wide_mode_ ? wide_[row] : Decimal::from_units(units_[row], scale_);
  }
  std::size_t size() const { return wide_mode_ ? wide_.size() : units_.size(); }

  bool is_wide() const { return wide_mode_; }
  int scale() const { return scale_; }
  /// Units at scale(); valid only when !is_wide().
  const std::vector<std::int64_t>& units() const { return units_; }
  const std::vector<Decimal>& wide() const { return wide_; }
  void reserve(std::size_t n);

 private:
  void push_other(const Decimal& value);
  void switch_to_wide();

  int scale_ = 0;
  bool wide_mode_ = false;
  std::vector<std::int64_t> units_;
  std::vector<Decimal> wide_;
};

/// A list-valued column (`list<text> sep "|"`): items of row r are
/// items[offsets[r] .. offsets[r+1]).
struct ListColumn {
  std::vector<std::uint32_t> offsets{0};
  std::vector<SymbolId> items;
};

/// One typed column. Only the vector that matches `type.kind` is used:
///   boolean            -> bools (0/1)
///   integer            -> ints
///   decimal/money/percent -> decimals
///   date               -> dates (day numbers)
///   period             -> periods
///   text/payee/territory -> symbols (ids in the load's SymbolTable)
///   list               -> list (elements are text)
struct Column {
  std::string name;  ///< the field name in the plan
  Type type;
  std::vector<std::uint8_t> valid;  ///< empty when no value is null; else 1 = present

  std::vector<std::uint8_t> bools;
  std::vector<std::int64_t> ints;
  DecimalColumn decimals;
  std::vector<Date> dates;
  std::vector<Period> periods;
  std::vector<SymbolId> symbols;
  ListColumn list;

  bool is_null(std::size_t row) const { return !valid.empty() && valid[row] == 0; }
  /// Appends a placeholder value (zero, empty) to the vector of the column's
  /// type, so that row r of every vector stays row r of the table under a
  /// null; the caller marks the row in `valid`.
  void push_placeholder();
  std::size_t size() const;
};

/// A loaded source: columns of equal length plus, for each row, the row
/// number the user sees in the file (spreadsheet numbering: header = 1), so
/// that later stages can name the row in their errors.
struct Table {
  std::string name;  ///< the source name in the plan
  std::string path;  ///< the file it came from, as the user gave it
  std::size_t rows = 0;
  std::vector<Column> columns;
  /// Empty when row r is on file row r + 2 for every r (a header line, then
  /// a record per line): a large file needs no list. Read it with file_row.
  std::vector<std::uint32_t> file_rows;

  std::uint32_t file_row(std::size_t row) const {
    return file_rows.empty() ? static_cast<std::uint32_t>(row + 2) : file_rows[row];
  }
  /// Drops file_rows when it holds nothing file_row cannot work out.
  void compact_file_rows();

  /// Index of the column named `name`, or nullopt.
  std::optional<std::size_t> find(std::string_view name) const;
  const Column& column(std::string_view name) const;  ///< must exist
};

/// The value of row `row` of a boolean, integer, date, period or text-like
/// column as a number that orders as the values do (texts by symbol id:
/// the order in which they were first met). Not for decimals or lists.
std::int64_t ordered_key(const Column& column, std::size_t row);

/// True when no row is null and each value is greater than the one before
/// (decimals compared as decimals), so that no two rows share a value: the
/// usual shape of a key column (ids 1, 2, 3), checked without a hash map.
/// False for lists.
bool values_rise(const Column& column);

}  // namespace tally
