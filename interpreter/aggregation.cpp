// Stage 3: measures. Each aggregate runs as bytecode over batches of credits
// (its `where` filter narrows the lanes) and folds the values into dense
// arrays indexed by payee and period, never a hash map.
#include <algorithm>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "interpreter/credit_runs.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"

namespace tally {

namespace {

/// The (slot, value) pairs a `count(distinct x)` sees, then the number of
/// different values per slot. Values are compared as their type compares
/// them: text by symbol, decimals by value (1.5 and 1.50 are one value).
class DistinctValues {
 public:
  void add(std::size_t slot, const Register& reg, std::uint32_t lane) {
    switch (reg.type) {
      case RegType::decimal:
        decimals_.emplace_back(slot, reg.decimals[lane]);
        return;
      case RegType::boolean:
        bits_.emplace_back(slot, reg.bools[lane]);
        return;
      case RegType::integer:
        bits_.emplace_back(slot, static_cast<std::uint64_t>(reg.ints[lane]));
        return;
      case RegType::date:
        bits_.emplace_back(slot, static_cast<std::uint32_t>(reg.dates[lane].days));
        return;
      case RegType::period:
        bits_.emplace_back(slot, static_cast<std::uint64_t>(period_ordinal(reg.periods[lane])));
        return;
      case RegType::symbol:
        bits_.emplace_back(slot, reg.symbols[lane]);
        return;
    }
  }

  /// Takes in the values of `later` (the credits after these).
  void absorb(DistinctValues& later) {
    bits_.insert(bits_.end(), later.bits_.begin(), later.bits_.end());
    decimals_.insert(decimals_.end(), later.decimals_.begin(), later.decimals_.end());
  }

  std::vector<std::int64_t> counts(std::size_t slots) {
    std::vector<std::int64_t> out(slots, 0);
    count_into(bits_, out);
    count_into(decimals_, out);
    return out;
  }

 private:
  template <class Pairs>
  static void count_into(Pairs& pairs, std::vector<std::int64_t>& out) {
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (i == 0 || !(pairs[i] == pairs[i - 1])) ++out[pairs[i].first];
  }

  std::vector<std::pair<std::size_t, std::uint64_t>> bits_;
  std::vector<std::pair<std::size_t, Decimal>> decimals_;
};

/// For an effective-dated roster: per period paid, the roster of one row
/// per payee that payouts read (`role`, `for role == ...`): the row in force
/// on the period's last day, or on the payee's `end_date` when they leave
/// within the period.
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

Error overflow(const RunState& state, const CompiledAggregate& aggregate) {
  return Error{
      state.plan_location(aggregate.chunk.spans.empty() ? Span{} : aggregate.chunk.spans[0]),
      "integer overflow in a sum", ""};
}

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

/// The per payee-period results of one aggregate over some credits.
struct Accumulator {
  Accumulator(bool integral_values, std::size_t slots)
      : integral(integral_values),
        sums(integral ? 0 : slots),
        counts(slots, 0),
        int_values(integral ? slots : 0, 0) {}

  bool integral;  ///< values are integers (int_values), else decimals (sums)

  std::vector<Decimal> sums;
  std::vector<std::int64_t> counts;
  std::vector<std::int64_t> int_values;
  DistinctValues seen;
  std::optional<Error> fault;  ///< the first fault or overflow; the rest was not run

  void run(const RunState& state, const CompiledAggregate& aggregate,
           const InternedConstants& interned, const std::vector<CreditRun>& runs,
           std::size_t periods, bool distinct);
  /// Adds `later` (the credits after these) in; false when that overflows an
  /// integer or either half stopped on a fault.
  bool join(Accumulator& later, AggregateKind kind);
};

void Accumulator::run(const RunState& state, const CompiledAggregate& aggregate,
                      const InternedConstants& interned, const std::vector<CreditRun>& runs,
                      std::size_t periods, bool distinct) {
  VmEnv env = credits_env(state, interned);
  Frame frame;
  // Over each range of credits whose rows live in one source table.
  for (const CreditRun& run : runs) {
    env.rows = run.rows;
    for (std::size_t base = run.begin; base < run.end; base += kBatchSize) {
      if (state.budget.should_stop()) {
        fault = Error{{}, "stopped by the run's limits", ""};  // Engine::run says which
        return;
      }
      const std::size_t lanes = std::min(kBatchSize, run.end - base);
      frame.reset(aggregate.chunk, lanes);
      env.credit_base = base;
      if (auto f = Vm::run(aggregate.chunk, frame, env)) {
        fault = Error{state.plan_location(aggregate.chunk.spans[f->instruction]),
                      f->message + " (" + credit_transaction_label(state, base + f->lane) + ")",
                      ""};  // names the credit's transaction
        return;
      }
      for (std::uint32_t lane : frame.active()) {
        const std::size_t c = base + lane;
        const std::size_t slot = static_cast<std::size_t>(state.credits.payee[c]) * periods +
                                 static_cast<std::size_t>(state.credits.period[c]);
        const bool first = counts[slot] == 0;
        ++counts[slot];
        if (aggregate.kind == AggregateKind::count) continue;
        if (distinct) {
          seen.add(slot, frame.reg(aggregate.value_reg), lane);
          continue;
        }
        if (integral) {
          const std::int64_t v = frame.reg(aggregate.value_reg).ints[lane];
          std::int64_t& acc = int_values[slot];
          if (aggregate.kind == AggregateKind::sum) {
            if (__builtin_add_overflow(acc, v, &acc)) {
              fault = overflow(state, aggregate);
              return;
            }
          } else if (first || (aggregate.kind == AggregateKind::min ? v < acc : v > acc)) {
            acc = v;
          }
          continue;
        }
        const Decimal& v = frame.reg(aggregate.value_reg).decimals[lane];
        Decimal& acc = sums[slot];
        switch (aggregate.kind) {
          case AggregateKind::sum:
          case AggregateKind::avg:
            acc = acc + v;
            break;
          case AggregateKind::min:
            if (first || v < acc) acc = v;
            break;
          case AggregateKind::max:
            if (first || acc < v) acc = v;
            break;
          case AggregateKind::count:
          case AggregateKind::count_distinct:
            break;
        }
      }
    }
  }
}

bool Accumulator::join(Accumulator& later, AggregateKind kind) {
  if (fault || later.fault) return false;
  seen.absorb(later.seen);
  for (std::size_t slot = 0; slot < counts.size(); ++slot) {
    const std::int64_t before = counts[slot];
    counts[slot] += later.counts[slot];
    if (later.counts[slot] == 0) continue;
    const bool take = before == 0;  // the earlier half had none: the later's value stands
    if (integral) {
      std::int64_t& acc = int_values[slot];
      const std::int64_t v = later.int_values[slot];
      if (kind == AggregateKind::sum || kind == AggregateKind::count) {
        if (__builtin_add_overflow(acc, v, &acc)) return false;
      } else if (take || (kind == AggregateKind::min ? v < acc : v > acc)) {
        acc = v;
      }
    } else {
      Decimal& acc = sums[slot];
      const Decimal& v = later.sums[slot];
      if (kind == AggregateKind::sum || kind == AggregateKind::avg)
        acc = acc + v;
      else if (take || (kind == AggregateKind::min ? v < acc : acc < v))
        acc = v;
    }
  }
  return true;
}
}  // namespace

void aggregate_credits(RunState& state) {
  const PlanModel& model = state.model;
  materialize_rosters(state);
  const std::size_t payees = state.payee_count();
  const std::size_t periods = state.periods.size();
  const std::size_t slots = payees * periods;
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
        !reads_exchange_rates(aggregate.chunk)) {
      // Named halves, not a structured binding: clang 14 cannot capture one in a lambda.
      const auto halves = split_runs(runs, credits / 2);
      const auto& first_half = halves.first;
      const auto& second_half = halves.second;
      if (!state.budget.charge_memory(accumulator_bytes)) return;
      Accumulator second(integral, slots);
      std::optional<std::thread> helper;
      try {
        helper.emplace([&] {
          if (!state.budget.run_guarded(
                  [&] { second.run(state, aggregate, interned, second_half, periods, distinct); }))
            second.fault = Error{{}, "stopped by an exception", ""};  // Engine::run reports it
        });
      } catch (const std::system_error&) {  // no thread to be had: one pass
      }
      if (helper) {
        total.run(state, aggregate, interned, first_half, periods, distinct);
        helper->join();
        whole = !total.join(second, aggregate.kind);
      }
    }
    if (state.budget.stopped()) return;
    if (whole) {
      total = Accumulator(integral, slots);
      total.run(state, aggregate, interned, runs, periods, distinct);
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
