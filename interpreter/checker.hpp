// The checker: resolves every name of a parsed plan, types every expression
// with its unit, and turns declarations into a PlanModel the compiler can
// translate without looking at names again. It reports every problem it
// finds (errors and warnings), not only the first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/plan_model.hpp"

namespace tally {

struct CheckOutput {
  std::unique_ptr<PlanModel> model;  ///< set even when there are errors (for tooling)
  std::vector<Diagnostic> diagnostics;
  bool ok() const;
};

/// Checks a whole plan.
CheckOutput check_plan(ast::Plan plan);

/// Checks one free-standing expression (for `tally eval`) in the constant
/// context, recording its types in `model.info`.
std::vector<Diagnostic> check_constant_expression(PlanModel& model, const ast::Expr& expr);

/// Checks one expression typed into a REPL session, in the constant context
/// of `model`, where a payout, measure or let of the plan may be called for a
/// payee and a period as in a test's `expect` (`bookings("ann", 2026-Q1)`);
/// `example_arguments` (`"ann", 2026-Q1`) shows that call form in messages.
std::vector<Diagnostic> check_session_expression(PlanModel& model, const ast::Expr& expr,
                                                 const std::string& example_arguments);

}  // namespace tally
