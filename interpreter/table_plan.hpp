// What the compiler decides about a plan's tables and goals, shared by the
// compiler (compile_tables.cpp) and the tables stage (table_values.cpp).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// Why the engine cannot run table `table`, or "" when it can.
std::string table_refusal(const PlanModel& model, int table);

/// Whether table `table` keeps its values in the run's TableStore (read
/// from a source, or `= EXPR` keyed only by payee and/or period) rather than
/// being computed where it is looked up (`= EXPR` keyed by other values).
bool stored_table(const PlanModel& model, int table);

/// The tables in the order the tables stage fills them: each after every
/// table its definition reads.
std::vector<int> table_fill_order(const PlanModel& model);

/// The chunks of the stored tables defined `= EXPR`; refuses (in
/// `unsupported`) the tables the engine cannot run.
std::vector<Program::TableChunk> compile_tables(const PlanModel& model,
                                                std::vector<Unsupported>* unsupported,
                                                const std::unordered_map<int, Constant>& known);

/// The roster field called `name` of kind `kind` (`manager`, `hire_date`,
/// `end_date`), or -1 when the roster has none.
int roster_field(const PlanModel& model, const std::string& name, Kind kind);

}  // namespace tally
