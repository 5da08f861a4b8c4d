// `tally test`: runs each `test` block of a plan. The block's statements
// become in-memory sources (the roster, the (payee, period) tables it sets,
// the credited source's rows), the real engine runs over them, and each
// `expect` is compiled to bytecode with the results of the run in place of
// its `payout(payee, period)` and `value(payee, period)` calls. A failing
// expect is shown with its expected and actual values and the explain tree
// of every payout or value it asks for. docs/testing.md is the user guide.
#pragma once

#include "interpreter/plan.hpp"
#include "tally/tally.hpp"

namespace tally {

/// Runs every `test` block of `plan` with `engine`, in declaration order.
TestReport run_plan_tests(const Engine& engine, const Plan& plan);

}  // namespace tally
