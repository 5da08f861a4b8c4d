// Compiling currency conversions (docs/semantics/currencies.md): whether a
// program needs the run's exchange rates, and which reads of money in a
// source whose rows carry their own currency the engine refuses.
#pragma once

#include <vector>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// The field `currency: text` of source `source` (not the roster) that gives
/// each row's currency, or -1.
int row_currency_field(const PlanModel& model, int source);

/// Whether field `field` of source `source` is `money` written without a
/// currency, so that a row currency applies to it.
bool row_currency_money(const PlanModel& model, int source, int field);

/// Sets program.uses_fx and refuses (in program.unsupported) each read of a
/// row-currency money field other than inside a credit rule's amount.
void compile_fx(const PlanModel& model, Program& program);

}  // namespace tally
