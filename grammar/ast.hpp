// The abstract syntax tree of a plan: plain structs owned by the Plan,
// independent of PEGTL's parse tree, each node with its source Span.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grammar/source.hpp"

namespace tally::ast {

// ---------------------------------------------------------------- expressions

enum class ExprKind {
  number,     ///< text: the literal as written minus underscores ("1000.50", "1e3")
  percent,    ///< text: the number before '%' ("8", "12.5")
  money,      ///< text: the number; unit: the currency ("USD")
  date,       ///< text: "2026-03-15"
  period,     ///< text: as written ("2026-Q1", "Q1", "FY2027-Q1", "2026-03")
  string,     ///< text: the decoded string value (escapes resolved)
  boolean,    ///< text: "true" or "false"
  name,       ///< text: an identifier (`bookings`, `deal`, `half_even`)
  member,     ///< args[0].text  — `deal.stage`: args[0] the object, text the field
  call,       ///< text(args...) — text: the function name; arg_names: "" or `levels`
  unary,      ///< op applied to args[0]
  binary,     ///< args[0] op args[1]
  set,        ///< {args...}
  range,      ///< args[0] .. args[1]; args.size() == 1 for an open upper end
  filter,     ///< args[0] where args[1] (inside aggregate calls: `credit where ...`)
};

enum class Op {
  none,
  neg, not_,                           // unary
  add, sub, mul, div,                  // arithmetic
  eq, ne, lt, le, gt, ge, in, not_in,  // comparison
  and_, or_,                           // logic
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::number;
  Span span;
  Op op = Op::none;
  std::string text;
  std::string unit;
  std::vector<ExprPtr> args;
  std::vector<std::string> arg_names;  ///< parallel to args for calls; "" when positional
};

// ---------------------------------------------------------------- types

/// A type as written: `money`, `money<EUR>`, `list<text>`, `date?`.
struct TypeRef {
  Span span;
  std::string name;                   ///< "text", "int", "decimal", "money", "percent", ...
  std::string currency;               ///< for `money<EUR>`; empty = the plan's currency
  std::unique_ptr<TypeRef> element;   ///< for `list<T>`
  bool optional = false;
};

// ---------------------------------------------------------------- declarations

struct PlanHeader {
  Span span;
  std::string name;
  std::optional<std::string> version;  ///< as written
  std::string currency;                ///< ISO code; empty if not declared
  // Calendar: `fiscal year FY2027 starts 2026-02-01, periods quarter` or
  // `periods month` (a calendar year).
  bool fiscal = false;
  std::string fiscal_year_label;       ///< "FY2027" if written
  std::string year_start;              ///< "2026-02-01" if written
  std::string grain;                   ///< "month" | "quarter" | "half" | "year"; empty = quarter
  Span calendar_span;
  // Rounding: `rounding half_even to 0.01`.
  std::string rounding_mode;
  std::string rounding_quantum;
  Span rounding_span;
};

struct FieldOption {
  Span span;
  std::string name;                 ///< "key", "from", "at", "null", "sep", "format", "trim"
  std::vector<std::string> values;  ///< strings/numbers that follow the option word
};

struct FieldDecl {
  Span span;
  std::string name;
  Span name_span;
  TypeRef type;
  std::vector<FieldOption> options;
};

/// `source NAME { fields and options }` and `roster NAME { ... }`.
struct SourceDecl {
  Span span;
  bool is_roster = false;
  std::string name;
  Span name_span;
  std::vector<FieldOption> options;  ///< source-level: `no header`, `encoding "..."`, `delimiter ";"`
  std::vector<FieldDecl> fields;
};

enum class CreditKind { direct, split, overlay, rollup };

/// `PAYEE-EXPR gets SHARE-EXPR [kind]`
struct CreditLine {
  Span span;
  ExprPtr payee;
  ExprPtr share;
  CreditKind kind = CreditKind::direct;
};

/// `credit NAME from SOURCE [as ROW] [amount EXPR] [where EXPR] on EXPR { lines }`
struct CreditDecl {
  Span span;
  std::string name;
  Span name_span;
  std::string source;
  Span source_span;
  std::string row_name;  ///< `as d`; empty = the source name without its plural "s"
  ExprPtr amount;        ///< null = the source's `amount` field
  ExprPtr where;         ///< null = every row
  ExprPtr on;            ///< the credit date
  std::vector<CreditLine> lines;
};

/// `measure NAME [: TYPE] = EXPR`, `let NAME [: TYPE] = EXPR`.
struct ValueDecl {
  Span span;
  bool is_measure = false;
  std::string name;
  Span name_span;
  std::optional<TypeRef> type;
  ExprPtr value;
};

/// `payout NAME [for role EXPR] [when EXPR] = EXPR [cap EXPR] [floor EXPR]`
/// The role guard is kept as the comparison written after `for` with the
/// name `role` as its left operand (`role == "AE"`, `role in {...}`).
struct PayoutDecl {
  Span span;
  std::string name;
  Span name_span;
  ExprPtr for_role;
  ExprPtr when;
  ExprPtr value;
  ExprPtr cap;
  ExprPtr floor;
};

struct Plan {
  std::shared_ptr<const SourceFile> file;
  std::optional<PlanHeader> header;
  std::vector<SourceDecl> sources;  ///< sources and rosters, in order
  std::vector<CreditDecl> credits;
  std::vector<ValueDecl> values;    ///< measures and lets, in order
  std::vector<PayoutDecl> payouts;
};

}  // namespace tally::ast
