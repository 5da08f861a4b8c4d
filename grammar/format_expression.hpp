// Printing expressions for the formatter: literals in their canonical
// spelling, operators with the fewest parentheses that keep the same tree,
// and long expressions broken over continuation lines. Internal to the
// formatter; `format_expression` in formatter.hpp is the public face.
#pragma once

#include <string>
#include <string_view>

#include "grammar/ast.hpp"
#include "grammar/format_layout.hpp"

namespace tally::format {

/// How tightly an expression's outermost construct binds, loosest first; it
/// mirrors the parser's levels (docs/language.md, section 3). An operand is
/// parenthesized exactly when its precedence is below what its position needs.
enum Precedence : int {
  kWhole = 0,  ///< `unless` forms, and `where` filters and `distinct` inside calls
  kOr,
  kAnd,
  kNot,
  kComparison,  ///< also `within ... of`
  kCoalesce,
  kRange,
  kAdditive,
  kMultiplicative,
  kNegation,
  kPostfix,
  kPrimary,
};

int precedence(const ast::Expr& e);

/// A string literal that reads back as `value`: quotes, backslashes and
/// control characters escaped, everything else (UTF-8 included) as is.
std::string quoted(std::string_view value);

/// A number's digits (as the AST keeps them, without underscores) with
/// underscores between thousands when the integer part has at least
/// `group_from` digits: `1200000` → `1_200_000`. Exponent forms stay as they are.
std::string grouped_number(std::string_view digits, std::size_t group_from);

/// The expression on one line, parenthesized if its precedence is below
/// `min_precedence`.
std::string expression_text(const ast::Expr& e, int min_precedence);

/// Records every node of an expression written on the current line: a
/// comment written after any part of it is put at the end of this line.
void mark_expression(Layout& out, const ast::Expr& e);

/// Writes the expression at the layout's current position. When it would
/// pass the line limit (counting `reserve` characters that will follow it on
/// the line), it is broken before `or`, `and`, `+`, `-` and `unless`, and
/// between the arguments of a call or the elements of a set or record, on
/// continuation lines indented kIndent more than `indent`, the indent of the
/// line it starts on.
void write_expression(Layout& out, const ast::Expr& e, int min_precedence, int indent,
                      int reserve = 0);

}  // namespace tally::format
