#include "interpreter/credit_amount_sums.hpp"

#include <algorithm>
#include <cstdint>

#include "interpreter/bytecode.hpp"

namespace tally {

bool sums_credit_amounts(const RunState& state, const CompiledAggregate& aggregate) {
  if (aggregate.kind != AggregateKind::sum && aggregate.kind != AggregateKind::avg) return false;
  if (aggregate.value_type != RegType::decimal || aggregate.chunk.code.size() != 1) return false;
  const Instr& load = aggregate.chunk.code[0];
  return load.op == OpCode::LOAD_CREDIT &&
         load.k == static_cast<std::uint32_t>(CreditAttr::amount) &&
         load.d == aggregate.value_reg && !state.credits.amount.is_wide();
}

void add_credit_amounts(const RunState& state, const std::vector<CreditRun>& runs,
                        SlotLayout layout, Accumulator& into) {
  const CreditTable& credits = state.credits;
  const std::vector<std::int64_t>& amounts = credits.amount.units();
  const int scale = credits.amount.scale();
  // Per slot: the units at the column's scale, and the largest scale of the
  // amounts added; units of another scale (another chunk's) are settled first.
  UnitSums& pending = into.unsettled;
  if (pending.scale != scale) {
    into.settle();
    pending.scale = scale;
  }
  const std::size_t slots = into.counts.size();
  if (pending.units.size() < slots) {
    pending.units.resize(slots, 0);
    pending.widest.resize(slots, 0);
    pending.any.resize(slots, 0);
  }
  std::int64_t* units = pending.units.data();
  std::uint8_t* widest = pending.widest.data();
  std::uint8_t* any = pending.any.data();
  constexpr std::size_t kAskEvery = std::size_t{1} << 16;  // credits between limit checks
  for (const CreditRun& run : runs) {
    for (std::size_t lo = run.begin; lo < run.end; lo += kAskEvery) {
      if (state.budget.should_stop()) {
        into.fault = Error{{}, "stopped by the run's limits", ""};  // Engine::run says which
        return;
      }
      const std::size_t hi = std::min(run.end, lo + kAskEvery);
      for (std::size_t c = lo; c < hi; ++c) {
        const std::size_t slot = layout.slot(credits.payee[c], credits.period[c]);
        ++into.counts[slot];
        any[slot] = 1;
        widest[slot] = std::max(widest[slot], credits.amount_scale[c]);
        // An overflowing sum moves into the exact Decimal, then starts again.
        std::int64_t sum = 0;
        if (__builtin_add_overflow(units[slot], amounts[c], &sum)) {
          into.settle_units(slot);
          sum = amounts[c];
        }
        units[slot] = sum;
      }
    }
  }
}

void fold_credits(Accumulator& into, const RunState& state, const CompiledAggregate& aggregate,
                  const InternedConstants& interned, const std::vector<CreditRun>& runs,
                  SlotLayout layout, bool distinct, bool settle) {
  if (!distinct && !into.integral && sums_credit_amounts(state, aggregate)) {
    add_credit_amounts(state, runs, layout, into);
    if (settle) into.settle();
  } else {
    into.run(state, aggregate, interned, runs, layout, distinct);
  }
}

}  // namespace tally
