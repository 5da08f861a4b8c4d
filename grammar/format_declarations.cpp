#include "grammar/format_declarations.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "grammar/format_blocks.hpp"
#include "grammar/format_clauses.hpp"
#include "grammar/format_expression.hpp"

namespace tally::format {

using ast::Expr;

namespace {

// ---------------------------------------------------------------- plan header

std::string calendar_text(const ast::PlanHeader& h) {
  if (h.fiscal) {
    std::string text = "fiscal year ";
    if (!h.fiscal_year_label.empty()) text += h.fiscal_year_label + " ";
    text += "starts " + h.year_start;
    if (!h.grain.empty()) text += ", periods " + h.grain;
    return text;
  }
  return h.grain.empty() ? "" : "periods " + h.grain;
}

void write_header(Layout& out, const ast::PlanHeader& h, const SourceMap& source) {
  std::string first = "plan " + quoted(h.name);
  if (h.version) {
    first += " version ";
    first += is_number_literal(*h.version) ? *h.version : quoted(*h.version);
    if (!h.effective.empty()) first += " effective " + h.effective;
  }
  struct Clause {
    std::string text;
    std::vector<std::uint32_t> positions;  ///< where it was written, for the comments
  };
  std::vector<Clause> clauses;
  if (!h.currency.empty()) {
    Clause clause{"currency " + h.currency, {}};
    if (auto at = source.find_word(h.span.begin, h.span.end, "currency")) {
      clause.positions = {*at, static_cast<std::uint32_t>(*at + 12)};
    }
    clauses.push_back(std::move(clause));
  }
  if (const std::string calendar = calendar_text(h); !calendar.empty()) {
    clauses.push_back({calendar, {h.calendar_span.begin, h.calendar_span.end}});
  }
  if (!h.rounding_mode.empty()) {
    clauses.push_back({"rounding " + h.rounding_mode + " to " + h.rounding_quantum,
                       {h.rounding_span.begin, h.rounding_span.end}});
  }
  std::string line = first;
  for (const Clause& clause : clauses) line += " " + clause.text;
  const bool one_line = keep_one_line(source, h.span, line);

  out.start_line(0);
  out.mark(h.span.begin);
  if (h.version) {
    if (auto at = source.find_word(h.span.begin, h.span.end, "version")) out.mark(*at);
  }
  out.write(first);
  for (const Clause& clause : clauses) {
    if (one_line) {
      out.write(" ");
    } else {
      out.start_line(kIndent);
    }
    for (std::uint32_t at : clause.positions) out.mark(at);
    out.write(clause.text);
  }
  out.mark(h.span.end);
}

// ---------------------------------------------------------------- values and payouts

void write_value_decl(Layout& out, const ast::ValueDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write(d.is_measure ? "measure " : "let ");
  out.write(d.name);
  if (d.type) out.write(": " + type_text(*d.type));
  if (d.value) write_value(out, *d.value, kWhole);
  out.mark(d.span.end);
}

/// ` for ROLE` and ` when CONDITION`, shared by payouts and draws.
void write_guards(Layout& out, const Expr* for_role, const Expr* when) {
  if (for_role) {
    out.write(" for ");
    write_clause_expression(out, *for_role, kOr, 0);
  }
  if (when) {
    out.write(" when ");
    write_clause_expression(out, *when, kOr, 0, 2);
  }
}

std::string payout_clauses_text(const ast::PayoutDecl& d) {
  std::string text;
  if (d.cap) {
    text +=
        " cap " + clause_text(*d.cap, kOr) + per_text(d.cap_per) + (d.cap_defer ? " defer" : "");
  }
  if (d.floor) text += " floor " + clause_text(*d.floor, kOr) + per_text(d.floor_per);
  if (d.pay_min || d.pay_max) {
    text += " pay";
    if (d.pay_min) text += " min " + clause_text(*d.pay_min, kOr);
    if (d.pay_max) text += " max " + clause_text(*d.pay_max, kOr);
    text += " per period";
  }
  return text;
}

void write_payout(Layout& out, const ast::PayoutDecl& d, const SourceMap& source) {
  if (d.cap || d.floor || d.pay_min || d.pay_max) {
    std::string text = "payout " + d.name;
    if (d.for_role) text += " for " + clause_text(*d.for_role, kOr);
    if (d.when) text += " when " + clause_text(*d.when, kOr);
    if (d.value) text += " = " + clause_text(*d.value, kWhole);
    text += payout_clauses_text(d);
    if (keep_one_line(source, d.span, text)) {
      write_one_line(out, text, {d.span, d.name_span},
                     {d.for_role.get(), d.when.get(), d.value.get(), d.cap.get(), d.floor.get(),
                      d.pay_min.get(), d.pay_max.get()});
      return;
    }
  }
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write("payout " + d.name);
  write_guards(out, d.for_role.get(), d.when.get());
  const bool has_pay = d.pay_min || d.pay_max;
  if (!d.cap && !d.floor && !has_pay) {
    if (d.value) write_value(out, *d.value, kWhole);
    out.mark(d.span.end);
    return;
  }
  // A payout with a cap, a floor or a payment plan written over several lines
  // shows each on its own line, where a reader looking for the limits finds them.
  out.write(" =");
  if (d.value) {
    out.start_line(kIndent);
    write_clause_expression(out, *d.value, kWhole, kIndent);
  }
  if (d.cap) {
    const std::string tail = per_text(d.cap_per) + (d.cap_defer ? " defer" : "");
    write_clause_line(out, "cap", *d.cap, kOr, display_width(tail));
    out.write(tail);
  }
  if (d.floor) {
    const std::string tail = per_text(d.floor_per);
    write_clause_line(out, "floor", *d.floor, kOr, display_width(tail));
    out.write(tail);
  }
  if (has_pay) {
    out.start_line(kIndent);
    out.write("pay");
    if (d.pay_min) {
      out.write(" min ");
      write_clause_expression(out, *d.pay_min, kOr, kIndent);
    }
    if (d.pay_max) {
      out.write(" max ");
      write_clause_expression(out, *d.pay_max, kOr, kIndent);
    }
    out.write(" per period");
  }
  out.mark(d.span.end);
}

// ---------------------------------------------------------------- tables and territories

void write_table(Layout& out, const ast::TableDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  for (Span key : d.key_spans) out.mark(key);
  out.write(d.is_goal ? "goal " : "table ");
  out.write(d.name);
  if (!d.keys.empty()) out.write("(" + joined(d.keys) + ")");
  out.write(": " + type_text(d.type));
  if (!d.source.empty()) {
    out.mark(d.source_span);
    out.write(" from " + d.source);
    if (!d.columns.empty()) out.write("(" + joined(d.columns) + ")");
  }
  const std::string tail = d.prorated ? " prorated" : "";
  if (d.value) write_value(out, *d.value, kWhole, display_width(tail));
  out.write(tail);
  out.mark(d.span.end);
}

void write_territory(Layout& out, const ast::TerritoryDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write("territory " + d.name + " =");
  std::vector<std::pair<std::string_view, const Expr*>> clauses;
  if (d.owner) clauses.emplace_back("owner", d.owner.get());
  if (d.priority) clauses.emplace_back("priority", d.priority.get());
  int width = out.column() + (d.predicate ? 1 + display_width(clause_text(*d.predicate, kOr)) : 0);
  for (const auto& [word, e] : clauses) {
    width += 2 + display_width(word) + display_width(clause_text(*e, kOr));
  }
  if (width <= kLineLimit) {
    if (d.predicate) {
      out.write(" ");
      write_clause_expression(out, *d.predicate, kOr, 0);
    }
    for (const auto& [word, e] : clauses) {
      out.write(" ");
      out.write(word);
      out.write(" ");
      write_clause_expression(out, *e, kOr, 0);
    }
  } else {
    if (d.predicate) {
      out.start_line(kIndent);
      write_clause_expression(out, *d.predicate, kOr, kIndent);
    }
    for (const auto& [word, e] : clauses) write_clause_line(out, word, *e, kOr);
  }
  out.mark(d.span.end);
}

void write_territories(Layout& out, const ast::TerritoriesDecl& d, const SourceMap& source) {
  std::string text = "territories from " + d.source;
  if (!d.row_name.empty()) text += " as " + d.row_name;
  if (d.match) text += " match " + clause_text(*d.match, kOr);
  if (d.owner) text += " owner " + clause_text(*d.owner, kOr);
  if (d.priority) text += " priority " + clause_text(*d.priority, kOr);
  if (d.label) text += " name " + clause_text(*d.label, kOr);
  if (keep_one_line(source, d.span, text)) {
    write_one_line(out, text, {d.span, d.source_span},
                   {d.match.get(), d.owner.get(), d.priority.get(), d.label.get()});
    return;
  }
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.source_span);
  out.write("territories from " + d.source);
  if (!d.row_name.empty()) out.write(" as " + d.row_name);
  if (d.match) write_clause_line(out, "match", *d.match, kOr);
  if (d.owner) write_clause_line(out, "owner", *d.owner, kOr);
  if (d.priority) write_clause_line(out, "priority", *d.priority, kOr);
  if (d.label) write_clause_line(out, "name", *d.label, kOr);
  out.mark(d.span.end);
}

// ---------------------------------------------------------------- draws and clawbacks

void write_draw(Layout& out, const ast::DrawDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write("draw " + d.name);
  write_guards(out, d.for_role.get(), d.when.get());
  out.write(" =");
  std::string tail = per_text(d.per);
  if (d.recoverable) {
    tail += " recoverable";
    if (d.limit) tail += " limit " + clause_text(*d.limit, kOr) + per_text(d.limit_per);
  }
  const std::string amount = d.amount ? clause_text(*d.amount, kOr) : std::string();
  if (out.column() + 1 + display_width(amount) + display_width(tail) <= kLineLimit) {
    out.write(" ");
  } else {
    out.start_line(kIndent);
  }
  if (d.amount) write_clause_expression(out, *d.amount, kOr, kIndent);
  out.write(per_text(d.per));
  if (d.recoverable) {
    out.write(" recoverable");
    if (d.limit) {
      out.write(" limit ");
      write_clause_expression(out, *d.limit, kOr, kIndent);
      out.write(per_text(d.limit_per));
    }
  }
  out.mark(d.span.end);
}

void write_clawback(Layout& out, const ast::ClawbackDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.payout_span);
  out.write("clawback " + d.payout);
  // `and credit` after the condition would read as part of it: keep the
  // condition closed when it could be confused.
  auto when_min = [&](const Expr& e) {
    return d.and_credit && !d.share && ends_with(clause_text(e, kOr), "and credit") ? kPrimary
                                                                                    : kOr;
  };
  // The share comes before `and credit`: it must not be an `and` itself.
  const int share_min = kComparison;
  std::string tail;
  if (d.share) tail += " share " + clause_text(*d.share, share_min);
  if (d.and_credit) tail += " and credit";
  const std::string when = d.when ? clause_text(*d.when, when_min(*d.when)) : std::string();
  const bool one_line = out.column() + 6 + display_width(when) + display_width(tail) <= kLineLimit;
  if (d.when) {
    if (one_line) {
      out.write(" when ");
      write_clause_expression(out, *d.when, when_min(*d.when), 0);
    } else {
      write_clause_line(out, "when", *d.when, when_min(*d.when));
    }
  }
  if (d.share || d.and_credit) {
    if (!one_line) out.start_line(kIndent);
    if (d.share) {
      out.write(one_line ? " share " : "share ");
      write_clause_expression(out, *d.share, share_min, kIndent);
    }
    if (d.and_credit) out.write(d.share || one_line ? " and credit" : "and credit");
  }
  out.mark(d.span.end);
}

// ---------------------------------------------------------------- functions and imports

void write_fn(Layout& out, const ast::FnDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  for (Span param : d.param_spans) out.mark(param);
  std::vector<std::string> params;
  for (const auto& [name, type] : d.params) params.push_back(name + ": " + type_text(type));
  out.write("fn " + d.name + "(" + joined(params) + ")");
  if (d.result) out.write(": " + type_text(*d.result));
  if (d.body) write_value(out, *d.body, kWhole);
  out.mark(d.span.end);
}

void write_import(Layout& out, const ast::ImportDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.write("import " + quoted(d.path));
  out.mark(d.span.end);
}

template <class Decl>
void add_refs(const std::vector<Decl>& decls, ast::DeclKind kind,
              std::vector<std::pair<std::uint32_t, ast::DeclRef>>& refs) {
  for (std::size_t i = 0; i < decls.size(); ++i) {
    refs.emplace_back(decls[i].span.begin, ast::DeclRef{kind, i});
  }
}

std::size_t count_of(const ast::Plan& plan, ast::DeclKind kind) {
  switch (kind) {
    case ast::DeclKind::header:
      return plan.header ? 1 : 0;
    case ast::DeclKind::source:
      return plan.sources.size();
    case ast::DeclKind::credit:
      return plan.credits.size();
    case ast::DeclKind::value:
      return plan.values.size();
    case ast::DeclKind::payout:
      return plan.payouts.size();
    case ast::DeclKind::table:
      return plan.tables.size();
    case ast::DeclKind::territory:
      return plan.territories.size();
    case ast::DeclKind::territories:
      return plan.territory_sets.size();
    case ast::DeclKind::rates:
      return plan.rates.size();
    case ast::DeclKind::draw:
      return plan.draws.size();
    case ast::DeclKind::clawback:
      return plan.clawbacks.size();
    case ast::DeclKind::fn:
      return plan.functions.size();
    case ast::DeclKind::test:
      return plan.tests.size();
    case ast::DeclKind::import:
      return plan.imports.size();
  }
  return 0;
}

}  // namespace

std::string type_text(const ast::TypeRef& type) {
  std::string text = type.name;
  if (!type.currency.empty()) {
    text += "<" + type.currency + ">";
  } else if (type.element) {
    text += "<" + type_text(*type.element) + ">";
  }
  if (type.name == "record") {
    std::vector<std::string> fields;
    for (const auto& [name, field] : type.fields) fields.push_back(name + ": " + type_text(field));
    text += fields.empty() ? " {}" : " { " + joined(fields) + " }";
  }
  if (type.optional) text += "?";
  return text;
}

std::vector<ast::DeclRef> declaration_order(const ast::Plan& plan) {
  std::vector<std::pair<std::uint32_t, ast::DeclRef>> refs;
  if (plan.header)
    refs.emplace_back(plan.header->span.begin, ast::DeclRef{ast::DeclKind::header, 0});
  add_refs(plan.sources, ast::DeclKind::source, refs);
  add_refs(plan.credits, ast::DeclKind::credit, refs);
  add_refs(plan.values, ast::DeclKind::value, refs);
  add_refs(plan.payouts, ast::DeclKind::payout, refs);
  add_refs(plan.tables, ast::DeclKind::table, refs);
  add_refs(plan.territories, ast::DeclKind::territory, refs);
  add_refs(plan.territory_sets, ast::DeclKind::territories, refs);
  add_refs(plan.rates, ast::DeclKind::rates, refs);
  add_refs(plan.draws, ast::DeclKind::draw, refs);
  add_refs(plan.clawbacks, ast::DeclKind::clawback, refs);
  add_refs(plan.functions, ast::DeclKind::fn, refs);
  add_refs(plan.tests, ast::DeclKind::test, refs);
  add_refs(plan.imports, ast::DeclKind::import, refs);

  // Plan::order is the contract; it is trusted when it names every declaration once.
  if (plan.order.size() == refs.size()) {
    std::vector<std::vector<bool>> seen(14);
    bool complete = true;
    for (const ast::DeclRef& ref : plan.order) {
      const auto kind = static_cast<std::size_t>(ref.kind);
      if (kind >= seen.size() || ref.index >= count_of(plan, ref.kind)) {
        complete = false;
        break;
      }
      if (seen[kind].empty()) seen[kind].resize(count_of(plan, ref.kind), false);
      if (seen[kind][ref.index]) {
        complete = false;
        break;
      }
      seen[kind][ref.index] = true;
    }
    if (complete) return plan.order;
  }
  std::stable_sort(refs.begin(), refs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ast::DeclRef> order;
  for (const auto& [begin, ref] : refs) order.push_back(ref);
  return order;
}

Span declaration_span(const ast::Plan& plan, const ast::DeclRef& ref) {
  switch (ref.kind) {
    case ast::DeclKind::header:
      return plan.header->span;
    case ast::DeclKind::source:
      return plan.sources[ref.index].span;
    case ast::DeclKind::credit:
      return plan.credits[ref.index].span;
    case ast::DeclKind::value:
      return plan.values[ref.index].span;
    case ast::DeclKind::payout:
      return plan.payouts[ref.index].span;
    case ast::DeclKind::table:
      return plan.tables[ref.index].span;
    case ast::DeclKind::territory:
      return plan.territories[ref.index].span;
    case ast::DeclKind::territories:
      return plan.territory_sets[ref.index].span;
    case ast::DeclKind::rates:
      return plan.rates[ref.index].span;
    case ast::DeclKind::draw:
      return plan.draws[ref.index].span;
    case ast::DeclKind::clawback:
      return plan.clawbacks[ref.index].span;
    case ast::DeclKind::fn:
      return plan.functions[ref.index].span;
    case ast::DeclKind::test:
      return plan.tests[ref.index].span;
    case ast::DeclKind::import:
      return plan.imports[ref.index].span;
  }
  return Span{};
}

std::string_view declaration_group(const ast::Plan& plan, const ast::DeclRef& ref) {
  switch (ref.kind) {
    case ast::DeclKind::header:
      return "plan";
    case ast::DeclKind::source:
      return plan.sources[ref.index].is_roster ? "roster" : "source";
    case ast::DeclKind::credit:
      return "credit";
    case ast::DeclKind::value:
      return plan.values[ref.index].is_measure ? "measure" : "let";
    case ast::DeclKind::payout:
      return "payout";
    case ast::DeclKind::table:
      return plan.tables[ref.index].is_goal ? "goal" : "table";
    case ast::DeclKind::territory:
      return "territory";
    case ast::DeclKind::territories:
      return "territories";
    case ast::DeclKind::rates:
      return "rates";
    case ast::DeclKind::draw:
      return "draw";
    case ast::DeclKind::clawback:
      return "clawback";
    case ast::DeclKind::fn:
      return "fn";
    case ast::DeclKind::test:
      return "test";
    case ast::DeclKind::import:
      return "import";
  }
  return "";
}

void write_declaration(Layout& out, const ast::Plan& plan, const ast::DeclRef& ref,
                       const SourceMap& source) {
  switch (ref.kind) {
    case ast::DeclKind::header:
      return write_header(out, *plan.header, source);
    case ast::DeclKind::source:
      return write_source(out, plan.sources[ref.index], source);
    case ast::DeclKind::credit:
      return write_credit(out, plan.credits[ref.index], source);
    case ast::DeclKind::value:
      return write_value_decl(out, plan.values[ref.index]);
    case ast::DeclKind::payout:
      return write_payout(out, plan.payouts[ref.index], source);
    case ast::DeclKind::table:
      return write_table(out, plan.tables[ref.index]);
    case ast::DeclKind::territory:
      return write_territory(out, plan.territories[ref.index]);
    case ast::DeclKind::territories:
      return write_territories(out, plan.territory_sets[ref.index], source);
    case ast::DeclKind::rates:
      return write_rates(out, plan.rates[ref.index], source);
    case ast::DeclKind::draw:
      return write_draw(out, plan.draws[ref.index]);
    case ast::DeclKind::clawback:
      return write_clawback(out, plan.clawbacks[ref.index]);
    case ast::DeclKind::fn:
      return write_fn(out, plan.functions[ref.index]);
    case ast::DeclKind::test:
      return write_test(out, plan.tests[ref.index]);
    case ast::DeclKind::import:
      return write_import(out, plan.imports[ref.index]);
  }
}

}  // namespace tally::format
