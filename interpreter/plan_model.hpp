// What the checker knows about a plan: every name resolved, every
// expression typed, the sources turned into schemas, the evaluation order of
// values. The compiler turns a PlanModel into bytecode; nothing downstream
// looks at names again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostics.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/types.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// Where an expression is evaluated, which decides the names it may use.
enum class Context {
  constant,      ///< literals and pure functions only (`tally eval`, plain lets)
  row,           ///< one source row inside a credit rule (`deal.stage`)
  credit,        ///< one credit inside an aggregate (`credit.amount`, `deal.type`)
  payee_period,  ///< one payee in one period (measures, lets, payouts)
};

/// What a name or member expression refers to.
enum class Binding : std::uint8_t {
  none,              ///< an operator, literal or call: see the node itself
  row_variable,      ///< `deal` itself (only as the object of a member)
  row_field,         ///< `deal.amount`; index = field
  credit_variable,   ///< `credit` itself
  credit_attribute,  ///< `credit.amount`; index = CreditAttr
  credit_row_field,  ///< `deal.type` inside an aggregate; index = field
  payee_variable,    ///< `payee` itself
  payee_field,       ///< `payee.role`, `role`; index = roster field
  period,            ///< `period`
  value,             ///< a measure or let; index = value
  aggregate,         ///< a `sum(...)`, `count(...)` call; index = aggregate
  rounding_mode,     ///< `half_even` ...; index = RoundingMode
  credit_kind,       ///< `direct` ...; index = ast::CreditKind
  // Bindings the engine cannot run yet (the compiler refuses them by name):
  table_call,    ///< `quota(payee, period)`; index = table
  fn_call,       ///< a call of a plan `fn`; index = function
  fn_parameter,  ///< a parameter inside an `fn` body or a table key inside a goal; index = position
  library_call,  ///< a typed-only library function (stdlib/builtins.hpp); index = LibraryId
  rates_table,   ///< the name of a `rates` table as the first argument of apply/tier_of/lookup;
                 ///< index = rates
  table_name,    ///< the name of a table as the argument of `rollup(quota)`; index = table
  record_field,  ///< `r.amount` on a record value; index = field position
  other_row_field,  ///< `t.states` of the territory row in `territories from ... as t`; index =
                    ///< field
  distinct_count,   ///< unused: `count(distinct x)` is an aggregate (AggregateKind::count_distinct)
  cumulative,       ///< `ytd(m)`, `qtd(m)`, `to_date(m)`: index = value; over a payout
                    ///< (what it paid in the earlier periods) -1 - payout
  test_payee,       ///< a payee named in a test block; index = statement
  payout_call,      ///< `commission(ann, Q1)` inside `expect`; index = payout
  value_call,       ///< `bookings(ann, Q1)` inside `expect`; index = value
  allocation_mode,  ///< `even` in `allocate(x, even)`
};

struct ExprInfo {
  Type type;
  Binding binding = Binding::none;
  int index = -1;
};

struct SourceModel {
  const ast::SourceDecl* decl = nullptr;
  SourceSchema schema;
  bool is_roster = false;
};

struct CreditRuleModel {
  const ast::CreditDecl* decl = nullptr;
  int source = -1;
  std::string row_name;   ///< `deal`
  int amount_field = -1;  ///< when decl->amount is null: the field credited
};

/// count_distinct: `count(distinct x)`, the number of different values of x.
enum class AggregateKind { sum, count, avg, min, max, count_distinct };

struct AggregateModel {
  AggregateKind kind = AggregateKind::sum;
  const ast::Expr* call = nullptr;
  const ast::Expr* argument = nullptr;  ///< the value aggregated; null for count
  const ast::Expr* filter = nullptr;    ///< the `where` condition, or null
  Type type;
  // in a plan whose credit rules read several sources, the
  // source whose rows the aggregate reads (`m.outcome`): only the credits of
  // rules over it are aggregated. -1: every credit (single-source plans, and
  // aggregates that read only credit attributes).
  int row_source = -1;
};

/// The fields of a record type (`record { name: text, amount: money }`, or a
/// record literal), in order.
struct RecordShape {
  std::vector<std::pair<std::string, Type>> fields;
  /// Parallel to fields: the shape of a field that is itself a record, else null.
  std::vector<std::shared_ptr<const RecordShape>> nested;
};

struct ValueModel {
  const ast::ValueDecl* decl = nullptr;
  Type type;
  bool per_payee = false;                    ///< needs the payee-period context (else a constant)
  std::shared_ptr<const RecordShape> shape;  ///< for a record value, else null
};

struct PayoutModel {
  const ast::PayoutDecl* decl = nullptr;
};

/// `table` / `goal`: a value per key tuple.
struct TableModel {
  const ast::TableDecl* decl = nullptr;
  std::vector<Type> key_types;  ///< parallel to decl->keys
  Type type;                    ///< the value type
  int source = -1;              ///< `from SOURCE`, else -1
  std::vector<int> columns;     ///< fields of `source`: one per key, then the value
};

/// `rates`: tiers (marginal / retroactive) or a lookup by key.
struct RatesModel {
  const ast::RatesDecl* decl = nullptr;
  Type on_type;     ///< the `on` / `by` expression's type
  Type bound_type;  ///< tiers: the type of the bounds; lookups: the key type
  Type value_type;  ///< what a tier or entry pays (percent, decimal multiplier or money)
};

struct TerritoryModel {
  const ast::TerritoryDecl* decl = nullptr;
  int parent = -1;  ///< `West` for `West.CA`
  std::int64_t priority = 0;
};

struct TerritorySetModel {
  const ast::TerritoriesDecl* decl = nullptr;
  int source = -1;  ///< the source with one territory per row
};

struct DrawModel {
  const ast::DrawDecl* decl = nullptr;
};

struct ClawbackModel {
  const ast::ClawbackDecl* decl = nullptr;
  int payout = -1;  ///< index into payouts
};

/// `fn NAME(params): TYPE = body`.
struct FunctionModel {
  const ast::FnDecl* decl = nullptr;
  std::vector<Type> params;
  std::vector<std::shared_ptr<const RecordShape>>
      param_shapes;                                 ///< for record parameters, else null
  std::shared_ptr<const RecordShape> result_shape;  ///< for a record result, else null
  Type result;
};

struct TestModel {
  const ast::TestDecl* decl = nullptr;
};

struct Diagnostic {
  Severity severity = Severity::error;
  Error error;
};

struct PlanModel {
  ast::Plan ast;
  std::string name;
  std::string currency = "USD";
  Calendar calendar;
  RoundingMode rounding = RoundingMode::half_even;
  Decimal rounding_quantum = Decimal::from_units(1, 2);

  std::vector<SourceModel> sources;
  int roster = -1;       ///< index into sources
  int roster_key = -1;   ///< the roster's key field
  int roster_role = -1;  ///< the roster's `role` field, if any
  std::vector<CreditRuleModel> rules;
  int credited_source = -1;  ///< the one source credit rules read (for `deal` in aggregates)
  std::vector<AggregateModel> aggregates;
  std::vector<ValueModel> values;
  std::vector<int> value_order;  ///< values in dependency order
  std::vector<PayoutModel> payouts;
  std::vector<TableModel> tables;
  std::vector<RatesModel> rates;
  std::vector<TerritoryModel> territories;
  std::vector<TerritorySetModel> territory_sets;
  std::vector<DrawModel> draws;
  std::vector<ClawbackModel> clawbacks;
  std::vector<FunctionModel> functions;
  std::vector<TestModel> tests;
  /// The shape of every record-typed expression (record literals, record
  /// parameters and fields).
  std::unordered_map<const ast::Expr*, std::shared_ptr<const RecordShape>> record_shapes;
  std::unordered_map<const ast::Expr*, ExprInfo> info;

  const ExprInfo& info_of(const ast::Expr& expr) const { return info.at(&expr); }
};

}  // namespace tally
