// The checker: resolves every name of a parsed plan, types every expression
// with its unit, and turns declarations into a PlanModel the compiler can
// translate without looking at names again. It reports every problem it
// finds (errors and warnings), not only the first.
#pragma once

#include <memory>
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

}  // namespace tally
