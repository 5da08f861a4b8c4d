// Choosing the periods a run pays, and placing each credit in one of them.
#include <algorithm>

#include "interpreter/run_stages.hpp"

namespace tally {

std::optional<std::int64_t> choose_run_periods(RunState& state, const RunOptions& options,
                                               std::optional<OrdinalSpan> credited) {
  const Calendar& calendar = state.model.calendar;
  std::optional<Period> first;
  std::optional<Period> last;
  auto parse_bound = [&](const std::optional<std::string>& label,
                         const char* flag) -> std::optional<Period> {
    if (!label) return std::nullopt;
    auto period = parse_period(*label, calendar);
    if (!period)
      state.errors.push_back(
          Error{{},
                std::string(flag) + " \"" + *label + "\" is not a period of this plan",
                calendar.fiscal ? "this plan's periods look like FY2027-Q1"
                                : "this plan's periods look like 2026-Q1"});
    return period;
  };
  first = parse_bound(options.first_period, "--from");
  last = parse_bound(options.last_period, "--to");
  if (!state.errors.empty()) return std::nullopt;

  if (!first || !last) {
    // Default: every period of each plan year that has a credit.
    if (!credited && (!first && !last)) return std::nullopt;
    const Period origin{0, 1, calendar.grain};  // ordinal 0
    if (!first)
      first =
          !credited ? *last : Period{add_periods(origin, credited->first).year, 1, calendar.grain};
    if (!last)
      last = !credited ? *first
                       : Period{add_periods(origin, credited->second).year,
                                periods_per_year(calendar.grain), calendar.grain};
  }
  if (*last < *first) {
    state.errors.push_back(Error{{}, "the last period comes before the first", ""});
    return std::nullopt;
  }
  // a plan that carries state computes each plan year from its
  // first period; rows before --from are not written (docs/semantics/periods.md).
  if (carries_state(state.plan.program) && first->index > 1) {
    state.first_paid = static_cast<std::size_t>(first->index - 1);
    first = Period{first->year, 1, first->grain};
  }
  for (Period p = *first; p <= *last; p = add_periods(p, 1)) state.periods.push_back(p);
  return period_ordinal(*first);
}

void choose_periods(RunState& state, const RunOptions& options) {
  // Until now each credit's period holds the period's ordinal.
  const std::vector<std::int32_t>& ordinals = state.credits.period;
  std::optional<OrdinalSpan> credited;
  if (!ordinals.empty()) {
    const auto [lo, hi] = std::minmax_element(ordinals.begin(), ordinals.end());
    credited = OrdinalSpan{*lo, *hi};
  }
  const std::optional<std::int64_t> first = choose_run_periods(state, options, credited);
  if (!first) return;

  // Place each credit in its period; drop the credits outside the run.
  const std::int64_t base = *first;
  const auto count = static_cast<std::int64_t>(state.periods.size());
  CreditTable& all = state.credits;
  for (std::size_t c = 0; c < all.size(); ++c)
    all.period[c] = static_cast<std::int32_t>(all.period[c] - base);
  all.retain([&](std::size_t c) { return all.period[c] >= 0 && all.period[c] < count; });
}

}  // namespace tally
