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
  const std::size_t slots = into.counts.size();
  // Per slot: the units at the column's scale, and the largest scale of the
  // amounts added (a sum of Decimals has its terms' largest scale).
  std::vector<std::int64_t> units(slots, 0);
  std::vector<std::uint8_t> widest(slots, 0);
  std::vector<std::uint8_t> any(slots, 0);
  auto flush = [&](std::size_t slot) {
    Decimal sum = Decimal::from_units(units[slot], scale);
    if (widest[slot] < scale) sum = sum.trimmed().rescaled_up(widest[slot]);
    into.sums[slot] = into.sums[slot] + sum;
    units[slot] = 0;
  };
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
          flush(slot);
          sum = amounts[c];
        }
        units[slot] = sum;
      }
    }
  }
  for (std::size_t slot = 0; slot < slots; ++slot)
    if (any[slot]) flush(slot);
}

void fold_credits(Accumulator& into, const RunState& state, const CompiledAggregate& aggregate,
                  const InternedConstants& interned, const std::vector<CreditRun>& runs,
                  SlotLayout layout, bool distinct) {
  if (!distinct && !into.integral && sums_credit_amounts(state, aggregate))
    add_credit_amounts(state, runs, layout, into);
  else
    into.run(state, aggregate, interned, runs, layout, distinct);
}

}  // namespace tally
