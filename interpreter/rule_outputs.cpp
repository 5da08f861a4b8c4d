#include "interpreter/rule_outputs.hpp"

#include <algorithm>

#include "interpreter/chunk_rewrites.hpp"

namespace tally {

namespace {

/// What an output may be read as instead of its register.
enum class Straight : std::uint8_t { field, constant };

}  // namespace

RuleOutputs rule_outputs(const CompiledRule& rule) {
  RuleOutputs out;
  out.lines.resize(rule.lines.size());
  // Every output with its register and what it may come from instead.
  struct Use {
    std::uint16_t reg;
    Straight straight;
    OutputSource* source;
  };
  std::vector<Use> uses{{rule.date_reg, Straight::field, &out.date},
                        {rule.amount_reg, Straight::field, &out.amount}};
  for (std::size_t l = 0; l < rule.lines.size(); ++l) {
    const CompiledRule::Line& line = rule.lines[l];
    uses.push_back({line.payee_reg, Straight::field, &out.lines[l].payee});
    uses.push_back({line.share_reg, Straight::constant, &out.lines[l].share});
    if (line.managers && !line.to_role)
      uses.push_back({line.levels_reg, Straight::constant, &out.lines[l].levels});
  }
  const std::vector<Instr>& code = rule.chunk.code;
  std::vector<std::uint8_t> dropped(code.size(), 0);
  for (const Use& use : uses) {
    const std::uint16_t r = use.reg;
    const std::optional<std::size_t> writer = sole_writer(code, r);
    if (!writer || std::any_of(code.begin(), code.end(),
                               [&](const Instr& in) { return reads_register(in, r); }))
      continue;
    const Instr& in = code[*writer];
    const OpCode wanted = use.straight == Straight::field ? OpCode::LOAD_FIELD : OpCode::CONST;
    // Every output of the register must be readable the same way.
    bool all = in.op == wanted;
    for (const Use& other : uses) all = all && (other.reg != r || other.straight == use.straight);
    if (!all) continue;
    use.source->from =
        use.straight == Straight::field ? OutputSource::From::field : OutputSource::From::constant;
    use.source->index = in.k;
    dropped[*writer] = 1;
  }
  out.chunk = rule.chunk;
  drop_instructions(out.chunk, dropped);
  out.where = take_leading_select(out.chunk);
  return out;
}

}  // namespace tally
