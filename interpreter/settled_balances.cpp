#include "interpreter/settled_balances.hpp"

#include <unordered_map>

namespace tally {

const char* carried_kind_name(CarriedKind kind) {
  switch (kind) {
    case CarriedKind::draw:
      return "draw";
    case CarriedKind::deferred:
      return "deferred";
    case CarriedKind::carried:
      return "carried";
  }
  return "";
}

SettledBalances::SettledBalances(RunState& state) {
  if (!state.settled || state.settled->periods.empty()) return;
  const PlanModel& model = state.model;
  std::unordered_map<std::string, std::size_t> period_of;
  for (std::size_t p = 0; p < state.periods.size(); ++p)
    period_of.emplace(period_label(state.periods[p], model.calendar), p);
  settled_.assign(state.periods.size(), 0);
  for (const std::string& label : state.settled->periods)
    if (auto it = period_of.find(label); it != period_of.end()) settled_[it->second] = 1;

  std::unordered_map<std::string, std::size_t> payee_of;
  for (std::size_t g = 0; g < state.payee_count(); ++g)
    payee_of.emplace(std::string(state.payee_id(static_cast<std::int32_t>(g))), g);
  std::unordered_map<std::string, std::size_t> draw_of;  // recoverable draws
  for (std::size_t d = 0; d < model.draws.size(); ++d)
    if (state.plan.program.payouts.draws[d].recoverable)
      draw_of.emplace(model.draws[d].decl->name, d);

  for (const CarriedBalance& row : state.settled->balances) {
    const auto period = period_of.find(row.period);
    if (period == period_of.end() || !settled_[period->second]) continue;
    const std::string what = "the " + row.kind + " balance " + row.amount + " of `" + row.name +
                             "` for payee \"" + row.payee + "\" at the end of " + row.period;
    const auto amount = Decimal::parse(row.amount);
    if (!amount) {
      state.errors.push_back(Error{{}, what + " is not a decimal number", ""});
      continue;
    }
    bool known = false;
    for (CarriedKind k : {CarriedKind::draw, CarriedKind::deferred, CarriedKind::carried})
      known = known || row.kind == carried_kind_name(k);
    if (!known) {
      state.errors.push_back(
          Error{{}, what + " has an unknown kind", "the kinds are draw, deferred and carried"});
      continue;
    }
    // Deferred excess and payment plans are recomputed (docs/adjustments.md).
    if (row.kind != carried_kind_name(CarriedKind::draw) || amount->is_zero()) continue;
    const auto payee = payee_of.find(row.payee);
    const auto draw = draw_of.find(row.name);
    if (payee == payee_of.end() || draw == draw_of.end()) {
      state.warnings.push_back(
          Error{{},
                what + " is not carried forward: " +
                    (payee == payee_of.end() ? std::string("the payee is not in the roster")
                                             : "the plan has no recoverable draw of that name"),
                "the balance stays in the ledger; settle it by hand or restore the name"});
      continue;
    }
    draws_[{draw->second, payee->second, period->second}] = *amount;
  }
}

Decimal SettledBalances::draw_balance(std::size_t draw, std::size_t payee,
                                      std::size_t period) const {
  const auto it = draws_.find({draw, payee, period});
  return it == draws_.end() ? Decimal{} : it->second;
}

}  // namespace tally
