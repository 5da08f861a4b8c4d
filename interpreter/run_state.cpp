#include "interpreter/run_state.hpp"

#include <algorithm>

namespace tally {

Location RunState::plan_location(Span span) const {
  return ast::locate(model.ast, span);
}

void RunState::data_error(DataErrorKind kind, Error error) {
  (void)kind;
  errors.push_back(std::move(error));
}

std::string_view RunState::payee_id(std::int32_t payee) const {
  return symbols.text(roster().columns[model.roster_key].symbols[payee]);
}

}  // namespace tally
