// Stage 4: values and payouts, period by period in order, one lane per payee.
#include <algorithm>

#include "interpreter/run_stages.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

std::string value_text(const Register& reg, std::uint32_t lane) {
  if (reg.type == RegType::integer) return std::to_string(reg.ints[lane]);
  return reg.decimals[lane].to_string();
}

}  // namespace

void compute_payouts(RunState& state, ResultTable& payouts, ResultTable& measures, Decimal& total) {
  const PlanModel& model = state.model;
  const CompiledPayouts& compiled = state.plan.program.payouts;
  const std::size_t payees = state.payee_count();
  const InternedConstants interned = intern_constants(compiled.chunk, state.symbols);
  VmEnv env;
  env.calendar = &model.calendar;
  env.interned = &interned;
  env.roster = model.roster >= 0 ? &state.roster() : nullptr;
  env.periods = &state.periods;
  env.aggregates = &state.aggregates;
  env.tables = &state.table_values;
  std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);

  // Rows are produced period by period; statements read payee by payee.
  using KeyedRow = std::pair<std::size_t, std::vector<std::string>>;
  std::vector<KeyedRow> payout_rows;
  std::vector<KeyedRow> measure_rows;
  const std::size_t periods = state.periods.size();
  const std::size_t width = model.values.size() + compiled.payouts.size() + 1;
  Frame frame;
  for (std::size_t p = 0; p < state.periods.size(); ++p) {
    const std::string label = period_label(state.periods[p], model.calendar);
    env.period_index = p;
    for (std::size_t base = 0; base < payees; base += kBatchSize) {
      const std::size_t lanes = std::min(kBatchSize, payees - base);
      frame.reset(compiled.chunk, lanes);
      env.payee_base = base;
      if (auto fault = Vm::run(compiled.chunk, frame, env)) {
        const auto payee = static_cast<std::int32_t>(base + fault->lane);
        state.errors.push_back(Error{state.plan_location(compiled.chunk.spans[fault->instruction]),
                                     fault->message + " (payee \"" +
                                         std::string(state.payee_id(payee)) + "\", period " +
                                         label + ")",
                                     ""});
        return;
      }
      for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        const std::string payee(state.payee_id(static_cast<std::int32_t>(base + lane)));
        const std::size_t key = ((base + lane) * periods + p) * width;
        for (std::size_t v = 0; v < model.values.size(); ++v) {
          if (!model.values[v].decl->is_measure) continue;
          measure_rows.push_back({key + v,
                                  {payee, label, model.values[v].decl->name,
                                   value_text(frame.reg(compiled.value_regs[v]), lane)}});
        }
        for (std::size_t i = 0; i < compiled.payouts.size(); ++i) {
          const auto& payout = compiled.payouts[i];
          if (payout.guarded && !frame.reg(payout.guard_reg).bools[lane]) continue;
          const Decimal& amount = frame.reg(payout.amount_reg).decimals[lane];
          total = total + amount;
          payout_rows.push_back(
              {key + i, {payee, label, model.payouts[i].decl->name, format_amount(amount)}});
        }
      }
    }
  }
  auto by_key = [](const KeyedRow& a, const KeyedRow& b) { return a.first < b.first; };
  std::sort(payout_rows.begin(), payout_rows.end(), by_key);
  std::sort(measure_rows.begin(), measure_rows.end(), by_key);
  for (auto& row : payout_rows) payouts.rows.push_back(std::move(row.second));
  for (auto& row : measure_rows) measures.rows.push_back(std::move(row.second));
}

}  // namespace tally
