#include "interpreter/kind_filter.hpp"

#include "interpreter/chunk_rewrites.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace tally {

KindFilter filter_for_kind(const Chunk& filter, std::string_view kind) {
  KindFilter out;
  out.chunk = filter;
  std::vector<Instr>& code = out.chunk.code;
  std::optional<std::uint32_t> kind_constant;
  // Every instruction that reads a credit reads its row instead.
  for (Instr& in : code) {
    switch (in.op) {
      case OpCode::LOAD_CREDIT:
        if (in.k != static_cast<std::uint32_t>(CreditAttr::kind))
          return KindFilter{false, false, filter, {}};
        if (!kind_constant) {
          kind_constant = static_cast<std::uint32_t>(out.chunk.constants.size());
          Constant name;
          name.type = RegType::symbol;
          name.text = std::string(kind);
          out.chunk.constants.push_back(std::move(name));
        }
        in = Instr{OpCode::CONST, in.d, 0, 0, *kind_constant};
        break;
      case OpCode::LOAD_CREDIT_FIELD:
        in.op = OpCode::LOAD_FIELD;
        break;
      case OpCode::IS_NULL_FIELD:
        if (in.a == 1) in.a = 0;  // of the credit's row (2: of the payee)
        break;
      case OpCode::FIELD_PRESENT:
        in.a = 0;  // of the row, not of the credit's row
        break;
      case OpCode::IN_LIST_FIELD:
        if (in.b == 1) in.b = 0;  // of the credit's row
        break;
      default:
        break;
    }
  }
  out.rows = true;
  if (!kind_constant) {
    out.where = take_leading_select(out.chunk);
    return out;
  }
  // The tests of the kind, known now. Without SELECT_POP, one that fails
  // leaves no lane, and one that passes can go (with a SELECT_POP it would
  // unbalance the selections: it stays, and costs only its time).
  const bool pops = std::any_of(code.begin(), code.end(),
                                [](const Instr& in) { return in.op == OpCode::SELECT_POP; });
  std::vector<std::uint8_t> dropped(code.size(), 0);
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    const Instr& select = code[pc];
    if (select.op != OpCode::SELECT_SYM_EQ && select.op != OpCode::SELECT_SYM_NE) continue;
    const std::optional<std::size_t> writer = sole_writer(code, select.a);
    if (!writer || code[*writer].op != OpCode::CONST || code[*writer].k != *kind_constant) continue;
    const bool same = out.chunk.constants[select.k].text == kind;
    const bool passes = (select.op == OpCode::SELECT_SYM_EQ) == same;
    if (!passes) {
      out.none = out.none || !pops;
      continue;
    }
    if (pops) continue;
    dropped[pc] = 1;
    bool read = false;
    for (std::size_t r = 0; r < code.size(); ++r)
      read = read || (!dropped[r] && reads_register(code[r], select.a));
    if (!read) dropped[*writer] = 1;
  }
  drop_instructions(out.chunk, dropped);
  if (!out.none) out.where = take_leading_select(out.chunk);
  return out;
}

}  // namespace tally
