// Credit rules, measures and lets, payouts, and the unused-declaration
// warnings.
#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"
#include "stdlib/builtins.hpp"

namespace tally::checking {

// ------------------------------------------------------------ credit rules

void Checker::check_rules() {
  std::unordered_map<std::string, Span> seen;
  for (const ast::CreditDecl& decl : m_.ast.credits) {
    if (auto [it, fresh] = seen.emplace(decl.name, decl.name_span); !fresh)
      error(decl.name_span, "credit rule `" + decl.name + "` is already declared at line " +
                                std::to_string(locate(it->second).line));
    CreditRuleModel rule;
    rule.decl = &decl;
    rule.source = find_source(decl.source);
    if (rule.source < 0) {
      error(decl.source_span, "unknown source `" + decl.source + "`",
            did_you_mean(decl.source, source_names()));
      m_.rules.push_back(rule);
      continue;
    }
    if (rule.source == m_.roster)
      error(decl.source_span,
            "credit rules read transactions, not the roster `" + decl.source + "`");
    source_used_[rule.source] = true;
    rule.row_name = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
    if (m_.roster < 0)
      error(decl.name_span, "credit rules need a roster of payees",
            "declare one, e.g. `roster payees { id: text key, name: text, role: text }`");

    Scope scope;
    scope.context = Context::row;
    scope.source = rule.source;
    scope.row_name = rule.row_name;
    if (decl.amount) {
      const Type t = check(*decl.amount, scope);
      if (t.kind != Kind::error && t.kind != Kind::money)
        error(decl.amount->span, "the credited amount must be money, found " + type_name(t));
    } else {
      rule.amount_field = find_field(rule.source, "amount");
      if (rule.amount_field < 0) {
        const auto& fields = m_.sources[rule.source].schema.fields;
        for (std::size_t i = 0; i < fields.size(); ++i)
          if (fields[i].type.kind == Kind::money) {
            if (rule.amount_field >= 0) {
              rule.amount_field = -2;  // ambiguous
              break;
            }
            rule.amount_field = static_cast<int>(i);
          }
      }
      if (rule.amount_field < 0)
        error(decl.source_span, "which field of `" + decl.source + "` is the amount to credit?",
              "name it with an `amount` clause, e.g. `credit " + decl.name + " from " +
                  decl.source + " amount " + rule.row_name + ".value ...`");
      else if (m_.sources[rule.source].schema.fields[rule.amount_field].type.kind != Kind::money)
        error(decl.source_span,
              "field `amount` of `" + decl.source + "` must be money to be credited");
      else if (m_.sources[rule.source].schema.fields[rule.amount_field].type.optional)
        error(decl.source_span, "the credited amount `" +
                                    m_.sources[rule.source].schema.fields[rule.amount_field].name +
                                    "` must not be optional");
    }
    if (decl.where) expect_kind(*decl.where, scope, Kind::boolean, "the `where` condition");
    if (!decl.on)
      error(decl.span,
            "the credit rule `" + decl.name + "` needs an `on` date, e.g. `on deal.close_date`");
    else
      expect_kind(*decl.on, scope, Kind::date, "the credit date after `on`");
    for (const ast::CreditLine& line : decl.lines) {
      const Type payee = operand(*line.payee, scope);
      const bool payee_list =
          payee.kind == Kind::list && payee.element && payee.element->kind == Kind::payee;
      if (payee_list && line.kind != ast::CreditKind::rollup)
        error(line.payee->span,
              "`" + text_of(*line.payee) +
                  "` is a list of payees; only `rollup` credit goes to a list",
              "write `" + text_of(*line.payee) + " gets " + text_of(*line.share) + " rollup`");
      else if (payee.kind != Kind::error && !payee_list && payee.kind != Kind::payee &&
               payee.kind != Kind::text)
        error(line.payee->span, "who gets credit must be a payee, found " + type_name(payee));
      const Type share = operand(*line.share, scope);
      if (share.kind != Kind::error && share.kind != Kind::percent && share.kind != Kind::decimal)
        error(line.share->span,
              "the share after `gets` must be a percent, found " + type_name(share),
              "write it like `100%` or `50%`");
    }
    if (decl.lines.empty()) warning(decl.span, "credit rule `" + decl.name + "` credits nobody");
    m_.rules.push_back(std::move(rule));
  }
}

// ------------------------------------------------------------ values

void Checker::declare_values() {
  for (const ast::CreditDecl& decl : m_.ast.credits) {
    const int source = find_source(decl.source);
    if (source >= 0 && source != m_.roster) {
      m_.credited_source = source;
      credited_row_name_ = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
      break;
    }
  }
  // Over several credited sources, territories and clawbacks read the rows
  // of the source their conditions name (`deal.`), whichever rule comes
  // first: that source is then the one they are resolved over.
  auto territories_name = [&](const std::string& row) {
    for (const ast::TerritoryDecl& t : m_.ast.territories)
      if ((t.predicate && mentions(*t.predicate, row)) || (t.owner && mentions(*t.owner, row)))
        return true;
    for (const ast::TerritoriesDecl& t : m_.ast.territory_sets)
      if (t.match && mentions(*t.match, row)) return true;
    return false;
  };
  auto clawbacks_name = [&](const std::string& row) -> const ast::ClawbackDecl* {
    for (const ast::ClawbackDecl& c : m_.ast.clawbacks)
      if (c.when && mentions(*c.when, row)) return &c;
    return nullptr;
  };
  int territory_source = -1;
  int clawback_source = -1;
  std::string territory_row;
  std::string clawback_row;
  const ast::ClawbackDecl* clawback = nullptr;
  for (const ast::CreditDecl& decl : m_.ast.credits) {
    const int source = find_source(decl.source);
    if (source < 0 || source == m_.roster) continue;
    const std::string row = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
    if (territory_source < 0 && territories_name(row)) {
      territory_source = source;
      territory_row = row;
    }
    if (clawback_source < 0)
      if (const ast::ClawbackDecl* c = clawbacks_name(row)) {
        clawback_source = source;
        clawback_row = row;
        clawback = c;
      }
  }
  if (territory_source >= 0 && clawback_source >= 0 && territory_source != clawback_source)
    error(clawback->span,
          "this clawback reads rows of `" + m_.sources[clawback_source].schema.name + "` (`" +
              clawback_row + ".`), but the territories read rows of `" +
              m_.sources[territory_source].schema.name + "` (`" + territory_row +
              ".`); territories and clawbacks read one source",
          "claw back the credits of `" + m_.sources[territory_source].schema.name +
              "`, or move the territories or the clawback to a plan of their own");
  const int chosen = territory_source >= 0 ? territory_source : clawback_source;
  if (chosen >= 0) {
    m_.credited_source = chosen;
    credited_row_name_ = territory_source >= 0 ? territory_row : clawback_row;
  }
  for (const ast::ValueDecl& decl : m_.ast.values) {
    const int index = static_cast<int>(m_.values.size());
    if (value_index_.count(decl.name) || find_source(decl.name) >= 0) {
      error(decl.name_span, "`" + decl.name + "` is already declared");
    } else {
      value_index_[decl.name] = index;
    }
    ValueModel value;
    value.decl = &decl;
    m_.values.push_back(value);
  }
  value_state_.assign(m_.values.size(), 0);
  value_deps_.assign(m_.values.size(), {});
  value_used_.assign(m_.values.size(), false);
}

namespace {

/// Names an expression mentions (an over-approximation of the values it
/// uses: a parameter or field of the same name counts too, harmlessly).
void collect_names(const ast::Expr& e, std::vector<const std::string*>& out) {
  if (e.kind == ast::ExprKind::name) out.push_back(&e.text);
  if (e.kind == ast::ExprKind::member) {
    collect_names(*e.args[0], out);
    return;
  }
  for (const auto& arg : e.args) collect_names(*arg, out);
}

}  // namespace

void Checker::check_values() {
  // Check each value after the values its text mentions, found without
  // recursion, so that a long chain (`let v2 = v1 + 1`, `let v1 = v0 + 1`,
  // ...) costs no stack per link; check_value still finds real cycles.
  const std::size_t n = m_.values.size();
  std::vector<std::vector<int>> mentions(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!m_.values[i].decl->value) continue;
    std::vector<const std::string*> names;
    collect_names(*m_.values[i].decl->value, names);
    for (const std::string* name : names)
      if (auto it = value_index_.find(*name);
          it != value_index_.end() && it->second != static_cast<int>(i))
        mentions[i].push_back(it->second);
  }
  std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<bool> cyclic(n, false);
  for (std::size_t root = 0; root < n; ++root) {
    if (state[root]) continue;
    std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < mentions[node].size()) {
        const int dep = mentions[node][next++];
        if (state[dep] == 0) {
          state[dep] = 1;
          stack.push_back({dep, 0});
        } else if (state[dep] == 1) {
          // A cycle through `dep`: leave its members to the declaration-order
          // pass below, which reports it at the first of them.
          for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
            cyclic[it->first] = true;
            if (it->first == dep) break;
          }
        }
        continue;
      }
      state[node] = 2;
      const int done = node;
      stack.pop_back();
      if (!cyclic[done]) check_value(done);
    }
  }
  for (std::size_t i = 0; i < n; ++i) check_value(static_cast<int>(i));
}

void Checker::check_value(int index) {
  if (value_state_[index] == 2) return;
  ValueModel& value = m_.values[index];
  if (value_state_[index] == 1) {
    error(value.decl->name_span, "`" + value.decl->name + "` is defined in terms of itself");
    value.type = Type::of(Kind::error);
    return;
  }
  value_state_[index] = 1;
  const ast::ValueDecl& decl = *value.decl;
  Scope scope;
  scope.context = Context::payee_period;
  scope.in_measure = decl.is_measure;
  scope.dependencies = &value_deps_[index];
  const std::optional<Type> declared = decl.type ? resolve_type(*decl.type) : std::nullopt;
  // A value may be null only when its declared type says so (`let d: date? = ...`).
  const bool may_be_null = declared && declared->optional;
  Type type = Type::of(Kind::error);
  if (decl.value) type = may_be_null ? check(*decl.value, scope) : operand(*decl.value, scope);
  value.per_payee = scope.per_payee || decl.is_measure;
  if (declared) {
    if (decl.value && decl.value->kind != ast::ExprKind::null &&
        !assignable(type.as_optional(false), declared->as_optional(false)))
      error(decl.value->span, "`" + decl.name + "` is declared " + type_name(*declared) +
                                  " but its value is " + type_name(type));
    type = *declared;
  }
  value.type = type;
  if (decl.value)
    if (auto shape = m_.record_shapes.find(decl.value.get()); shape != m_.record_shapes.end())
      value.shape = shape->second;
  value_state_[index] = 2;
}

void Checker::order_values() {
  // Depth-first post-order over the dependencies, with an explicit stack.
  std::vector<int> state(m_.values.size(), 0);
  for (std::size_t root = 0; root < m_.values.size(); ++root) {
    if (state[root]) continue;
    std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < value_deps_[node].size()) {
        const int dep = value_deps_[node][next++];
        if (!state[dep]) {
          state[dep] = 1;
          stack.push_back({dep, 0});
        }
        continue;
      }
      m_.value_order.push_back(node);
      stack.pop_back();
    }
  }
}

// ------------------------------------------------------------ payouts

void Checker::check_payouts() {
  std::unordered_map<std::string, Span> seen;
  for (const ast::PayoutDecl& decl : m_.ast.payouts) {
    if (auto [it, fresh] = seen.emplace(decl.name, decl.name_span);
        !fresh || value_index_.count(decl.name) || find_table(decl.name) >= 0 ||
        find_rates(decl.name) >= 0 || find_function(decl.name) >= 0)
      error(decl.name_span, "`" + decl.name + "` is already declared");
    std::vector<int> dependencies;
    Scope scope;
    scope.context = Context::payee_period;
    scope.dependencies = &dependencies;
    if (decl.for_role) {
      if (m_.roster_role < 0 && m_.roster >= 0)
        error(decl.for_role->span, "`for role` needs a `role` field in the roster `" +
                                       m_.sources[m_.roster].schema.name + "`");
      else
        expect_kind(*decl.for_role, scope, Kind::boolean, "the `for role` guard");
    }
    if (decl.when) expect_kind(*decl.when, scope, Kind::boolean, "the `when` guard");
    if (decl.value) expect_plan_money(*decl.value, scope, "the payout `" + decl.name + "`");
    check_payout_clauses(decl, scope);
    m_.payouts.push_back(PayoutModel{&decl});
  }
  if (m_.ast.payouts.empty() && m_.ast.header)
    warning(m_.ast.header->span, "the plan declares no payout, so it pays nothing");
}

void Checker::expect_plan_money(const ast::Expr& e, Scope& scope, const std::string& what) {
  const Type t = operand(e, scope);
  if (t.kind == Kind::error) return;
  if (t.kind != Kind::money)
    error(e.span, what + " must be money, found " + type_name(t),
          t.is_numeric()
              ? "multiply by a money amount, or write the currency: `500 " + m_.currency + "`"
              : "");
  else if (t.currency != m_.currency)
    error(e.span, what + " is in " + t.currency + " but the plan pays in " + m_.currency);
}

void Checker::warn_unused() {
  for (std::size_t i = 0; i < m_.values.size(); ++i)
    if (!value_used_[i])
      warning(m_.values[i].decl->name_span,
              std::string(m_.values[i].decl->is_measure ? "measure" : "value") + " `" +
                  m_.values[i].decl->name + "` is never used");
  // The FX source is read by the engine itself (docs/semantics/currencies.md)
  // when the plan converts, or when the roster or a credited source carries a
  // `currency` field.
  bool uses_fx = false;
  for (const auto& [expr, info] : m_.info)
    if (info.binding == Binding::library_call &&
        static_cast<LibraryId>(info.index) == LibraryId::convert)
      uses_fx = true;
  for (const SourceModel& source : m_.sources)
    for (const auto& field : source.schema.fields)
      if (field.name == "currency") uses_fx = true;
  for (std::size_t i = 0; i < m_.sources.size(); ++i)
    if (!source_used_[i] && !(uses_fx && m_.sources[i].schema.name.rfind("fx", 0) == 0))
      warning(m_.sources[i].decl->name_span,
              "source `" + m_.sources[i].schema.name + "` is never used");
  for (std::size_t i = 0; i < m_.tables.size(); ++i)
    if (!table_used_[i])
      warning(m_.tables[i].decl->name_span,
              std::string(m_.tables[i].decl->is_goal ? "goal" : "table") + " `" +
                  m_.tables[i].decl->name + "` is never used");
  for (std::size_t i = 0; i < m_.rates.size(); ++i)
    if (!rates_used_[i])
      warning(m_.rates[i].decl->name_span, "rates `" + m_.rates[i].decl->name + "` is never used",
              m_.rates[i].decl->mode == ast::RatesMode::lookup
                  ? "use it with `lookup(" + m_.rates[i].decl->name + ", key)`"
                  : "use it with `apply(" + m_.rates[i].decl->name + ", x)`");
  // A module of the standard library (`import "stdlib/kpi"`) offers many
  // functions for a plan to pick from: those it leaves are not a mistake.
  for (std::size_t i = 0; i < m_.functions.size(); ++i)
    if (!function_used_[i] && locate(m_.functions[i].decl->name_span).file.rfind("stdlib/", 0) != 0)
      warning(m_.functions[i].decl->name_span,
              "fn `" + m_.functions[i].decl->name + "` is never called");
  if (!territory_called_)
    for (const TerritoryModel& territory : m_.territories)
      warning(territory.decl->name_span,
              "territory `" + territory.decl->name +
                  "` is never used: no credit rule calls territory(...)",
              "credit its owner with a line like `owner(territory(deal)) gets 50% overlay`");
}

void Checker::note_value_use(int index, Scope& scope) {
  value_used_[index] = true;
  check_value(index);
  if (scope.dependencies) scope.dependencies->push_back(index);
}

}  // namespace tally::checking
