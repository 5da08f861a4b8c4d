// The compilers of each run stage, called by compile_plan (compiler.cpp).
// Each records what it cannot compile in `unsupported`; `known` holds the
// constant lets folded at compile time.
#pragma once

#include <unordered_map>
#include <vector>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// A credit rule, run over batches of its source's rows (compile_crediting.cpp).
CompiledRule compile_rule(const PlanModel& model, const CreditRuleModel& rule,
                          std::vector<Unsupported>* unsupported,
                          const std::unordered_map<int, Constant>& known);

/// An aggregate, run over batches of credits (compile_crediting.cpp).
CompiledAggregate compile_aggregate(const PlanModel& model, const AggregateModel& aggregate,
                                    std::vector<Unsupported>* unsupported,
                                    const std::unordered_map<int, Constant>& known);

/// Values and payouts, run per period over the payees (compile_payouts.cpp).
CompiledPayouts compile_payouts(const PlanModel& model, std::vector<Unsupported>* unsupported,
                                const std::unordered_map<int, Constant>& known);

/// Clawback conditions, run over batches of the credited source's rows
/// (compile_clawbacks.cpp).
std::vector<Program::Clawback> compile_clawbacks(const PlanModel& model,
                                                 std::vector<Unsupported>* unsupported,
                                                 const std::unordered_map<int, Constant>& known);

}  // namespace tally
