// Placeholder until the formatter lands: prints nothing but refuses nothing.
#include "grammar/formatter.hpp"

namespace tally {

std::string format_plan(const ast::Plan& plan) {
  // Until the canonical printer exists, the source text is its own layout.
  return plan.file ? plan.file->text() : std::string();
}

}  // namespace tally
