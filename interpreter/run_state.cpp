#include "interpreter/run_state.hpp"

#include <algorithm>

namespace tally {

Location RunState::plan_location(Span span) const {
  return ast::locate(model.ast, span);
}

std::string_view RunState::payee_id(std::int32_t payee) const {
  return symbols.text(roster().columns[model.roster_key].symbols[payee]);
}

}  // namespace tally
