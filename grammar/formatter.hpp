// The canonical layout of a plan (`tally fmt`): one way to write each
// construct, comments kept where they were. Formatting never changes
// meaning: the output parses to the same AST, and formatting it again gives
// the same bytes.
#pragma once

#include <string>

#include "grammar/ast.hpp"

namespace tally {

/// The plan in canonical layout, with its comments (from `plan.comments`)
/// placed before, after or at the end of the line of the code they were
/// beside. The text ends with exactly one line break.
std::string format_plan(const ast::Plan& plan);

}  // namespace tally
