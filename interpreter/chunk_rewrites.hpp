// What the passes that rewrite a compiled chunk for a faster path share
// (rule_outputs.cpp, kind_filter.cpp, leading_select.cpp): which registers an
// instruction writes and may read, the one instruction that writes a
// register, and the chunk without some instructions. A chunk has no jumps
// (bytecode.hpp), so an instruction left out changes nothing but what it
// wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "interpreter/bytecode.hpp"

namespace tally {

/// Whether `in` writes register `r` (its d operand).
bool writes_register(const Instr& in, std::uint16_t r);
/// Whether `in` may read register `r`: its a or b operand, where the opcode
/// takes one (LOAD_TERRITORY reads a in its mode k = 2 without listing it).
/// An operand that is a mode counts: a pass errs on the side of reading.
bool reads_register(const Instr& in, std::uint16_t r);

/// The one instruction of `code` that writes register `r`; nullopt when
/// none or several do.
std::optional<std::size_t> sole_writer(const std::vector<Instr>& code, std::uint16_t r);

/// Leaves out of `chunk` the instructions whose flag in `dropped` is set,
/// with their source spans.
void drop_instructions(Chunk& chunk, const std::vector<std::uint8_t>& dropped);

}  // namespace tally
