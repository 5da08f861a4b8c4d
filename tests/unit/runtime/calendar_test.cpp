// Dates, fiscal calendars and period labels. Every expected value below was
// worked out by hand (the working is in the comments), or comes from an
// independent day-counting loop written here, never from calendar.cpp.
#include "interpreter/runtime/calendar.hpp"

#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

using tally::Calendar;
using tally::CivilDate;
using tally::Date;
using tally::Grain;
using tally::Period;

namespace {

// Test-side oracle: the Gregorian rule as the calendar reform states it.
bool oracle_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int oracle_month_length(int y, int m) {
  static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && oracle_leap(y) ? 29 : lengths[m - 1];
}

Date date(int y, int m, int d) {
  const auto made = tally::make_date(y, m, d);
  REQUIRE(made.has_value());
  return *made;
}

std::string iso(Date d) {
  return tally::format_date(d);
}

Calendar calendar_plan(Grain grain) {
  return Calendar{1, grain, false};
}
Calendar fiscal_plan(int start_month, Grain grain) {
  return Calendar{start_month, grain, true};
}

std::string label(const Period& p, const Calendar& c) {
  return tally::period_label(p, c);
}

std::optional<Period> parse(std::string_view text, const Calendar& c,
                            std::optional<int> default_year = std::nullopt) {
  return tally::parse_period(text, c, default_year);
}

}  // namespace

TEST_CASE("day numbers of hand-counted anchor dates", "[calendar]") {
  CHECK(date(1970, 1, 1).days == 0);
  CHECK(date(1969, 12, 31).days == -1);
  CHECK(date(1970, 1, 2).days == 1);
  // 1970..1999 is 30 years of 365 days plus the leap days of 1972..1996 (7).
  CHECK(date(2000, 1, 1).days == 30 * 365 + 7);
  // 1900..1969: 70 years, leap days 1904..1968 (17); 1900 itself is not leap.
  CHECK(date(1900, 1, 1).days == -(70 * 365 + 17));
  // 2000..2023: 24 years, leap days 2000..2020 (6) => 2024-01-01 = 19723,
  // then January (31) and 28 days of February before the 29th.
  CHECK(date(2024, 1, 1).days == 19723);
  CHECK(date(2024, 2, 29).days == 19723 + 31 + 28);
  // 1600..1969: 370 years; multiples of 4 from 1600 to 1968 are 93, minus
  // 1700, 1800, 1900 (not leap) = 90 leap days.
  CHECK(date(1600, 1, 1).days == -(370 * 365 + 90));
  // 0001..1969: 1969 years, 492 - 19 + 4 = 477 leap days.
  CHECK(date(1, 1, 1).days == -(1969 * 365 + 477));
  // 9999-12-31 is the day before 10000-01-01: 9999 years after 0001-01-01,
  // 2499 - 99 + 24 = 2424 leap days, minus the 719162 days before 1970.
  CHECK(date(9999, 12, 31).days == 9999 * 365 + 2424 - 1 - 719162);
}

TEST_CASE("leap years: every 4th year, not every 100th, but every 400th", "[calendar]") {
  CHECK(tally::is_leap_year(2024));
  CHECK_FALSE(tally::is_leap_year(2026));
  CHECK_FALSE(tally::is_leap_year(2100));
  CHECK_FALSE(tally::is_leap_year(1900));
  CHECK(tally::is_leap_year(2000));
  CHECK(tally::is_leap_year(1600));
  CHECK(tally::days_in_month(2024, 2) == 29);
  CHECK(tally::days_in_month(2100, 2) == 28);
  CHECK(tally::days_in_month(2000, 2) == 29);
  CHECK(tally::days_in_month(2026, 4) == 30);
  CHECK(tally::days_in_month(2026, 12) == 31);
  CHECK(tally::days_in_month(2026, 0) == 0);
  CHECK(tally::days_in_month(2026, 13) == 0);

  CHECK(tally::make_date(2024, 2, 29).has_value());
  CHECK(tally::make_date(2000, 2, 29).has_value());
  CHECK_FALSE(tally::make_date(2100, 2, 29).has_value());
  CHECK_FALSE(tally::make_date(2026, 2, 29).has_value());
  // 2024-02-29 and 2024-03-01 are consecutive; 2100-02-28 and 2100-03-01 too.
  CHECK(date(2024, 3, 1).days - date(2024, 2, 29).days == 1);
  CHECK(date(2100, 3, 1).days - date(2100, 2, 28).days == 1);
  CHECK(date(2000, 3, 1).days - date(2000, 2, 28).days == 2);
}

TEST_CASE("every day from 1600 to 2400 matches a simple day-counting loop", "[calendar]") {
  // Walk the calendar one day at a time with the oracle's month lengths,
  // starting from the hand-counted day number of 1600-01-01.
  int y = 1600, m = 1, d = 1;
  std::int32_t n = -(370 * 365 + 90);
  long mismatches = 0;
  std::string first_mismatch;
  bool epoch_seen = false;
  while (y <= 2400) {
    const auto made = tally::make_date(y, m, d);
    const CivilDate civil = tally::civil_of(Date{n});
    char expected_iso[40];
    std::snprintf(expected_iso, sizeof expected_iso, "%04d-%02d-%02d", y, m, d);
    const std::string printed = tally::format_date(Date{n});
    const auto parsed = tally::parse_iso_date(expected_iso);
    const bool ok = made && made->days == n && civil.year == y && civil.month == m &&
                    civil.day == d && printed == expected_iso && parsed && parsed->days == n;
    if (!ok && mismatches++ == 0) first_mismatch = expected_iso;
    if (y == 1970 && m == 1 && d == 1) epoch_seen = (n == 0);

    ++n;
    if (++d > oracle_month_length(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  INFO("first mismatch at " << first_mismatch);
  CHECK(mismatches == 0);
  CHECK(epoch_seen);  // the loop and the anchor agree that 1970-01-01 is day 0
}

TEST_CASE("date -> civil -> date round trips over the whole supported range", "[calendar]") {
  const std::int32_t first = date(1, 1, 1).days;
  const std::int32_t last = date(9999, 12, 31).days;
  long failures = 0;
  CivilDate previous = tally::civil_of(Date{first});
  for (std::int32_t n = first + 1; n <= last; ++n) {
    const CivilDate c = tally::civil_of(Date{n});
    const auto back = tally::make_date(c.year, c.month, c.day);
    // Consecutive days: same month and day + 1, or the first of a later month.
    const bool next =
        (c.year == previous.year && c.month == previous.month && c.day == previous.day + 1) ||
        (c.day == 1 &&
         (c.month == previous.month + 1 || (c.month == 1 && c.year == previous.year + 1)));
    if (!back || back->days != n || !next) ++failures;
    previous = c;
  }
  CHECK(failures == 0);
  CHECK(previous.year == 9999);
}

TEST_CASE("dates before 1970 have negative day numbers", "[calendar]") {
  CHECK(iso(Date{-1}) == "1969-12-31");
  CHECK(iso(Date{-365}) == "1969-01-01");
  CHECK(iso(Date{-366}) == "1968-12-31");
  // 1968-12-31 is day -366; March to December 1968 hold 306 days, so the
  // leap day 1968-02-29 is day -366 - 306 = -672.
  CHECK(iso(Date{-672}) == "1968-02-29");
  const CivilDate c = tally::civil_of(Date{-25567});
  CHECK(c.year == 1900);
  CHECK(c.month == 1);
  CHECK(c.day == 1);
}

TEST_CASE("extreme day numbers do not crash", "[calendar]") {
  for (std::int32_t n : {INT32_MIN, INT32_MIN + 1, -1000000000, 1000000000, INT32_MAX}) {
    const CivilDate c = tally::civil_of(Date{n});
    CHECK(c.month >= 1);
    CHECK(c.month <= 12);
    CHECK(c.day >= 1);
    CHECK(c.day <= 31);
    CHECK_FALSE(tally::format_date(Date{n}).empty());
  }
  CHECK_FALSE(tally::make_date(0, 1, 1).has_value());
  CHECK_FALSE(tally::make_date(10000, 1, 1).has_value());
  CHECK_FALSE(tally::make_date(INT_MAX, INT_MAX, INT_MAX).has_value());
  CHECK_FALSE(tally::make_date(INT_MIN, INT_MIN, INT_MIN).has_value());
  CHECK_FALSE(tally::make_date(2026, 0, 1).has_value());
  CHECK_FALSE(tally::make_date(2026, 13, 1).has_value());
  CHECK_FALSE(tally::make_date(2026, 1, 0).has_value());
  CHECK_FALSE(tally::make_date(2026, 1, 32).has_value());
  CHECK_FALSE(tally::make_date(2026, 4, 31).has_value());
}

TEST_CASE("ISO dates format with padding and parse strictly", "[calendar]") {
  CHECK(iso(date(1, 1, 1)) == "0001-01-01");
  CHECK(iso(date(9999, 12, 31)) == "9999-12-31");
  CHECK(iso(date(2026, 3, 5)) == "2026-03-05");

  CHECK(tally::parse_iso_date("2024-02-29") == date(2024, 2, 29));
  CHECK(tally::parse_iso_date("2000-02-29") == date(2000, 2, 29));
  const std::vector<std::string> rejected = {
      "",
      "2026",
      "2100-02-29",
      "2026-02-30",
      "0000-01-01",
      "2026-2-3",
      "2026/02/03",
      " 2026-02-03",
      "2026-02-03 ",
      "+026-02-03",
      "2026-02-03x",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "20260203",
      "abcd-ef-gh",
      "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-01-01",
      std::string("2026-01-0\0", 10),
      "99999999999999999999-01-01"};
  for (const std::string& text : rejected) {
    INFO("text: " << text);
    CHECK_FALSE(tally::parse_iso_date(text).has_value());
  }
}

TEST_CASE("add_months clamps the day to the target month", "[calendar]") {
  CHECK(iso(tally::add_months(date(2026, 1, 31), 1)) == "2026-02-28");
  CHECK(iso(tally::add_months(date(2024, 1, 31), 1)) == "2024-02-29");
  CHECK(iso(tally::add_months(date(2024, 3, 31), -1)) == "2024-02-29");
  CHECK(iso(tally::add_months(date(2026, 3, 31), 1)) == "2026-04-30");
  // 13 months after January 2026 is February 2027 (not leap).
  CHECK(iso(tally::add_months(date(2026, 1, 31), 13)) == "2027-02-28");
  CHECK(iso(tally::add_months(date(2025, 12, 15), 1)) == "2026-01-15");
  CHECK(iso(tally::add_months(date(2026, 1, 15), -1)) == "2025-12-15");
  CHECK(iso(tally::add_months(date(1970, 1, 31), -1)) == "1969-12-31");
  CHECK(iso(tally::add_months(date(2024, 2, 29), 12)) == "2025-02-28");
  CHECK(iso(tally::add_months(date(2024, 2, 29), 48)) == "2028-02-29");
  CHECK(iso(tally::add_months(date(2026, 5, 17), 0)) == "2026-05-17");
  CHECK(iso(tally::add_months(date(2026, 5, 17), -1200)) == "1926-05-17");
}

TEST_CASE("grains", "[calendar]") {
  CHECK(tally::periods_per_year(Grain::month) == 12);
  CHECK(tally::periods_per_year(Grain::quarter) == 4);
  CHECK(tally::periods_per_year(Grain::half) == 2);
  CHECK(tally::periods_per_year(Grain::year) == 1);
  for (Grain g : {Grain::month, Grain::quarter, Grain::half, Grain::year}) {
    CHECK(tally::parse_grain(tally::grain_name(g)) == g);
  }
  CHECK(tally::grain_name(Grain::half) == "half");
  CHECK_FALSE(tally::parse_grain("Quarter").has_value());
  CHECK_FALSE(tally::parse_grain("").has_value());
  CHECK_FALSE(tally::parse_grain("week").has_value());
}

TEST_CASE("fiscal year starting in February", "[calendar][fiscal]") {
  // The year is named for the calendar year it ends in: FY2027 runs
  // 2026-02-01 .. 2027-01-31, so FY2026 runs 2025-02-01 .. 2026-01-31.
  const Calendar q = fiscal_plan(2, Grain::quarter);
  CHECK(iso(q.year_start(2027)) == "2026-02-01");
  CHECK(iso(q.year_start(2026)) == "2025-02-01");
  CHECK(q.year_of(date(2026, 2, 1)) == 2027);
  CHECK(q.year_of(date(2026, 1, 31)) == 2026);
  CHECK(q.year_of(date(2027, 1, 31)) == 2027);

  // 2026-01-31: January is before the February start, so the year ends in
  // 2026 (FY2026). Months counted from February: Jan is the 12th month, and
  // quarters are Feb-Apr, May-Jul, Aug-Oct, Nov-Jan: Q4.
  CHECK(tally::period_of(date(2026, 1, 31), q) == Period{2026, 4, Grain::quarter});
  CHECK(label(tally::period_of(date(2026, 1, 31), q), q) == "FY2026-Q4");
  // The next day opens FY2027-Q1; 2026-03-15 is in it too (Feb-Apr 2026).
  CHECK(tally::period_of(date(2026, 2, 1), q) == Period{2027, 1, Grain::quarter});
  CHECK(tally::period_of(date(2026, 3, 15), q) == Period{2027, 1, Grain::quarter});
  CHECK(tally::period_of(date(2026, 4, 30), q) == Period{2027, 1, Grain::quarter});
  CHECK(tally::period_of(date(2026, 5, 1), q) == Period{2027, 2, Grain::quarter});
  // December is the 11th month: Q4 (Nov-Jan) of FY2027.
  CHECK(tally::period_of(date(2026, 12, 31), q) == Period{2027, 4, Grain::quarter});

  // FY2026-Q4 = Nov 2025, Dec 2025, Jan 2026.
  CHECK(iso(tally::period_start({2026, 4, Grain::quarter}, q)) == "2025-11-01");
  CHECK(iso(tally::period_end({2026, 4, Grain::quarter}, q)) == "2026-01-31");
  // FY2025-Q1 = Feb-Apr 2024.
  CHECK(iso(tally::period_start({2025, 1, Grain::quarter}, q)) == "2024-02-01");
  CHECK(iso(tally::period_end({2025, 1, Grain::quarter}, q)) == "2024-04-30");

  // Months: the first fiscal month is February, so its end depends on leap
  // years: FY2025-M01 = Feb 2024 (leap), FY2026-M01 = Feb 2025, FY2101-M01 =
  // Feb 2100 (not leap), FY2001-M01 = Feb 2000 (leap, divisible by 400).
  const Calendar m = fiscal_plan(2, Grain::month);
  CHECK(iso(tally::period_end({2025, 1, Grain::month}, m)) == "2024-02-29");
  CHECK(iso(tally::period_end({2026, 1, Grain::month}, m)) == "2025-02-28");
  CHECK(iso(tally::period_end({2101, 1, Grain::month}, m)) == "2100-02-28");
  CHECK(iso(tally::period_end({2001, 1, Grain::month}, m)) == "2000-02-29");
  CHECK(tally::period_of(date(2026, 1, 31), m) == Period{2026, 12, Grain::month});
  CHECK(label(tally::period_of(date(2026, 1, 31), m), m) == "FY2026-M12");
  CHECK(label(tally::period_of(date(2026, 2, 1), m), m) == "FY2027-M01");

  // Halves: Feb-Jul and Aug-Jan.
  const Calendar h = fiscal_plan(2, Grain::half);
  CHECK(label(tally::period_of(date(2026, 7, 31), h), h) == "FY2027-H1");
  CHECK(label(tally::period_of(date(2026, 8, 1), h), h) == "FY2027-H2");
  CHECK(iso(tally::period_end({2027, 2, Grain::half}, h)) == "2027-01-31");

  // The year: FY2027 = 2026-02-01 .. 2027-01-31.
  const Calendar y = fiscal_plan(2, Grain::year);
  CHECK(iso(tally::period_start({2027, 1, Grain::year}, y)) == "2026-02-01");
  CHECK(iso(tally::period_end({2027, 1, Grain::year}, y)) == "2027-01-31");
  CHECK(label(tally::period_of(date(2026, 6, 1), y), y) == "FY2027");
}

TEST_CASE("fiscal year ending in February gets the leap day", "[calendar][fiscal]") {
  // Start in March: the year ends on the last day of February of its name year.
  // FY2024 = 2023-03-01 .. 2024-02-29 (leap); FY2025 ends 2025-02-28;
  // FY2100 ends 2100-02-28 (not leap); FY2000 ends 2000-02-29 (leap).
  const Calendar y = fiscal_plan(3, Grain::year);
  CHECK(iso(tally::period_start({2024, 1, Grain::year}, y)) == "2023-03-01");
  CHECK(iso(tally::period_end({2024, 1, Grain::year}, y)) == "2024-02-29");
  CHECK(iso(tally::period_end({2025, 1, Grain::year}, y)) == "2025-02-28");
  CHECK(iso(tally::period_end({2100, 1, Grain::year}, y)) == "2100-02-28");
  CHECK(iso(tally::period_end({2000, 1, Grain::year}, y)) == "2000-02-29");
  // Q4 of FY2024 = Dec 2023, Jan 2024, Feb 2024.
  const Calendar q = fiscal_plan(3, Grain::quarter);
  CHECK(iso(tally::period_start({2024, 4, Grain::quarter}, q)) == "2023-12-01");
  CHECK(iso(tally::period_end({2024, 4, Grain::quarter}, q)) == "2024-02-29");
  CHECK(tally::period_of(date(2024, 2, 29), q) == Period{2024, 4, Grain::quarter});
  CHECK(tally::period_of(date(2024, 3, 1), q) == Period{2025, 1, Grain::quarter});
}

TEST_CASE("fiscal year starting in December", "[calendar][fiscal]") {
  // FY2027 = 2026-12-01 .. 2027-11-30; Q1 = Dec, Jan, Feb.
  const Calendar q = fiscal_plan(12, Grain::quarter);
  CHECK(iso(q.year_start(2027)) == "2026-12-01");
  CHECK(tally::period_of(date(2026, 12, 1), q) == Period{2027, 1, Grain::quarter});
  CHECK(tally::period_of(date(2027, 1, 15), q) == Period{2027, 1, Grain::quarter});
  CHECK(tally::period_of(date(2027, 3, 1), q) == Period{2027, 2, Grain::quarter});
  // November is the 12th month: Q4 (Sep-Nov) of the year ending that November.
  CHECK(tally::period_of(date(2026, 11, 30), q) == Period{2026, 4, Grain::quarter});
  CHECK(iso(tally::period_end({2027, 4, Grain::quarter}, q)) == "2027-11-30");
  // FY2024 = 2023-12-01 .. 2024-11-30, so FY2024-Q1 = Dec 2023 .. Feb 2024,
  // which ends on the leap day; FY2025-Q1 ends 2025-02-28.
  CHECK(iso(tally::period_start({2024, 1, Grain::quarter}, q)) == "2023-12-01");
  CHECK(iso(tally::period_end({2024, 1, Grain::quarter}, q)) == "2024-02-29");
  CHECK(iso(tally::period_end({2025, 1, Grain::quarter}, q)) == "2025-02-28");
  const Calendar m = fiscal_plan(12, Grain::month);
  CHECK(label(tally::period_of(date(2026, 12, 5), m), m) == "FY2027-M01");
  CHECK(label(tally::period_of(date(2026, 11, 5), m), m) == "FY2026-M12");
}

TEST_CASE("fiscal year starting in July", "[calendar][fiscal]") {
  // FY2026 = 2025-07-01 .. 2026-06-30; H1 = Jul-Dec 2025, H2 = Jan-Jun 2026.
  const Calendar h = fiscal_plan(7, Grain::half);
  CHECK(tally::period_of(date(2025, 7, 1), h) == Period{2026, 1, Grain::half});
  CHECK(tally::period_of(date(2025, 12, 31), h) == Period{2026, 1, Grain::half});
  CHECK(tally::period_of(date(2026, 1, 1), h) == Period{2026, 2, Grain::half});
  CHECK(tally::period_of(date(2026, 6, 30), h) == Period{2026, 2, Grain::half});
  CHECK(tally::period_of(date(2026, 7, 1), h) == Period{2027, 1, Grain::half});
  CHECK(iso(tally::period_end({2026, 1, Grain::half}, h)) == "2025-12-31");
  CHECK(iso(tally::period_start({2026, 2, Grain::half}, h)) == "2026-01-01");
  // January is the 7th month of the July year.
  const Calendar m = fiscal_plan(7, Grain::month);
  CHECK(label(tally::period_of(date(2026, 1, 15), m), m) == "FY2026-M07");
  // Quarters: Jul-Sep is Q1, Oct-Dec Q2.
  const Calendar q = fiscal_plan(7, Grain::quarter);
  CHECK(label(tally::period_of(date(2025, 9, 30), q), q) == "FY2026-Q1");
  CHECK(label(tally::period_of(date(2025, 10, 1), q), q) == "FY2026-Q2");
}

TEST_CASE("a fiscal year starting in January is the calendar year", "[calendar][fiscal]") {
  const Calendar q = fiscal_plan(1, Grain::quarter);
  CHECK(tally::period_of(date(2026, 1, 1), q) == Period{2026, 1, Grain::quarter});
  CHECK(tally::period_of(date(2025, 12, 31), q) == Period{2025, 4, Grain::quarter});
  CHECK(iso(q.year_start(2026)) == "2026-01-01");
  CHECK(label({2026, 1, Grain::quarter}, q) == "FY2026-Q1");
  CHECK(label({2026, 1, Grain::quarter}, calendar_plan(Grain::quarter)) == "2026-Q1");
}

TEST_CASE("calendar plans: periods and labels without FY", "[calendar]") {
  const Calendar q = calendar_plan(Grain::quarter);
  CHECK(label(tally::period_of(date(2026, 3, 31), q), q) == "2026-Q1");
  CHECK(label(tally::period_of(date(2026, 4, 1), q), q) == "2026-Q2");
  CHECK(iso(tally::period_end({2024, 1, Grain::quarter}, q)) == "2024-03-31");
  const Calendar m = calendar_plan(Grain::month);
  CHECK(label(tally::period_of(date(2026, 3, 15), m), m) == "2026-03");
  CHECK(iso(tally::period_end({2024, 2, Grain::month}, m)) == "2024-02-29");
  CHECK(iso(tally::period_end({2100, 2, Grain::month}, m)) == "2100-02-28");
  const Calendar h = calendar_plan(Grain::half);
  CHECK(label(tally::period_of(date(2026, 6, 30), h), h) == "2026-H1");
  CHECK(label(tally::period_of(date(2026, 7, 1), h), h) == "2026-H2");
  const Calendar y = calendar_plan(Grain::year);
  CHECK(label(tally::period_of(date(2026, 7, 1), y), y) == "2026");
  CHECK(label({33, 1, Grain::year}, y) == "0033");
  CHECK(label({33, 2, Grain::month}, m) == "0033-02");
}

TEST_CASE("period arithmetic", "[calendar]") {
  CHECK(tally::add_periods({2026, 4, Grain::quarter}, 1) == Period{2027, 1, Grain::quarter});
  CHECK(tally::add_periods({2026, 1, Grain::quarter}, -1) == Period{2025, 4, Grain::quarter});
  CHECK(tally::add_periods({2026, 1, Grain::quarter}, -9) == Period{2023, 4, Grain::quarter});
  // January 2026 + 25 months = 2 years and 1 month later: February 2028.
  CHECK(tally::add_periods({2026, 1, Grain::month}, 25) == Period{2028, 2, Grain::month});
  CHECK(tally::add_periods({2026, 1, Grain::month}, -13) == Period{2024, 12, Grain::month});
  CHECK(tally::add_periods({2026, 2, Grain::half}, 3) == Period{2028, 1, Grain::half});
  CHECK(tally::add_periods({2026, 1, Grain::year}, -26) == Period{2000, 1, Grain::year});
  CHECK(tally::add_periods({2026, 3, Grain::quarter}, 0) == Period{2026, 3, Grain::quarter});

  // 2026-Q1 -> 2027-Q1 is 4 quarters, then 2 more to Q3.
  CHECK(tally::periods_between({2026, 1, Grain::quarter}, {2027, 3, Grain::quarter}) == 6);
  CHECK(tally::periods_between({2027, 3, Grain::quarter}, {2026, 1, Grain::quarter}) == -6);
  CHECK(tally::periods_between({2026, 12, Grain::month}, {2027, 1, Grain::month}) == 1);
  CHECK(tally::periods_between({2026, 5, Grain::month}, {2026, 5, Grain::month}) == 0);
  // Mixed grains count a's periods between the two starts: Q1 starts in
  // month 1, M05 in month 5: 4 months = 1 whole quarter. Q2 (month 4) back
  // to M01: -3 months = -1 quarter. Q3 (month 7) back to M02: -5 months,
  // rounded down to -2 quarters.
  CHECK(tally::periods_between({2026, 1, Grain::quarter}, {2026, 5, Grain::month}) == 1);
  CHECK(tally::periods_between({2026, 2, Grain::quarter}, {2026, 1, Grain::month}) == -1);
  CHECK(tally::periods_between({2026, 3, Grain::quarter}, {2026, 2, Grain::month}) == -2);

  CHECK(tally::period_ordinal({2026, 1, Grain::quarter}) == 2026 * 4);
  CHECK(tally::period_ordinal({2026, 12, Grain::month}) == 2026 * 12 + 11);
  CHECK(tally::period_ordinal({2026, 1, Grain::year}) == 2026);
}

TEST_CASE("periods tile the calendar: consecutive, no gaps, no overlaps", "[calendar]") {
  for (int start = 1; start <= 12; ++start) {
    for (Grain g : {Grain::month, Grain::quarter, Grain::half, Grain::year}) {
      const Calendar c = fiscal_plan(start, g);
      long failures = 0;
      Period p{1990, 1, g};
      for (int i = 0; i < 50 * tally::periods_per_year(g); ++i) {
        const Period next = tally::add_periods(p, 1);
        const Date s = tally::period_start(p, c);
        const Date e = tally::period_end(p, c);
        if (tally::period_end(p, c).days + 1 != tally::period_start(next, c).days) ++failures;
        if (tally::period_of(s, c) != p || tally::period_of(e, c) != p) ++failures;
        if (tally::period_of(Date{s.days - 1}, c) != tally::add_periods(p, -1)) ++failures;
        // Periods are whole months counted from the start month.
        const CivilDate sc = tally::civil_of(s);
        if (sc.day != 1 || (sc.month - start + 12) % (12 / tally::periods_per_year(g)) != 0)
          ++failures;
        if (e < s) ++failures;
        p = next;
      }
      INFO("start month " << start << ", grain " << tally::grain_name(g));
      CHECK(failures == 0);
    }
  }
}

TEST_CASE("parse_period on calendar plans", "[calendar][labels]") {
  const Calendar q = calendar_plan(Grain::quarter);
  const Period q1{2026, 1, Grain::quarter};
  for (const char* text : {"2026-Q1", "2026Q1", "2026-q1", "2026 Q1", " 2026-Q1 ", "2026q1"}) {
    INFO("text: " << text);
    CHECK(parse(text, q) == q1);
  }
  CHECK(parse("Q3", q, 2026) == Period{2026, 3, Grain::quarter});
  CHECK(parse("q4", q, 1999) == Period{1999, 4, Grain::quarter});
  CHECK_FALSE(parse("Q3", q).has_value());     // no year to attach
  CHECK_FALSE(parse("Q3", q, 0).has_value());  // default year out of range
  CHECK_FALSE(parse("Q3", q, 10000).has_value());
  CHECK_FALSE(parse("FY2026-Q1", q).has_value());  // FY belongs to fiscal plans
  CHECK_FALSE(parse("FY2026Q1", q).has_value());
  CHECK(parse("2026-Q1", q, 1990) == q1);  // an explicit year wins

  const Calendar m = calendar_plan(Grain::month);
  for (const char* text : {"2026-03", "2026-3", "2026 03", "2026-M03", "2026M3", "2026m03"}) {
    INFO("text: " << text);
    CHECK(parse(text, m) == Period{2026, 3, Grain::month});
  }
  CHECK(parse("M11", m, 2026) == Period{2026, 11, Grain::month});
  CHECK_FALSE(parse("03", m, 2026).has_value());  // a bare number is no label
  CHECK_FALSE(parse("202603", m).has_value());    // needs a separator or M
  CHECK_FALSE(parse("2026-13", m).has_value());
  CHECK_FALSE(parse("2026-00", m).has_value());
  CHECK_FALSE(parse("2026-003", m).has_value());

  const Calendar h = calendar_plan(Grain::half);
  CHECK(parse("2026-H2", h) == Period{2026, 2, Grain::half});
  CHECK(parse("2026h1", h) == Period{2026, 1, Grain::half});
  CHECK_FALSE(parse("2026-H3", h).has_value());
  CHECK_FALSE(parse("2026-H0", h).has_value());

  const Calendar y = calendar_plan(Grain::year);
  CHECK(parse("2026", y) == Period{2026, 1, Grain::year});
  CHECK(parse("0001", y) == Period{1, 1, Grain::year});
  CHECK(parse("9999", y) == Period{9999, 1, Grain::year});
  CHECK_FALSE(parse("0000", y).has_value());
  CHECK_FALSE(parse("FY2026", y).has_value());
}

TEST_CASE("parse_period on fiscal plans accepts FY and plain forms", "[calendar][labels]") {
  const Calendar q = fiscal_plan(2, Grain::quarter);
  const Period q1{2027, 1, Grain::quarter};
  for (const char* text : {"FY2027-Q1", "FY2027Q1", "fy2027q1", "FY 2027 Q1", "FY2027 Q1",
                           "2027-Q1", "2027Q1", "  FY2027-Q1\t"}) {
    INFO("text: " << text);
    CHECK(parse(text, q) == q1);
  }
  CHECK(parse("Q1", q, 2027) == q1);
  CHECK_FALSE(parse("FYQ1", q, 2027).has_value());
  CHECK_FALSE(parse("FY", q).has_value());
  CHECK_FALSE(parse("F2027-Q1", q).has_value());
  CHECK_FALSE(parse("FX2027-Q1", q).has_value());
  CHECK_FALSE(parse("FY27-Q1", q).has_value());
  CHECK_FALSE(parse("FY2027-M03", q).has_value());  // a month in a quarter plan
  CHECK_FALSE(parse("FY2027-H1", q).has_value());
  CHECK_FALSE(parse("FY2027", q).has_value());

  const Calendar m = fiscal_plan(2, Grain::month);
  CHECK(parse("FY2027-M03", m) == Period{2027, 3, Grain::month});
  CHECK(parse("FY2027-03", m) == Period{2027, 3, Grain::month});
  CHECK(parse("FY2027M3", m) == Period{2027, 3, Grain::month});
  CHECK_FALSE(parse("FY2027-Q1", m).has_value());

  const Calendar h = fiscal_plan(7, Grain::half);
  CHECK(parse("FY2026-H2", h) == Period{2026, 2, Grain::half});
  const Calendar y = fiscal_plan(7, Grain::year);
  CHECK(parse("FY2026", y) == Period{2026, 1, Grain::year});
  CHECK(parse("FY 2026", y) == Period{2026, 1, Grain::year});
  CHECK(parse("2026", y) == Period{2026, 1, Grain::year});
}

TEST_CASE("parse_period never fails on garbage", "[calendar][labels]") {
  const Calendar calendars[] = {calendar_plan(Grain::quarter), fiscal_plan(2, Grain::month),
                                calendar_plan(Grain::year), fiscal_plan(7, Grain::half)};
  const std::vector<std::string> garbage = {
      "",
      " ",
      "\t",
      "-",
      "Q",
      "FY",
      "FY-",
      "2026-",
      "2026-Q",
      "2026--Q1",
      "2026-Q1x",
      "x2026-Q1",
      "26-Q1",
      "20260-Q1",
      "10000-Q1",
      "0000-Q1",
      "2026-Q99999999999999999999",
      "99999999999999999999-Q1",
      "99999999999999999999",
      "-2026",
      "+2026-Q1",
      "2026-Q-1",
      "2026\xe2\x80\x90Q1",                                   // U+2010 hyphen
      "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-Q1",  // full-width digits
      "\xff\xfe\xfd",
      "FY\xc3\xa9",
      std::string("2026-Q1\0", 8),
      std::string(100000, '9'),
      std::string(5000, 'Q'),
      "2026 - Q1",
      "2026  Q1",
      "2026_Q1",
      "Q1 2026",
      "1Q2026"};
  for (const Calendar& c : calendars) {
    for (const std::string& text : garbage) {
      INFO("text: " << text);
      CHECK_FALSE(parse(text, c, 2026).has_value());
    }
  }
}

TEST_CASE("random strings parse to valid periods or to nothing", "[calendar][labels]") {
  // A fixed linear congruential generator keeps the test reproducible.
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  const std::string alphabet = "0123456789012345QHMFYqhmfy- \t\xff\xe2\x80/";
  const Calendar calendars[] = {calendar_plan(Grain::quarter), calendar_plan(Grain::month),
                                fiscal_plan(2, Grain::month),  fiscal_plan(7, Grain::half),
                                fiscal_plan(12, Grain::year),  fiscal_plan(3, Grain::quarter)};
  long parsed_count = 0, failures = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const std::uint32_t length = next() % 12;
    for (std::uint32_t k = 0; k < length; ++k) text += alphabet[next() % alphabet.size()];
    const Calendar& c = calendars[next() % std::size(calendars)];
    const auto p = parse(text, c, 2026);
    if (!p) continue;
    ++parsed_count;
    const bool valid = p->year >= 1 && p->year <= 9999 && p->grain == c.grain && p->index >= 1 &&
                       p->index <= tally::periods_per_year(c.grain);
    if (!valid || parse(label(*p, c), c) != p) ++failures;
  }
  CHECK(failures == 0);
  CHECK(parsed_count > 0);  // the alphabet does produce labels now and then
}

TEST_CASE("labels round trip for every period of every grain", "[calendar][labels]") {
  const Calendar kinds[] = {calendar_plan(Grain::month), fiscal_plan(1, Grain::month),
                            fiscal_plan(2, Grain::month), fiscal_plan(7, Grain::month),
                            fiscal_plan(12, Grain::month)};
  for (Calendar c : kinds) {
    for (Grain g : {Grain::month, Grain::quarter, Grain::half, Grain::year}) {
      c.grain = g;
      long failures = 0;
      for (int year = 1; year <= 9999; ++year) {
        for (int index = 1; index <= tally::periods_per_year(g); ++index) {
          const Period p{year, index, g};
          const std::string text = label(p, c);
          if (parse(text, c) != p) ++failures;
          // Labels start with FY exactly when the plan is fiscal.
          if ((text.rfind("FY", 0) == 0) != c.fiscal) ++failures;
        }
      }
      INFO("grain " << tally::grain_name(g) << ", fiscal " << c.fiscal << ", start "
                    << c.start_month);
      CHECK(failures == 0);
    }
  }
  // The printed forms, one per grain and kind.
  CHECK(label({2026, 1, Grain::quarter}, calendar_plan(Grain::quarter)) == "2026-Q1");
  CHECK(label({2026, 3, Grain::month}, calendar_plan(Grain::month)) == "2026-03");
  CHECK(label({2026, 1, Grain::half}, calendar_plan(Grain::half)) == "2026-H1");
  CHECK(label({2026, 1, Grain::year}, calendar_plan(Grain::year)) == "2026");
  CHECK(label({2026, 1, Grain::quarter}, fiscal_plan(2, Grain::quarter)) == "FY2026-Q1");
  CHECK(label({2026, 3, Grain::month}, fiscal_plan(2, Grain::month)) == "FY2026-M03");
  CHECK(label({2026, 1, Grain::half}, fiscal_plan(2, Grain::half)) == "FY2026-H1");
  CHECK(label({2026, 1, Grain::year}, fiscal_plan(2, Grain::year)) == "FY2026");
}

TEST_CASE("hostile periods and calendars stay defined", "[calendar]") {
  // Values no checked plan produces; under UBSan this proves the arithmetic
  // has no overflow, and the clamped start month keeps indexes in bounds.
  const Calendar odd{99, Grain::month, true};
  CHECK(iso(odd.year_start(2026)) == "2025-12-01");  // clamped to a December start
  const Period extremes[] = {{INT_MAX, INT_MIN, Grain::month},
                             {INT_MIN, INT_MAX, Grain::quarter},
                             {0, 0, Grain::half},
                             {-5, 7, static_cast<Grain>(200)}};
  for (const Period& p : extremes) {
    (void)tally::period_start(p, odd);
    (void)tally::period_end(p, odd);
    (void)tally::add_periods(p, INT_MAX);
    (void)tally::add_periods(p, INT_MIN);
    (void)tally::periods_between(p, {2026, 1, Grain::month});
    (void)tally::period_ordinal(p);
    CHECK_FALSE(label(p, odd).empty());
  }
  (void)tally::add_months(Date{INT32_MAX}, INT_MAX);
  (void)tally::add_months(Date{INT32_MIN}, INT_MIN);
  (void)tally::period_of(Date{INT32_MIN}, Calendar{-3, Grain::quarter, false});
  CHECK(tally::periods_per_year(static_cast<Grain>(200)) >= 1);
}
