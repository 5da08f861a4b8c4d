// The VM instructions of tables, goals, proration and rate lookups (the
// `tables` section of opcodes.def). vm.cpp dispatches them here so that the
// VM's switch stays small; they read the run's TableStore through VmEnv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/vm.hpp"

namespace tally {

/// A failure of one instruction on one lane.
struct LaneFault {
  std::uint32_t lane = 0;
  std::string message;
};

/// Runs `in`, one of the tables-section instructions, on the active lanes.
std::optional<LaneFault> run_table_instruction(const Instr& in, const Chunk& chunk,
                                               std::vector<Register>& regs,
                                               const std::vector<std::uint32_t>& active,
                                               const VmEnv& env);

/// A key of a table as stored: a symbol id, a period ordinal, a day number,
/// an integer or 0/1; nullopt (with `problem` set) when it cannot be a key.
std::optional<std::int64_t> encode_key(const Register& reg, std::uint32_t lane, const VmEnv& env,
                                       std::string& problem);

}  // namespace tally
