#include "grammar/format_clauses.hpp"

#include "grammar/format_expression.hpp"

namespace tally::format {

using ast::Expr;

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

/// The precedence to print a clause's expression at. An expression ending in
/// an open range (`x in 5 ..`) is parenthesized, because whatever follows the
/// clause could be read as the upper end of the range.
int closed(const Expr& e, int min_precedence) {
  return ends_with(expression_text(e, min_precedence), "..") ? kPrimary : min_precedence;
}

std::string clause_text(const Expr& e, int min_precedence) {
  return expression_text(e, closed(e, min_precedence));
}

void write_clause_expression(Layout& out, const Expr& e, int min_precedence, int indent,
                             int reserve) {
  write_expression(out, e, closed(e, min_precedence), indent, reserve);
}

/// Whether text is a number literal as the grammar reads it (a plan version).
bool is_number_literal(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') ||
                               (text[i] == '_' && i > start && i + 1 < text.size() &&
                                text[i + 1] >= '0' && text[i + 1] <= '9'))) {
      ++i;
    }
    return i > start;
  };
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == text.size();
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += ", ";
    text += items[i];
  }
  return text;
}

std::string padded(std::string text, int width) {
  const int missing = width - display_width(text);
  if (missing > 0) text.append(static_cast<std::size_t>(missing), ' ');
  return text;
}

/// Writes ` = VALUE` after a head: on the same line when it fits, otherwise
/// on a continuation line, broken if it is still too long.
void write_value(Layout& out, const Expr& value, int min_precedence, int reserve) {
  out.write(" =");
  const std::string text = clause_text(value, min_precedence);
  if (out.column() + 1 + display_width(text) + reserve <= kLineLimit) {
    out.write(" ");
    write_clause_expression(out, value, min_precedence, 0, reserve);
  } else {
    out.start_line(kIndent);
    write_clause_expression(out, value, min_precedence, kIndent, reserve);
  }
}

/// A clause `WORD EXPR` on a continuation line of its own.
void write_clause_line(Layout& out, std::string_view word, const Expr& e, int min_precedence,
                       int reserve) {
  out.start_line(kIndent);
  out.write(word);
  out.write(" ");
  write_clause_expression(out, e, min_precedence, kIndent, reserve);
}

/// A declaration that has a one-line and a multi-line layout keeps the one
/// line when the author wrote it on one line and it fits.
bool keep_one_line(const SourceMap& source, Span span, const std::string& text) {
  return source.on_one_line(span) && display_width(text) <= kLineLimit;
}

/// Writes a whole declaration on one line; every node in `spans` and
/// `expressions` is marked on it for the comments.
void write_one_line(Layout& out, const std::string& text, std::initializer_list<Span> spans,
                    const std::vector<const Expr*>& expressions) {
  out.start_line(0);
  out.write(text);
  for (Span span : spans) out.mark(span);
  for (const Expr* e : expressions) {
    if (e) mark_expression(out, *e);
  }
}

std::string per_text(const std::string& grain) {
  return grain.empty() ? "" : " per " + grain;
}

}  // namespace tally::format
