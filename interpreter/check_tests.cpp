// Test blocks: the payees and rows a scenario declares, typed against the
// roster, the tables and the credited source; `expect` conditions that may
// ask for a payout or a measure by payee and period. And imports.
#include <algorithm>
#include <string>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"

namespace tally::checking {

void Checker::check_tests() {
  std::vector<std::string> names;
  for (const ast::TestDecl& decl : m_.ast.tests) {
    m_.tests.push_back(TestModel{&decl});
    if (std::find(names.begin(), names.end(), decl.name) != names.end())
      error(decl.span, "test \"" + decl.name + "\" is already declared",
            "give each test its own name");
    names.push_back(decl.name);
    std::vector<Local> payees;
    for (std::size_t i = 0; i < decl.statements.size(); ++i) {
      const ast::TestStatement& statement = decl.statements[i];
      if (statement.head != "payee") continue;
      const bool twice = std::any_of(payees.begin(), payees.end(),
                                     [&](const Local& p) { return p.name == statement.id; });
      if (twice)
        error(statement.span, "payee `" + statement.id + "` is already declared in this test");
      payees.push_back(Local{statement.id, Type::of(Kind::payee), nullptr, Binding::test_payee,
                             static_cast<int>(i)});
    }
    Scope scope;
    scope.context = Context::constant;
    scope.in_test = true;
    scope.locals = &payees;
    bool expects = false;
    for (const ast::TestStatement& statement : decl.statements) {
      if (statement.head == "expect") {
        expects = true;
        if (statement.expect)
          expect_kind(*statement.expect, scope, Kind::boolean, "what a test expects");
        continue;
      }
      // A field of a payee (roster field or table), or of a row of the credited source.
      const bool payee = statement.head == "payee";
      int source = -1;
      if (payee) {
        source = m_.roster;
        if (m_.roster < 0)
          error(statement.span, "a test declares payees, but the plan has no roster");
      } else if (m_.credited_source >= 0 &&
                 (statement.head == credited_row_name_ ||
                  statement.head == m_.sources[m_.credited_source].schema.name)) {
        source = m_.credited_source;
      } else if (const int other = credited_row_source(statement.head); other >= 0) {
        source = other;  // a row of another credited source
      } else {
        std::vector<std::string> heads{"payee", "expect"};
        if (m_.credited_source >= 0) heads.push_back(credited_row_name_);
        std::string hint = did_you_mean(statement.head, heads);
        error(
            statement.span,
            "a test states `payee NAME ...`, rows of the credited source" +
                (m_.credited_source >= 0 ? " (`" + credited_row_name_ + " ...`)" : std::string()) +
                " and `expect ...`, found `" + statement.head + "`",
            hint);
        for (const auto& [field, value] : statement.fields)
          if (value) check(*value, scope);
        continue;
      }
      for (const auto& [field, value] : statement.fields) {
        if (!value) continue;
        const Type t = check(*value, scope);
        Type expected = Type::of(Kind::error);
        std::string what;
        const int index = source >= 0 ? find_field(source, field) : -1;
        if (index >= 0) {
          expected = m_.sources[source].schema.fields[index].type;
          what = "field `" + field + "` of `" + m_.sources[source].schema.name + "`";
        } else if (const int table = payee ? find_table(field) : -1; table >= 0) {
          table_used_[table] = true;
          expected = m_.tables[table].type;
          what = "`" + field + "`";
          const auto& keys = m_.tables[table].decl->keys;
          if (keys.empty() || keys[0] != "payee")
            error(value->span,
                  "a test can set `" + field + "` per payee only when its first key is `payee`");
        } else if (source >= 0) {
          std::vector<std::string> candidates = field_names(source);
          if (payee)
            for (const auto& table : m_.tables) candidates.push_back(table.decl->name);
          error(value->span,
                "`" + m_.sources[source].schema.name + "` has no field `" + field + "`" +
                    (payee ? " and no table is called `" + field + "`" : std::string()),
                did_you_mean(field, candidates));
          continue;
        } else {
          continue;
        }
        if (t.kind == Kind::error || expected.kind == Kind::error) continue;
        if (value->kind == ast::ExprKind::null) {
          if (!expected.optional)
            error(value->span, what + " is " + type_name(expected) + " and cannot be null");
          continue;
        }
        if (!assignable(t.as_optional(false), expected.as_optional(false)))
          error(value->span, what + " is " + type_name(expected) + ", found " + type_name(t));
      }
    }
    if (!expects)
      warning(decl.span, "test \"" + decl.name + "\" expects nothing",
              "add a line such as `expect commission(ann, Q1) == 7_400 USD`");
  }
}

void Checker::check_imports() {
  // Imports are resolved before checking (Engine::compile): their
  // declarations are already part of the plan, and a missing or broken file
  // has been reported with the import's location.
}

Type Checker::check_test_call(const ast::Expr& e, Scope& scope) {
  const std::string& name = e.text;
  ExprInfo& info = m_.info[&e];
  Type result = Type::of(Kind::error);
  for (std::size_t i = 0; i < m_.payouts.size(); ++i)
    if (m_.payouts[i].decl->name == name) {
      info.binding = Binding::payout_call;
      info.index = static_cast<int>(i);
      result = Type::money_in(m_.currency);
    }
  if (auto it = value_index_.find(name);
      it != value_index_.end() && info.binding != Binding::payout_call) {
    info.binding = Binding::value_call;
    info.index = it->second;
    value_used_[it->second] = true;
    result = m_.values[it->second].type;
  }
  if (e.args.size() != 2 || has_named_arguments(e)) {
    for (const auto& arg : e.args) check(*arg, scope);
    error(e.span,
          std::string(scope.session_call ? "" : "in a test, ") + "`" + name +
              "` takes a payee and a period, found " + std::to_string(e.args.size()) + " argument" +
              (e.args.size() == 1 ? "" : "s"),
          "e.g. `" + name + "(" + (scope.session_call ? *scope.session_call : "ann, Q1") + ")`");
    return result;
  }
  const Type payee = operand(*e.args[0], scope);
  const Type period = operand(*e.args[1], scope);
  if (payee.kind != Kind::error && payee.kind != Kind::payee && payee.kind != Kind::text)
    error(e.args[0]->span, "`" + name + "(...)` needs a payee first, found " + type_name(payee));
  if (period.kind != Kind::error && period.kind != Kind::period)
    error(e.args[1]->span, "`" + name + "(...)` needs a period second, found " + type_name(period),
          "write a period such as Q1 or " +
              std::string(m_.calendar.fiscal ? "FY2027-Q1" : "2026-Q1"));
  return result;
}

}  // namespace tally::checking
