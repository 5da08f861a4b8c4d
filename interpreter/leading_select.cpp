#include "interpreter/leading_select.hpp"

#include "interpreter/chunk_rewrites.hpp"

namespace tally {

LeadingSelect take_leading_select(Chunk& chunk) {
  std::vector<Instr>& code = chunk.code;
  if (code.size() < 2) return {};
  const Instr load = code[0];
  const Instr select = code[1];
  if (load.op != OpCode::LOAD_FIELD ||
      (select.op != OpCode::SELECT_SYM_EQ && select.op != OpCode::SELECT_SYM_NE) ||
      select.a != load.d)
    return {};
  std::size_t depth = 0;  // of the selections after the test's
  for (std::size_t pc = 2; pc < code.size(); ++pc) {
    const Instr& in = code[pc];
    if (reads_register(in, load.d) || writes_register(in, load.d)) return {};
    if (in.op == OpCode::SELECT_TRUE || in.op == OpCode::SELECT_FALSE ||
        in.op == OpCode::SELECT_SYM_EQ || in.op == OpCode::SELECT_SYM_NE)
      ++depth;
    if (in.op == OpCode::SELECT_POP) {
      if (depth == 0) return {};  // it would widen the lanes past the test
      --depth;
    }
  }
  code.erase(code.begin(), code.begin() + 2);
  chunk.spans.erase(chunk.spans.begin(), chunk.spans.begin() + 2);
  return LeadingSelect{true, load.k, select.k, select.op == OpCode::SELECT_SYM_EQ};
}

}  // namespace tally
