// The formatter in three steps: lay the declarations out as lines that
// remember the source offsets of their code (format_declarations.cpp,
// format_blocks.cpp, format_clauses.cpp, format_expression.cpp), decide the
// blank lines between declarations, then put the comments back
// (format_comments.cpp).
#include "grammar/formatter.hpp"

#include "grammar/format_comments.hpp"
#include "grammar/format_declarations.hpp"
#include "grammar/format_expression.hpp"
#include "grammar/format_layout.hpp"

namespace tally {

std::string format_plan(const ast::Plan& plan) {
  const std::string_view text =
      plan.file ? std::string_view(plan.file->text()) : std::string_view();
  const format::SourceMap source(text, plan.comments);
  format::Layout out;

  const std::vector<ast::DeclRef> order = format::declaration_order(plan);
  std::size_t previous_first = 0;
  std::uint32_t previous_end = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t first = out.size();
    format::write_declaration(out, plan, order[k], source);
    const Span span = format::declaration_span(plan, order[k]);
    format::Line& line = out.lines()[first];
    line.role = format::LineRole::item_start;
    line.first_in_block = k == 0;
    line.item_begin = span.begin;
    line.previous_end = previous_end;
    if (k > 0) {
      // Declarations of different kinds, and any declaration of several lines,
      // are set apart by a blank line; others keep the blank lines of the source.
      const bool previous_multiline = first - previous_first > 1;
      const bool multiline = out.size() - first > 1;
      line.structural_blank = previous_multiline || multiline ||
                              format::declaration_group(plan, order[k - 1]) !=
                                  format::declaration_group(plan, order[k]);
    }
    previous_first = first;
    previous_end = span.end;
  }
  return format::render_with_comments(out.lines(), source, previous_end, !order.empty());
}

std::string format_expression(const ast::Expr& expr) {
  return format::expression_text(expr, format::kWhole);
}

}  // namespace tally
