// Text → typed value, per the field's type and column options. The same
// parser serves CSV fields and JSON scalars (JSON numbers arrive as their
// original text, so decimals stay exact).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/result.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// How numbers are written, from a pattern such as "$#,##0.00" or
/// "#.##0,00 €": any text before the first digit placeholder (# or 0) is a
/// prefix, any after the last one a suffix, and of the separators between
/// them the last is the decimal mark and the other the thousands separator.
/// A single separator followed by exactly three placeholders after a `#`
/// ("#,##0", "#.##0") is a thousands separator. The number of decimals in the
/// pattern is illustrative, not enforced: "$#,##0.00" reads "$42" too.
struct NumberFormat {
  std::string prefix;  ///< e.g. "$"; optional in the data
  std::string suffix;  ///< e.g. " €"; optional in the data
  char group = 0;      ///< thousands separator, 0 for none
  char point = '.';    ///< decimal mark
  bool plain() const { return prefix.empty() && suffix.empty() && group == 0 && point == '.'; }

  static std::optional<NumberFormat> from_pattern(std::string_view pattern);
};

/// A date pattern of YYYY, YY, MM, M, DD, D and literal characters. M and D
/// take one or two digits, MM and DD exactly two; YY is 2000-2068 for 00-68
/// and 1969-1999 for 69-99 (as POSIX strptime does).
class DateFormat {
 public:
  static std::optional<DateFormat> from_pattern(std::string_view pattern);
  std::optional<Date> parse(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  enum class Part : std::uint8_t { literal, year4, year2, month, month2, day, day2 };
  std::vector<Part> parts_;
  std::string literals_;  // one character per literal part, in order
  std::string pattern_;
};

/// `text` without leading and trailing spaces and tabs.
inline std::string_view trim_spaces(std::string_view text) {  // inline: once per loaded cell
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return text.substr(begin, end - begin);
}

/// true/false, yes/no, 1/0, case-insensitive.
std::optional<bool> parse_bool(std::string_view text);
/// An integer; a zero fraction (`21000.0`) is accepted, any other is not.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// Parses the values of one field. Built once per field; parsing does not
/// allocate for values that fit 64 bits.
class ValueParser {
 public:
  /// Errors when an option does not fit the type (a bad date or number
  /// pattern, a separator on a non-list field).
  static Result<ValueParser> make(const FieldSpec& field, const Calendar& calendar);

  const FieldSpec& field() const { return *field_; }
  std::optional<Decimal> parse_decimal(std::string_view text) const;
  std::optional<Date> parse_date(std::string_view text) const { return date_format_.parse(text); }
  std::optional<Period> parse_period(std::string_view text) const;
  /// The list items of `text` (split on the separator; empty items dropped).
  void split_list(std::string_view text, std::vector<std::string_view>& items) const;

  /// What a value of this field looks like, for messages: "money like
  /// 1234.50", "a date in the format M/D/YYYY".
  std::string expectation() const;
  /// A suggestion for a value that failed to parse, or empty.
  std::string hint_for(std::string_view text) const;

 private:
  const FieldSpec* field_ = nullptr;
  Calendar calendar_;
  NumberFormat number_format_;
  DateFormat date_format_;
  std::string separator_;
};

}  // namespace tally
