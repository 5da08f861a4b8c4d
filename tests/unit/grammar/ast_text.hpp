// Test support: an expression tree as a short S-expression (the library's
// dump_expr), so that a test states the expected shape by hand, e.g.
// "(+ 1 (* 2 3))"; and parsing helpers.
#pragma once

#include <memory>
#include <string>

#include "grammar/ast.hpp"
#include "grammar/ast_dump.hpp"
#include "grammar/parser.hpp"

namespace tally::test {

/// The expression as the library's S-expression dump (grammar/ast_dump.hpp).
inline std::string ast_text(const ast::Expr& e) {
  return dump_expr(e);
}

inline std::shared_ptr<const SourceFile> source(std::string text, std::string name = "test.tally") {
  return std::make_shared<const SourceFile>(std::move(name), std::move(text));
}

/// The expression's S-expression, or "error: <message>" for the first error.
inline std::string expr(const std::string& text) {
  const SourceFile file("expr", text);
  auto result = parse_expression(file);
  if (!result) return "error: " + result.errors().front().message;
  return ast_text(**result);
}

}  // namespace tally::test
