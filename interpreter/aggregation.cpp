// Stage 3: measures. Each aggregate runs as bytecode over batches of credits
// (its `where` filter narrows the lanes) and folds the values into dense
// arrays indexed by payee and period, never a hash map.
#include <algorithm>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "interpreter/accumulators.hpp"
#include "interpreter/credit_amount_sums.hpp"
#include "interpreter/credit_runs.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"

namespace tally {

void materialize_rosters(RunState& state) {
  const RosterHistory& history = state.roster_history;
  if (!history.dated()) return;
  const auto end_field = history.rows.find("end_date");
  const Column* ends = end_field && history.rows.columns[*end_field].type.kind == Kind::date
                           ? &history.rows.columns[*end_field]
                           : nullptr;
  std::vector<std::uint32_t> rows(state.payee_count());
  for (const Period& period : state.periods) {
    const Date first = period_start(period, state.model.calendar);
    const Date last = period_end(period, state.model.calendar);
    for (std::size_t p = 0; p < rows.size(); ++p) {
      const auto payee = static_cast<std::int32_t>(p);
      std::uint32_t row = history.row_at(payee, last);
      if (ends && !ends->is_null(row) && first <= ends->dates[row] && ends->dates[row] < last)
        row = history.row_at(payee, ends->dates[row]);
      rows[p] = row;
    }
    state.roster_by_period.push_back(select_rows(history.rows, rows));
  }
}

namespace {

/// Above this many credits an aggregate runs on two threads.
constexpr std::size_t kParallelCredits = 1 << 16;

/// `runs` cut after `first` credits: the credits before and from there.
std::pair<std::vector<CreditRun>, std::vector<CreditRun>> split_runs(
    const std::vector<CreditRun>& runs, std::size_t first) {
  std::vector<CreditRun> before;
  std::vector<CreditRun> after;
  for (const CreditRun& run : runs) {
    const std::size_t size = run.end - run.begin;
    if (first >= size) {
      before.push_back(run);
      first -= size;
    } else if (first == 0) {
      after.push_back(run);
    } else {
      before.push_back(CreditRun{run.begin, run.begin + first, run.rows});
      after.push_back(CreditRun{run.begin + first, run.end, run.rows});
      first = 0;
    }
  }
  return {before, after};
}

}  // namespace

void aggregate_credits(RunState& state) {
  const PlanModel& model = state.model;
  materialize_rosters(state);
  const std::size_t payees = state.payee_count();
  const std::size_t periods = state.periods.size();
  const std::size_t slots = payees * periods;
  const SlotLayout layout{periods, 1};  // payee-major, as AggregateValues keeps them
  AggregateValues& out = state.aggregates;
  out.periods = periods;
  out.decimals.assign(model.aggregates.size(), {});
  out.integers.assign(model.aggregates.size(), {});
  if (model.credited_source < 0) return;

  for (std::size_t a = 0; a < state.plan.program.aggregates.size(); ++a) {
    if (state.budget.should_stop()) return;
    const CompiledAggregate& aggregate = state.plan.program.aggregates[a];
    const bool distinct = aggregate.kind == AggregateKind::count_distinct;
    const bool integral =
        aggregate.kind == AggregateKind::count || distinct ||
        (aggregate.kind != AggregateKind::avg && aggregate.value_type == RegType::integer);
    const InternedConstants interned = intern_constants(aggregate.chunk, state.symbols);
    const std::vector<CreditRun> runs = credit_runs(state, a);

    // An accumulator's slots (two while the halves run), charged before
    // they are allocated.
    const std::size_t accumulator_bytes =
        slots * (sizeof(std::int64_t) + (integral ? sizeof(std::int64_t) : sizeof(Decimal)));
    if (!state.budget.charge_memory(accumulator_bytes)) return;
    Accumulator total(integral, slots);
    // Large aggregates run in two halves on two threads, then the halves are
    // joined; exact sums do not depend on the order of their terms. Anything
    // unusual (a fault, an integer overflow) runs again in one piece, which
    // reports it as it always has.
    std::size_t credits = 0;
    for (const CreditRun& run : runs) credits += run.end - run.begin;
    bool whole = true;
    if (credits >= kParallelCredits && state.two_threads() &&
        !reads_exchange_rates(aggregate.chunk) && !interns_text(aggregate.chunk)) {
      // Named halves, not a structured binding: clang 14 cannot capture one in a lambda.
      const auto halves = split_runs(runs, credits / 2);
      const auto& first_half = halves.first;
      const auto& second_half = halves.second;
      if (!state.budget.charge_memory(accumulator_bytes)) return;
      Accumulator second(integral, slots);
      std::optional<std::thread> helper;
      try {
        helper.emplace([&] {
          if (!state.budget.run_guarded([&] {
                fold_credits(second, state, aggregate, interned, second_half, layout, distinct);
              }))
            second.fault = Error{{}, "stopped by an exception", ""};  // Engine::run reports it
        });
      } catch (const std::system_error&) {  // no thread to be had: one pass
      }
      if (helper) {
        fold_credits(total, state, aggregate, interned, first_half, layout, distinct);
        helper->join();
        whole = !total.join(second, aggregate.kind);
      }
    }
    if (state.budget.stopped()) return;
    if (whole) {
      total = Accumulator(integral, slots);
      fold_credits(total, state, aggregate, interned, runs, layout, distinct);
      if (total.fault) {
        state.errors.push_back(std::move(*total.fault));
        return;
      }
    }
    std::vector<Decimal>& sums = total.sums;
    std::vector<std::int64_t>& counts = total.counts;
    std::vector<std::int64_t>& int_values = total.int_values;
    DistinctValues& seen = total.seen;
    if (distinct) {
      out.integers[a] = seen.counts(slots);
    } else if (aggregate.kind == AggregateKind::count) {
      out.integers[a] = std::move(counts);
    } else if (integral) {
      out.integers[a] = std::move(int_values);
    } else {
      if (aggregate.kind == AggregateKind::avg) {
        // The mean of no credits is zero, so a payee without credits pays nothing on it.
        for (std::size_t s = 0; s < slots; ++s)
          if (counts[s] > 0)
            sums[s] = Decimal::divide(sums[s], Decimal::from_int(counts[s])).value();
      }
      out.decimals[a] = std::move(sums);
    }
  }
}

}  // namespace tally
