// Days and months a payee is employed, from the roster's `hire_date` and
// `end_date` fields (both inclusive; a missing field or an empty cell means
// "no bound"). Used by `prorated` goals, `prorate(x)` and
// `months_employed(payee)`.
#pragma once

#include <cstdint>
#include <optional>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"

namespace tally {

/// The days a payee works, as far as the roster says.
struct Employment {
  std::optional<Date> hired;  ///< first day employed
  std::optional<Date> ended;  ///< last day employed
};

/// The employment of roster row `row`; a field index of -1 means the
/// roster has no such field.
Employment employment_of(const Table& roster, int hire_field, int end_field, std::size_t row);

/// The number of days of [from, to] (inclusive) that fall in [start, end]; 0
/// when they do not meet.
std::int64_t days_overlap(Date from, Date to, Date start, Date end);

/// The days of [start, end] the payee is employed.
std::int64_t days_employed(const Employment& employment, Date start, Date end);

/// Whole months from `hired` to the end of day `as_of`: the largest m with
/// add_months(hired, m) <= as_of + 1 day (0 when hired after as_of).
std::int64_t whole_months(Date hired, Date as_of);

}  // namespace tally
