#include "interpreter/chunk_rewrites.hpp"

#include <string_view>

namespace tally {

namespace {

bool has_operand(const Instr& in, char operand) {
  return opcode_operands(in.op).find(operand) != std::string_view::npos;
}

}  // namespace

bool writes_register(const Instr& in, std::uint16_t r) {
  return in.d == r && has_operand(in, 'd');
}

bool reads_register(const Instr& in, std::uint16_t r) {
  return (in.a == r && (has_operand(in, 'a') || (in.op == OpCode::LOAD_TERRITORY && in.k == 2))) ||
         (in.b == r && has_operand(in, 'b'));
}

std::optional<std::size_t> sole_writer(const std::vector<Instr>& code, std::uint16_t r) {
  std::optional<std::size_t> writer;
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    if (!writes_register(code[pc], r)) continue;
    if (writer) return std::nullopt;
    writer = pc;
  }
  return writer;
}

void drop_instructions(Chunk& chunk, const std::vector<std::uint8_t>& dropped) {
  std::size_t kept = 0;
  for (std::size_t pc = 0; pc < chunk.code.size(); ++pc) {
    if (dropped[pc]) continue;
    chunk.code[kept] = chunk.code[pc];
    chunk.spans[kept] = chunk.spans[pc];
    ++kept;
  }
  chunk.code.resize(kept);
  chunk.spans.resize(kept);
}

}  // namespace tally
