// Test support: an expression tree as a short S-expression, so that a test
// states the expected shape by hand, e.g. "(+ 1 (* 2 3))".
#pragma once

#include <memory>
#include <string>

#include "grammar/ast.hpp"
#include "grammar/parser.hpp"

namespace tally::test {

inline std::string op_text(ast::Op op) {
  switch (op) {
    case ast::Op::neg:
      return "neg";
    case ast::Op::not_:
      return "not";
    case ast::Op::add:
      return "+";
    case ast::Op::sub:
      return "-";
    case ast::Op::mul:
      return "*";
    case ast::Op::div:
      return "/";
    case ast::Op::eq:
      return "==";
    case ast::Op::ne:
      return "!=";
    case ast::Op::lt:
      return "<";
    case ast::Op::le:
      return "<=";
    case ast::Op::gt:
      return ">";
    case ast::Op::ge:
      return ">=";
    case ast::Op::in:
      return "in";
    case ast::Op::not_in:
      return "not-in";
    case ast::Op::and_:
      return "and";
    case ast::Op::or_:
      return "or";
    case ast::Op::coalesce:
      return "??";
    case ast::Op::none:
      break;
  }
  return "?";
}

/// number `12`, percent `8%`, money `[500 USD]`, date `#2026-03-15`,
/// period `@2026-Q1`, string `"text"`, name `x`, member `(. x f)`,
/// call `(call f a n:b)`, operators `(+ a b)`, set `{a b}`, range `(.. a b)`,
/// filter `(where a c)`.
inline std::string ast_text(const ast::Expr& e) {
  std::string out;
  auto args = [&](std::size_t from) {
    for (std::size_t i = from; i < e.args.size(); ++i) {
      out += ' ';
      if (i < e.arg_names.size() && !e.arg_names[i].empty()) out += e.arg_names[i] + ":";
      out += ast_text(*e.args[i]);
    }
  };
  switch (e.kind) {
    case ast::ExprKind::number:
      return e.text;
    case ast::ExprKind::percent:
      return e.text + "%";
    case ast::ExprKind::money:
      return "[" + e.text + " " + e.unit + "]";
    case ast::ExprKind::date:
      return "#" + e.text;
    case ast::ExprKind::period:
      return "@" + e.text;
    case ast::ExprKind::string:
      return "\"" + e.text + "\"";
    case ast::ExprKind::boolean:
      return e.text;
    case ast::ExprKind::name:
      return e.text;
    case ast::ExprKind::member:
      return "(. " + ast_text(*e.args[0]) + " " + e.text + ")";
    case ast::ExprKind::call:
      out = "(call " + e.text;
      args(0);
      return out + ")";
    case ast::ExprKind::unary:
    case ast::ExprKind::binary:
      out = "(" + op_text(e.op);
      args(0);
      return out + ")";
    case ast::ExprKind::set:
      out = "{";
      args(0);
      if (out.size() > 1) out.erase(1, 1);
      return out + "}";
    case ast::ExprKind::range:
      out = "(..";
      args(0);
      return out + ")";
    case ast::ExprKind::filter:
      out = "(where";
      args(0);
      return out + ")";
    case ast::ExprKind::null:
      return "null";
    case ast::ExprKind::record:
      out = "(record";
      args(0);
      return out + ")";
    case ast::ExprKind::distinct:
      out = "(distinct";
      args(0);
      return out + ")";
    case ast::ExprKind::within:
      out = "(within-" + e.unit;
      args(0);
      return out + ")";
    case ast::ExprKind::unless:
      out = "(unless";
      args(0);
      return out + ")";
  }
  return "?";
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
