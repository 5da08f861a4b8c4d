#include "interpreter/run_state.hpp"

#include <algorithm>

namespace tally {

Location RunState::plan_location(Span span) const {
  return ast::locate(model.ast, span);
}

std::string_view RunState::payee_id(std::int32_t payee) const {
  return symbols.text(roster().columns[model.roster_key].symbols[payee]);
}

InternedConstants intern_constants(const Chunk& chunk, SymbolTable& symbols) {
  InternedConstants out;
  out.constants.resize(chunk.constants.size());
  for (std::size_t k = 0; k < chunk.constants.size(); ++k)
    if (chunk.constants[k].type == RegType::symbol)
      out.constants[k] = symbols.intern(chunk.constants[k].text);
  for (const ConstantSet& set : chunk.sets) {
    std::vector<SymbolId> ids;
    for (const auto& text : set.texts) ids.push_back(symbols.intern(text));
    std::sort(ids.begin(), ids.end());
    out.sets.push_back(std::move(ids));
  }
  return out;
}

}  // namespace tally
