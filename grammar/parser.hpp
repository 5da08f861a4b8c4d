// Parsing plan text into the AST. The grammar itself (PEGTL rules) lives in
// parser.cpp; nothing of PEGTL leaks through this header.
#pragma once

#include <memory>
#include <string>

#include "grammar/ast.hpp"
#include "grammar/source.hpp"
#include "interpreter/runtime/result.hpp"

namespace tally {

/// Parses a whole plan. On errors, returns every error found: the parser
/// recovers at the next declaration keyword and goes on. Messages say what was
/// expected and what was found; they never name an internal rule.
Result<ast::Plan> parse_plan(std::shared_ptr<const SourceFile> file);

/// Parses one expression (for `tally eval` and the REPL); the whole text must
/// be one expression.
Result<ast::ExprPtr> parse_expression(const SourceFile& file);

}  // namespace tally
