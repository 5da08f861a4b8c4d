// What turns earnings into payments: payout clauses (caps, floors, payment
// plans), draws and clawbacks.
#include <algorithm>
#include <string>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"

namespace tally::checking {

namespace {

const std::vector<std::string>& grains() {
  static const std::vector<std::string> names{"period", "month", "quarter", "half", "year"};
  return names;
}

/// `K * t(...)` or `t(...) * K` with K a literal: the call and K.
std::optional<std::pair<const ast::Expr*, Decimal>> scaled_call(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::call) return std::pair{&e, Decimal::from_int(1)};
  if (e.kind != ast::ExprKind::binary || e.op != ast::Op::mul) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const ast::Expr& call = *e.args[side];
    const ast::Expr& factor = *e.args[1 - side];
    if (call.kind != ast::ExprKind::call) continue;
    if (auto k = literal_value(factor)) return std::pair{&call, *k};
  }
  return std::nullopt;
}

}  // namespace

void Checker::check_payout_clauses(const ast::PayoutDecl& decl, Scope& scope) {
  if (decl.cap) expect_plan_money(*decl.cap, scope, "the cap");
  if (decl.floor) expect_plan_money(*decl.floor, scope, "the floor");
  if (decl.pay_min) expect_plan_money(*decl.pay_min, scope, "the minimum payment");
  if (decl.pay_max) expect_plan_money(*decl.pay_max, scope, "the maximum payment");
  for (const auto& [per, what, expr] : {std::tuple{decl.cap_per, "cap", decl.cap.get()},
                                        std::tuple{decl.floor_per, "floor", decl.floor.get()}}) {
    if (per.empty() || !expr) continue;
    if (per != "period" && per != "year")
      error(
          expr->span,
          std::string("a ") + what + " applies `per period` or `per year`, found `per " + per + "`",
          did_you_mean(per, {"period", "year"}));
  }
  if (decl.cap_defer && !decl.cap)
    error(decl.span,
          "`defer` carries the excess over a cap, but payout `" + decl.name + "` has no cap");
  // Constant bounds that contradict each other.
  const auto cap = decl.cap ? literal_value(*decl.cap) : std::nullopt;
  const auto floor = decl.floor ? literal_value(*decl.floor) : std::nullopt;
  if (cap && floor && *cap < *floor && decl.cap_per == decl.floor_per)
    error(decl.floor->span,
          "the floor " + text_of(*decl.floor) + " is above the cap " + text_of(*decl.cap));
  const auto pay_min = decl.pay_min ? literal_value(*decl.pay_min) : std::nullopt;
  const auto pay_max = decl.pay_max ? literal_value(*decl.pay_max) : std::nullopt;
  if (pay_min && pay_max && *pay_max < *pay_min)
    error(decl.pay_max->span, "the maximum payment " + text_of(*decl.pay_max) +
                                  " is below the minimum " + text_of(*decl.pay_min));
  if (pay_min && pay_min->sign() < 0)
    error(decl.pay_min->span, "the minimum payment cannot be negative");
  // `cap 0.5 * target_incentive(payee, period)`: nobody can earn their target.
  if (decl.cap) {
    if (auto scaled = scaled_call(*decl.cap)) {
      const auto& [call, factor] = *scaled;
      const auto info = m_.info.find(call);
      const bool target = info != m_.info.end() && info->second.binding == Binding::table_call &&
                          call->text.find("target") != std::string::npos;
      if (target && factor < Decimal::from_int(1))
        warning(decl.cap->span,
                "the cap of `" + decl.name + "` is below the target incentive (" +
                    text_of(*decl.cap) + "), so nobody can earn their target",
                "caps are usually a multiple of the target, e.g. `cap 3 * " + text_of(*call) + "`");
    }
  }
}

void Checker::check_draws() {
  std::vector<std::string> seen;
  for (const ast::DrawDecl& decl : m_.ast.draws) {
    m_.draws.push_back(DrawModel{&decl});
    if (std::find(seen.begin(), seen.end(), decl.name) != seen.end() || plan_name_taken(decl.name))
      error(decl.name_span, "`" + decl.name + "` is already declared");
    seen.push_back(decl.name);
    Scope scope;
    scope.context = Context::payee_period;
    std::vector<int> dependencies;
    scope.dependencies = &dependencies;
    if (decl.for_role) {
      if (m_.roster_role < 0 && m_.roster >= 0)
        error(decl.for_role->span, "`for role` needs a `role` field in the roster `" +
                                       m_.sources[m_.roster].schema.name + "`");
      else
        expect_kind(*decl.for_role, scope, Kind::boolean, "the `for role` guard");
    }
    if (decl.when) expect_kind(*decl.when, scope, Kind::boolean, "the `when` guard");
    if (decl.amount) expect_plan_money(*decl.amount, scope, "the draw `" + decl.name + "`");
    if (decl.amount)
      if (auto v = literal_value(*decl.amount); v && v->sign() <= 0)
        error(decl.amount->span,
              "a draw must be a positive amount, found " + text_of(*decl.amount));
    for (const auto& per : {decl.per, decl.limit_per})
      if (!per.empty() && std::find(grains().begin(), grains().end(), per) == grains().end())
        error(decl.span,
              "a draw is paid per month, quarter, half, year or period, found `per " + per + "`",
              did_you_mean(per, grains()));
    if (decl.limit) {
      expect_plan_money(*decl.limit, scope, "the recovery limit");
      if (!decl.recoverable)
        error(decl.limit->span,
              "draw `" + decl.name + "` is not recoverable, so a recovery limit means nothing",
              "write `recoverable limit ...`, or remove the limit");
    } else if (decl.recoverable) {
      // LANGUAGE.md §4: after a recoverable draw ends, repayment takes earnings
      // up to a per-period limit the plan states; without one the whole of
      // later earnings can go to repayment.
      warning(decl.name_span,
              "draw `" + decl.name +
                  "` is recoverable but has no recovery limit, so after it ends "
                  "repayment can take a payee's whole earnings",
              "state the limit, e.g. `recoverable limit 1_000 " + m_.currency + " per month`");
    }
  }
}

void Checker::check_clawbacks() {
  std::vector<std::string> payouts;
  for (const auto& p : m_.payouts) payouts.push_back(p.decl->name);
  for (const ast::ClawbackDecl& decl : m_.ast.clawbacks) {
    ClawbackModel clawback;
    clawback.decl = &decl;
    const auto it = std::find(payouts.begin(), payouts.end(), decl.payout);
    if (it == payouts.end())
      error(decl.payout_span, "unknown payout `" + decl.payout + "`",
            did_you_mean(decl.payout, payouts));
    else
      clawback.payout = static_cast<int>(it - payouts.begin());
    if (m_.credited_source < 0) {
      error(decl.span,
            "a clawback reverses pay for a credited transaction, but the plan has no credit rule");
      m_.clawbacks.push_back(clawback);
      continue;
    }
    Scope scope = row_scope();
    if (decl.when) expect_kind(*decl.when, scope, Kind::boolean, "the clawback condition");
    if (decl.share) {
      Scope constant;
      const Type t = operand(*decl.share, constant);
      if (t.kind != Kind::error && t.kind != Kind::percent && t.kind != Kind::decimal)
        error(decl.share->span, "the share clawed back must be a percent, found " + type_name(t),
              "e.g. `share 50%`");
      else if (auto v = literal_value(*decl.share);
               v && (v->sign() <= 0 || Decimal::from_int(1) < *v))
        error(decl.share->span, "the share clawed back must be above 0% and at most 100%, found " +
                                    text_of(*decl.share));
    }
    m_.clawbacks.push_back(clawback);
  }
}

}  // namespace tally::checking
