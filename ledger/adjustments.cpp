#include "ledger/adjustments.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "interpreter/runtime/decimal.hpp"

namespace tally::ledger {

namespace {

/// (origin period index, payee, component): the order of the lines.
using Key = std::tuple<std::size_t, std::string, std::string>;

struct Sums {
  Decimal recomputed;
  Decimal paid;
};

}  // namespace

Result<std::vector<AdjustmentLine>> compute_adjustments(const AdjustmentInputs& inputs) {
  std::map<std::string, std::size_t> closed_index;
  for (std::size_t i = 0; i < inputs.closed_periods.size(); ++i)
    closed_index.emplace(inputs.closed_periods[i], i);
  if (closed_index.count(inputs.current_period)) {
    return Error{{},
                 "period " + inputs.current_period +
                     " is closed: its payouts are final and a run cannot post to it",
                 "reopen it first (`tally reopen ... " + inputs.current_period +
                     " --reason ...`) or run an open period"};
  }

  std::map<Key, Sums> sums;
  Errors errors;
  auto add = [&](const char* what, const std::string& payee, const std::string& origin,
                 const std::string& component, const std::string& amount, Decimal Sums::*field) {
    const auto index = closed_index.find(origin);
    if (index == closed_index.end()) return;
    const auto value = Decimal::parse(amount);
    if (!value) {
      errors.push_back(Error{{},
                             std::string("the ") + what + " amount of payee `" + payee +
                                 "`, period " + origin + ", component `" + component +
                                 "` is not a decimal number: \"" + amount + "\"",
                             ""});
      return;
    }
    Sums& s = sums[Key{index->second, payee, component}];
    s.*field = s.*field + *value;
  };
  for (const PayoutLine& row : inputs.recomputed)
    add("recomputed", row.payee, row.period, row.component, row.amount, &Sums::recomputed);
  for (const PaidLine& row : inputs.paid)
    add("paid", row.payee, row.origin_period, row.component, row.amount, &Sums::paid);
  if (!errors.empty()) return errors;

  std::vector<AdjustmentLine> lines;
  for (const auto& [key, s] : sums) {
    const auto& [origin, payee, component] = key;
    if (inputs.final_components.count(component) &&
        inputs.settled_periods.count(inputs.closed_periods[origin]))
      continue;
    const Decimal difference = s.recomputed - s.paid;
    if (difference.is_zero()) continue;
    lines.push_back(AdjustmentLine{payee, component, inputs.closed_periods[origin],
                                   inputs.current_period, difference.to_string(),
                                   "recomputed " + inputs.closed_periods[origin] +
                                       " with today's "
                                       "plan and data"});
  }
  return lines;
}

namespace {

Errors errors_of(const std::vector<Message>& messages) {
  Errors errors;
  for (const Message& m : messages)
    if (m.severity == Message::Severity::error)
      errors.push_back(Error{{m.file, m.line, m.column, 0}, m.text, m.hint});
  return errors;
}

}  // namespace

Result<SettledPeriods> carried_from_ledger(const Ledger& ledger) {
  auto periods = ledger.periods_with_balances();
  if (!periods) return periods.take_errors();
  SettledPeriods settled;
  for (const std::string& period : *periods) {
    auto balances = ledger.paid_balances(period);
    if (!balances) return balances.take_errors();
    for (BalanceLine& b : *balances)
      settled.balances.push_back(CarriedBalance{std::move(b.payee), std::move(b.period),
                                                std::move(b.kind), std::move(b.name),
                                                std::move(b.amount)});
    settled.periods.push_back(period);
  }
  return settled;
}

std::set<std::string> final_components(const Engine& engine, const Plan& plan) {
  std::set<std::string> names;
  for (const Declaration& d : engine.declarations(plan))
    if (d.kind == Declaration::Kind::draw && d.recoverable) {
      names.insert(d.name);
      names.insert(d.name + "_recovery");
    }
  return names;
}

Result<std::vector<AdjustmentLine>> prior_period_adjustments(
    const Engine& engine, const Ledger& ledger, const std::vector<PlanVersion>& versions,
    const RunOptions& data, const std::string& current_period) {
  if (versions.empty()) return Error{{}, "no plan version is known", ""};
  auto closed = ledger.closed_periods();
  if (!closed) return closed.take_errors();
  auto current_start = period_start(versions.back(), current_period);
  if (!current_start) return current_start.take_errors();

  AdjustmentInputs inputs;
  inputs.current_period = current_period;
  inputs.settled_periods.insert(data.settled.periods.begin(), data.settled.periods.end());
  std::vector<std::pair<std::string, std::string>> earlier;  // (start, label)
  for (const std::string& label : *closed) {
    auto start = period_start(versions.back(), label);
    if (!start) return start.take_errors();
    if (*start < *current_start) earlier.emplace_back(*start, label);
  }
  std::sort(earlier.begin(), earlier.end());
  if (earlier.empty()) return std::vector<AdjustmentLine>{};

  // One compile per version, and one run per stretch of consecutive closed
  // periods under the same version (a run computes its plan year from the
  // start anyway; a run per period would redo it for each). A stretch never
  // spans an open period, whose data may be incomplete.
  const Calendar& calendar = versions.back().calendar;
  struct Stretch {
    std::size_t version = 0;
    std::vector<std::string> labels;
  };
  std::vector<Stretch> stretches;
  std::optional<Period> previous;
  for (const auto& [start, label] : earlier) {
    inputs.closed_periods.push_back(label);
    auto in_force = version_in_force(versions, label);
    if (!in_force) return in_force.take_errors();
    const auto period = parse_period(label, calendar);
    const bool follows = period && previous && add_periods(*previous, 1) == *period;
    if (stretches.empty() || !follows || stretches.back().version != *in_force)
      stretches.push_back({*in_force, {}});
    stretches.back().labels.push_back(label);
    previous = period;
  }

  std::map<std::size_t, std::shared_ptr<const Plan>> compiled;
  for (const Stretch& stretch : stretches) {
    auto& plan = compiled[stretch.version];
    if (!plan) {
      const PlanVersion& version = versions[stretch.version];
      CompileResult result = engine.compile(version.text, version.path);
      if (!result.plan) return errors_of(result.messages);
      plan = result.plan;
    }
    for (auto& name : final_components(engine, *plan)) inputs.final_components.insert(name);
    RunOptions options = data;
    options.first_period = stretch.labels.front();
    options.last_period = stretch.labels.back();
    options.credits_table = false;
    options.measures_table = false;
    const RunResult run = engine.run(*plan, options);
    if (!run.ok) {
      Errors errors = errors_of(run.messages);
      if (errors.empty())
        errors.push_back(Error{{},
                               "recomputing closed periods " + stretch.labels.front() + " to " +
                                   stretch.labels.back() + " stopped: " + status_name(run.status),
                               ""});
      return errors;
    }
    const auto& columns = run.payouts.columns;
    auto column = [&](const char* name) {
      return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                      columns.begin());
    };
    const std::size_t payee = column("payee"), period = column("period"),
                      component = column("component"), amount = column("amount");
    if (std::max({payee, period, component, amount}) >= columns.size())
      return Error{
          {}, "the payouts of a run have no payee, period, component or amount column", ""};
    for (const auto& row : run.payouts.rows)
      if (std::find(stretch.labels.begin(), stretch.labels.end(), row[period]) !=
          stretch.labels.end())
        inputs.recomputed.push_back({row[payee], row[period], row[component], row[amount]});
  }
  auto paid = ledger.all_paid();
  if (!paid) return paid.take_errors();
  inputs.paid = std::move(*paid);
  return compute_adjustments(inputs);
}

}  // namespace tally::ledger
