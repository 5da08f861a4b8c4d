// Expressions that read state carried across periods or dates around them:
// cumulative values (`ytd(m)`, `qtd(m)`, `to_date(m)`, and `ytd(payout)` for
// what a payout paid earlier) and `within` windows. The engine runs periods
// in order, so every earlier period a cumulative load reads is final.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"

namespace tally {

namespace {

/// The window code of LOAD_CUMULATIVE: 0 plan year, 1 quarter, 2 run.
std::uint32_t window_of(const std::string& function) {
  if (function == "ytd") return 0;
  if (function == "qtd") return 1;
  return 2;
}

}  // namespace

std::uint16_t ChunkCompiler::cumulative(const ast::Expr& e, const ExprInfo& info) {
  const std::uint32_t window = window_of(e.text);
  if (info.index < 0) {
    const auto payout = static_cast<std::uint32_t>(-1 - info.index);
    return op3(OpCode::LOAD_PAID_BEFORE, RegType::decimal, 0, 0, e.span, payout * 3 + window);
  }
  const ast::Expr* measure = nullptr;
  for (std::size_t i = 0; i < e.args.size(); ++i)
    if (i >= e.arg_names.size() || e.arg_names[i].empty()) measure = e.args[i].get();
  if (!measure) return not_yet(e.span, "this use of `" + e.text + "`", info.type);
  auto current = expr(*measure);
  const RegType type = reg_type_of(info.type);
  if (type == RegType::decimal) current = as_decimal(current, e.span);
  return op3(OpCode::LOAD_CUMULATIVE, type, current, 0, e.span,
             static_cast<std::uint32_t>(info.index) * 3 + window);
}

/// `X within N days of D`: D <= X <= D + N days (or months, the day clamped
/// to the month's end). A missing X (a null field) is not within.
std::uint16_t ChunkCompiler::within(const ast::Expr& e) {
  const ast::Expr& subject = *e.args[0];
  const auto x = expr(subject);
  const auto length = expr(*e.args[1]);
  const auto anchor = expr(*e.args[2]);
  const auto end = e.unit == "months"
                       ? op3(OpCode::ADD_MONTHS, RegType::date, anchor, length, e.span)
                       : op3(OpCode::ADD_DAYS, RegType::date, anchor, length, e.span, 0);
  const auto after =
      op3(OpCode::CMP_DATE, RegType::boolean, x, anchor, e.span, comparison_code(ast::Op::ge));
  const auto before =
      op3(OpCode::CMP_DATE, RegType::boolean, x, end, e.span, comparison_code(ast::Op::le));
  auto inside = op3(OpCode::AND, RegType::boolean, after, before, e.span);
  const ExprInfo& field = m_.info_of(subject);
  if (field.type.optional &&
      (field.binding == Binding::row_field || field.binding == Binding::credit_row_field)) {
    const auto present =
        op3(OpCode::FIELD_PRESENT, RegType::boolean, field.binding == Binding::row_field ? 0 : 1, 0,
            e.span, static_cast<std::uint32_t>(field.index));
    inside = op3(OpCode::AND, RegType::boolean, present, inside, e.span);
  }
  return inside;
}

}  // namespace tally
