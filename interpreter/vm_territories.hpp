// The VM instructions of territories and lists (opcodes.def, section
// territories): territory(row) and owner(...) from the resolved territories,
// the loads of a `territories from` match over (transaction, map row) pairs,
// and `in` over a list-valued field or a named list.
#pragma once

#include <optional>
#include <vector>

#include "interpreter/vm.hpp"

namespace tally {

/// Runs one of LOAD_TERRITORY, LOAD_PAIR_FIELD, IN_LIST_FIELD, IN_NAMED_LIST
/// on the active lanes `sel`; returns the fault of the first failing lane.
std::optional<VmFault> run_territory_instruction(const Instr& in, std::vector<Register>& regs,
                                                 const std::vector<std::uint32_t>& sel,
                                                 const VmEnv& env);

}  // namespace tally
