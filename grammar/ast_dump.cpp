#include "grammar/ast_dump.hpp"

#include <string_view>

namespace tally {
namespace {

/// The operator in a dump: as written, except prefix minus (`neg`, unlike
/// subtraction) and `not-in` (one token in an S-expression).
std::string_view op_text(ast::Op op) {
  if (op == ast::Op::neg) return "neg";
  if (op == ast::Op::not_in) return "not-in";
  return ast::op_spelling(op);
}

/// A string value in quotes, escaped so that no value can imitate the text
/// around it (which keeps equal dumps equivalent to equal trees).
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void append_args(std::string& out, const ast::Expr& e) {
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    out += ' ';
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) out += e.arg_names[i] + ":";
    out += e.args[i] ? dump_expr(*e.args[i]) : std::string("_");
  }
}

std::string form(std::string head, const ast::Expr& e) {
  std::string out = "(" + std::move(head);
  append_args(out, e);
  return out + ")";
}

/// ` label:EXPR`, or nothing for a clause that was not written.
std::string clause(std::string_view label, const ast::ExprPtr& e) {
  if (!e) return {};
  return " " + std::string(label) + ":" + dump_expr(*e);
}

std::string word_clause(std::string_view label, std::string_view value) {
  if (value.empty()) return {};
  return " " + std::string(label) + ":" + std::string(value);
}

std::string flag(std::string_view label, bool on) {
  return on ? " " + std::string(label) : std::string();
}

std::string credit_kind(ast::CreditKind kind) {
  return std::string(ast::credit_kind_name(kind));
}

std::string rates_mode(ast::RatesMode mode) {
  switch (mode) {
    case ast::RatesMode::marginal:
      return "marginal";
    case ast::RatesMode::retroactive:
      return "retroactive";
    case ast::RatesMode::lookup:
      return "lookup";
  }
  return "?";
}

std::string options(const std::vector<ast::FieldOption>& list) {
  std::string out;
  for (const ast::FieldOption& option : list) {
    out += " (" + option.name;
    for (const std::string& value : option.values) out += " " + quoted(value);
    out += ")";
  }
  return out;
}

std::string header(const ast::PlanHeader& h) {
  std::string out = "(plan " + quoted(h.name);
  if (h.version) out += " version:" + quoted(*h.version);
  out += word_clause("effective", h.effective);
  out += word_clause("currency", h.currency);
  out += flag("fiscal", h.fiscal);
  out += word_clause("label", h.fiscal_year_label);
  out += word_clause("starts", h.year_start);
  // An unwritten grain is a quarter (ast.hpp), so both print alike.
  out += word_clause("periods", h.grain == "quarter" ? std::string() : h.grain);
  out += word_clause("rounding", h.rounding_mode);
  out += word_clause("to", h.rounding_quantum);
  return out + ")";
}

std::string source(const ast::SourceDecl& s) {
  std::string out = (s.is_roster ? "(roster " : "(source ") + s.name + options(s.options);
  for (const ast::FieldDecl& field : s.fields) {
    out += " (field " + field.name + " " + dump_type(field.type) + options(field.options) + ")";
  }
  return out + ")";
}

std::string credit(const ast::CreditDecl& c) {
  std::string out = "(credit " + c.name + " from:" + c.source;
  out += word_clause("as", c.row_name);
  out += clause("amount", c.amount);
  out += clause("where", c.where);
  out += clause("on", c.on);
  for (const ast::CreditLine& line : c.lines) {
    out += " (gets" + clause("payee", line.payee) + clause("share", line.share) + " " +
           credit_kind(line.kind) + ")";
  }
  return out + ")";
}

std::string value(const ast::ValueDecl& v) {
  std::string out = (v.is_measure ? "(measure " : "(let ") + v.name;
  if (v.type) out += " :" + dump_type(*v.type);
  return out + clause("value", v.value) + ")";
}

std::string payout(const ast::PayoutDecl& p) {
  std::string out = "(payout " + p.name;
  out += clause("for", p.for_role);
  out += clause("when", p.when);
  out += clause("value", p.value);
  out += clause("cap", p.cap);
  // An unwritten `per` is `per period` (ast.hpp), so both print alike.
  out += word_clause("cap_per", p.cap_per == "period" ? std::string() : p.cap_per);
  out += flag("defer", p.cap_defer);
  out += clause("floor", p.floor);
  out += word_clause("floor_per", p.floor_per == "period" ? std::string() : p.floor_per);
  out += clause("pay_min", p.pay_min);
  out += clause("pay_max", p.pay_max);
  return out + ")";
}

std::string table(const ast::TableDecl& t) {
  std::string out = (t.is_goal ? "(goal " : "(table ") + t.name + " (";
  for (std::size_t i = 0; i < t.keys.size(); ++i) out += (i ? " " : "") + t.keys[i];
  out += ") :" + dump_type(t.type);
  out += word_clause("from", t.source);
  if (!t.columns.empty()) {
    out += " columns:(";
    for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? " " : "") + t.columns[i];
    out += ")";
  }
  out += clause("value", t.value);
  out += flag("prorated", t.prorated);
  return out + ")";
}

std::string territory(const ast::TerritoryDecl& t) {
  return "(territory " + t.name + clause("match", t.predicate) + clause("owner", t.owner) +
         clause("priority", t.priority) + ")";
}

std::string territory_set(const ast::TerritoriesDecl& t) {
  return "(territories from:" + t.source + word_clause("as", t.row_name) +
         clause("match", t.match) + clause("owner", t.owner) + clause("priority", t.priority) +
         clause("name", t.label) + ")";
}

std::string rates(const ast::RatesDecl& r) {
  std::string out = "(rates " + r.name + " " + rates_mode(r.mode) + clause("on", r.on);
  for (const ast::RateRow& row : r.rows) {
    out += " (row" + clause("lower", row.lower) + clause("upper", row.upper) +
           clause("key", row.key) + clause("value", row.value) + ")";
  }
  return out + ")";
}

std::string draw(const ast::DrawDecl& d) {
  // An unwritten grain is the plan's period, so `per period` prints as nothing.
  auto grain = [](const std::string& per) { return per == "period" ? std::string() : per; };
  return "(draw " + d.name + clause("for", d.for_role) + clause("when", d.when) +
         clause("amount", d.amount) + word_clause("per", grain(d.per)) +
         flag("recoverable", d.recoverable) + clause("limit", d.limit) +
         word_clause("limit_per", grain(d.limit_per)) + ")";
}

std::string clawback(const ast::ClawbackDecl& c) {
  return "(clawback " + c.payout + clause("when", c.when) + clause("share", c.share) +
         flag("and-credit", c.and_credit) + ")";
}

std::string function(const ast::FnDecl& f) {
  std::string out = "(fn " + f.name + " (";
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    out += (i ? " " : "") + f.params[i].first + ":" + dump_type(f.params[i].second);
  }
  out += ")";
  if (f.result) out += " :" + dump_type(*f.result);
  return out + clause("body", f.body) + ")";
}

std::string test(const ast::TestDecl& t) {
  std::string out = "(test " + quoted(t.name);
  for (const ast::TestStatement& s : t.statements) {
    out += " (" + s.head;
    if (!s.id.empty()) out += " id:" + s.id;
    for (const auto& [field, e] : s.fields) out += clause(field, e);
    out += clause("expect", s.expect) + ")";
  }
  return out + ")";
}

}  // namespace

std::string dump_expr(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::number:
      return e.text;
    case ast::ExprKind::percent:
      return e.text + "%";
    case ast::ExprKind::money:
      return "[" + e.text + " " + e.unit + "]";
    case ast::ExprKind::date:
      return "#" + e.text;
    case ast::ExprKind::period:
      return "@" + e.text;
    case ast::ExprKind::string:
      return quoted(e.text);
    case ast::ExprKind::boolean:
    case ast::ExprKind::name:
      return e.text;
    case ast::ExprKind::null:
      return "null";
    case ast::ExprKind::member:
      return "(. " + (e.args.empty() ? std::string("_") : dump_expr(*e.args[0])) + " " + e.text +
             ")";
    case ast::ExprKind::call:
      return form("call " + e.text, e);
    case ast::ExprKind::unary:
    case ast::ExprKind::binary:
      return form(std::string(op_text(e.op)), e);
    case ast::ExprKind::set: {
      std::string out = "{";
      append_args(out, e);
      if (out.size() > 1) out.erase(1, 1);
      return out + "}";
    }
    case ast::ExprKind::range:
      return form("..", e);
    case ast::ExprKind::filter:
      return form("where", e);
    case ast::ExprKind::record:
      return form("record", e);
    case ast::ExprKind::distinct:
      return form("distinct", e);
    case ast::ExprKind::within:
      return form("within-" + e.unit, e);
    case ast::ExprKind::unless:
      return form("unless", e);
  }
  return "?";
}

std::string dump_type(const ast::TypeRef& type) {
  std::string out = type.name;
  if (!type.currency.empty()) out += "<" + type.currency + ">";
  if (type.element) out += "<" + dump_type(*type.element) + ">";
  if (type.name == "record" || !type.fields.empty()) {
    out += "{";
    for (std::size_t i = 0; i < type.fields.size(); ++i) {
      out += (i ? " " : "") + type.fields[i].name + ":" + dump_type(type.fields[i].type);
    }
    out += "}";
  }
  if (type.optional) out += "?";
  return out;
}

std::string dump_plan(const ast::Plan& plan) {
  std::string out;
  auto line = [&out](std::string text) { out += std::move(text) + "\n"; };
  if (plan.header) line(header(*plan.header));
  for (const auto& d : plan.sources) line(source(d));
  for (const auto& d : plan.credits) line(credit(d));
  for (const auto& d : plan.values) line(value(d));
  for (const auto& d : plan.payouts) line(payout(d));
  for (const auto& d : plan.tables) line(table(d));
  for (const auto& d : plan.territories) line(territory(d));
  for (const auto& d : plan.territory_sets) line(territory_set(d));
  for (const auto& d : plan.rates) line(rates(d));
  for (const auto& d : plan.draws) line(draw(d));
  for (const auto& d : plan.clawbacks) line(clawback(d));
  for (const auto& d : plan.functions) line(function(d));
  for (const auto& d : plan.tests) line(test(d));
  for (const auto& d : plan.imports) line("(import " + quoted(d.path) + ")");
  return out;
}

}  // namespace tally
