// The canonical layout of a plan (`tally fmt`): one way to write each
// construct, comments kept where they were. Formatting never changes
// meaning: the output parses to the same AST, and formatting it again gives
// the same bytes. The rules are described in docs/formatting.md.
#pragma once

#include <string>

#include "grammar/ast.hpp"

namespace tally {

/// The plan in canonical layout, with its comments (from `plan.comments`)
/// placed before, after or at the end of the line of the code they were
/// beside. The text ends with exactly one line break (an empty plan without
/// comments gives the empty text).
std::string format_plan(const ast::Plan& plan);

/// One expression on one line in canonical form, with the fewest parentheses
/// that keep its tree: parsing the text gives the same expression.
std::string format_expression(const ast::Expr& expr);

}  // namespace tally
