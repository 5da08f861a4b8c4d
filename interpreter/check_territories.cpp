// Territories: predicates over the credited row, owners and priorities,
// hierarchical names, and the static overlap check: two territories of equal
// priority whose predicates are conjunctions of simple tests on fields
// (`field in {set}`, `field == literal`, `field in a .. b`) and can both hold
// for one transaction are an error with a witness.
#include <algorithm>
#include <map>
#include <string>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"

namespace tally::checking {

namespace {

/// What a predicate requires of one field: one of some values, or a range.
struct FieldTest {
  bool textual = false;
  std::vector<std::string> texts;    ///< textual: the allowed values
  std::vector<Decimal> numbers;      ///< numeric set: the allowed values
  std::optional<Decimal> low, high;  ///< numeric range [low, high)
  bool is_range = false;
  std::string unit;  ///< " USD", "%" for witnesses
};

/// field name -> test; nullopt when the predicate is not a conjunction of
/// simple tests (then nothing is decided statically).
using Conjunction = std::map<std::string, FieldTest>;

std::string unit_of(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::money) return " " + e.unit;
  if (e.kind == ast::ExprKind::percent) return "%";
  return "";
}

/// Intersects `into` with `test` (the same field tested twice in one predicate).
bool merge(FieldTest& into, const FieldTest& test);

bool conjunction_of(const ast::Expr& e, const std::string& row, Conjunction& out) {
  if (e.kind == ast::ExprKind::binary && e.op == ast::Op::and_)
    return conjunction_of(*e.args[0], row, out) && conjunction_of(*e.args[1], row, out);
  if (e.kind != ast::ExprKind::binary || (e.op != ast::Op::eq && e.op != ast::Op::in)) return false;
  const ast::Expr& left = *e.args[0];
  const ast::Expr& right = *e.args[1];
  if (left.kind != ast::ExprKind::member || left.args.empty() ||
      left.args[0]->kind != ast::ExprKind::name || left.args[0]->text != row)
    return false;
  FieldTest test;
  auto add_item = [&](const ast::Expr& item) {
    if (item.kind == ast::ExprKind::string) {
      test.textual = true;
      test.texts.push_back(item.text);
      return true;
    }
    if (auto value = literal_value(item)) {
      test.numbers.push_back(*value);
      test.unit = unit_of(item.kind == ast::ExprKind::unary ? *item.args[0] : item);
      return true;
    }
    return false;
  };
  if (e.op == ast::Op::eq) {
    if (!add_item(right)) return false;
  } else if (right.kind == ast::ExprKind::set) {
    for (const auto& item : right.args)
      if (!add_item(*item)) return false;
  } else if (right.kind == ast::ExprKind::range) {
    test.is_range = true;
    test.low = literal_value(*right.args[0]);
    if (!test.low) return false;
    test.unit = unit_of(*right.args[0]);
    if (right.args.size() > 1) {
      test.high = literal_value(*right.args[1]);
      if (!test.high) return false;
    }
  } else {
    return false;
  }
  auto [it, fresh] = out.emplace(left.text, test);
  if (!fresh) return merge(it->second, test);
  return true;
}

bool in_range(const FieldTest& range, const Decimal& x) {
  return !(x < *range.low) && (!range.high || x < *range.high);
}

/// A value both tests allow, written for a message, or nullopt.
std::optional<std::string> common_value(const FieldTest& a, const FieldTest& b) {
  if (a.textual != b.textual) return std::nullopt;
  if (a.textual) {
    for (const auto& x : a.texts)
      if (std::find(b.texts.begin(), b.texts.end(), x) != b.texts.end()) return "\"" + x + "\"";
    return std::nullopt;
  }
  auto write = [&](Decimal d) {
    if (a.unit == "%") d = d * Decimal::from_int(100);
    return d.trimmed().to_string() + (a.unit.empty() ? b.unit : a.unit);
  };
  if (!a.is_range && !b.is_range) {
    for (const auto& x : a.numbers)
      if (std::find(b.numbers.begin(), b.numbers.end(), x) != b.numbers.end()) return write(x);
    return std::nullopt;
  }
  if (a.is_range && b.is_range) {
    const Decimal low = *a.low < *b.low ? *b.low : *a.low;
    if (in_range(a, low) && in_range(b, low)) return write(low);
    return std::nullopt;
  }
  const FieldTest& range = a.is_range ? a : b;
  const FieldTest& set = a.is_range ? b : a;
  for (const auto& x : set.numbers)
    if (in_range(range, x)) return write(x);
  return std::nullopt;
}

/// Some value a test allows, or nullopt when it allows none.
std::optional<std::string> some_value(const FieldTest& test) {
  if (test.textual) {
    if (test.texts.empty()) return std::nullopt;
    return "\"" + test.texts.front() + "\"";
  }
  if (!test.is_range && test.numbers.empty()) return std::nullopt;
  if (test.is_range && test.high && !(*test.low < *test.high)) return std::nullopt;
  Decimal d = test.is_range ? *test.low : test.numbers.front();
  if (test.unit == "%") d = d * Decimal::from_int(100);
  return d.trimmed().to_string() + test.unit;
}

bool merge(FieldTest& into, const FieldTest& test) {
  if (into.textual != test.textual || into.is_range || test.is_range) return false;
  FieldTest both = into;
  both.texts.clear();
  both.numbers.clear();
  for (const auto& x : into.texts)
    if (std::find(test.texts.begin(), test.texts.end(), x) != test.texts.end())
      both.texts.push_back(x);
  for (const auto& x : into.numbers)
    if (std::find(test.numbers.begin(), test.numbers.end(), x) != test.numbers.end())
      both.numbers.push_back(x);
  into = both;
  return true;
}

}  // namespace

Scope Checker::row_scope() {
  Scope scope;
  scope.context = Context::row;
  scope.source = m_.credited_source;
  scope.row_name = credited_row_name_;
  return scope;
}

void Checker::check_territories() {
  std::map<std::string, int> names;
  for (const ast::TerritoryDecl& decl : m_.ast.territories) {
    TerritoryModel territory;
    territory.decl = &decl;
    if (auto [it, fresh] = names.emplace(decl.name, static_cast<int>(m_.territories.size()));
        !fresh)
      error(decl.name_span,
            "territory `" + decl.name + "` is already declared at line " +
                std::to_string(line_of(m_.territories[it->second].decl->name_span)));
    const auto dot = decl.name.rfind('.');
    if (dot != std::string::npos) {
      const std::string parent = decl.name.substr(0, dot);
      const auto it = names.find(parent);
      const bool later = std::any_of(m_.ast.territories.begin(), m_.ast.territories.end(),
                                     [&](const ast::TerritoryDecl& d) { return d.name == parent; });
      if (it != names.end())
        territory.parent = it->second;
      else if (!later)
        error(decl.name_span,
              "territory `" + decl.name + "` is inside `" + parent + "`, which is not declared",
              "declare `territory " + parent + " = ...` first");
    }
    if (m_.credited_source < 0) {
      error(decl.span,
            "territory `" + decl.name + "` matches transactions, but the plan has no credit rule",
            "territories apply to the rows a credit rule reads");
      m_.territories.push_back(territory);
      continue;
    }
    Scope scope = row_scope();
    if (decl.predicate)
      expect_kind(*decl.predicate, scope, Kind::boolean,
                  "the predicate of territory `" + decl.name + "`");
    if (decl.owner) {
      const Type owner = operand(*decl.owner, scope);
      if (owner.kind != Kind::error && owner.kind != Kind::payee && owner.kind != Kind::text)
        error(
            decl.owner->span,
            "the owner of territory `" + decl.name + "` must be a payee, found " + type_name(owner),
            "write the payee id in quotes, e.g. `owner \"se-001\"`");
    } else if (territory.parent < 0) {
      warning(decl.name_span,
              "territory `" + decl.name +
                  "` has no owner, so owner(territory(...)) credits nobody for it",
              "add `owner \"PAYEE-ID\"`");
    }
    if (decl.priority) {
      Scope constant;
      const Type t = operand(*decl.priority, constant);
      if (t.kind != Kind::error && t.kind != Kind::integer)
        error(decl.priority->span, "a priority must be a whole number, found " + type_name(t));
      else if (auto value = literal_value(*decl.priority); value && value->to_int64())
        territory.priority = *value->to_int64();
      else if (t.kind == Kind::integer)
        error(decl.priority->span, "a priority must be written out as a whole number");
    }
    m_.territories.push_back(territory);
  }
  // A parent declared after its child.
  for (TerritoryModel& territory : m_.territories) {
    const auto dot = territory.decl->name.rfind('.');
    if (dot == std::string::npos || territory.parent >= 0) continue;
    const auto it = names.find(territory.decl->name.substr(0, dot));
    if (it != names.end()) territory.parent = it->second;
  }
  check_territory_overlaps();
}

void Checker::check_territory_overlaps() {
  std::vector<std::optional<Conjunction>> tests;
  for (const TerritoryModel& territory : m_.territories) {
    Conjunction conjunction;
    const bool simple = territory.decl->predicate &&
                        conjunction_of(*territory.decl->predicate, credited_row_name_, conjunction);
    tests.push_back(simple ? std::optional<Conjunction>(std::move(conjunction)) : std::nullopt);
  }
  for (std::size_t i = 0; i < m_.territories.size(); ++i) {
    for (std::size_t j = i + 1; j < m_.territories.size(); ++j) {
      if (!tests[i] || !tests[j] || m_.territories[i].priority != m_.territories[j].priority)
        continue;
      // A child inside its parent is no overlap: at equal priority the more
      // specific territory wins (see docs/semantics/territories.md).
      auto inside = [&](std::size_t child, std::size_t ancestor) {
        for (int p = m_.territories[child].parent; p >= 0; p = m_.territories[p].parent)
          if (static_cast<std::size_t>(p) == ancestor) return true;
        return false;
      };
      if (inside(i, j) || inside(j, i)) continue;
      // A transaction that matches both: a common value for every field both
      // test, any allowed value for the fields only one of them tests.
      std::string witness;
      bool disjoint = false;
      auto add = [&](const std::string& field, const std::optional<std::string>& value) {
        if (!value)
          disjoint = true;
        else
          witness += (witness.empty() ? "" : " and ") + field + " " + *value;
      };
      for (const auto& [field, test] : *tests[i]) {
        const auto other = tests[j]->find(field);
        add(field, other == tests[j]->end() ? some_value(test) : common_value(test, other->second));
      }
      for (const auto& [field, test] : *tests[j])
        if (!tests[i]->count(field)) add(field, some_value(test));
      if (disjoint) continue;
      const ast::TerritoryDecl& a = *m_.territories[i].decl;
      const ast::TerritoryDecl& b = *m_.territories[j].decl;
      error(b.name_span,
            "territories " + a.name + " and " + b.name + " can both match a " + credited_row_name_ +
                (witness.empty() ? std::string() : " with " + witness) + "; give one a priority",
            "e.g. `territory " + b.name + " = ... priority " +
                std::to_string(m_.territories[j].priority + 1) + "`");
    }
  }
}

void Checker::check_territory_sets() {
  for (const ast::TerritoriesDecl& decl : m_.ast.territory_sets) {
    TerritorySetModel set;
    set.decl = &decl;
    set.source = find_source(decl.source);
    if (set.source < 0) {
      error(decl.source_span, "unknown source `" + decl.source + "`",
            did_you_mean(decl.source, source_names()));
      m_.territory_sets.push_back(set);
      continue;
    }
    source_used_[set.source] = true;
    if (m_.credited_source < 0) {
      error(decl.span, "territories match transactions, but the plan has no credit rule");
      m_.territory_sets.push_back(set);
      continue;
    }
    Scope scope = row_scope();
    scope.other_source = set.source;
    scope.other_row_name = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
    if (scope.other_row_name == scope.row_name)
      error(decl.source_span,
            "the territory row and the transaction row are both called `" + scope.row_name + "`",
            "name the territory row with `as t`");
    if (decl.match) expect_kind(*decl.match, scope, Kind::boolean, "the `match` condition");
    if (decl.owner) {
      const Type owner = operand(*decl.owner, scope);
      if (owner.kind != Kind::error && owner.kind != Kind::payee && owner.kind != Kind::text)
        error(decl.owner->span,
              "the owner of a territory must be a payee, found " + type_name(owner));
    } else {
      error(decl.span, "`territories from " + decl.source + "` needs an `owner`",
            "e.g. `owner " + scope.other_row_name + ".se`");
    }
    if (decl.priority) {
      const Type t = operand(*decl.priority, scope);
      if (t.kind != Kind::error && t.kind != Kind::integer)
        error(decl.priority->span, "a priority must be a whole number, found " + type_name(t));
    }
    if (decl.label) {
      const Type t = operand(*decl.label, scope);
      if (t.kind != Kind::error && t.kind != Kind::text)
        error(decl.label->span, "a territory's name must be text, found " + type_name(t));
    }
    m_.territory_sets.push_back(set);
  }
}

}  // namespace tally::checking
