// Dates, fiscal calendars and periods.
//
// A Date is a day number (days since 1970-01-01, proleptic Gregorian), so
// comparisons and differences are integer operations. A Period is one slot of
// a plan's calendar (a month, quarter, half or year) named after the plan's
// conventions. A fiscal year is named after the calendar year in which it
// ends: with a year starting 2026-02-01, FY2027 runs Feb 2026 – Jan 2027.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally {

/// Days since 1970-01-01 (may be negative).
struct Date {
  std::int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

struct CivilDate {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
};

/// Day number of a civil date; nullopt if the date does not exist (2026-02-30)
/// or the year is outside 1..9999.
std::optional<Date> make_date(int year, int month, int day);
CivilDate civil_of(Date date);
bool is_leap_year(int year);
int days_in_month(int year, int month);
/// ISO 8601 `YYYY-MM-DD`.
std::string format_date(Date date);
/// Parses strict ISO `YYYY-MM-DD`.
std::optional<Date> parse_iso_date(std::string_view text);
/// Adds calendar months, clamping the day to the target month's length
/// (2026-01-31 + 1 month = 2026-02-28).
Date add_months(Date date, int months);

/// The length of a period.
enum class Grain : std::uint8_t { month, quarter, half, year };
std::string_view grain_name(Grain grain);  ///< "month", "quarter", ...
/// The grain named `name` ("month", "quarter", "half", "year"), as a plan
/// header writes it; nullopt for anything else.
std::optional<Grain> parse_grain(std::string_view name);
int periods_per_year(Grain grain);  ///< 12, 4, 2, 1

/// A plan's calendar: when its year starts and how it is cut into periods.
/// A plan that declares `fiscal year` gets `fiscal = true`, and its labels
/// carry the `FY` prefix; a calendar-year plan starts in January.
struct Calendar {
  int start_month = 1;  ///< 1..12, the month the (fiscal) year starts
  Grain grain = Grain::quarter;
  bool fiscal = false;

  /// The fiscal year that contains `date` (named for the year it ends in).
  int year_of(Date date) const;
  /// First day of fiscal year `year`.
  Date year_start(int year) const;
};

/// One period of a calendar: `index` is 1-based within the (fiscal) year.
struct Period {
  int year = 0;  ///< the (fiscal) year, named for the calendar year it ends in
  int index = 1;
  Grain grain = Grain::quarter;
  friend auto operator<=>(const Period&, const Period&) = default;
};

/// The period of `calendar` that contains `date`.
Period period_of(Date date, const Calendar& calendar);
/// First and last day (inclusive) of a period, cut by the period's own grain
/// from the calendar's year start.
Date period_start(const Period& period, const Calendar& calendar);
Date period_end(const Period& period, const Calendar& calendar);
/// `period` moved by `n` periods of its grain (n may be negative).
Period add_periods(const Period& period, int n);
/// Number of periods from `a` to `b` (same grain): b - a. Given periods of
/// different grains, it counts whole periods of `a`'s grain between the two
/// starts (rounded toward negative infinity).
int periods_between(const Period& a, const Period& b);
/// A dense index of a period, for arrays keyed by period: year * per_year + index - 1.
std::int64_t period_ordinal(const Period& period);

/// The label of a period: calendar plans `2026-Q1`, `2026-03`, `2026-H1`,
/// `2026`; fiscal plans `FY2026-Q1`, `FY2026-M03`, `FY2026-H1`, `FY2026`.
std::string period_label(const Period& period, const Calendar& calendar);

/// Parses a period label in the calendar's grain. Accepts the labels above
/// and the compact spellings data files use (`2026Q1`, `2026-3`, `FY26-Q1`
/// is *not* accepted: years have four digits). A bare `Q1`/`H2`/`M03` needs
/// `default_year`. Nullopt when the text is no period of this grain.
/// Letters may be lower case, `-` or a space may separate year and part, and
/// blanks around the label are ignored. Only a fiscal calendar accepts the
/// `FY` prefix (and then also the unprefixed forms, naming the same fiscal
/// year); years are 0001..9999. Never fails on any input: garbage, empty
/// text, huge numbers or non-ASCII bytes all give nullopt.
std::optional<Period> parse_period(std::string_view text, const Calendar& calendar,
                                   std::optional<int> default_year = std::nullopt);

}  // namespace tally
