// The compiler: turns a checked PlanModel into bytecode chunks, one per run
// stage. It trusts the checker: every expression it sees is typed.
#pragma once

#include <cstdint>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// Compiles every stage of a checked plan.
Program compile_plan(const PlanModel& model);

/// Compiles one constant expression (for `tally eval`) into `chunk`,
/// returning the register that holds its value.
std::uint16_t compile_constant_expression(const PlanModel& model, const ast::Expr& expr,
                                          Chunk& chunk,
                                          std::vector<Unsupported>* unsupported = nullptr);

/// The register representation of a value type.
RegType reg_type_of(const Type& type);

}  // namespace tally
