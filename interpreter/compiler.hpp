// The compiler: turns a checked PlanModel into bytecode chunks, one per run
// stage. It trusts the checker: every expression it sees is typed.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// Compiles every stage of a checked plan.
Program compile_plan(const PlanModel& model);

/// Compiles one constant expression (for `tally eval`) into `chunk`,
/// returning the register that holds its value.
/// `known` holds constant lets already folded (see fold_constant_lets).
std::uint16_t compile_constant_expression(const PlanModel& model, const ast::Expr& expr,
                                          Chunk& chunk,
                                          std::vector<Unsupported>* unsupported = nullptr,
                                          const std::unordered_map<int, Constant>* known = nullptr);

/// The value of every constant `let` (one that needs no payee, period or
/// row), computed once at compile time, by value index. A let whose
/// evaluation fails (division by zero) is left out, to fail where it is used.
std::unordered_map<int, Constant> fold_constant_lets(const PlanModel& model);

/// The register representation of a value type.
RegType reg_type_of(const Type& type);

}  // namespace tally
