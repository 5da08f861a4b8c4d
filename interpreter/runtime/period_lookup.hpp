// period_of for many dates: a run places millions of credits in periods, but
// their dates are few (a year has 365 days), so each day's period is worked
// out once and then read from a table indexed by day number.
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/runtime/calendar.hpp"

namespace tally {

class PeriodLookup {
 public:
  explicit PeriodLookup(const Calendar& calendar) : calendar_(calendar) {}

  Period operator()(Date date) {
    const std::size_t slot = slot_of(date);
    return slot == kOutside ? period_of(date, calendar_) : periods_[slot];
  }

  /// period_ordinal of the date's period, from the same table (crediting
  /// places every credit by it).
  std::int64_t ordinal(Date date) {
    const std::size_t slot = slot_of(date);
    return slot == kOutside ? period_ordinal(period_of(date, calendar_)) : ordinals_[slot];
  }

 private:
  // Beyond this span (about 270 years) of dates, a table would cost more than
  // it saves: such dates are converted one by one.
  static constexpr std::int64_t kMaxDays = 100'000;

  static constexpr std::size_t kOutside = static_cast<std::size_t>(-1);

  /// The table's slot for `date`, filled; kOutside past kMaxDays.
  std::size_t slot_of(Date date) {
    std::int64_t i = std::int64_t{date.days} - first_;
    if (i < 0 || i >= static_cast<std::int64_t>(periods_.size())) {
      if (!cover(date)) return kOutside;
      i = std::int64_t{date.days} - first_;
    }
    const auto slot = static_cast<std::size_t>(i);
    if (!known_[slot]) {
      periods_[slot] = period_of(date, calendar_);
      ordinals_[slot] = period_ordinal(periods_[slot]);
      known_[slot] = 1;
    }
    return slot;
  }

  /// Grows the table to cover `date`; false when that would pass kMaxDays.
  bool cover(Date date) {
    const std::int64_t lo =
        periods_.empty() ? date.days - 400 : std::min<std::int64_t>(first_, date.days - 400);
    const std::int64_t hi =
        periods_.empty()
            ? date.days + 400
            : std::max<std::int64_t>(first_ + static_cast<std::int64_t>(periods_.size()),
                                     date.days + 400);
    if (hi - lo > kMaxDays) return false;
    std::vector<Period> periods(static_cast<std::size_t>(hi - lo));
    std::vector<std::int64_t> ordinals(periods.size(), 0);
    std::vector<std::uint8_t> known(periods.size(), 0);
    for (std::size_t k = 0; k < periods_.size(); ++k) {
      periods[static_cast<std::size_t>(first_ - lo) + k] = periods_[k];
      ordinals[static_cast<std::size_t>(first_ - lo) + k] = ordinals_[k];
      known[static_cast<std::size_t>(first_ - lo) + k] = known_[k];
    }
    periods_ = std::move(periods);
    ordinals_ = std::move(ordinals);
    known_ = std::move(known);
    first_ = lo;
    return true;
  }

  const Calendar& calendar_;
  std::int64_t first_ = 0;  ///< day number of periods_[0]
  std::vector<Period> periods_;
  std::vector<std::int64_t> ordinals_;  ///< period_ordinal of periods_
  std::vector<std::uint8_t> known_;
};

}  // namespace tally
