#include "io/value_parser.hpp"

#include <limits>

namespace tally {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// digits[.digits] with at most 18 digits in all: exact in an int64 without
// going through the general parser. Nullopt sends the caller to the slow path.
std::optional<Decimal> parse_small_unsigned(std::string_view s) {
  std::int64_t coefficient = 0;
  int digits = 0;
  int scale = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
    if (digits == 18) return std::nullopt;
    coefficient = coefficient * 10 + (s[i] - '0');
  }
  const bool has_integer_part = digits > 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i == s.size()) return std::nullopt;
    for (; i < s.size() && is_digit(s[i]); ++i, ++digits, ++scale) {
      if (digits == 18) return std::nullopt;
      coefficient = coefficient * 10 + (s[i] - '0');
    }
    if (scale == 0) return std::nullopt;
  } else if (!has_integer_part) {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return Decimal::from_units(coefficient, scale);
}

std::optional<Decimal> parse_unsigned_plain(std::string_view s) {
  if (s.empty() || !(is_digit(s[0]) || s[0] == '.')) return std::nullopt;
  if (auto small = parse_small_unsigned(s)) return small;
  // Long coefficients and exponent notation (JSON's 1e3).
  return Decimal::parse(s);
}

// Digits with thousands separators between groups of three and `point` as the
// decimal mark, rewritten into plain notation.
std::optional<Decimal> parse_unsigned_formatted(std::string_view s, const NumberFormat& format) {
  std::string plain;
  plain.reserve(s.size());
  std::size_t i = 0;
  int run = 0;  // digits since the start or the last separator
  bool grouped = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      plain.push_back(c);
      ++run;
    } else if (format.group != 0 && c == format.group) {
      if (run == 0 || (grouped && run != 3) || (!grouped && run > 3)) return std::nullopt;
      grouped = true;
      run = 0;
    } else {
      break;
    }
  }
  if (grouped && run != 3) return std::nullopt;
  if (i < s.size() && s[i] == format.point) {
    plain.push_back('.');
    for (++i; i < s.size() && is_digit(s[i]); ++i) plain.push_back(s[i]);
  }
  if (i != s.size()) return std::nullopt;
  return parse_unsigned_plain(plain);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return !suffix.empty() && s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// An option that does not fit its field: reported once, before any row.
Error option_error(std::string message) {
  Error error;
  error.message = std::move(message);
  return error;
}

std::string period_example(const Calendar& calendar) {
  const Period example{2026, 1, calendar.grain};
  return period_label(example, calendar);
}

}  // namespace

std::optional<bool> parse_bool(std::string_view text) {
  for (std::string_view yes : {"true", "yes", "1"}) {
    if (equals_ignoring_case(text, yes)) return true;
  }
  for (std::string_view no : {"false", "no", "0"}) {
    if (equals_ignoring_case(text, no)) return false;
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  if (i == text.size() || !is_digit(text[i])) return std::nullopt;
  // Up to 18 digits cannot overflow: no checks (ids, counts).
  std::size_t end = i;
  while (end < text.size() && is_digit(text[end])) ++end;
  if (end == text.size() && end - i <= 18) {
    std::int64_t value = 0;
    for (; i < end; ++i) value = value * 10 + (text[i] - '0');
    return negative ? -value : value;
  }
  // Accumulate negatively so that INT64_MIN parses too.
  std::int64_t value = 0;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (; i < text.size() && is_digit(text[i]); ++i) {
    const int digit = text[i] - '0';
    if (value < (kMin + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (i == text.size()) return std::nullopt;
    for (; i < text.size(); ++i) {
      if (text[i] != '0') return std::nullopt;
    }
  }
  if (i != text.size()) return std::nullopt;
  if (negative) return value;
  if (value == kMin) return std::nullopt;
  return -value;
}

std::optional<NumberFormat> NumberFormat::from_pattern(std::string_view pattern) {
  const std::size_t first = pattern.find_first_of("#0");
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t last = pattern.find_last_of("#0");
  NumberFormat format;
  format.prefix = std::string(trim_spaces(pattern.substr(0, first)));
  format.suffix = std::string(trim_spaces(pattern.substr(last + 1)));
  // A percent sign belongs to the percent type, not to the format's symbols.
  if (format.suffix == "%") format.suffix.clear();
  if (format.prefix.find_first_of("0123456789#") != std::string::npos) return std::nullopt;

  const std::string_view body = pattern.substr(first, last - first + 1);
  std::vector<std::size_t> separators;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '#' || c == '0') continue;
    if (c != ',' && c != '.' && c != ' ' && c != '\'') return std::nullopt;
    separators.push_back(i);
  }
  if (separators.empty()) {
    format.point = '.';
    return format;
  }
  const char last_separator = body[separators.back()];
  bool last_is_group = false;
  if (separators.size() == 1) {
    const std::size_t at = separators.back();
    last_is_group = body.size() - at - 1 == 3 && body[0] == '#';
  } else {
    // "#,##0.00": distinct last separator is the point; "#,###,##0": all groups.
    last_is_group = body[separators[separators.size() - 2]] == last_separator;
  }
  if (last_is_group) {
    format.group = last_separator;
    format.point = last_separator == '.' ? ',' : '.';
  } else {
    format.point = last_separator;
    if (separators.size() > 1) format.group = body[separators.front()];
    if (format.group == format.point) return std::nullopt;
    for (std::size_t k = 0; k + 1 < separators.size(); ++k) {
      if (body[separators[k]] != format.group) return std::nullopt;
    }
  }
  if (format.point == ' ' || format.point == '\'') return std::nullopt;
  return format;
}

std::optional<DateFormat> DateFormat::from_pattern(std::string_view pattern) {
  DateFormat format;
  format.pattern_ = std::string(pattern);
  int years = 0, months = 0, days = 0;
  std::size_t i = 0;
  auto take = [&](std::string_view token) {
    if (pattern.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  while (i < pattern.size()) {
    if (take("YYYY")) {
      format.parts_.push_back(Part::year4), ++years;
    } else if (take("YY")) {
      format.parts_.push_back(Part::year2), ++years;
    } else if (take("MM")) {
      format.parts_.push_back(Part::month2), ++months;
    } else if (take("M")) {
      format.parts_.push_back(Part::month), ++months;
    } else if (take("DD")) {
      format.parts_.push_back(Part::day2), ++days;
    } else if (take("D")) {
      format.parts_.push_back(Part::day), ++days;
    } else {
      format.parts_.push_back(Part::literal);
      format.literals_.push_back(pattern[i++]);
    }
  }
  if (years != 1 || months != 1 || days != 1) return std::nullopt;
  return format;
}

std::optional<Date> DateFormat::parse(std::string_view text) const {
  int year = 0, month = 0, day = 0;
  std::size_t i = 0;
  std::size_t literal = 0;
  // Reads between `min` and `max` digits.
  auto number = [&](int min, int max, int& out) {
    int count = 0;
    out = 0;
    while (count < max && i < text.size() && is_digit(text[i])) {
      out = out * 10 + (text[i++] - '0');
      ++count;
    }
    return count >= min;
  };
  for (Part part : parts_) {
    bool ok = true;
    switch (part) {
      case Part::literal:
        ok = i < text.size() && text[i] == literals_[literal];
        ++i;
        ++literal;
        break;
      case Part::year4:
        ok = number(4, 4, year);
        break;
      case Part::year2:
        ok = number(2, 2, year);
        year += year < 69 ? 2000 : 1900;
        break;
      case Part::month:
        ok = number(1, 2, month);
        break;
      case Part::month2:
        ok = number(2, 2, month);
        break;
      case Part::day:
        ok = number(1, 2, day);
        break;
      case Part::day2:
        ok = number(2, 2, day);
        break;
    }
    if (!ok) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return make_date(year, month, day);
}

Result<ValueParser> ValueParser::make(const FieldSpec& field, const Calendar& calendar) {
  ValueParser parser;
  parser.field_ = &field;
  parser.calendar_ = calendar;
  const Kind kind = field.type.kind;
  const std::string prefix = "field \"" + field.name + "\": ";
  if (!field.format.empty()) {
    if (kind == Kind::date) {
      auto format = DateFormat::from_pattern(field.format);
      if (!format) {
        return option_error(prefix + "date format \"" + field.format +
                            "\" is not valid: it needs one year (YYYY or YY), one month (M or MM) "
                            "and one day (D or DD)");
      }
      parser.date_format_ = std::move(*format);
    } else if (field.type.is_numeric()) {
      auto format = NumberFormat::from_pattern(field.format);
      if (!format) {
        return option_error(prefix + "number format \"" + field.format +
                            "\" is not valid: write it like \"$#,##0.00\" or \"#.##0,00\"");
      }
      parser.number_format_ = std::move(*format);
    } else {
      return option_error(prefix + "a format applies to dates and numbers, not to " +
                          type_name(field.type));
    }
  } else if (kind == Kind::date) {
    parser.date_format_ = *DateFormat::from_pattern("YYYY-MM-DD");
  }
  if (kind == Kind::list) {
    if (!field.type.element || field.type.element->kind != Kind::text) {
      return option_error(prefix + "only lists of text can be loaded, not " +
                          type_name(field.type));
    }
    parser.separator_ = field.separator.empty() ? "|" : field.separator;
  } else if (!field.separator.empty()) {
    return option_error(prefix + "a separator applies to list fields, not to " +
                        type_name(field.type));
  }
  return parser;
}

std::optional<Decimal> ValueParser::parse_decimal(std::string_view text) const {
  const NumberFormat& format = number_format_;
  const bool percent = field_->type.kind == Kind::percent;
  std::string_view s = text;
  bool negative = false;
  bool signed_ = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {  // accounting negative
    negative = signed_ = true;
    s = trim_spaces(s.substr(1, s.size() - 2));
  }
  auto take_sign = [&] {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      if (signed_) return false;
      negative = s[0] == '-';
      signed_ = true;
      s.remove_prefix(1);
    }
    return true;
  };
  if (!take_sign()) return std::nullopt;
  if (starts_with(s, format.prefix)) {
    s = trim_spaces(s.substr(format.prefix.size()));
    if (!take_sign()) return std::nullopt;  // "$-99"
  }
  bool percent_sign = false;
  if (percent && !s.empty() && s.back() == '%') {
    percent_sign = true;
    s = trim_spaces(s.substr(0, s.size() - 1));
  }
  if (ends_with(s, format.suffix)) s = trim_spaces(s.substr(0, s.size() - format.suffix.size()));
  if (percent && !percent_sign && !s.empty() && s.back() == '%') {  // "12 €%" is no number
    return std::nullopt;
  }

  std::optional<Decimal> value =
      format.plain() ? parse_unsigned_plain(s) : parse_unsigned_formatted(s, format);
  if (!value) return std::nullopt;
  // 20% is the fraction 0.20: shifting the scale keeps it exact.
  if (percent_sign) value = *value * Decimal::from_units(1, 2);
  if (negative) {
    // Keep the sign of a negative zero ("-0.00"), as the general parser does.
    if (value->is_zero()) {
      std::string zero = value->to_string();
      zero.insert(zero.begin(), '-');
      value = Decimal::parse(zero);
    } else {
      value = -*value;
    }
  }
  return value;
}

std::optional<Period> ValueParser::parse_period(std::string_view text) const {
  return tally::parse_period(text, calendar_);
}

void ValueParser::split_list(std::string_view text, std::vector<std::string_view>& items) const {
  items.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(separator_, start);
    std::string_view item = text.substr(start, at == std::string_view::npos ? at : at - start);
    if (field_->trim) item = trim_spaces(item);
    if (!item.empty()) items.push_back(item);
    if (at == std::string_view::npos) return;
    start = at + separator_.size();
  }
}

std::string ValueParser::expectation() const {
  const std::string& pattern = field_->format;
  const bool formatted = !pattern.empty();
  switch (field_->type.kind) {
    case Kind::boolean:
      return "true or false (or yes/no, 1/0)";
    case Kind::integer:
      return formatted ? "an integer in the format " + pattern : "an integer like 42";
    case Kind::decimal:
      return formatted ? "a decimal number in the format " + pattern
                       : "a decimal number like 1234.5";
    case Kind::money:
      return formatted ? "money in the format " + pattern : "money like 1234.50";
    case Kind::percent:
      return formatted ? "a percent in the format " + pattern : "a percent like 20% or 0.2";
    case Kind::date:
      return "a date in the format " + date_format_.pattern();
    case Kind::period:
      return "a period like " + period_example(calendar_);
    default:
      return "text";
  }
}

std::string ValueParser::hint_for(std::string_view text) const {
  const Kind kind = field_->type.kind;
  if (field_->type.is_numeric() && field_->format.empty() &&
      text.find_first_of("$€£,") != std::string_view::npos) {
    return "to read formatted amounts, give the column a format, e.g. format \"$#,##0.00\"";
  }
  if (kind == Kind::date && field_->format.empty() && text.find('/') != std::string_view::npos) {
    return "to read other date layouts, give the column a format, e.g. format \"M/D/YYYY\"";
  }
  return {};
}

}  // namespace tally
