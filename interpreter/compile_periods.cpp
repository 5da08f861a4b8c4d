// Expressions that read state carried across periods or dates around them:
// cumulative values (`ytd(m)`, `qtd(m)`, `to_date(m)`, and `ytd(payout)` for
// what a payout paid earlier), `forecast(m)` and `within` windows. The engine runs periods
// in order, so every earlier period a cumulative load reads is final.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "stdlib/kpi_forecast.hpp"

namespace tally {

namespace {

/// The window code of LOAD_CUMULATIVE: 0 plan year, 1 quarter, 2 run.
std::uint32_t window_of(const std::string& function) {
  if (function == "ytd") return 0;
  if (function == "qtd") return 1;
  return 2;
}

/// LOAD_FORECAST's settings: the rounding mode, the method and the bound
/// named by the call's `method:` and `bound:` (stdlib/kpi_forecast.hpp).
std::uint32_t forecast_settings(const ast::Expr& e, RoundingMode mode) {
  std::uint32_t method = 0;
  std::uint32_t bound = static_cast<std::uint32_t>(ForecastBound::value);
  for (std::size_t i = 0; i < e.args.size() && i < e.arg_names.size(); ++i) {
    if (e.arg_names[i] == "method" && e.args[i]->text == "holt") method = 1;
    if (e.arg_names[i] == "bound")
      bound = static_cast<std::uint32_t>(e.args[i]->text == "low" ? ForecastBound::low
                                                                  : ForecastBound::high);
  }
  return static_cast<std::uint32_t>(mode) * 6 + method * 3 + bound;
}

}  // namespace

/// `forecast(m)`: the measure's own value goes in register a (what the VM
/// gives where the history is too short), the plan's rounding step in b.
std::uint16_t ChunkCompiler::forecast_of(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* measure = nullptr;
  for (std::size_t i = 0; i < e.args.size(); ++i)
    if (i >= e.arg_names.size() || e.arg_names[i].empty()) measure = e.args[i].get();
  if (!measure) return not_yet(e.span, "this use of `forecast`", info.type);
  auto current = expr(*measure);
  RegType type = reg_type_of(info.type);
  if (type == RegType::integer && c_.registers[current] == RegType::decimal)
    type = RegType::decimal;
  if (type == RegType::decimal) current = as_decimal(current, e.span);
  Constant step;
  step.type = RegType::decimal;
  step.decimal = m_.rounding_quantum;
  const auto step_reg = constant(std::move(step), e.span);
  return op3(OpCode::LOAD_FORECAST, type, current, step_reg, e.span,
             static_cast<std::uint32_t>(info.index) * 42 + forecast_settings(e, m_.rounding));
}

std::uint16_t ChunkCompiler::cumulative(const ast::Expr& e, const ExprInfo& info) {
  if (e.text == "forecast") return forecast_of(e, info);
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
  // An `int` measure may come out in a decimal register (`max(...)`): the
  // sum then stays decimal too, as LOAD_CUMULATIVE adds in its own type.
  RegType type = reg_type_of(info.type);
  if (type == RegType::integer && c_.registers[current] == RegType::decimal)
    type = RegType::decimal;
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

namespace tally {

/// Marks in `wanted` the values `e` reads, following lets and fn bodies, so
/// that a let is computed only under the selection of what uses it.
void ChunkCompiler::lets_read(const ast::Expr& e, std::vector<char>& wanted) const {
  if (auto it = m_.info.find(&e); it != m_.info.end()) {
    const ExprInfo& info = it->second;
    if (info.binding == Binding::value && info.index >= 0) {
      auto& mark = wanted[static_cast<std::size_t>(info.index)];
      if (!mark) {
        mark = 1;
        const ValueModel& value = m_.values[static_cast<std::size_t>(info.index)];
        if (value.decl->value) lets_read(*value.decl->value, wanted);
      }
    } else if (info.binding == Binding::fn_call && info.index >= 0) {
      const FunctionModel& function = m_.functions[static_cast<std::size_t>(info.index)];
      if (function.decl && function.decl->body) lets_read(*function.decl->body, wanted);
    }
  }
  for (const auto& arg : e.args)
    if (arg) lets_read(*arg, wanted);
}

void ChunkCompiler::compile_values(const std::vector<int>& values,
                                   const std::vector<const ast::Expr*>& roots) {
  std::vector<char> wanted(m_.values.size(), 0);
  for (int index : values) {
    auto& mark = wanted[static_cast<std::size_t>(index)];
    if (mark) continue;
    mark = 1;
    const ValueModel& value = m_.values[static_cast<std::size_t>(index)];
    if (value.decl->value) lets_read(*value.decl->value, wanted);
  }
  for (const ast::Expr* root : roots)
    if (root) lets_read(*root, wanted);
  for (int index : m_.value_order) {
    if (!wanted[static_cast<std::size_t>(index)] || value_regs.count(index)) continue;
    if (known_ && known_->count(index)) continue;  // folded: used as a constant where named
    const ValueModel& value = m_.values[static_cast<std::size_t>(index)];
    auto reg = expr(*value.decl->value);
    if (value.type.kind != Kind::integer) reg = as_decimal(reg, value.decl->span);
    value_regs[index] = reg;
  }
}

}  // namespace tally

namespace tally {

void ChunkCompiler::count_lets(const ast::Expr& e, bool branch, std::vector<int>& top,
                               std::vector<int>& in_branch) const {
  if (auto it = m_.info.find(&e); it != m_.info.end()) {
    const ExprInfo& info = it->second;
    if (info.binding == Binding::value && info.index >= 0) {
      const auto index = static_cast<std::size_t>(info.index);
      ++(branch ? in_branch : top)[index];
      const ValueModel& value = m_.values[index];
      if (value.decl->value) count_lets(*value.decl->value, branch, top, in_branch);
      return;
    }
    if (info.binding == Binding::fn_call && info.index >= 0) {
      const FunctionModel& function = m_.functions[static_cast<std::size_t>(info.index)];
      if (function.decl && function.decl->body)
        count_lets(*function.decl->body, branch, top, in_branch);
    }
  }
  const bool narrows_right =
      e.kind == ast::ExprKind::binary &&
      (e.op == ast::Op::and_ || e.op == ast::Op::or_ || e.op == ast::Op::coalesce);
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    if (!e.args[i]) continue;
    const bool narrowed =
        (narrows_right && i == 1) || (e.kind == ast::ExprKind::unless && i >= 2 && i % 2 == 0);
    count_lets(*e.args[i], branch || narrowed, top, in_branch);
  }
}

void ChunkCompiler::compile_values_read_by(const std::vector<const ast::Expr*>& roots) {
  std::vector<int> top(m_.values.size(), 0);
  std::vector<int> in_branch(m_.values.size(), 0);
  for (const ast::Expr* root : roots)
    if (root) count_lets(*root, false, top, in_branch);
  std::vector<int> now;
  for (std::size_t v = 0; v < top.size(); ++v)
    if (top[v] > 0 || in_branch[v] > 1) now.push_back(static_cast<int>(v));
  compile_values(now, {});
}

}  // namespace tally
