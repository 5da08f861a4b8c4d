// Stage 3c: clawbacks. Each clawback's condition runs as bytecode over
// batches of the credited source's rows; every credit of a row it claws back
// becomes an event charged in the period of the event's date (the subject of
// the condition's `within`). With `and credit` the credit is also reversed
// there, before the measures are aggregated, so attainment changes.
#include <algorithm>
#include <map>

#include "interpreter/credit_runs.hpp"
#include "interpreter/run_stages.hpp"

namespace tally {

namespace {

std::string row_label(const Table& table, std::size_t row) {
  const std::size_t line = static_cast<std::size_t>(table.file_row(row));
  return table.path + " row " + std::to_string(line);
}

/// The part of each clawed-back credit in its payout: per clawback, the
/// credit's contribution to the `sum`/`count` aggregates the payout depends
/// on (its value where it passes the filter; 1 for a count), and per payee
/// and period their total over the rules' credits. A payout on no such
/// aggregate is shared by credit amount.
void weigh_clawbacks(RunState& state) {
  const auto& compiled = state.plan.program.clawbacks;
  const std::size_t periods = state.periods.size();
  const std::size_t slots = state.payee_count() * periods;
  const std::size_t credits = state.rule_credits;
  auto slot_of = [&](std::size_t c) {
    return static_cast<std::size_t>(state.credits.payee[c]) * periods +
           static_cast<std::size_t>(state.credits.period[c]);
  };
  // Per aggregate used: each credit's contribution, and the totals.
  std::map<int, std::vector<Decimal>> contribution;
  std::map<int, std::vector<Decimal>> totals;
  for (const Program::Clawback& clawback : compiled)
    for (int a : clawback.aggregates) contribution.emplace(a, std::vector<Decimal>{});
  for (auto& [a, part] : contribution) {
    const CompiledAggregate& aggregate = state.plan.program.aggregates[static_cast<std::size_t>(a)];
    part.assign(credits, Decimal{});
    std::vector<Decimal>& total = totals[a];
    total.assign(slots, Decimal{});
    const InternedConstants interned = intern_constants(aggregate.chunk, state.symbols);
    VmEnv env = credits_env(state, interned);
    Frame frame;
    // Over the credits the aggregate takes in, each range with its source's
    // rows: in a plan whose rules read several sources, an aggregate that
    // reads `deal.` takes in only the credits of the rules over deals.
    for (const CreditRun& run : credit_runs(state, static_cast<std::size_t>(a))) {
      env.rows = run.rows;
      const std::size_t end = std::min(run.end, credits);
      for (std::size_t base = run.begin; base < end; base += kBatchSize) {
        if (state.budget.should_stop()) return;  // Engine::run reports the limit
        const std::size_t lanes = std::min(kBatchSize, end - base);
        frame.reset(aggregate.chunk, lanes);
        env.credit_base = base;
        if (auto fault = Vm::run(aggregate.chunk, frame, env)) {
          state.errors.push_back(Error{
              state.plan_location(aggregate.chunk.spans[fault->instruction]),
              fault->message + " (" + credit_transaction_label(state, base + fault->lane) + ")",
              ""});
          return;
        }
        const Register& value = frame.reg(aggregate.value_reg);
        for (std::uint32_t lane : frame.active()) {
          const std::size_t c = base + lane;
          Decimal v = Decimal::from_int(1);
          if (aggregate.kind != AggregateKind::count)
            v = value.type == RegType::integer ? Decimal::from_int(value.ints[lane])
                                               : value.decimals[lane];
          part[c] = v;
          total[slot_of(c)] = total[slot_of(c)] + v;
        }
      }
    }
  }
  state.clawback_base.assign(compiled.size(), {});
  for (std::size_t k = 0; k < compiled.size(); ++k) {
    std::vector<Decimal>& base = state.clawback_base[k];
    base.assign(slots, Decimal{});
    if (compiled[k].aggregates.empty()) {
      for (std::size_t c = 0; c < credits; ++c)
        base[slot_of(c)] = base[slot_of(c)] + state.credits.amount_at(c);
    } else {
      for (int a : compiled[k].aggregates)
        for (std::size_t s = 0; s < slots; ++s) base[s] = base[s] + totals[a][s];
    }
  }
  for (RunState::ClawbackEvent& event : state.clawback_events) {
    const auto& used = compiled[event.clawback].aggregates;
    if (used.empty()) {
      event.weight = state.credits.amount_at(event.credit);
      continue;
    }
    for (int a : used) event.weight = event.weight + contribution[a][event.credit];
  }
}

}  // namespace

void find_clawbacks(RunState& state) {
  const PlanModel& model = state.model;
  // Under --lenient, the credits a measure cannot convert are rejected first,
  // so that neither clawbacks nor measures see them.
  reject_credits_without_rates(state);
  state.rule_credits = state.credits.size();
  state.clawback_events.clear();
  const auto& compiled = state.plan.program.clawbacks;
  if (compiled.empty() || model.credited_source < 0 || state.periods.empty()) return;
  const Table& rows = state.tables[model.credited_source];

  // The credits of each row of the credited source, in credit order.
  std::vector<std::uint32_t> first(rows.rows + 1, 0);
  std::vector<std::uint32_t> of_row(state.rule_credits);
  for (std::size_t c = 0; c < state.rule_credits; ++c)
    if (model.rules[state.credits.rule[c]].source == model.credited_source)
      ++first[state.credits.row[c] + 1];
  for (std::size_t r = 0; r < rows.rows; ++r) first[r + 1] += first[r];
  {
    std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
    for (std::size_t c = 0; c < state.rule_credits; ++c)
      if (model.rules[state.credits.rule[c]].source == model.credited_source)
        of_row[next[state.credits.row[c]]++] = static_cast<std::uint32_t>(c);
  }

  const std::int64_t base_period = period_ordinal(state.periods.front());
  const auto periods = static_cast<std::int64_t>(state.periods.size());
  CreditTable& credits = state.credits;
  std::vector<Date> dates;  // per event: the date of the cancellation
  for (std::size_t k = 0; k < compiled.size(); ++k) {
    const Program::Clawback& clawback = compiled[k];
    const ast::ClawbackDecl& decl = *model.clawbacks[k].decl;
    const InternedConstants interned = intern_constants(clawback.chunk, state.symbols);
    VmEnv env;
    env.calendar = &model.calendar;
    env.budget = &state.budget;
    env.interned = &interned;
    env.rows = &rows;
    std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);
    Frame frame;
    for (std::size_t base = 0; base < rows.rows; base += kBatchSize) {
      if (state.budget.should_stop()) return;  // Engine::run reports the limit
      const std::size_t lanes = std::min(kBatchSize, rows.rows - base);
      frame.reset(clawback.chunk, lanes);
      env.row_base = base;
      if (auto fault = Vm::run(clawback.chunk, frame, env)) {
        state.errors.push_back(Error{state.plan_location(clawback.chunk.spans[fault->instruction]),
                                     fault->message + " (clawback of `" + decl.payout + "`, " +
                                         row_label(rows, base + fault->lane) + ")",
                                     ""});
        return;
      }
      for (std::uint32_t lane : frame.active()) {
        const std::size_t row = base + lane;
        const bool dated = clawback.dated && (!clawback.date_optional ||
                                              frame.reg(clawback.date_present_reg).bools[lane]);
        const Date when = dated ? frame.reg(clawback.date_reg).dates[lane] : Date{};
        const Decimal& share = frame.reg(clawback.share_reg).decimals[lane];
        const std::int64_t event =
            dated ? period_ordinal(period_of(when, model.calendar)) - base_period : 0;
        for (std::uint32_t i = first[row]; i < first[row + 1]; ++i) {
          const std::uint32_t c = of_row[i];
          // Never before the period the incentive was earned in; without a
          // date, in that period.
          const std::int64_t charge = std::max<std::int64_t>(event, credits.period[c]);
          if (charge >= periods) continue;  // after the run: a later run charges it
          state.clawback_events.push_back(RunState::ClawbackEvent{
              static_cast<std::uint32_t>(k), c, static_cast<std::int32_t>(charge), share, {}});
          dates.push_back(dated ? when : credits.date[c]);
        }
      }
    }
  }
  weigh_clawbacks(state);
  if (!state.errors.empty()) return;
  // `and credit`: reverse each clawed-back credit in the period charged.
  for (std::size_t e = 0; e < state.clawback_events.size(); ++e) {
    const RunState::ClawbackEvent& event = state.clawback_events[e];
    if (!model.clawbacks[event.clawback].decl->and_credit) continue;
    const std::uint32_t c = event.credit;
    credits.push(credits.row[c], credits.rule[c], credits.line[c], credits.payee[c], event.charge,
                 dates[e], credits.kind[c], credits.share_at(c), -credits.amount_at(c));
  }
}

}  // namespace tally
