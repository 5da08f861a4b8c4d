// Compiled code: a Chunk is a straight-line list of typed register
// instructions plus its constants. Plans are pure and loop-free (only folds
// over finite collections, run by the engine), so a chunk has no jumps;
// conditional work is done by narrowing the active lanes (SELECT_*).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grammar/source.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"

namespace tally {

enum class OpCode : std::uint8_t {
#define TALLY_OP(name, operands, effect) name,
#include "interpreter/opcodes.def"
#undef TALLY_OP
};

/// The representation of a register's lanes. Decimal, money and percent
/// values share `decimal`; text, payee and territory values are symbol ids.
enum class RegType : std::uint8_t { boolean, integer, decimal, date, period, symbol };

struct Instr {
  OpCode op;
  std::uint16_t d = 0;
  std::uint16_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t k = 0;
};

/// A constant of a chunk. Text constants hold the string; the engine interns
/// them per run (the plan itself stays immutable and shareable).
struct Constant {
  RegType type = RegType::decimal;
  bool boolean = false;
  std::int64_t integer = 0;
  Decimal decimal;
  Date date;
  Period period;
  std::string text;
};

/// A constant set for `in`: text members (interned per run) or decimals;
/// or a range [lower, upper) with an optional open upper end.
struct ConstantSet {
  std::vector<std::string> texts;
  std::vector<Decimal> decimals;
  Decimal lower;
  Decimal upper;
  bool has_upper = false;
};

/// A rate table as `apply` uses it: tiers [lower, upper) paying a rate,
/// marginal (each slice at its rate) or retroactive (all at the rate of the
/// tier reached). With `has_base` the bounds are ratios of a base (attainment
/// tiers); without, amounts.
struct RateTiers {
  bool marginal = true;
  bool has_base = false;
  std::vector<Decimal> lower;
  std::vector<Decimal> upper;
  std::vector<std::uint8_t> has_upper;
  std::vector<Decimal> rate;
};

/// Credit attributes readable with LOAD_CREDIT.
enum class CreditAttr : std::uint8_t { amount, share, kind, date, period };

struct Chunk {
  std::string name;  ///< what it computes, for the disassembler ("credit won", "payouts")
  std::vector<Instr> code;
  std::vector<Span> spans;  ///< parallel to code: the source of each instruction
  std::vector<Constant> constants;
  std::vector<ConstantSet> sets;
  std::vector<RateTiers> tiers;
  std::vector<RegType> registers;  ///< the type of each register

  /// A new register. Register numbers are 16-bit: past 65,535 registers the
  /// chunk is marked `too_large` (the compiler then refuses the plan) and
  /// the last register is reused, so nothing is written out of bounds.
  std::uint16_t add_register(RegType type) {
    if (registers.size() >= kMaxRegisters) {
      too_large = true;
      return static_cast<std::uint16_t>(kMaxRegisters - 1);
    }
    registers.push_back(type);
    return static_cast<std::uint16_t>(registers.size() - 1);
  }
  static constexpr std::size_t kMaxRegisters = 65535;
  bool too_large = false;
  void emit(Instr instr, Span span) {
    code.push_back(instr);
    spans.push_back(span);
  }
};

std::string_view opcode_name(OpCode op);
/// The operands an opcode takes, as opcodes.def lists them ("d a k").
std::string_view opcode_operands(OpCode op);
std::string_view reg_type_name(RegType type);

}  // namespace tally
