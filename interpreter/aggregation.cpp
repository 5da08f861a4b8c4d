// Stage 3: measures. Each aggregate runs as bytecode over batches of credits
// (its `where` filter narrows the lanes) and folds the values into dense
// arrays indexed by payee and period, never a hash map.
#include <algorithm>

#include "interpreter/run_stages.hpp"

namespace tally {

void aggregate_credits(RunState& state) {
  const PlanModel& model = state.model;
  const std::size_t payees = state.payee_count();
  const std::size_t periods = state.periods.size();
  const std::size_t slots = payees * periods;
  AggregateValues& out = state.aggregates;
  out.periods = periods;
  out.decimals.assign(model.aggregates.size(), {});
  out.integers.assign(model.aggregates.size(), {});
  if (model.credited_source < 0) return;
  const Table& rows = state.tables[model.credited_source];

  for (std::size_t a = 0; a < state.plan.program.aggregates.size(); ++a) {
    const CompiledAggregate& aggregate = state.plan.program.aggregates[a];
    const bool integral =
        aggregate.kind == AggregateKind::count ||
        (aggregate.kind != AggregateKind::avg && aggregate.value_type == RegType::integer);
    std::vector<Decimal> sums(integral ? 0 : slots);
    std::vector<std::int64_t> counts(slots, 0);
    std::vector<std::int64_t> int_values(integral ? slots : 0, 0);

    const InternedConstants interned = intern_constants(aggregate.chunk, state.symbols);
    VmEnv env;
    env.calendar = &model.calendar;
    env.interned = &interned;
    env.rows = &rows;
    env.credits = &state.credits;
    env.periods = &state.periods;
    std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);
    Frame frame;
    const std::size_t total = state.credits.size();
    for (std::size_t base = 0; base < total; base += kBatchSize) {
      const std::size_t lanes = std::min(kBatchSize, total - base);
      frame.reset(aggregate.chunk, lanes);
      env.credit_base = base;
      if (auto fault = Vm::run(aggregate.chunk, frame, env)) {
        state.errors.push_back(Error{state.plan_location(aggregate.chunk.spans[fault->instruction]),
                                     fault->message, ""});
        return;
      }
      for (std::uint32_t lane : frame.active()) {
        const std::size_t c = base + lane;
        const std::size_t slot = static_cast<std::size_t>(state.credits.payee[c]) * periods +
                                 static_cast<std::size_t>(state.credits.period[c]);
        const bool first = counts[slot] == 0;
        ++counts[slot];
        if (aggregate.kind == AggregateKind::count) continue;
        if (integral) {
          const std::int64_t v = frame.reg(aggregate.value_reg).ints[lane];
          std::int64_t& acc = int_values[slot];
          if (aggregate.kind == AggregateKind::sum) {
            if (__builtin_add_overflow(acc, v, &acc)) {
              state.errors.push_back(Error{
                  state.plan_location(aggregate.chunk.spans.empty() ? Span{}
                                                                    : aggregate.chunk.spans[0]),
                  "integer overflow in a sum", ""});
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
            break;
        }
      }
    }
    if (aggregate.kind == AggregateKind::count) {
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
