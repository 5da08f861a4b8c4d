#include "interpreter/runtime/calendar.hpp"

#include <algorithm>

namespace tally {
namespace {

// Division rounding toward negative infinity: day numbers before 1970 and
// month arithmetic going backwards must land in the earlier year, not in the
// one C++'s truncating division would give.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0)) --q;
  return q;
}

constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

constexpr bool leap(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// Days in the months before month m of a common year; index 0 is unused.
constexpr int kDaysBeforeMonth[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

constexpr int month_length(std::int64_t year, int month) {
  constexpr int kLengths[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kLengths[month];
}

// Days from 0001-01-01 to January 1st of `year` in the proleptic Gregorian
// calendar: 365 per year plus one per leap year passed.
constexpr std::int64_t days_before_year(std::int64_t year) {
  const std::int64_t y = year - 1;
  return 365 * y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
}

// 1969 years of 365 days, plus 492 - 19 + 4 leap days.
constexpr std::int64_t kEpoch = days_before_year(1970);
static_assert(kEpoch == 365 * 1969 + 477);

// Any year, no range check: period arithmetic needs years just outside
// 1..9999 (fiscal year 1 starting in year 0) without failing.
constexpr std::int64_t day_number(std::int64_t year, int month, int day) {
  const int leap_day = month > 2 && leap(year) ? 1 : 0;
  return days_before_year(year) + kDaysBeforeMonth[month] + leap_day + day - 1 - kEpoch;
}

// Month counts: a date's month as year * 12 + (month - 1), so that adding
// months is integer addition.
constexpr Date first_day_of_month(std::int64_t month_count) {
  const std::int64_t year = floor_div(month_count, 12);
  const int month = static_cast<int>(floor_mod(month_count, 12)) + 1;
  return Date{static_cast<std::int32_t>(day_number(year, month, 1))};
}

// An out-of-range start month (a bug upstream) is clamped rather than left to
// index arrays out of bounds.
int start_of(const Calendar& calendar) {
  return std::clamp(calendar.start_month, 1, 12);
}

int months_per_period(Grain grain) {
  switch (grain) {
    case Grain::month:
      return 1;
    case Grain::quarter:
      return 3;
    case Grain::half:
      return 6;
    case Grain::year:
      return 12;
  }
  return 3;  // as periods_per_year: an out-of-range grain acts as a quarter
}

// The month count of the first month of fiscal year `year`.
std::int64_t year_start_month_count(int year, int start_month) {
  const std::int64_t calendar_year = start_month == 1 ? year : std::int64_t{year} - 1;
  return calendar_year * 12 + (start_month - 1);
}

std::int64_t period_start_month_count(const Period& period, const Calendar& calendar) {
  return year_start_month_count(period.year, start_of(calendar)) +
         (std::int64_t{period.index} - 1) * months_per_period(period.grain);
}

void append_padded(std::string& out, std::int64_t value, int width) {
  if (value < 0) {
    out += '-';
    value = -value;
  }
  const std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  out += digits;
}

// A cursor over a period label. Bytes are compared as ASCII only, so any
// other byte (UTF-8 included) simply fails to match.
class LabelReader {
 public:
  explicit LabelReader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  bool next_is_digit() const { return !at_end() && is_digit(text_[pos_]); }

  bool eat(char c) {
    if (at_end() || !same_letter(text_[pos_], c)) return false;
    ++pos_;
    return true;
  }

  /// Reads between `min` and `max` digits; nullopt when fewer are there or
  /// more follow (so `20261` is not year 2026 followed by something).
  std::optional<int> digits(int min, int max) {
    int value = 0;
    int count = 0;
    while (next_is_digit() && count < max) {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
      ++count;
    }
    if (count < min || next_is_digit()) return std::nullopt;
    return value;
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool same_letter(char c, char upper) {
    return c == upper || (upper >= 'A' && upper <= 'Z' && c == upper - 'A' + 'a');
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string_view trim_blanks(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

bool valid_year(int year) {
  return year >= 1 && year <= 9999;
}

// The grain and index of a `Q1` / `H2` / `M03` part, or of a bare month
// number when `bare_month_allowed`.
std::optional<Period> read_period_part(LabelReader& reader, bool bare_month_allowed) {
  Period part;
  if (reader.eat('Q')) {
    part.grain = Grain::quarter;
  } else if (reader.eat('H')) {
    part.grain = Grain::half;
  } else if (reader.eat('M') || bare_month_allowed) {
    part.grain = Grain::month;
  } else {
    return std::nullopt;
  }
  const std::optional<int> index = reader.digits(1, 2);
  if (!index || *index < 1 || *index > periods_per_year(part.grain)) return std::nullopt;
  part.index = *index;
  return part;
}

}  // namespace

bool is_leap_year(int year) {
  return leap(year);
}

int days_in_month(int year, int month) {
  if (month < 1 || month > 12) return 0;
  return month_length(year, month);
}

std::optional<Date> make_date(int year, int month, int day) {
  if (!valid_year(year) || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > month_length(year, month)) return std::nullopt;
  return Date{static_cast<std::int32_t>(day_number(year, month, day))};
}

// Peels whole 400-year cycles, then centuries, 4-year groups and years off
// the day count since 0001-01-01. The last century of a cycle and the last
// year of a group are one day longer, hence the clamps to 3.
CivilDate civil_of(Date date) {
  constexpr std::int64_t kCycle = 146097;   // 400 years
  constexpr std::int64_t kCentury = 36524;  // 100 years, the 100th not leap
  constexpr std::int64_t kGroup = 1461;     // 4 years, the 4th leap
  std::int64_t rest = std::int64_t{date.days} + kEpoch;
  const std::int64_t cycles = floor_div(rest, kCycle);
  rest -= cycles * kCycle;
  const std::int64_t centuries = std::min<std::int64_t>(rest / kCentury, 3);
  rest -= centuries * kCentury;
  const std::int64_t groups = rest / kGroup;
  rest -= groups * kGroup;
  const std::int64_t years = std::min<std::int64_t>(rest / 365, 3);
  rest -= years * 365;

  const std::int64_t year = cycles * 400 + centuries * 100 + groups * 4 + years + 1;
  const int day_of_year = static_cast<int>(rest);  // 0-based
  const int leap_day = leap(year) ? 1 : 0;
  const auto before = [&](int month) {
    return kDaysBeforeMonth[month] + (month > 2 ? leap_day : 0);
  };
  // No month is longer than 31 days, so this guess is never past the answer.
  int month = day_of_year / 31 + 1;
  while (month < 12 && day_of_year >= before(month + 1)) ++month;
  return CivilDate{static_cast<int>(year), month, day_of_year - before(month) + 1};
}

std::string format_date(Date date) {
  const CivilDate civil = civil_of(date);
  std::string out;
  out.reserve(10);
  append_padded(out, civil.year, 4);
  out += '-';
  append_padded(out, civil.month, 2);
  out += '-';
  append_padded(out, civil.day, 2);
  return out;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto number = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  return make_date(*year, *month, *day);
}

Date add_months(Date date, int months) {
  const CivilDate civil = civil_of(date);
  const std::int64_t count = std::int64_t{civil.year} * 12 + (civil.month - 1) + months;
  const std::int64_t year = floor_div(count, 12);
  const int month = static_cast<int>(floor_mod(count, 12)) + 1;
  const int day = std::min(civil.day, month_length(year, month));
  return Date{static_cast<std::int32_t>(day_number(year, month, day))};
}

std::string_view grain_name(Grain grain) {
  switch (grain) {
    case Grain::month:
      return "month";
    case Grain::quarter:
      return "quarter";
    case Grain::half:
      return "half";
    case Grain::year:
      return "year";
  }
  return "quarter";
}

std::optional<Grain> parse_grain(std::string_view name) {
  for (Grain grain : {Grain::month, Grain::quarter, Grain::half, Grain::year}) {
    if (grain_name(grain) == name) return grain;
  }
  return std::nullopt;
}

int periods_per_year(Grain grain) {
  switch (grain) {
    case Grain::month:
      return 12;
    case Grain::quarter:
      return 4;
    case Grain::half:
      return 2;
    case Grain::year:
      return 1;
  }
  return 4;
}

int Calendar::year_of(Date date) const {
  const int start = start_of(*this);
  const CivilDate civil = civil_of(date);
  return start == 1 || civil.month < start ? civil.year : civil.year + 1;
}

Date Calendar::year_start(int year) const {
  return first_day_of_month(year_start_month_count(year, start_of(*this)));
}

Period period_of(Date date, const Calendar& calendar) {
  const int start = start_of(calendar);
  const CivilDate civil = civil_of(date);
  const int year = start == 1 || civil.month < start ? civil.year : civil.year + 1;
  const int month_in_year = (civil.month - start + 12) % 12;  // 0 = first month of the year
  return Period{year, month_in_year / months_per_period(calendar.grain) + 1, calendar.grain};
}

Date period_start(const Period& period, const Calendar& calendar) {
  return first_day_of_month(period_start_month_count(period, calendar));
}

Date period_end(const Period& period, const Calendar& calendar) {
  const std::int64_t next =
      period_start_month_count(period, calendar) + months_per_period(period.grain);
  return Date{first_day_of_month(next).days - 1};
}

std::int64_t period_ordinal(const Period& period) {
  return std::int64_t{period.year} * periods_per_year(period.grain) + period.index - 1;
}

Period add_periods(const Period& period, int n) {
  const int per_year = periods_per_year(period.grain);
  const std::int64_t ordinal = period_ordinal(period) + n;
  return Period{static_cast<int>(floor_div(ordinal, per_year)),
                static_cast<int>(floor_mod(ordinal, per_year)) + 1, period.grain};
}

// Counted in months and divided by a's period length, so that a mixed-grain
// call still answers "how many of a's periods from a to b" instead of
// comparing ordinals of different scales.
int periods_between(const Period& a, const Period& b) {
  const auto months = [](const Period& p) {
    return std::int64_t{p.year} * 12 + (std::int64_t{p.index} - 1) * months_per_period(p.grain);
  };
  return static_cast<int>(floor_div(months(b) - months(a), months_per_period(a.grain)));
}

std::string period_label(const Period& period, const Calendar& calendar) {
  std::string out;
  if (calendar.fiscal) out += "FY";
  append_padded(out, period.year, 4);
  switch (period.grain) {
    case Grain::month:
      out += calendar.fiscal ? "-M" : "-";
      append_padded(out, period.index, 2);
      break;
    case Grain::quarter:
      out += "-Q";
      append_padded(out, period.index, 1);
      break;
    case Grain::half:
      out += "-H";
      append_padded(out, period.index, 1);
      break;
    case Grain::year:
      break;
  }
  return out;
}

// Grammar, letters in either case, blanks around the label ignored:
//   label = ["FY" [" "]] year [sep] part | ["FY" [" "]] year | part
//   year  = 4 digits, 0001..9999          sep = "-" | " "
//   part  = "Q" 1-2 digits | "H" 1-2 digits | "M" 1-2 digits | 1-2 digits (a month, after sep)
// The FY prefix is accepted only by fiscal calendars: in a calendar-year plan
// it would name a fiscal calendar the plan does not know.
std::optional<Period> parse_period(std::string_view text, const Calendar& calendar,
                                   std::optional<int> default_year) {
  LabelReader reader(trim_blanks(text));
  const bool fy = reader.eat('F');
  if (fy) {
    if (!reader.eat('Y') || !calendar.fiscal) return std::nullopt;
    reader.eat(' ');
  }

  std::optional<Period> period;
  if (reader.next_is_digit()) {
    const std::optional<int> year = reader.digits(4, 4);
    if (!year || !valid_year(*year)) return std::nullopt;
    if (reader.at_end()) {
      period = Period{*year, 1, Grain::year};
    } else {
      const bool separated = reader.eat('-') || reader.eat(' ');
      period = read_period_part(reader, separated);
      if (period) period->year = *year;
    }
  } else if (!fy && default_year && valid_year(*default_year)) {
    period = read_period_part(reader, false);
    if (period) period->year = *default_year;
  }

  if (!period || !reader.at_end() || period->grain != calendar.grain) return std::nullopt;
  return period;
}

}  // namespace tally
