// Typing of calls: which declaration a call names, builtins, and aggregates
// over credits. Library functions are typed in check_library.cpp, table
// lookups in check_tables.cpp, plan functions in check_functions.cpp and
// payouts/measures inside a test in check_tests.cpp.
#include <algorithm>
#include <string>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"
#include "stdlib/builtins.hpp"

namespace tally::checking {

namespace {

std::optional<AggregateKind> aggregate_kind(const std::string& name) {
  if (name == "sum") return AggregateKind::sum;
  if (name == "count") return AggregateKind::count;
  if (name == "avg") return AggregateKind::avg;
  if (name == "min") return AggregateKind::min;
  if (name == "max") return AggregateKind::max;
  return std::nullopt;
}

}  // namespace

bool has_named_arguments(const ast::Expr& e) {
  return std::any_of(e.arg_names.begin(), e.arg_names.end(),
                     [](const std::string& n) { return !n.empty(); });
}

Type Checker::check_call(const ast::Expr& e, Scope& scope) {
  const std::string& name = e.text;
  if (const auto aggregate = aggregate_kind(name);
      aggregate && e.args.size() == 1 && !has_named_arguments(e))
    return check_aggregate(e, *aggregate, scope);
  if (const int function = find_function(name); function >= 0)
    return check_function_call(e, function, scope);
  if (const int table = find_table(name); table >= 0) return check_table_call(e, table, scope);
  if (scope.in_test) {
    const bool payout = std::any_of(m_.payouts.begin(), m_.payouts.end(),
                                    [&](const PayoutModel& p) { return p.decl->name == name; });
    if (payout || value_index_.count(name)) return check_test_call(e, scope);
  }
  if (find_builtin(name)) return check_builtin(e, scope);
  if (find_library_function(name)) return check_library_call(e, scope);
  for (const auto& arg : e.args) check(*arg, scope);
  if (value_index_.count(name) ||
      std::any_of(m_.payouts.begin(), m_.payouts.end(),
                  [&](const PayoutModel& p) { return p.decl->name == name; })) {
    error(
        e.span, "`" + name + "` is a value, not a function",
        "only a test's `expect` can ask for it by payee and period, e.g. `" + name + "(ann, Q1)`");
    return Type::of(Kind::error);
  }
  if (find_rates(name) >= 0) {
    rates_used_[find_rates(name)] = true;
    error(e.span, "`" + name + "` is a rates table, not a function",
          m_.rates[find_rates(name)].decl->mode == ast::RatesMode::lookup
              ? "use `lookup(" + name + ", key)`"
              : "use `apply(" + name + ", x)`");
    return Type::of(Kind::error);
  }
  error(e.span, "unknown function `" + name + "`",
        did_you_mean(name, callable_names(scope.in_test)));
  return Type::of(Kind::error);
}

std::vector<std::string> Checker::callable_names(bool in_test) const {
  std::vector<std::string> names = builtin_names();
  for (const auto& t : m_.tables) names.push_back(t.decl->name);
  for (const auto& f : m_.functions) names.push_back(f.decl->name);
  if (in_test) {
    for (const auto& p : m_.payouts) names.push_back(p.decl->name);
    for (const auto& v : m_.values) names.push_back(v.decl->name);
  }
  return names;
}

Type Checker::check_builtin(const ast::Expr& e, Scope& scope) {
  const std::string& name = e.text;
  const std::size_t argc = e.args.size();
  const Builtin* builtin = find_builtin(name);
  for (const auto& n : e.arg_names)
    if (!n.empty()) {
      error(e.span, "`" + name + "` takes no named argument `" + n + "`",
            std::string("it takes ") + builtin->signature);
      return Type::of(Kind::error);
    }
  if (static_cast<int>(argc) < builtin->min_args || static_cast<int>(argc) > builtin->max_args) {
    error(e.span, "`" + name + "` takes " + builtin->signature);
    return Type::of(Kind::error);
  }
  if (builtin->id == BuiltinId::round) {
    const Type x = operand(*e.args[0], scope);
    const Type q = operand(*e.args[1], scope);
    if (x.kind != Kind::error && !x.is_numeric())
      error(e.args[0]->span, "round(...) needs a number, found " + type_name(x));
    if (q.kind != Kind::error && !q.is_numeric())
      error(e.args[1]->span, "the rounding quantum must be a number, found " + type_name(q));
    if (q.kind == Kind::money && x.kind == Kind::money && q.currency != x.currency)
      error(e.args[1]->span, "the quantum is in " + q.currency + " but the value in " + x.currency);
    if (argc == 3) {
      const ast::Expr& mode = *e.args[2];
      ExprInfo& mode_info = m_.info[&mode];
      const auto parsed =
          mode.kind == ast::ExprKind::name ? parse_rounding_mode(mode.text) : std::nullopt;
      if (!parsed) {
        static const std::vector<std::string> modes{"half_even", "half_up", "half_down", "down",
                                                    "up",        "floor",   "ceiling"};
        error(mode.span,
              "the rounding mode must be one of half_even, half_up, half_down, down, up, floor, "
              "ceiling",
              mode.kind == ast::ExprKind::name ? did_you_mean(mode.text, modes) : "");
      } else {
        mode_info.binding = Binding::rounding_mode;
        mode_info.index = static_cast<int>(*parsed);
      }
    }
    return x;
  }
  std::vector<Type> types;
  for (const auto& arg : e.args) types.push_back(operand(*arg, scope));
  switch (builtin->id) {
    case BuiltinId::min:
    case BuiltinId::max: {
      const TypeVerdict verdict =
          binary_type(ast::Op::lt, types[0], types[1], text_of(*e.args[0]), text_of(*e.args[1]));
      if (!verdict.error.empty()) {
        error(e.span, name + "(...) " + verdict.error, verdict.hint);
        return Type::of(Kind::error);
      }
      if (!types[0].is_numeric()) {
        error(e.span, name + "(...) needs numbers or money, found " + type_name(types[0]));
        return Type::of(Kind::error);
      }
      if (types[0].kind == Kind::money) return types[0];
      return binary_type(ast::Op::add, types[0], types[1], "", "").type;
    }
    case BuiltinId::abs:
      if (types[0].kind != Kind::error && !types[0].is_numeric())
        error(e.span, "abs(...) needs a number, found " + type_name(types[0]));
      return types[0];
    case BuiltinId::period_of:
      if (types[0].kind != Kind::error && types[0].kind != Kind::date)
        error(e.span, "period_of(...) needs a date, found " + type_name(types[0]));
      // Without a plan header (tally eval) the calendar is the default one:
      // calendar years cut into quarters.
      return Type::of(Kind::period);
    case BuiltinId::round:
      break;
  }
  return Type::of(Kind::error);
}

// in a plan whose credit rules read several sources, an
// aggregate that reads the rows of one of them (`m.outcome`) aggregates the
// credits of the rules over that source only; one that reads only credit
// attributes aggregates every credit. Reading the rows of two sources at once
// has no meaning (no credit has both) and is an error.
bool Checker::aggregate_source(const ast::Expr& e, Scope& inner, AggregateModel& aggregate) {
  struct RowName {
    std::string name;
    int source;
  };
  std::vector<RowName> rows;
  bool several = false;
  for (const ast::CreditDecl& decl : m_.ast.credits) {
    const int source = find_source(decl.source);
    if (source < 0 || source == m_.roster) continue;
    rows.push_back({decl.row_name.empty() ? singular(decl.source) : decl.row_name, source});
    several = several || source != m_.credited_source;
  }
  if (!several) return true;
  const ast::Expr& argument = *e.args[0];
  const RowName* found = nullptr;
  for (const RowName& row : rows) {
    if (!mentions(argument, row.name)) continue;
    if (found && found->source != row.source) {
      const RowName& a = *found;
      const std::string what = a.name == row.name
                                   ? "`" + row.name + "`, which names rows of both `" +
                                         m_.sources[a.source].schema.name + "` and `" +
                                         m_.sources[row.source].schema.name + "`"
                                   : "rows of both `" + m_.sources[a.source].schema.name + "` (`" +
                                         a.name + "`) and `" + m_.sources[row.source].schema.name +
                                         "` (`" + row.name + "`)";
      error(e.span,
            "`" + e.text + "(...)` reads " + what +
                ", but each credit comes from one source: an aggregate over credits may read the "
                "rows of one source only",
            a.name == row.name
                ? "give the credit rules different row names with `as`, e.g. `from " +
                      m_.sources[row.source].schema.name + " as " + row.name + "2`"
                : "aggregate each source in its own measure and add the measures: one `" + e.text +
                      "(...)` that reads `" + a.name + "`, one that reads `" + row.name + "`");
      return false;
    }
    if (!found) found = &row;
  }
  if (found) {
    inner.source = found->source;
    inner.row_name = found->name;
    aggregate.row_source = found->source;
  } else {
    // Only credit attributes: no row name resolves here.
    inner.row_name.clear();
    aggregate.row_source = -1;
  }
  return true;
}

int Checker::credited_row_source(const std::string& head) {
  for (const ast::CreditDecl& decl : m_.ast.credits) {
    const int source = find_source(decl.source);
    if (source < 0 || source == m_.roster) continue;
    if (head == decl.source ||
        head == (decl.row_name.empty() ? singular(decl.source) : decl.row_name))
      return source;
  }
  return -1;
}

Type Checker::check_aggregate(const ast::Expr& e, AggregateKind kind, Scope& scope) {
  if (!scope.in_measure || scope.context != Context::payee_period) {
    error(e.span, "`" + e.text + "(...)` over credits is only allowed in a measure",
          "declare it as `measure NAME = " + e.text + "(...)` and use NAME here");
    return Type::of(Kind::error);
  }
  if (m_.credited_source < 0) {
    error(e.span, "`" + e.text + "(...)` aggregates credits, but the plan has no credit rule");
    return Type::of(Kind::error);
  }
  scope.per_payee = true;
  const ast::Expr* argument = e.args[0].get();
  const ast::Expr* filter = nullptr;
  if (argument->kind == ast::ExprKind::filter) {
    filter = argument->args[1].get();
    argument = argument->args[0].get();
  }
  Scope inner;
  inner.context = Context::credit;
  inner.source = m_.credited_source;
  inner.row_name = credited_row_name_;
  inner.dependencies = scope.dependencies;
  AggregateModel aggregate;
  if (!aggregate_source(e, inner, aggregate)) return Type::of(Kind::error);
  aggregate.kind = kind;
  aggregate.call = &e;
  aggregate.filter = filter;
  if (filter) expect_kind(*filter, inner, Kind::boolean, "the `where` condition");
  Type result;
  if (kind == AggregateKind::count) {
    if (argument->kind == ast::ExprKind::distinct) {
      m_.info[argument].type = check_count_distinct(*argument, inner);
      aggregate.kind = AggregateKind::count_distinct;
      aggregate.argument = argument->args.empty() ? nullptr : argument->args[0].get();
    } else if (!(argument->kind == ast::ExprKind::name && argument->text == "credit")) {
      error(argument->span,
            "count(...) counts credits: write `count(credit)` or `count(credit where ...)`");
      return Type::of(Kind::error);
    }
    if (aggregate.kind == AggregateKind::count)
      m_.info[argument] = ExprInfo{Type::of(Kind::record), Binding::credit_variable, -1};
    result = Type::of(Kind::integer);
  } else {
    const Type t = operand(*argument, inner);
    if (t.kind != Kind::error && !t.is_numeric()) {
      error(argument->span, e.text + "(...) needs numbers or money, found " + type_name(t));
      return Type::of(Kind::error);
    }
    aggregate.argument = argument;
    result = (kind == AggregateKind::avg && t.kind == Kind::integer) ? Type::of(Kind::decimal) : t;
  }
  aggregate.type = result;
  ExprInfo& info = m_.info[&e];
  info.binding = Binding::aggregate;
  info.index = static_cast<int>(m_.aggregates.size());
  m_.aggregates.push_back(aggregate);
  return result;
}

Type Checker::check_count_distinct(const ast::Expr& distinct, Scope& inner) {
  if (distinct.args.empty()) return Type::of(Kind::error);
  const Type t = operand(*distinct.args[0], inner);
  if (t.kind == Kind::list || t.kind == Kind::record)
    error(distinct.args[0]->span, "count(distinct ...) counts plain values, found " + type_name(t));
  return Type::of(Kind::integer);
}

}  // namespace tally::checking
