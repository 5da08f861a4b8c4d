// period_of for many dates: a run places millions of credits in periods, but
// their dates are few (a year has 365 days), so each day's period is worked
// out once and then read from a table indexed by day number (DayTable, which
// crediting also keeps per day for its own figures).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "interpreter/runtime/calendar.hpp"

namespace tally {

/// A value per day number, in a table that grows to cover the days asked
/// for (and 400 days around each), up to a span of about 270 years; beyond
/// that, a table would cost more than it saves and a day has no cell.
template <class T>
class DayTable {
 public:
  /// `empty`: the value of a cell not yet set.
  explicit DayTable(T empty) : empty_(empty) {}

  /// The cell of `date` (`empty` until set), or nullptr past the span.
  T* cell(Date date) {
    const std::int64_t at = std::int64_t{date.days} - first_;
    if (at >= 0 && at < static_cast<std::int64_t>(cells_.size()))
      return &cells_[static_cast<std::size_t>(at)];
    return cover(date);
  }
  /// Forgets every cell.
  void clear() { cells_.clear(); }

 private:
  static constexpr std::int64_t kMaxDays = 100'000;

  /// Grows the table to cover `date`; its cell, or nullptr past kMaxDays.
  T* cover(Date date) {
    const std::int64_t end = first_ + static_cast<std::int64_t>(cells_.size());
    const std::int64_t lo =
        cells_.empty() ? date.days - 400 : std::min<std::int64_t>(first_, date.days - 400);
    const std::int64_t hi =
        cells_.empty() ? date.days + 400 : std::max<std::int64_t>(end, date.days + 400);
    if (hi - lo > kMaxDays) return nullptr;
    std::vector<T> grown(static_cast<std::size_t>(hi - lo), empty_);
    if (!cells_.empty()) std::copy(cells_.begin(), cells_.end(), grown.begin() + (first_ - lo));
    cells_ = std::move(grown);
    first_ = lo;
    return &cells_[static_cast<std::size_t>(date.days - first_)];
  }

  T empty_;
  std::int64_t first_ = 0;  ///< the day number of cells_[0]
  std::vector<T> cells_;
};

class PeriodLookup {
 public:
  explicit PeriodLookup(const Calendar& calendar) : calendar_(calendar) {}

  Period operator()(Date date) {
    const Day* day = day_of(date);
    return day ? day->period : period_of(date, calendar_);
  }

  /// period_ordinal of the date's period, from the same table (crediting
  /// places every credit by it).
  std::int64_t ordinal(Date date) {
    const Day* day = day_of(date);
    return day ? day->ordinal : period_ordinal(period_of(date, calendar_));
  }

 private:
  struct Day {
    Period period;
    std::int64_t ordinal = 0;  ///< period_ordinal(period)
    bool known = false;
  };

  /// The table's day of `date`, worked out the first time; nullptr past
  /// the table's span.
  const Day* day_of(Date date) {
    Day* day = days_.cell(date);
    if (day && !day->known) {
      day->period = period_of(date, calendar_);
      day->ordinal = period_ordinal(day->period);
      day->known = true;
    }
    return day;
  }

  const Calendar& calendar_;
  DayTable<Day> days_{Day{}};
};

}  // namespace tally
