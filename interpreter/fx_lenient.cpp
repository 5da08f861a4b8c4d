// What `--lenient` does with a missing exchange rate after crediting
// (docs/semantics/currencies.md): a credit a measure cannot convert is
// rejected and left out of every measure; a payout whose formula cannot
// convert is left out for that payee and period. Without --lenient both stay
// errors that stop the run.
#include <algorithm>
#include <unordered_map>

#include "interpreter/credit_runs.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

bool converts(const Chunk& chunk) {
  return std::any_of(chunk.code.begin(), chunk.code.end(),
                     [](const Instr& in) { return in.op == OpCode::FX_CONVERT; });
}

bool inside(Span inner, Span outer) {
  return outer.begin <= inner.begin && inner.end <= outer.end && inner.end > inner.begin;
}

/// "measure `bookings`": the value whose definition holds aggregate `a`.
std::string measure_name(const PlanModel& model, std::size_t a) {
  const ast::Expr* call = model.aggregates[a].call;
  for (const ValueModel& value : model.values)
    if (call && inside(call->span, value.decl->span))
      return (value.decl->is_measure ? "measure `" : "let `") + value.decl->name + "`";
  return call ? "`" + std::string(call->text) + "`" : std::string("a measure");
}

}  // namespace

void reject_credits_without_rates(RunState& state) {
  if (!state.lenient || !state.plan.program.uses_fx || state.model.credited_source < 0) return;
  const PlanModel& model = state.model;
  std::vector<std::uint8_t> rejected(state.credits.size(), 0);
  bool any = false;
  for (std::size_t a = 0; a < state.plan.program.aggregates.size(); ++a) {
    const CompiledAggregate& aggregate = state.plan.program.aggregates[a];
    if (!converts(aggregate.chunk)) continue;
    const InternedConstants interned = intern_constants(aggregate.chunk, state.symbols);
    VmEnv env = credits_env(state, interned);
    Frame frame;
    for (const CreditRun& run : credit_runs(state, a)) {
      env.rows = run.rows;
      for (std::size_t base = run.begin; base < run.end; base += kBatchSize) {
        const std::size_t lanes = std::min(kBatchSize, run.end - base);
        env.credit_base = base;
        // The batch runs again without each credit whose rate is missing,
        // until it converts every other one. Other faults are left to the
        // aggregation stage, which reports them.
        for (;;) {
          frame.reset(aggregate.chunk, lanes);
          for (std::size_t lane = 0; lane < lanes; ++lane)
            if (rejected[base + lane]) frame.deactivate(static_cast<std::uint32_t>(lane));
          const auto fault = Vm::run(aggregate.chunk, frame, env);
          if (!fault || !fault->about_data) break;
          const std::size_t credit = base + fault->lane;
          rejected[credit] = 1;
          any = true;
          const auto source =
              static_cast<std::size_t>(model.rules[state.credits.rule[credit]].source);
          const std::size_t row = state.credits.row[credit];
          // The rejects file names the row in its own columns: the message
          // keeps the currency, the day and why, without the row's path.
          std::string why = fault->message;
          why = why.substr(0, why.find(", converting"));
          state.data_error(DataErrorKind::missing_fx_rate,
                           Error{row_location(*run.rows, row),
                                 why + " (" + measure_name(model, a) + "; the credit to payee \"" +
                                     std::string(state.payee_id(state.credits.payee[credit])) +
                                     "\" is left out of every measure)",
                                 ""},
                           transaction_id(model.sources[source].schema, *run.rows, row,
                                          state.symbols, model.calendar));
        }
      }
    }
  }
  if (any) state.credits.retain([&](std::size_t c) { return rejected[c] == 0; });
}

namespace {

/// The payout whose part of the payouts chunk holds instruction `pc`, or -1
/// when it is computed for every payee before the payouts (a measure, or a
/// value read by `ytd`) or after them (a draw): a missing rate there leaves
/// the whole payee-period out.
int payout_of_instruction(const PlanModel& model, const CompiledPayouts& compiled, std::size_t pc) {
  const Chunk& chunk = compiled.chunk;
  // Each payout ends with the rounding of its amount; what lies between the
  // end of one payout and the next was compiled for the next (its guard and
  // the lets it reads, recompiled under its selection).
  std::vector<std::size_t> ends;
  std::size_t from = 0;
  for (const auto& payout : compiled.payouts) {
    std::size_t end = chunk.code.size();
    for (std::size_t i = from; i < chunk.code.size(); ++i)
      if (chunk.code[i].op == OpCode::ROUND_DEC && chunk.code[i].d == payout.amount_reg) {
        end = i;
        break;
      }
    ends.push_back(end);
    from = end + 1;
  }
  // The values computed for every payee come first.
  std::size_t shared_end = 0;
  for (std::size_t v = 0; v < model.values.size(); ++v) {
    const bool everywhere =
        model.values[v].decl->is_measure ||
        std::find(compiled.cumulative_values.begin(), compiled.cumulative_values.end(),
                  static_cast<int>(v)) != compiled.cumulative_values.end();
    if (!everywhere) continue;
    const std::size_t limit = ends.empty() ? chunk.code.size() : ends.front();
    for (std::size_t i = 0; i < limit && i < chunk.spans.size(); ++i)
      if (inside(chunk.spans[i], model.values[v].decl->span))
        shared_end = std::max(shared_end, i + 1);
  }
  if (pc < shared_end) return -1;
  for (std::size_t p = 0; p < ends.size(); ++p)
    if (pc <= ends[p]) return static_cast<int>(p);
  return -1;
}

}  // namespace

void report_fx_misses(RunState& state, std::size_t period) {
  FxRates& fx = state.fx;
  if (fx.misses.empty()) return;
  const PlanModel& model = state.model;
  const CompiledPayouts& compiled = state.plan.program.payouts;
  const Chunk& chunk = compiled.chunk;
  const std::size_t periods = state.periods.size();
  const std::size_t slots = state.payee_count() * periods;
  if (fx.left_out.size() != compiled.payouts.size() * slots)
    fx.left_out.assign(compiled.payouts.size() * slots, 0);
  if (state.left_out_by_tables.size() != slots) state.left_out_by_tables.assign(slots, 0);
  const std::string label = period_label(state.periods[period], model.calendar);
  // Per conversion site (its constant set): the payout it belongs to.
  std::unordered_map<const ConstantSet*, int> payout_of_site;
  for (const FxRates::Miss& miss : fx.misses) {
    auto site = payout_of_site.find(miss.codes);
    if (site == payout_of_site.end()) {
      // The instruction that converted: the one reading the miss's set.
      std::size_t pc = chunk.code.size();
      if (!chunk.sets.empty() && miss.codes >= chunk.sets.data() &&
          miss.codes < chunk.sets.data() + chunk.sets.size()) {
        const auto set = static_cast<std::uint32_t>(miss.codes - chunk.sets.data());
        for (std::size_t i = 0; i < chunk.code.size(); ++i)
          if (chunk.code[i].op == OpCode::FX_CONVERT && chunk.code[i].k == set) pc = i;
      }
      site = payout_of_site
                 .emplace(miss.codes,
                          pc < chunk.code.size() ? payout_of_instruction(model, compiled, pc) : -1)
                 .first;
    }
    const int payout = site->second;
    const std::size_t slot = miss.payee * periods + period;
    std::uint8_t& out = payout >= 0 ? fx.left_out[static_cast<std::size_t>(payout) * slots + slot]
                                    : state.left_out_by_tables[slot];
    if (out) continue;  // one reject per payee, period and component
    out = 1;
    const std::string payee(state.payee_id(static_cast<std::int32_t>(miss.payee)));
    const std::string what =
        payout >= 0 ? "the payout `" + model.payouts[static_cast<std::size_t>(payout)].decl->name +
                          "` of this payee and period is left out"
                    : "the payee's rows of this period are left out";
    state.data_error(
        DataErrorKind::missing_fx_rate,
        Error{{}, miss.message + " (payee \"" + payee + "\", period " + label + "); " + what, ""});
  }
  fx.misses.clear();
}

bool left_out_by_fx(const RunState& state, std::size_t payout, std::size_t payee,
                    std::size_t period) {
  const std::size_t slots = state.payee_count() * state.periods.size();
  const std::size_t at = payout * slots + payee * state.periods.size() + period;
  return at < state.fx.left_out.size() && state.fx.left_out[at] != 0;
}

}  // namespace tally
