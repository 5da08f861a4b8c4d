#include "grammar/format_expression.hpp"

#include <cstdio>
#include <utility>
#include <vector>

namespace tally::format {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Op;

/// Money is counted in thousands from 1_000; plain numbers and percents only
/// from 10_000, so that years such as 2026 keep their usual spelling.
constexpr std::size_t kGroupMoneyFrom = 4;
constexpr std::size_t kGroupNumberFrom = 5;

int binary_precedence(Op op) {
  switch (op) {
    case Op::or_:
      return kOr;
    case Op::and_:
      return kAnd;
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
    case Op::in:
    case Op::not_in:
      return kComparison;
    case Op::coalesce:
      return kCoalesce;
    case Op::add:
    case Op::sub:
      return kAdditive;
    case Op::mul:
    case Op::div:
      return kMultiplicative;
    case Op::none:
    case Op::neg:
    case Op::not_:
      break;
  }
  return kPrimary;
}

bool is_open_range(const Expr& e) {
  return e.kind == ExprKind::range && e.args.size() == 1;
}

/// What each operand of `e` needs: the left operand of a left-associative
/// operator may be at the operator's own level, the right one must bind
/// tighter; comparisons do not chain, so neither side may be a comparison.
int operand_min(const Expr& e, std::size_t index) {
  switch (e.kind) {
    case ExprKind::binary: {
      const int level = binary_precedence(e.op);
      if (level == kComparison) return kComparison + 1;
      return index == 0 ? level : level + 1;
    }
    case ExprKind::range:
      return index == 0 ? kRange : kRange + 1;
    case ExprKind::unary:
      return e.op == Op::not_ ? kNot : kNegation;
    case ExprKind::member:
      return kPostfix;
    case ExprKind::within:
      // The count of days or months is kept to a single term.
      return index == 1 ? kPostfix : kComparison + 1;
    case ExprKind::distinct:
      return kPostfix;
    case ExprKind::filter:
      return index == 0 && e.args[0]->kind == ExprKind::distinct ? kWhole : kOr;
    case ExprKind::call:
      return kWhole;
    default:
      return kOr;  // set elements, record values, the parts of `unless`
  }
}

void append_text(const Expr& e, int min_precedence, std::string& out);

/// Operand `index` of `e`. An open range `a ..` followed by an operator is
/// parenthesized too: the parser would read an operator that can start an
/// expression (`not in`) as the start of its upper end.
void append_operand(const Expr& e, std::size_t index, std::string& out) {
  const Expr& operand = *e.args[index];
  const bool operator_follows =
      (e.kind == ExprKind::binary || e.kind == ExprKind::range || e.kind == ExprKind::within) &&
      index + 1 < e.args.size();
  if (operator_follows && is_open_range(operand)) {
    out += '(';
    append_text(operand, kWhole, out);
    out += ')';
    return;
  }
  append_text(operand, operand_min(e, index), out);
}

void append_arguments(const Expr& e, std::string& out) {
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    if (i > 0) out += ", ";
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) {
      out += e.arg_names[i];
      out += ": ";
    }
    append_operand(e, i, out);
  }
}

void append_bare(const Expr& e, std::string& out) {
  switch (e.kind) {
    case ExprKind::number:
      out += grouped_number(e.text, kGroupNumberFrom);
      return;
    case ExprKind::percent:
      out += grouped_number(e.text, kGroupNumberFrom);
      out += '%';
      return;
    case ExprKind::money:
      out += grouped_number(e.text, kGroupMoneyFrom);
      out += ' ';
      out += e.unit;
      return;
    case ExprKind::date:
    case ExprKind::period:
    case ExprKind::boolean:
    case ExprKind::name:
      out += e.text;
      return;
    case ExprKind::string:
      out += quoted(e.text);
      return;
    case ExprKind::null:
      out += "null";
      return;
    case ExprKind::member:
      append_operand(e, 0, out);
      out += '.';
      out += e.text;
      return;
    case ExprKind::call:
      out += e.text;
      out += '(';
      append_arguments(e, out);
      out += ')';
      return;
    case ExprKind::unary: {
      if (e.args.empty()) return;
      out += op_spelling(e.op);
      std::string operand;
      append_operand(e, 0, operand);
      if (e.op == Op::not_) {
        out += ' ';
      } else if (!operand.empty() && operand[0] == '-') {
        operand = "(" + operand + ")";  // `-(-x)` reads better than `--x`
      }
      out += operand;
      return;
    }
    case ExprKind::binary:
      if (e.args.size() < 2) return;
      append_operand(e, 0, out);
      out += ' ';
      out += op_spelling(e.op);
      out += ' ';
      append_operand(e, 1, out);
      return;
    case ExprKind::set:
      out += '{';
      append_arguments(e, out);
      out += '}';
      return;
    case ExprKind::record:
      out += '{';
      append_arguments(e, out);
      out += '}';
      return;
    case ExprKind::range:
      if (e.args.empty()) return;
      append_operand(e, 0, out);
      out += " ..";
      if (e.args.size() > 1) {
        out += ' ';
        append_operand(e, 1, out);
      }
      return;
    case ExprKind::filter:
      if (e.args.size() < 2) return;
      append_operand(e, 0, out);
      out += " where ";
      append_operand(e, 1, out);
      return;
    case ExprKind::distinct:
      if (e.args.empty()) return;
      out += "distinct ";
      append_operand(e, 0, out);
      return;
    case ExprKind::within:
      if (e.args.size() < 3) return;
      append_operand(e, 0, out);
      out += " within ";
      append_operand(e, 1, out);
      out += ' ';
      out += e.unit;
      out += " of ";
      append_operand(e, 2, out);
      return;
    case ExprKind::unless:
      if (e.args.empty()) return;
      append_operand(e, 0, out);
      for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
        out += " unless ";
        append_operand(e, i, out);
        out += " then ";
        append_operand(e, i + 1, out);
      }
      return;
  }
}

void append_text(const Expr& e, int min_precedence, std::string& out) {
  const bool parens = precedence(e) < min_precedence;
  if (parens) out += '(';
  append_bare(e, out);
  if (parens) out += ')';
}

// ---------------------------------------------------------------- breaking

void write_broken(Layout& out, const Expr& e, int indent, int reserve);

/// Writes operand `index` of `e`, breaking it if needed.
void write_operand(Layout& out, const Expr& e, std::size_t index, int indent, int reserve) {
  const Expr& operand = *e.args[index];
  if (is_open_range(operand) && index + 1 < e.args.size() &&
      (e.kind == ExprKind::binary || e.kind == ExprKind::range || e.kind == ExprKind::within)) {
    std::string text;
    append_operand(e, index, text);
    out.write(text);
    mark_expression(out, operand);
    return;
  }
  write_expression(out, operand, operand_min(e, index), indent, reserve);
}

/// `a op b op c ...` where every op has the level of `e`'s: the operands of a
/// left-associative chain, leftmost first, with the operator before each.
void chain_operands(const Expr& e, int level, std::vector<std::pair<Op, const Expr*>>& chain) {
  const Expr& left = *e.args[0];
  if (left.kind == ExprKind::binary && binary_precedence(left.op) == level &&
      left.args.size() == 2) {
    chain_operands(left, level, chain);
  } else {
    chain.emplace_back(Op::none, &left);
  }
  chain.emplace_back(e.op, e.args[1].get());
}

bool is_breakable_chain(const Expr& e) {
  if (e.kind != ExprKind::binary || e.args.size() != 2) return false;
  const int level = binary_precedence(e.op);
  return level == kOr || level == kAnd || level == kAdditive;
}

/// The arguments of a call or the elements of a set or record, one per line.
void write_listed(Layout& out, const Expr& e, std::string_view open, std::string_view close,
                  int indent) {
  out.write(open);
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    out.start_line(indent + kIndent);
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) {
      out.write(e.arg_names[i]);
      out.write(": ");
    }
    const bool last = i + 1 == e.args.size();
    write_operand(out, e, i, indent + kIndent, last ? 0 : 1);
    if (!last) out.write(",");
  }
  out.start_line(indent);
  out.write(close);
}

void write_broken(Layout& out, const Expr& e, int indent, int reserve) {
  if (is_breakable_chain(e)) {
    const int level = binary_precedence(e.op);
    std::vector<std::pair<Op, const Expr*>> chain;
    chain_operands(e, level, chain);
    write_expression(out, *chain[0].second, level, indent, 0);
    for (std::size_t i = 1; i < chain.size(); ++i) {
      out.start_line(indent + kIndent);
      out.write(op_spelling(chain[i].first));
      out.write(" ");
      const bool last = i + 1 == chain.size();
      write_expression(out, *chain[i].second, level + 1, indent + kIndent, last ? reserve : 0);
    }
    return;
  }
  switch (e.kind) {
    case ExprKind::unless:
      write_operand(out, e, 0, indent, 0);
      for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
        out.start_line(indent + kIndent);
        out.write("unless ");
        write_operand(out, e, i, indent + kIndent, 0);
        out.write(" then ");
        write_operand(out, e, i + 1, indent + kIndent, i + 2 >= e.args.size() ? reserve : 0);
      }
      return;
    case ExprKind::call:
      if (e.args.empty()) break;
      out.write(e.text);
      write_listed(out, e, "(", ")", indent);
      return;
    case ExprKind::set:
    case ExprKind::record:
      if (e.args.empty()) break;
      write_listed(out, e, "{", "}", indent);
      return;
    case ExprKind::filter:
      if (e.args.size() < 2) break;
      write_operand(out, e, 0, indent, 0);
      out.write(" where ");
      write_operand(out, e, 1, indent, reserve);
      return;
    case ExprKind::binary: {
      // Not a chain to break (a comparison, `*`): its operands may still break.
      if (e.args.size() < 2) break;
      const std::string op = " " + std::string(op_spelling(e.op)) + " ";
      write_operand(out, e, 0, indent, display_width(op));
      out.write(op);
      write_operand(out, e, 1, indent, reserve);
      return;
    }
    case ExprKind::member:
      if (e.args.empty()) break;
      write_operand(out, e, 0, indent, 1 + display_width(e.text));
      out.write(".");
      out.write(e.text);
      return;
    default:
      break;
  }
  std::string text;
  append_bare(e, text);
  out.write(text);
}

}  // namespace

void mark_expression(Layout& out, const Expr& e) {
  out.mark(e.span);
  for (const ast::ExprPtr& arg : e.args) {
    if (arg) mark_expression(out, *arg);
  }
}

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::binary:
      return binary_precedence(e.op);
    case ExprKind::unary:
      return e.op == Op::not_ ? kNot : kNegation;
    case ExprKind::range:
      return kRange;
    case ExprKind::within:
      return kComparison;
    case ExprKind::unless:
    case ExprKind::filter:
    case ExprKind::distinct:
      return kWhole;
    case ExprKind::member:
    case ExprKind::call:
      return kPostfix;
    default:
      return kPrimary;
  }
}

/// Code points that print as nothing or as a plain space, so that a reader
/// could not see them in a plan: kept as `\u{...}` escapes.
bool invisible(char32_t c) {
  return (c >= 0x80 && c <= 0xA0) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

std::string quoted(std::string_view value) {
  std::string out = "\"";
  auto escape = [&](char32_t c) {
    char text[16];
    std::snprintf(text, sizeof text, "\\u{%X}", static_cast<unsigned>(c));
    out += text;
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    switch (byte) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (byte < 0x20 || byte == 0x7F) {
      escape(byte);
      continue;
    }
    if (byte < 0x80) {
      out += value[i];
      continue;
    }
    // A multi-byte UTF-8 sequence (the parser has validated the text).
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    char32_t c = byte & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < length && i + k < value.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(value[i + k]) & 0x3F);
    if (invisible(c))
      escape(c);
    else
      out.append(value.substr(i, length));
    i += length - 1;
  }
  out += '"';
  return out;
}

std::string grouped_number(std::string_view digits, std::size_t group_from) {
  if (digits.find_first_of("eE_") != std::string_view::npos) return std::string(digits);
  const std::size_t integer_end = std::min(digits.find('.'), digits.size());
  for (std::size_t i = 0; i < integer_end; ++i) {
    if (digits[i] < '0' || digits[i] > '9') return std::string(digits);
  }
  if (integer_end < group_from) return std::string(digits);
  std::string out;
  for (std::size_t i = 0; i < integer_end; ++i) {
    if (i > 0 && (integer_end - i) % 3 == 0) out += '_';
    out += digits[i];
  }
  out += digits.substr(integer_end);
  return out;
}

std::string expression_text(const Expr& e, int min_precedence) {
  std::string out;
  append_text(e, min_precedence, out);
  return out;
}

void write_expression(Layout& out, const Expr& e, int min_precedence, int indent, int reserve) {
  const std::string text = expression_text(e, min_precedence);
  if (out.column() + display_width(text) + reserve <= kLineLimit) {
    out.write(text);
    mark_expression(out, e);
    return;
  }
  const bool parens = precedence(e) < min_precedence;
  out.mark(e.span.begin);
  if (parens) out.write("(");
  write_broken(out, e, indent, reserve + (parens ? 1 : 0));
  if (parens) out.write(")");
  out.mark(e.span.end);
}

}  // namespace tally::format
