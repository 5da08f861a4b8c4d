// What-if territory moves (include/tally/territories.hpp): the plan's text
// with its territory predicates rewritten, so that a what-if run is an
// ordinary run of another plan and every stage after resolution (crediting,
// payouts) sees the moved transactions in their new territory.
#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "grammar/diagnostics.hpp"
#include "interpreter/api_guard.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/row_labels.hpp"
#include "tally/territories.hpp"

namespace tally {

namespace {

std::string singular(const std::string& name) {
  return name.size() > 1 && name.back() == 's' ? name.substr(0, name.size() - 1) : name;
}

Message move_error(const TerritoryMove& move, std::string text, std::string hint = "") {
  Message m;
  m.file = move.file;
  m.line = move.line;
  m.text = std::move(text);
  m.hint = std::move(hint);
  m.rendered =
      render_error(Error{{move.file, move.line, 0, 0}, m.text, m.hint}, nullptr, Severity::error);
  return m;
}

/// A replacement of [begin, end) of the plan file.
struct Edit {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string text;
};

/// `text` with `edits` applied, the last first so that earlier offsets stay
/// valid; an edit outside the text is skipped.
std::string applied(std::string text, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const Edit& e : edits)
    if (e.begin <= e.end && e.end <= text.size()) text.replace(e.begin, e.end - e.begin, e.text);
  return text;
}

std::string any_of(const std::vector<std::string>& tests) {
  std::string out;
  for (const std::string& t : tests) out += (out.empty() ? "" : " or ") + t;
  return "(" + out + ")";
}

bool is_text_like(const Type& type) {
  return type.kind == Kind::text || type.kind == Kind::payee || type.kind == Kind::territory;
}

/// `row.field == "value"`; an optional field's null equals no value.
std::string field_test(const std::string& row, const FieldSpec& field, const std::string& value) {
  const std::string read = row + "." + field.name;
  return "(" + (field.type.optional ? "(" + read + " ?? \"\")" : read) + " == \"" + value + "\")";
}

const FieldSpec* field_named(const SourceSchema& schema, const std::string& name) {
  for (const FieldSpec& f : schema.fields)
    if (f.name == name) return &f;
  return nullptr;
}

MovedPlan rewrite(const Plan& plan, const std::vector<TerritoryMove>& moves) {
  MovedPlan out;
  const PlanModel& model = *plan.model;
  const std::string& text = plan.file->text();
  if (model.credited_source < 0) {
    out.messages.push_back(move_error(moves.empty() ? TerritoryMove{} : moves.front(),
                                      "the plan credits no source, so it has no territories"));
    return out;
  }
  const SourceSchema& schema =
      model.sources[static_cast<std::size_t>(model.credited_source)].schema;
  std::string row = singular(schema.name);
  for (const CreditRuleModel& rule : model.rules)
    if (rule.source == model.credited_source) {
      row = rule.row_name;
      break;
    }

  std::unordered_set<std::string> declared;
  for (const TerritoryModel& t : model.territories) declared.insert(t.decl->name);

  // The test of each move, over the transaction.
  std::vector<std::string> tests;
  for (const TerritoryMove& move : moves) {
    const auto field = std::find_if(schema.fields.begin(), schema.fields.end(),
                                    [&](const FieldSpec& f) { return f.name == move.field; });
    if (field == schema.fields.end() || !is_text_like(field->type)) {
      out.messages.push_back(
          move_error(move, "`" + move.field + "` is not a text field of `" + schema.name + "`"));
      continue;
    }
    if (move.value.find_first_of("\"\\\n") != std::string::npos) {
      out.messages.push_back(
          move_error(move, "a moved value may not hold a quote, a backslash or a line break"));
      continue;
    }
    tests.push_back(field_test(row, *field, move.value));
  }
  if (!out.messages.empty()) return out;

  std::vector<Edit> edits;
  auto main_file_span = [&](Span span, const std::string& what) -> bool {
    if (origin_of(model.ast, span).file == model.ast.file.get()) return true;
    out.messages.push_back(move_error(
        moves.front(), what + " is declared in an imported file, which a what-if cannot rewrite",
        "declare the territories in the plan file itself"));
    return false;
  };

  // Declared territories: the new territory and its ancestors also match the
  // moved rows; every other territory no longer does.
  for (std::size_t t = 0; t < model.territories.size(); ++t) {
    const ast::TerritoryDecl& decl = *model.territories[t].decl;
    if (!decl.predicate) continue;
    std::vector<std::string> here;
    std::vector<std::string> away;
    for (std::size_t m = 0; m < moves.size(); ++m) {
      const std::string& target = moves[m].territory;
      const bool inside = target == decl.name || target.rfind(decl.name + ".", 0) == 0;
      (inside && declared.count(target) ? here : away).push_back(tests[m]);
    }
    const Span span = decl.predicate->span;
    if (!main_file_span(span, "territory " + decl.name)) return out;
    std::string predicate = "(" + std::string(span_text(model.ast, span)) + ")";
    if (!here.empty()) predicate = "(" + predicate + " or " + any_of(here) + ")";
    if (!away.empty()) predicate += " and not " + any_of(away);
    edits.push_back({span.begin, span.end, predicate});
  }

  // `territories from` sets: a map row keeps its transactions but the moved
  // ones, and takes the moved ones whose new territory it names.
  for (const TerritorySetModel& set : model.territory_sets) {
    const ast::TerritoriesDecl& decl = *set.decl;
    if (!decl.match || set.source < 0) continue;
    if (!main_file_span(decl.match->span, "territories from " + decl.source)) return out;
    std::string name;
    if (decl.label) {
      name = "(" + std::string(span_text(model.ast, decl.label->span)) + ")";
    } else {
      const SourceSchema& map = model.sources[static_cast<std::size_t>(set.source)].schema;
      const int key = key_field(map);
      if (key < 0) {
        out.messages.push_back(move_error(
            moves.front(), "the rows of `" + decl.source + "` have no key to name them by",
            "give `territories from " + decl.source + "` a `name` clause"));
        return out;
      }
      name = (decl.row_name.empty() ? singular(decl.source) : decl.row_name) + "." +
             map.fields[static_cast<std::size_t>(key)].name;
    }
    std::string match = "((" + std::string(span_text(model.ast, decl.match->span)) + ") and not " +
                        any_of(tests) + ")";
    for (std::size_t m = 0; m < moves.size(); ++m)
      if (!declared.count(moves[m].territory))
        match += " or (" + tests[m] + " and " + name + " == \"" + moves[m].territory + "\")";
    edits.push_back({decl.match->span.begin, decl.match->span.end, match});
  }

  // Spans are offsets of the merged plan; the plan file's own come first.
  out.text = applied(text, std::move(edits));
  out.ok = true;
  return out;
}

/// The position of the keyword `on` that ends a credit rule's head, just
/// before its date expression `on_begin`.
std::size_t on_keyword(const std::string& text, std::size_t rule_begin, std::size_t on_begin) {
  // Before the expression's first character: `on onboard_date` finds the keyword.
  const std::size_t at = on_begin == 0 ? std::string::npos : text.rfind("on", on_begin - 1);
  return at == std::string::npos || at < rule_begin ? on_begin : at;
}

std::string identifier_part(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

MovedPlan rewrite_books(const Plan& plan, const std::vector<TerritoryMove>& moves) {
  MovedPlan out;
  const PlanModel& model = *plan.model;
  const std::string& text = plan.file->text();
  if (model.credited_source < 0) {
    out.messages.push_back(
        move_error(moves.front(), "the plan's credit rules read no single source"));
    return out;
  }
  const SourceSchema& schema =
      model.sources[static_cast<std::size_t>(model.credited_source)].schema;
  for (const TerritoryMove& move : moves) {
    const auto field = std::find_if(schema.fields.begin(), schema.fields.end(),
                                    [&](const FieldSpec& f) { return f.name == move.field; });
    if (field == schema.fields.end() || !is_text_like(field->type))
      out.messages.push_back(
          move_error(move, "`" + move.field + "` is not a text field of `" + schema.name + "`"));
    else if ((move.value + move.territory).find_first_of("\"\\\n") != std::string::npos)
      out.messages.push_back(move_error(
          move, "a moved value or payee may not hold a quote, a backslash or a line break"));
  }
  if (!out.messages.empty()) return out;
  // The payees moved to, in first-move order: one copy of each rule each.
  std::vector<std::string> targets;
  for (const TerritoryMove& move : moves)
    if (std::find(targets.begin(), targets.end(), move.territory) == targets.end())
      targets.push_back(move.territory);

  std::vector<Edit> edits;
  for (const CreditRuleModel& rule : model.rules) {
    if (rule.source != model.credited_source || !rule.decl) continue;
    const ast::CreditDecl& decl = *rule.decl;
    if (origin_of(model.ast, decl.span).file != model.ast.file.get()) {
      out.messages.push_back(move_error(moves.front(),
                                        "credit rule " + decl.name +
                                            " is declared in an imported file, which a "
                                            "what-if cannot rewrite",
                                        "declare the credit rules in the plan file itself"));
      return out;
    }
    auto test_of = [&](const TerritoryMove& move) {
      return field_test(rule.row_name, *field_named(schema, move.field), move.value);
    };
    std::vector<std::string> all;
    for (const TerritoryMove& move : moves) all.push_back(test_of(move));
    // A condition `extra` joined to the rule's own `where` (or made its `where`),
    // as edits relative to `base` (0 for the plan, the rule's start for a copy).
    auto where_edit = [&](const std::string& extra, std::uint32_t base) {
      if (decl.where) {
        const std::string own(span_text(model.ast, decl.where->span));
        return Edit{decl.where->span.begin - base, decl.where->span.end - base,
                    "(" + own + ") and " + extra};
      }
      const auto at =
          static_cast<std::uint32_t>(on_keyword(text, decl.span.begin, decl.on->span.begin));
      return Edit{at - base, at - base, "where " + extra + " "};
    };
    edits.push_back(where_edit("not " + any_of(all), 0));
    std::string copies;
    for (std::size_t t = 0; t < targets.size(); ++t) {
      std::vector<std::string> here;
      for (const TerritoryMove& move : moves)
        if (move.territory == targets[t]) here.push_back(test_of(move));
      std::vector<Edit> local;
      local.push_back(where_edit(any_of(here), decl.span.begin));
      local.push_back({decl.name_span.begin - decl.span.begin, decl.name_span.end - decl.span.begin,
                       decl.name + "_to_" + identifier_part(targets[t])});
      for (const ast::CreditLine& line : decl.lines)
        if (line.kind == ast::CreditKind::direct && line.payee)
          local.push_back({line.payee->span.begin - decl.span.begin,
                           line.payee->span.end - decl.span.begin, "\"" + targets[t] + "\""});
      const std::string copy = applied(std::string(span_text(model.ast, decl.span)), local);
      copies += "\n\n// what-if: the moved transactions of " + decl.name + ", credited to " +
                targets[t] + "\n" + copy;
    }
    edits.push_back({decl.span.end, decl.span.end, copies});
  }
  out.text = applied(text, std::move(edits));
  out.ok = true;
  return out;
}

}  // namespace

MovedPlan plan_with_book_moves(const Plan& plan, const std::vector<TerritoryMove>& moves) {
  if (moves.empty()) {
    MovedPlan same;
    same.ok = true;
    same.text = plan.file->text();
    return same;
  }
  return without_exceptions<MovedPlan>("rewriting credit rules",
                                       [&] { return rewrite_books(plan, moves); });
}

MovedPlan plan_with_moves(const Plan& plan, const std::vector<TerritoryMove>& moves) {
  if (moves.empty()) {
    MovedPlan same;
    same.ok = true;
    same.text = plan.file->text();
    return same;
  }
  return without_exceptions<MovedPlan>("rewriting territories",
                                       [&] { return rewrite(plan, moves); });
}

}  // namespace tally
