// What the checker knows about a plan: every name resolved, every
// expression typed, the sources turned into schemas, the evaluation order of
// values. The compiler turns a PlanModel into bytecode; nothing downstream
// looks at names again.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
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
  none,             ///< an operator, literal or call: see the node itself
  row_variable,     ///< `deal` itself (only as the object of a member)
  row_field,        ///< `deal.amount`; index = field
  credit_variable,  ///< `credit` itself
  credit_attribute, ///< `credit.amount`; index = CreditAttr
  credit_row_field, ///< `deal.type` inside an aggregate; index = field
  payee_variable,   ///< `payee` itself
  payee_field,      ///< `payee.role`, `role`; index = roster field
  period,           ///< `period`
  value,            ///< a measure or let; index = value
  aggregate,        ///< a `sum(...)`, `count(...)` call; index = aggregate
  rounding_mode,    ///< `half_even` ...; index = RoundingMode
  credit_kind,      ///< `direct` ...; index = ast::CreditKind
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
  std::string row_name;         ///< `deal`
  int amount_field = -1;        ///< when decl->amount is null: the field credited
};

enum class AggregateKind { sum, count, avg, min, max };

struct AggregateModel {
  AggregateKind kind = AggregateKind::sum;
  const ast::Expr* call = nullptr;
  const ast::Expr* argument = nullptr;  ///< the value aggregated; null for count
  const ast::Expr* filter = nullptr;    ///< the `where` condition, or null
  Type type;
};

struct ValueModel {
  const ast::ValueDecl* decl = nullptr;
  Type type;
  bool per_payee = false;  ///< needs the payee-period context (else a constant)
};

struct PayoutModel {
  const ast::PayoutDecl* decl = nullptr;
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
  int roster = -1;              ///< index into sources
  int roster_key = -1;          ///< the roster's key field
  int roster_role = -1;         ///< the roster's `role` field, if any
  std::vector<CreditRuleModel> rules;
  int credited_source = -1;     ///< the one source credit rules read (for `deal` in aggregates)
  std::vector<AggregateModel> aggregates;
  std::vector<ValueModel> values;
  std::vector<int> value_order;  ///< values in dependency order
  std::vector<PayoutModel> payouts;
  std::unordered_map<const ast::Expr*, ExprInfo> info;

  const ExprInfo& info_of(const ast::Expr& expr) const { return info.at(&expr); }
};

}  // namespace tally
