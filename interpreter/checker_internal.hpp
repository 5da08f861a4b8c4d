// The checker's class, shared by the files that implement it one concern at a
// time (check_*.cpp). Not a public header: only the checker includes it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/plan_model.hpp"

namespace tally::checking {

/// A name bound by the declaration being checked: an `fn` parameter, a table
/// key inside a goal, a payee declared in a test.
struct Local {
  std::string name;
  Type type;
  std::shared_ptr<const RecordShape> shape;  ///< for record values
  Binding binding = Binding::fn_parameter;
  int index = -1;
};

/// What the expression being checked may refer to.
struct Scope {
  Context context = Context::constant;
  int source = -1;        ///< the row's source (row and credit contexts)
  std::string row_name;   ///< `deal`
  int other_source = -1;  ///< `territories from SOURCE as t`: the territory row
  std::string other_row_name;
  bool in_measure = false;   ///< aggregates are allowed
  bool per_payee = false;    ///< set when the expression needs the payee-period context
  bool payee_bound = true;   ///< payee_period only: `payee` is visible (false in `goal g(period)`)
  bool period_bound = true;  ///< payee_period only: `period` is visible
  bool in_test = false;      ///< `expect`: payouts and measures are callable
  /// A REPL line (Session): as in a test, with messages that show the call
  /// form with these example arguments (`"ann", 2026-Q1`); null elsewhere.
  const std::string* session_call = nullptr;
  bool in_table = false;  ///< the value of a table or goal (allocate, rollup)
  const std::vector<Local>* locals = nullptr;
  std::vector<int>* dependencies = nullptr;  ///< values referenced
};

std::string singular(const std::string& name);

/// The value of a literal number, percent (as a fraction, 8% is 0.08) or
/// amount, possibly negated; nullopt for anything else.
std::optional<Decimal> literal_value(const ast::Expr& e);

/// Whether a call has a named argument (`levels: 2`).
bool has_named_arguments(const ast::Expr& e);

/// Whether `e` mentions the name `name` anywhere (`deal` in `deal.amount > 0`).
bool mentions(const ast::Expr& e, const std::string& name);

class Checker {
 public:
  explicit Checker(PlanModel& model) : m_(model) {}

  std::vector<Diagnostic> diagnostics;

  void check_whole_plan();

  /// For checking one more expression against a model already checked:
  /// takes its declarations as done.
  void adopt_checked_model();

  /// Types `e` (recording it in the model) and returns the type, which may be optional.
  Type check(const ast::Expr& e, Scope& scope);

 private:
  PlanModel& m_;
  // Lazily checked declarations: 0 = not yet, 1 = in progress, 2 = done.
  std::vector<int> value_state_;
  std::vector<std::vector<int>> value_deps_;
  std::vector<bool> value_used_;
  std::vector<bool> source_used_;
  std::unordered_map<std::string, int> value_index_;
  std::string credited_row_name_;  // `deal` inside aggregates
  std::vector<int> table_state_;
  std::vector<bool> table_used_;
  std::vector<bool> rates_used_;
  std::vector<int> function_state_;
  std::vector<bool> function_used_;
  std::vector<std::string> function_stack_;  // the calls being checked, for cycle messages
  bool territory_called_ = false;            // some expression calls territory(...)
  bool convert_called_ = false;

  // ---- reporting (checker.cpp)
  Location locate(Span span) const;
  int line_of(Span span) const { return locate(span).line; }
  void error(Span span, std::string message, std::string hint = {});
  void warning(Span span, std::string message, std::string hint = {});
  std::string text_of(const ast::Expr& e) const;
  static std::string did_you_mean(const std::string& word, const std::vector<std::string>& names);
  void expect_kind(const ast::Expr& e, Scope& scope, Kind kind, const std::string& what);
  /// Whether a name is declared at plan level (value, table, rates, fn, payout, source).
  bool plan_name_taken(const std::string& name) const;

  // ---- header and sources (checker.cpp)
  void check_header();
  std::optional<Type> resolve_type(const ast::TypeRef& ref,
                                   std::shared_ptr<const RecordShape>* shape = nullptr,
                                   bool in_source = false);
  void check_sources();
  void check_source_options(const ast::SourceDecl& decl, SourceSchema& schema);
  void check_field_options(const ast::FieldDecl& field, FieldSpec& spec);
  int find_source(const std::string& name) const;
  std::vector<std::string> source_names() const;
  std::vector<std::string> field_names(int source) const;
  int find_field(int source, const std::string& name) const;

  // ---- credit rules, values, payouts (check_values.cpp)
  void check_rules();
  void declare_values();
  void check_values();
  void check_value(int index);
  void order_values();
  void check_payouts();
  void check_payout_clauses(const ast::PayoutDecl& decl, Scope& scope);
  void expect_plan_money(const ast::Expr& e, Scope& scope, const std::string& what);
  void warn_unused();
  void note_value_use(int index, Scope& scope);

  // ---- expressions (check_expressions.cpp)
  Type check_node(const ast::Expr& e, Scope& scope);
  /// Types an operand that must not be null: an optional value is an error.
  Type operand(const ast::Expr& e, Scope& scope);
  Type check_period_literal(const ast::Expr& e);
  Type check_name(const ast::Expr& e, Scope& scope);
  Type check_member(const ast::Expr& e, Scope& scope);
  Type check_row_field(const ast::Expr& e, int source, Binding binding);
  std::string credited_currency() const;
  Type check_binary(const ast::Expr& e, Scope& scope);
  Type check_null_comparison(const ast::Expr& e, Scope& scope);
  Type check_coalesce(const ast::Expr& e, Scope& scope);
  Type check_collection(const ast::Expr& e, Scope& scope);
  Type check_record(const ast::Expr& e, Scope& scope);
  Type check_within(const ast::Expr& e, Scope& scope);
  Type check_unless(const ast::Expr& e, Scope& scope);
  bool same_value_type(const Type& a, const Type& b) const;

  // ---- calls (check_calls.cpp; library functions in check_library.cpp)
  Type check_call(const ast::Expr& e, Scope& scope);
  Type check_builtin(const ast::Expr& e, Scope& scope);
  Type check_aggregate(const ast::Expr& e, AggregateKind kind, Scope& scope);
  // which credited source an aggregate reads (check_calls.cpp).
  bool aggregate_source(const ast::Expr& e, Scope& inner, AggregateModel& aggregate);
  // the credited source whose row (`opp`) or name is `head`, or -1.
  int credited_row_source(const std::string& head);
  Type check_count_distinct(const ast::Expr& e, Scope& scope);
  Type check_library_call(const ast::Expr& e, Scope& scope);
  bool check_arguments(const ast::Expr& e, const std::string& signature, int min_args, int max_args,
                       const std::vector<const char*>& named);
  const ast::Expr* named_argument(const ast::Expr& e, const std::string& name) const;
  std::vector<const ast::Expr*> positional_arguments(const ast::Expr& e) const;
  int rates_argument(const ast::Expr& e, const char* function, bool tiers);
  Type check_table_call(const ast::Expr& e, int table, Scope& scope);
  Type check_function_call(const ast::Expr& e, int function, Scope& scope);
  Type check_test_call(const ast::Expr& e, Scope& scope);
  std::vector<std::string> callable_names(bool in_test) const;

  // ---- tables and rates (check_tables.cpp)
  void declare_tables();
  void check_tables();
  void check_table(int index);
  int find_table(const std::string& name) const;
  void declare_rates();
  void check_rates();
  void check_tiers(RatesModel& rates);
  void check_lookup_rows(RatesModel& rates);
  int find_rates(const std::string& name) const;
  Scope scope_for(const ast::Expr& e);

  // ---- territories (check_territories.cpp)
  void check_territories();
  void check_territory_overlaps();
  void check_territory_sets();

  // ---- draws and clawbacks (check_incentives.cpp)
  void check_draws();
  void check_clawbacks();
  Scope row_scope();

  // ---- functions (check_functions.cpp)
  void declare_functions();
  void check_functions();
  void check_function(int index);
  int find_function(const std::string& name) const;

  // ---- tests and imports (check_tests.cpp)
  void check_tests();
  void check_imports();
};

}  // namespace tally::checking
