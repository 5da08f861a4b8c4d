// The abstract syntax tree of a plan: plain structs owned by the Plan,
// independent of PEGTL's parse tree, each node with its source Span.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"

namespace tally::ast {

// ---------------------------------------------------------------- expressions

enum class ExprKind {
  number,    ///< text: the literal as written minus underscores ("1000.50", "1e3")
  percent,   ///< text: the number before '%' ("8", "12.5")
  money,     ///< text: the number; unit: the currency ("USD")
  date,      ///< text: "2026-03-15"
  period,    ///< text: as written ("2026-Q1", "Q1", "FY2027-Q1", "2026-03")
  string,    ///< text: the decoded string value (escapes resolved)
  boolean,   ///< text: "true" or "false"
  name,      ///< text: an identifier (`bookings`, `deal`, `half_even`)
  member,    ///< args[0].text  — `deal.stage`: args[0] the object, text the field
  call,      ///< text(args...) — text: the function name; arg_names: "" or `levels`
  unary,     ///< op applied to args[0]
  binary,    ///< args[0] op args[1]
  set,       ///< {args...}
  range,     ///< args[0] .. args[1]; args.size() == 1 for an open upper end
  filter,    ///< args[0] where args[1] (inside aggregate calls: `credit where ...`)
  null,      ///< `null`
  record,    ///< `{amount: 5 USD, stage: "Won"}`: args with their names in arg_names
  distinct,  ///< `distinct args[0]`, only as the argument of count: `count(distinct deal.account)`
  within,  ///< `args[0] within args[1] UNIT of args[2]`; unit: "days" | "months" (clawback windows)
  unless,  ///< `args[0] unless args[1] then args[2] unless args[3] then args[4] ...`:
           ///< a default and (condition, value) exceptions; a later exception wins
};

enum class Op {
  none,
  neg,
  not_,  // unary
  add,
  sub,
  mul,
  div,  // arithmetic
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,  // comparison
  and_,
  or_,       // logic
  coalesce,  // `a ?? b`: a, or b when a is null
};

/// How an operator is written in a plan: "+", "not in", "??"; the prefix
/// minus is "-" and the prefix not "not".
std::string_view op_spelling(Op op);

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

/// A type as written: `money`, `money<EUR>`, `list<text>`, `date?`,
/// `record { name: text, amount: money }`.
struct RecordFieldRef;

struct TypeRef {
  Span span;
  std::string name;      ///< "text", "int", "decimal", "money", "percent", ..., "record"
  std::string currency;  ///< for `money<EUR>`; empty = the plan's currency
  std::unique_ptr<TypeRef> element;    ///< for `list<T>`
  std::vector<RecordFieldRef> fields;  ///< for `record { ... }`
  bool optional = false;
};

/// A field of a record type as written, `amount: money`. A struct rather
/// than a std::pair: a pair holding the still incomplete TypeRef cannot be
/// a member of TypeRef with clang and libstdc++ (the fuzz build).
struct RecordFieldRef {
  RecordFieldRef(std::string field_name, TypeRef field_type)
      : name(std::move(field_name)), type(std::move(field_type)) {}
  std::string name;
  TypeRef type;
};

// ---------------------------------------------------------------- declarations

struct PlanHeader {
  Span span;
  std::string name;
  std::optional<std::string> version;  ///< as written
  /// `version 2 effective 2026-03-01`: the first day this version pays, as
  /// written (YYYY-MM-DD); empty when not written (docs/adjustments.md).
  std::string effective;
  Span effective_span;
  std::string currency;  ///< ISO code; empty if not declared
  // Calendar: `fiscal year FY2027 starts 2026-02-01, periods quarter` or
  // `periods month` (a calendar year).
  bool fiscal = false;
  std::string fiscal_year_label;  ///< "FY2027" if written
  std::string year_start;         ///< "2026-02-01" if written
  std::string grain;              ///< "month" | "quarter" | "half" | "year"; empty = quarter
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
  std::vector<FieldOption>
      options;  ///< source-level: `no header`, `encoding "..."`, `delimiter ";"`
  std::vector<FieldDecl> fields;
};

enum class CreditKind { direct, split, overlay, rollup };
inline constexpr int kCreditKinds = 4;

/// How a credit kind is written: "direct", "split", "overlay", "rollup".
std::string_view credit_kind_name(CreditKind kind);

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
///   ... cap 3 * target_incentive(payee, period) per year defer
///   ... pay min 1_000 USD max 10_000 USD per period     (a payment plan)
struct PayoutDecl {
  Span span;
  std::string name;
  Span name_span;
  ExprPtr for_role;
  ExprPtr when;
  ExprPtr value;
  ExprPtr cap;
  std::string cap_per;     ///< "period" (default when empty) or "year"
  bool cap_defer = false;  ///< `defer`: carry the excess to later periods instead of forfeiting it
  ExprPtr floor;
  std::string floor_per;  ///< "period" (default when empty) or "year"
  ExprPtr pay_min;        ///< `pay min A max B per period`: may be null
  ExprPtr pay_max;
};

/// `table NAME(KEY, ...): TYPE [from SOURCE[(COLUMN, ...)]] [= EXPR] [prorated]`
/// and `goal ...` (the same, for targets). Examples:
///   table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)
///   goal quota(payee, period): money = allocate(annual_quota(payee), weights: {...})
///   goal team_quota(payee, period): money = rollup(quota) prorated
struct TableDecl {
  Span span;
  bool is_goal = false;  ///< written `goal` rather than `table`
  std::string name;
  Span name_span;
  std::vector<std::string> keys;  ///< "payee", "period", or a field name: the lookup keys
  std::vector<Span> key_spans;
  TypeRef type;        ///< the value type
  std::string source;  ///< `from SOURCE`; empty when the value is an expression
  Span source_span;
  std::vector<std::string>
      columns;            ///< `from quotas(rep_id, quarter, quota_amount)`: keys then value
  ExprPtr value;          ///< `= EXPR`, or null
  bool prorated = false;  ///< `prorated`: by days employed in the period
};

/// `territory NAME = PREDICATE [owner EXPR] [priority N]`, NAME possibly
/// dotted (`West.CA`: a child of `West`).
struct TerritoryDecl {
  Span span;
  std::string name;  ///< "West.CA"
  Span name_span;
  ExprPtr predicate;  ///< over the transaction row (`deal.account_state in {...}`)
  ExprPtr owner;      ///< a payee id or expression; null when not written
  ExprPtr priority;   ///< an integer expression; null = 0
};

/// `territories from SOURCE as ROW match PREDICATE owner EXPR [priority EXPR] [name EXPR]`:
/// one territory per row of a source.
struct TerritoriesDecl {
  Span span;
  std::string source;
  Span source_span;
  std::string row_name;  ///< `as t`
  ExprPtr match;         ///< over the transaction and the territory row
  ExprPtr owner;
  ExprPtr priority;  ///< may be null
  ExprPtr label;     ///< `name t.id`; may be null (then the row's key)
};

enum class RatesMode { marginal, retroactive, lookup };

/// One tier `LOW .. HIGH : VALUE` (HIGH may be open) or one lookup entry
/// `KEY : VALUE` (`else : VALUE` for the default).
struct RateRow {
  Span span;
  ExprPtr lower;  ///< tiers: the lower bound
  ExprPtr upper;  ///< tiers: the upper bound; null when open
  ExprPtr key;    ///< lookups: the key; null for `else`
  ExprPtr value;  ///< a rate, or an amount / multiplier
};

/// `rates NAME on EXPR marginal|retroactive { tiers }` or
/// `rates NAME by EXPR { KEY : VALUE ... else : VALUE }`.
struct RatesDecl {
  Span span;
  std::string name;
  Span name_span;
  RatesMode mode = RatesMode::marginal;
  ExprPtr on;  ///< what the tiers are over (attainment, an amount); `by` key for lookups
  std::vector<RateRow> rows;
};

/// `draw NAME [for ROLE] [when EXPR] = AMOUNT per GRAIN [recoverable [limit EXPR per GRAIN]]`
///   draw ramp for role == "AE" when months_employed(payee) <= 3 = 5_000 USD per month recoverable
///   draw guarantee for role == "SDR" = 2_000 USD per month           // non-recoverable
struct DrawDecl {
  Span span;
  std::string name;
  Span name_span;
  ExprPtr for_role;
  ExprPtr when;
  ExprPtr amount;
  std::string per;  ///< "month", "quarter", ...; empty = per plan period
  bool recoverable = false;
  ExprPtr limit;  ///< recovery limit per `limit_per`; null = no limit
  std::string limit_per;
};

/// `clawback PAYOUT when CONDITION [share EXPR] [and credit]`
///   clawback commission when deal.cancelled_on within 90 days of deal.close_date
struct ClawbackDecl {
  Span span;
  std::string payout;  ///< the payout whose incentive is charged back
  Span payout_span;
  ExprPtr when;             ///< over the transaction row
  ExprPtr share;            ///< part charged back (default 100%); may be null
  bool and_credit = false;  ///< also reverse the credit (attainment changes)
};

/// `fn NAME(PARAM: TYPE, ...): TYPE = EXPR`: a pure function.
struct FnDecl {
  Span span;
  std::string name;
  Span name_span;
  std::vector<std::pair<std::string, TypeRef>> params;
  std::vector<Span> param_spans;
  std::optional<TypeRef> result;
  ExprPtr body;
};

/// One statement of a test block:
///   payee ann role "AE" quota 100_000 USD     (head "payee", id "ann", fields)
///   deal owner ann amount 120_000 USD         (head "deal": a row of the source it names)
///   expect commission(ann, Q1) == 7_400 USD   (head "expect", the expression in `expect`)
struct TestStatement {
  Span span;
  std::string head;  ///< "payee", "expect", or a row name (`deal`) / source name
  std::string id;    ///< for `payee NAME`; empty otherwise
  std::vector<std::pair<std::string, ExprPtr>> fields;  ///< `role "AE"`, `amount 120_000 USD`
  ExprPtr expect;                                       ///< for `expect`
};

/// `test "NAME" { statements }`
struct TestDecl {
  Span span;
  std::string name;
  std::vector<TestStatement> statements;
};

/// `import "stdlib/tiers"` or `import "other.tally"`.
struct ImportDecl {
  Span span;
  std::string path;
};

/// A comment as written (`// ...` or `/* ... */`, delimiters included), kept
/// so that the formatter can put it back.
struct Comment {
  Span span;
  std::string text;
};

enum class DeclKind {
  header,
  source,
  credit,
  value,
  payout,
  table,
  territory,
  territories,
  rates,
  draw,
  clawback,
  fn,
  test,
  import
};

/// A declaration in source order: its kind and its index in that kind's vector.
struct DeclRef {
  DeclKind kind;
  std::size_t index;
};

/// A file brought in by `import`. Its spans are shifted by `base`, so that one
/// offset space covers the plan and all its imports (see `locate`).
struct ImportedFile {
  std::shared_ptr<const SourceFile> file;
  std::uint32_t base = 0;
};

struct Plan {
  std::shared_ptr<const SourceFile> file;
  std::vector<ImportedFile> imported;  ///< files merged in by `import`, in the order read
  std::optional<PlanHeader> header;
  std::vector<SourceDecl> sources;  ///< sources and rosters, in order
  std::vector<CreditDecl> credits;
  std::vector<ValueDecl> values;  ///< measures and lets, in order
  std::vector<PayoutDecl> payouts;
  std::vector<TableDecl> tables;  ///< tables and goals
  std::vector<TerritoryDecl> territories;
  std::vector<TerritoriesDecl> territory_sets;
  std::vector<RatesDecl> rates;
  std::vector<DrawDecl> draws;
  std::vector<ClawbackDecl> clawbacks;
  std::vector<FnDecl> functions;
  std::vector<TestDecl> tests;
  std::vector<ImportDecl> imports;
  std::vector<DeclRef> order;     ///< every declaration, in source order
  std::vector<Comment> comments;  ///< every comment, in source order
};

/// The file a span of `plan` lies in (the plan's own file or an imported
/// one), and the span's start relative to that file.
struct SpanOrigin {
  const SourceFile* file = nullptr;
  std::uint32_t offset = 0;
};
SpanOrigin origin_of(const Plan& plan, Span span);

/// The location (file, line, column, length) of a span of `plan`.
Location locate(const Plan& plan, Span span);

/// The text a span of `plan` covers ("" when out of range).
std::string_view span_text(const Plan& plan, Span span);

/// Adds `base` to every span of `plan` (before merging it into another plan
/// as an import).
void shift_spans(Plan& plan, std::uint32_t base);

/// Moves every declaration of `imported` (not its header or comments) to the
/// end of `into`, keeping their order.
void append_declarations(Plan& into, Plan&& imported);

}  // namespace tally::ast
