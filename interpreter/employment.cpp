#include "interpreter/employment.hpp"

#include <algorithm>

namespace tally {

Employment employment_of(const Table& roster, int hire_field, int end_field, std::size_t row) {
  Employment out;
  auto date_of = [&](int field) -> std::optional<Date> {
    if (field < 0) return std::nullopt;
    const Column& column = roster.columns[static_cast<std::size_t>(field)];
    if (column.is_null(row) || row >= column.dates.size()) return std::nullopt;
    return column.dates[row];
  };
  out.hired = date_of(hire_field);
  out.ended = date_of(end_field);
  return out;
}

std::int64_t days_overlap(Date from, Date to, Date start, Date end) {
  const std::int64_t first = std::max(from.days, start.days);
  const std::int64_t last = std::min(to.days, end.days);
  return last < first ? 0 : last - first + 1;
}

std::int64_t days_employed(const Employment& employment, Date start, Date end) {
  return days_overlap(employment.hired.value_or(start), employment.ended.value_or(end), start, end);
}

std::int64_t whole_months(Date hired, Date as_of) {
  const Date after{as_of.days + 1};
  if (after < hired) return 0;
  const CivilDate a = civil_of(hired);
  const CivilDate b = civil_of(after);
  std::int64_t months = (std::int64_t{b.year} - a.year) * 12 + (b.month - a.month);
  while (months > 0 && after < add_months(hired, static_cast<int>(months))) --months;
  return months;
}

}  // namespace tally
