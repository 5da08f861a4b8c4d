// The bytecode verifier: checks compiled chunks against the invariants the VM
// relies on without checking them itself (the VM indexes registers, constants
// and columns unchecked, for speed). A chunk that fails is a compiler bug;
// the verifier turns it into a clear internal error instead of a crash or a
// silent out-of-bounds read. compile_plan runs it on every plan.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// What a chunk may refer to outside itself. An unknown bound (the default)
/// is not checked: a chunk verified on its own can still be checked fully
/// for its registers, constants, sets and tiers.
struct VerifyBounds {
  static constexpr std::size_t kUnknown = std::numeric_limits<std::size_t>::max();
  std::size_t fields = kUnknown;         ///< columns of the widest source
  std::size_t roster_fields = kUnknown;  ///< columns of the roster
  std::size_t aggregates = kUnknown;     ///< LOAD_AGGREGATE
  std::size_t tables = kUnknown;         ///< LOAD_TABLE, TABLE_GET, TABLE_ROLLUP
  std::size_t values = kUnknown;         ///< LOAD_CUMULATIVE (k / 3)
  std::size_t payouts = kUnknown;        ///< LOAD_PAID_BEFORE (k / 3)
  /// By value index: 1 for a measure (computed for every payee, so its
  /// CompiledPayouts::value_regs entry must be a register of the chunk).
  std::vector<std::uint8_t> measures;

  /// The bounds a plan's chunks must keep within.
  static VerifyBounds of(const PlanModel& model);
};

/// A broken invariant: which chunk, which instruction, and what is wrong.
struct VerifyFailure {
  std::string chunk;    ///< Chunk::name, or what the program-level check concerns
  std::size_t pc = 0;   ///< the instruction; the chunk's size for a chunk-level problem
  std::string message;  ///< e.g. "register a = 12 is past the 10 registers of the chunk"

  /// One line for people: `chunk "payouts", instruction 3 (ADD_DEC): ...`.
  std::string describe() const;
};

/// Checks one chunk: every opcode known, each operand register within the
/// chunk and of the type the opcode reads or writes, constant, set and tier
/// indices within the chunk's pools, immediates within their range (compare
/// codes, rounding modes, credit attributes, ...), SELECT_POP never below the
/// lanes the chunk started with, and one source span per instruction.
std::optional<VerifyFailure> verify_chunk(const Chunk& chunk, const VerifyBounds& bounds = {});

/// Checks every chunk of a program, and the registers the engine reads after
/// each chunk (a rule's date and amount, a payout's amount, ...): within the
/// chunk and of the type the engine reads them as.
std::optional<VerifyFailure> verify_program(const Program& program,
                                            const VerifyBounds& bounds = {});

}  // namespace tally
