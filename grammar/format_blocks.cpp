#include "grammar/format_blocks.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "grammar/format_clauses.hpp"
#include "grammar/format_declarations.hpp"
#include "grammar/format_expression.hpp"

namespace tally::format {

using ast::Expr;

// ---------------------------------------------------------------- sources

namespace {

std::string option_text(const ast::FieldOption& option) {
  std::string text = option.name;
  for (const std::string& value : option.values) {
    text += ' ';
    text += option.name == "at" ? value : quoted(value);
  }
  return text;
}

std::string field_text(const ast::FieldDecl& field) {
  std::string text = field.name + ": " + type_text(field.type);
  for (const ast::FieldOption& option : field.options) text += " " + option_text(option);
  return text;
}

}  // namespace

void write_source(Layout& out, const ast::SourceDecl& d, const SourceMap& source) {
  if (!d.options.empty() || !d.fields.empty()) {
    std::vector<std::string> items;
    for (const ast::FieldOption& option : d.options) items.push_back(option_text(option));
    for (const ast::FieldDecl& field : d.fields) items.push_back(field_text(field));
    const std::string line =
        std::string(d.is_roster ? "roster " : "source ") + d.name + " { " + joined(items) + " }";
    if (keep_one_line(source, d.span, line)) {
      write_one_line(out, line, {d.span, d.name_span}, {});
      for (const ast::FieldOption& option : d.options) out.mark(option.span);
      for (const ast::FieldDecl& field : d.fields) out.mark(field.span);
      return;
    }
  }
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write(d.is_roster ? "roster " : "source ");
  out.write(d.name);
  if (d.options.empty() && d.fields.empty()) {
    out.write(" {}");
    out.mark(d.span.end);
    return;
  }
  out.write(" {");
  Block block(out);
  for (const ast::FieldOption& option : d.options) {
    block.item(option.span);
    out.write(option_text(option));
    out.mark(option.span.end);
  }
  for (const ast::FieldDecl& field : d.fields) {
    block.item(field.span);
    out.write(field_text(field));
    out.mark(field.span.end);
  }
  block.close(d.span.end);
}

// ---------------------------------------------------------------- credit

namespace {

/// The kind as written after a credit line's share; `direct`, the default,
/// is not written.
std::string_view credit_kind_word(ast::CreditKind kind) {
  return kind == ast::CreditKind::direct ? std::string_view() : ast::credit_kind_name(kind);
}

std::string credit_line_text(const ast::CreditLine& line, int payee_width) {
  std::string text = padded(line.payee ? clause_text(*line.payee, kOr) : "", payee_width);
  text += " gets ";
  if (line.share) text += clause_text(*line.share, kWhole);
  const std::string_view kind = credit_kind_word(line.kind);
  if (!kind.empty()) text += " " + std::string(kind);
  return text;
}

bool write_credit_one_line(Layout& out, const ast::CreditDecl& d, const SourceMap& source) {
  if (d.lines.empty()) return false;
  std::string text = "credit " + d.name + " from " + d.source;
  if (!d.row_name.empty()) text += " as " + d.row_name;
  if (d.amount) text += " amount " + clause_text(*d.amount, kOr);
  if (d.where) text += " where " + clause_text(*d.where, kOr);
  if (d.on) text += " on " + clause_text(*d.on, kOr);
  std::vector<std::string> lines;
  std::vector<const Expr*> expressions = {d.amount.get(), d.where.get(), d.on.get()};
  for (const ast::CreditLine& line : d.lines) {
    lines.push_back(credit_line_text(line, 0));
    expressions.push_back(line.payee.get());
    expressions.push_back(line.share.get());
  }
  text += " { " + joined(lines) + " }";
  if (!keep_one_line(source, d.span, text)) return false;
  write_one_line(out, text, {d.span, d.name_span, d.source_span}, expressions);
  for (const ast::CreditLine& line : d.lines) out.mark(line.span);
  return true;
}

}  // namespace

void write_credit(Layout& out, const ast::CreditDecl& d, const SourceMap& source) {
  if (write_credit_one_line(out, d, source)) return;
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.mark(d.source_span);
  std::string head = "credit " + d.name + " from " + d.source;
  if (!d.row_name.empty()) head += " as " + d.row_name;
  out.write(head);

  std::vector<std::pair<std::string_view, const Expr*>> clauses;
  if (d.amount) clauses.emplace_back("amount", d.amount.get());
  if (d.where) clauses.emplace_back("where", d.where.get());
  if (d.on) clauses.emplace_back("on", d.on.get());
  const std::string_view open = d.lines.empty() ? " {}" : " {";
  int width = out.column() + display_width(open);
  for (const auto& [word, e] : clauses) {
    width += 2 + display_width(word) + display_width(clause_text(*e, kOr));
  }
  const bool one_line = width <= kLineLimit;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const bool last = i + 1 == clauses.size();
    const int reserve = last ? display_width(open) : 0;
    if (one_line) {
      out.write(" ");
      out.write(clauses[i].first);
      out.write(" ");
      write_clause_expression(out, *clauses[i].second, kOr, 0, reserve);
    } else {
      write_clause_line(out, clauses[i].first, *clauses[i].second, kOr, reserve);
    }
  }
  out.write(open);
  if (d.lines.empty()) {
    out.mark(d.span.end);
    return;
  }

  std::vector<std::string> payees;
  int payee_width = 0;
  for (const ast::CreditLine& line : d.lines) {
    payees.push_back(line.payee ? clause_text(*line.payee, kOr) : std::string());
    payee_width = std::max(payee_width, display_width(payees.back()));
  }
  if (payee_width > kAlignLimit) payee_width = 0;
  Block block(out);
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const ast::CreditLine& line = d.lines[i];
    block.item(line.span);
    if (line.payee) mark_expression(out, *line.payee);
    out.write(padded(payees[i], payee_width));
    out.write(" gets ");
    const std::string_view kind = credit_kind_word(line.kind);
    if (line.share) {
      write_clause_expression(out, *line.share, kWhole, kIndent,
                              kind.empty() ? 0 : 1 + display_width(kind));
    }
    if (!kind.empty()) {
      out.write(" ");
      out.write(kind);
    }
    out.mark(line.span.end);
  }
  block.close(d.span.end);
}

// ---------------------------------------------------------------- rates

namespace {

std::string rate_row_text(const ast::RateRow& row) {
  std::string text;
  if (row.lower) {
    text = clause_text(*row.lower, kAdditive) + " ..";
    if (row.upper) text += " " + clause_text(*row.upper, kAdditive);
  } else {
    text = row.key ? clause_text(*row.key, kAdditive) : "else";
  }
  text += " : ";
  if (row.value) text += clause_text(*row.value, kWhole);
  return text;
}

}  // namespace

void write_rates(Layout& out, const ast::RatesDecl& d, const SourceMap& source) {
  if (!d.rows.empty()) {
    std::string text = "rates " + d.name;
    if (d.on) {
      text += d.mode == ast::RatesMode::lookup ? " by " : " on ";
      text += clause_text(*d.on, kOr);
    }
    if (d.mode == ast::RatesMode::marginal) text += " marginal";
    if (d.mode == ast::RatesMode::retroactive) text += " retroactive";
    std::vector<std::string> rows;
    std::vector<const Expr*> expressions = {d.on.get()};
    for (const ast::RateRow& row : d.rows) {
      rows.push_back(rate_row_text(row));
      for (const Expr* e : {row.lower.get(), row.upper.get(), row.key.get(), row.value.get()}) {
        expressions.push_back(e);
      }
    }
    text += " { " + joined(rows) + " }";
    if (keep_one_line(source, d.span, text)) {
      write_one_line(out, text, {d.span, d.name_span}, expressions);
      for (const ast::RateRow& row : d.rows) out.mark(row.span);
      return;
    }
  }
  out.start_line(0);
  out.mark(d.span.begin);
  out.mark(d.name_span);
  out.write("rates " + d.name);
  const bool lookup = d.mode == ast::RatesMode::lookup;
  const std::string tail = lookup                               ? ""
                           : d.mode == ast::RatesMode::marginal ? " marginal"
                                                                : " retroactive";
  const std::string_view open = d.rows.empty() ? " {}" : " {";
  if (d.on) {
    out.write(lookup ? " by " : " on ");
    write_clause_expression(out, *d.on, kOr, 0, display_width(tail) + display_width(open));
  }
  out.write(tail);
  out.write(open);
  if (d.rows.empty()) {
    out.mark(d.span.end);
    return;
  }
  // Tiers read as a table: lower bounds aligned left, upper bounds right,
  // the colons in one column.
  const int bound = kAdditive;
  std::vector<std::string> lefts;
  std::vector<std::string> uppers;
  int left_width = 0;
  int upper_width = 0;
  for (const ast::RateRow& row : d.rows) {
    std::string left = row.lower   ? clause_text(*row.lower, bound)
                       : row.key   ? clause_text(*row.key, bound)
                       : row.upper ? std::string()
                                   : std::string("else");
    std::string upper = row.upper ? clause_text(*row.upper, bound) : std::string();
    left_width = std::max(left_width, display_width(left));
    upper_width = std::max(upper_width, display_width(upper));
    lefts.push_back(std::move(left));
    uppers.push_back(std::move(upper));
  }
  if (left_width > kAlignLimit) left_width = 0;
  const bool tiers = std::any_of(d.rows.begin(), d.rows.end(),
                                 [](const ast::RateRow& row) { return row.lower != nullptr; });
  Block block(out);
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    const ast::RateRow& row = d.rows[i];
    block.item(row.span);
    std::string text = padded(lefts[i], left_width);
    if (tiers) {
      text += " ..";
      if (upper_width > 0) {
        text.append(static_cast<std::size_t>(1 + upper_width - display_width(uppers[i])), ' ');
        text += uppers[i];
      }
    }
    out.write(text);
    if (row.lower) mark_expression(out, *row.lower);
    if (row.key) mark_expression(out, *row.key);
    if (row.upper) mark_expression(out, *row.upper);
    out.write(" : ");
    if (row.value) write_clause_expression(out, *row.value, kWhole, kIndent);
    out.mark(row.span.end);
  }
  block.close(d.span.end);
}

void write_test(Layout& out, const ast::TestDecl& d) {
  out.start_line(0);
  out.mark(d.span.begin);
  out.write("test " + quoted(d.name));
  if (d.statements.empty()) {
    out.write(" {}");
    out.mark(d.span.end);
    return;
  }
  out.write(" {");
  Block block(out);
  // A statement stays on one line: inside a test, a line break may end it.
  for (const ast::TestStatement& statement : d.statements) {
    block.item(statement.span);
    std::string text = statement.head;
    if (statement.expect) {
      text += " " + clause_text(*statement.expect, kOr);
      mark_expression(out, *statement.expect);
    }
    if (!statement.id.empty()) text += " " + statement.id;
    for (const auto& [name, value] : statement.fields) {
      text += " " + name;
      if (value) {
        text += " " + clause_text(*value, kCoalesce);
        mark_expression(out, *value);
      }
    }
    out.write(text);
    out.mark(statement.span.end);
  }
  block.close(d.span.end);
}

}  // namespace tally::format
