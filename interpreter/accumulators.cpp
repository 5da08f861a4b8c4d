#include "interpreter/accumulators.hpp"

#include <algorithm>

#include "interpreter/run_stages.hpp"

namespace tally {

namespace {

Error overflow(const RunState& state, const CompiledAggregate& aggregate) {
  return Error{
      state.plan_location(aggregate.chunk.spans.empty() ? Span{} : aggregate.chunk.spans[0]),
      "integer overflow in a sum", ""};
}

}  // namespace

void Accumulator::run(const RunState& state, const CompiledAggregate& aggregate,
                      const InternedConstants& interned, const std::vector<CreditRun>& runs,
                      SlotLayout layout, bool distinct) {
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
        const std::size_t slot = layout.slot(state.credits.payee[c], state.credits.period[c]);
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

std::size_t LocalPeriods::add(std::int32_t ordinal) {
  std::size_t local = 0;
  while (local < ordinals_.size() && ordinals_[local] != ordinal) ++local;
  if (local == ordinals_.size()) ordinals_.push_back(ordinal);
  // The table covers the ordinals met, unless they are far apart (dates
  // decades apart): then the ones outside it are searched as above.
  const auto [lo, hi] = std::minmax_element(ordinals_.begin(), ordinals_.end());
  if (*hi - *lo < 4096) {
    lowest_ = *lo;
    local_of_.assign(static_cast<std::size_t>(*hi - *lo + 1), -1);
    for (std::size_t l = 0; l < ordinals_.size(); ++l)
      local_of_[static_cast<std::size_t>(ordinals_[l] - lowest_)] = static_cast<std::int32_t>(l);
  }
  return local;
}

Decimal settled_units(std::int64_t units, int scale, int widest) {
  const Decimal sum = Decimal::from_units(units, scale);
  return widest < scale ? sum.trimmed().rescaled_up(widest) : sum;
}

void Accumulator::settle_units(std::size_t slot) {
  UnitSums& pending = unsettled;
  sums[slot] = sums[slot] + settled_units(pending.units[slot], pending.scale, pending.widest[slot]);
  pending.units[slot] = 0;
}

void Accumulator::settle() {
  UnitSums& pending = unsettled;
  for (std::size_t slot = 0; slot < pending.units.size(); ++slot) {
    if (!pending.any[slot]) continue;
    settle_units(slot);
    pending.widest[slot] = 0;
    pending.any[slot] = 0;
  }
}

void Accumulator::grow(std::size_t slots) {
  if (slots <= counts.size()) return;
  counts.resize(slots, 0);
  if (integral)
    int_values.resize(slots, 0);
  else
    sums.resize(slots);
}

}  // namespace tally
