// The AST as text: a short S-expression per node, for tests and for checking
// that formatting keeps a plan's meaning. Two plans (or expressions) have
// equal dumps exactly when they mean the same: every field that carries
// meaning is printed, spans and comments never are.
#pragma once

#include <string>

#include "grammar/ast.hpp"

namespace tally {

/// One expression, e.g. `(+ 1 (* 2 3))`. The forms: number `12`, percent
/// `8%`, money `[500 USD]`, date `#2026-03-15`, period `@2026-Q1`, string
/// `"text"` (with `"` and `\` escaped), boolean `true`, null `null`, name `x`,
/// member `(. x f)`, call `(call f a n:b)`, unary `(neg a)` `(not a)`, binary
/// `(+ a b)` (`not-in` for `not in`), set `{a b}`, range `(.. a b)` or `(.. a)`,
/// filter `(where a c)`, record `(record n:a m:b)`, distinct `(distinct a)`,
/// within `(within-days x n d)`, unless `(unless e0 c1 e1 ...)`.
std::string dump_expr(const ast::Expr& e);

/// A type: `money`, `money<EUR>`, `list<text>?`, `record{name:text amount:money}`.
std::string dump_type(const ast::TypeRef& type);

/// Every declaration of the plan, one per line, grouped by kind (the header,
/// sources and rosters, credits, measures and lets, payouts, tables and goals,
/// territories, territory sets, rates, draws, clawbacks, functions, tests,
/// imports), each kind in source order; e.g.
/// `(measure bookings :money (call sum (. credit amount)))`.
/// Declarations are order-free, so the interleaving of kinds is not printed.
std::string dump_plan(const ast::Plan& plan);

}  // namespace tally
