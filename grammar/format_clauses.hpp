// The pieces every declaration of the canonical layout is written with:
// clause expressions kept apart from what follows them, values that move to a
// continuation line when they do not fit, blocks of one item per line, and the
// rule that keeps a declaration written on one line on one line. Internal to
// the formatter (format_declarations.cpp, format_blocks.cpp).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/format_comments.hpp"
#include "grammar/format_layout.hpp"

namespace tally::format {

/// Payee columns of credit lines (and keys of rate tables) are aligned only
/// while they are this narrow; a very long one would push the rest too far.
inline constexpr int kAlignLimit = 40;

bool ends_with(std::string_view text, std::string_view tail);

/// The precedence to print a clause's expression at. An expression ending in
/// an open range (`x in 5 ..`) is parenthesized, because whatever follows the
/// clause could be read as the upper end of the range.
int closed(const ast::Expr& e, int min_precedence);

/// A clause's expression on one line (see `closed`).
std::string clause_text(const ast::Expr& e, int min_precedence);

/// Writes a clause's expression, broken if it does not fit (see `closed`).
void write_clause_expression(Layout& out, const ast::Expr& e, int min_precedence, int indent,
                             int reserve = 0);

/// Whether text is a number literal as the grammar reads it (a plan version).
bool is_number_literal(std::string_view text);

/// The items separated by ", ".
std::string joined(const std::vector<std::string>& items);

/// `text` followed by spaces up to `width` columns.
std::string padded(std::string text, int width);

/// ` per GRAIN`, or nothing for the default grain.
std::string per_text(const std::string& grain);

/// Writes ` = VALUE` after a head: on the same line when it fits, otherwise
/// on a continuation line, broken if it is still too long.
void write_value(Layout& out, const ast::Expr& value, int min_precedence, int reserve = 0);

/// A clause `WORD EXPR` on a continuation line of its own.
void write_clause_line(Layout& out, std::string_view word, const ast::Expr& e, int min_precedence,
                       int reserve = 0);

/// A declaration that has a one-line and a multi-line layout keeps the one
/// line when the author wrote it on one line and it fits.
bool keep_one_line(const SourceMap& source, Span span, const std::string& text);

/// Writes a whole declaration on one line; every node in `spans` and
/// `expressions` is marked on it for the comments.
void write_one_line(Layout& out, const std::string& text, std::initializer_list<Span> spans,
                    const std::vector<const ast::Expr*>& expressions);

/// The items of a `{ ... }` block: each starts a line of its own, and blank
/// lines written between them in the source are kept.
class Block {
 public:
  explicit Block(Layout& out) : out_(out) {}

  void item(Span span) {
    Line& line = out_.start_line(kIndent);
    line.role = LineRole::item_start;
    line.first_in_block = first_;
    line.item_begin = span.begin;
    line.previous_end = previous_end_;
    first_ = false;
    previous_end_ = span.end;
    out_.mark(span.begin);
  }

  void close(std::uint32_t end) {
    Line& line = out_.start_line(0);
    line.role = LineRole::block_close;
    line.first_in_block = first_;
    line.previous_end = previous_end_;
    out_.write("}");
    out_.mark(end);
  }

 private:
  Layout& out_;
  bool first_ = true;
  std::uint32_t previous_end_ = 0;
};

}  // namespace tally::format
