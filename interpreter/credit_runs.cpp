#include "interpreter/credit_runs.hpp"

#include <algorithm>
#include <iterator>

namespace tally {

std::vector<CreditRun> credit_runs(const RunState& state, std::size_t a) {
  const PlanModel& model = state.model;
  std::vector<CreditRun> runs;
  if (model.credited_source < 0) return runs;
  const CreditTable& credits = state.credits;
  auto source_of = [&](std::size_t c) {
    const std::size_t rule = credits.rule[c];
    return rule < model.rules.size() ? model.rules[rule].source : model.credited_source;
  };
  bool several = false;
  for (const CreditRuleModel& rule : model.rules)
    several = several || (rule.source >= 0 && rule.source != model.roster &&
                          rule.source != model.credited_source);
  if (!several) {
    // One credited source: every credit over its table, as before.
    runs.push_back({0, credits.size(), &state.tables[model.credited_source]});
    return runs;
  }
  const int wanted = a < model.aggregates.size() ? model.aggregates[a].row_source : -1;
  for (std::size_t c = 0; c < credits.size();) {
    const int source = source_of(c);
    std::size_t end = c + 1;
    while (end < credits.size() && source_of(end) == source) ++end;
    if (source >= 0 && (wanted < 0 || source == wanted))
      runs.push_back({c, end, &state.tables[static_cast<std::size_t>(source)]});
    c = end;
  }
  return runs;
}

VmEnv credits_env(const RunState& state, const InternedConstants& interned) {
  VmEnv env;
  env.calendar = &state.model.calendar;
  env.budget = &state.budget;
  env.fx = &state.fx;
  env.interned = &interned;
  env.territories = &state.territories;
  env.tables = &state.table_values;
  env.credits = &state.credits;
  env.periods = &state.periods;
  std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);
  return env;
}

}  // namespace tally
