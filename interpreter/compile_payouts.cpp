// The payee-period stage: values (measures and lets) in dependency order,
// then each payout with its guards, cap, floor and the plan's rounding, then
// each draw's guard, amount and recovery limit, in one chunk run once per
// period with one lane per payee. What carries over from one period to the
// next (yearly and deferred caps, yearly floors, payment plans, draw
// balances) is applied by the engine to the registers this chunk fills.
#include <set>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/stage_compilers.hpp"

namespace tally {

namespace {

/// How many of `per` (a grain name, or "period"/"" for the plan's period)
/// make one period of `grain`: 3 for `per month` in a quarterly plan.
Decimal grain_factor(const std::string& per, Grain grain) {
  const auto unit = parse_grain(per);
  if (per.empty() || per == "period" || !unit) return Decimal::from_int(1);
  const int plan_months = 12 / periods_per_year(grain);
  const int unit_months = 12 / periods_per_year(*unit);
  return Decimal::divide(Decimal::from_int(plan_months), Decimal::from_int(unit_months)).value();
}

/// `e`, after the lets it reads outside its narrowing branches; a let
/// compiled inside a branch holds only on that branch's lanes, so it is
/// forgotten afterwards.
std::uint16_t where_needed(ChunkCompiler& compiler, const ast::Expr& e) {
  compiler.compile_values_read_by({&e});
  const auto kept = compiler.value_regs;
  const auto reg = compiler.expr(e);
  compiler.value_regs = kept;
  return reg;
}

/// The guard of a payout or draw: `for role ...` and `when ...`; the `when`
/// is computed only where the role guard holds.
std::optional<std::uint16_t> compile_guard(ChunkCompiler& compiler, const ast::Expr* for_role,
                                           const ast::Expr* when) {
  std::optional<std::uint16_t> guard;
  if (for_role) {
    guard = where_needed(compiler, *for_role);
  }
  if (when) {
    if (guard) {
      compiler.select_true(*guard, when->span);
      const auto value = where_needed(compiler, *when);
      compiler.select_pop(when->span);
      guard = compiler.op3(OpCode::AND, RegType::boolean, *guard, value, when->span);
    } else {
      guard = where_needed(compiler, *when);
    }
  }
  return guard;
}

}  // namespace

CompiledPayouts compile_payouts(const PlanModel& model, std::vector<Unsupported>* unsupported,
                                const std::unordered_map<int, Constant>& known) {
  CompiledPayouts out;
  out.chunk.name = "payouts";
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  out.value_regs.assign(model.values.size(), 0);
  std::set<int> cumulative;
  for (const auto& [expr, info] : model.info) {
    if (info.binding != Binding::cumulative) continue;
    if (info.index >= 0)
      cumulative.insert(info.index);
    else
      out.reads_paid = true;
  }
  out.cumulative_values.assign(cumulative.begin(), cumulative.end());

  // Measures (written to measures.csv) and the values a cumulative function
  // reads (their history is kept) are computed for every payee. Every other
  // let is computed where something needs it: under each payout's or draw's
  // selection, so a let that divides by a quota only the AEs have is never
  // computed for a manager who is not paid on it (docs/semantics/periods.md).
  std::vector<int> everywhere(cumulative.begin(), cumulative.end());
  for (std::size_t v = 0; v < model.values.size(); ++v)
    if (model.values[v].decl->is_measure) everywhere.push_back(static_cast<int>(v));
  compiler.compile_values(everywhere, {});
  for (const auto& [index, reg] : compiler.value_regs)
    if (index >= 0 && static_cast<std::size_t>(index) < out.value_regs.size())
      out.value_regs[static_cast<std::size_t>(index)] = reg;
  // A register computed under one payout's selection is not valid on the
  // lanes of another: each payout and draw starts from these.
  const auto computed_everywhere = compiler.value_regs;

  const Constant quantum{RegType::decimal, false, 0, model.rounding_quantum, {}, {}, {}};
  for (const PayoutModel& payout : model.payouts) {
    const ast::PayoutDecl& decl = *payout.decl;
    CompiledPayouts::Payout compiled;
    compiler.value_regs = computed_everywhere;
    const auto guard = compile_guard(compiler, decl.for_role.get(), decl.when.get());
    if (guard) {
      compiled.guarded = true;
      compiled.guard_reg = *guard;
      compiler.select_true(*guard, decl.span);
    }
    compiler.compile_values_read_by({decl.value.get(), decl.cap.get(), decl.floor.get(),
                                     decl.pay_min.get(), decl.pay_max.get()});
    const auto kept = compiler.value_regs;
    auto amount = compiler.as_decimal(compiler.expr(*decl.value), decl.span);
    auto bound = [&](const ast::ExprPtr& e) {
      compiler.value_regs = kept;
      return compiler.as_decimal(compiler.expr(*e), e->span);
    };
    compiled.cap_carried = decl.cap && (decl.cap_defer || decl.cap_per == "year");
    if (compiled.cap_carried)
      compiled.cap_reg = bound(decl.cap);
    else if (decl.cap)
      amount =
          compiler.op3(OpCode::MIN_DEC, RegType::decimal, amount, bound(decl.cap), decl.cap->span);
    compiled.floor_yearly = decl.floor && decl.floor_per == "year";
    if (compiled.floor_yearly)
      compiled.floor_reg = bound(decl.floor);
    else if (decl.floor)
      amount = compiler.op3(OpCode::MAX_DEC, RegType::decimal, amount, bound(decl.floor),
                            decl.floor->span);
    if (decl.pay_min) {
      compiled.pay_min = true;
      compiled.pay_min_reg = bound(decl.pay_min);
    }
    if (decl.pay_max) {
      compiled.pay_max = true;
      compiled.pay_max_reg = bound(decl.pay_max);
    }
    const auto q = compiler.constant(quantum, decl.span);
    compiled.amount_reg = compiler.op3(OpCode::ROUND_DEC, RegType::decimal, amount, q, decl.span,
                                       static_cast<std::uint32_t>(model.rounding));
    if (guard) compiler.select_pop(decl.span);
    out.payouts.push_back(compiled);
  }

  for (const DrawModel& draw : model.draws) {
    const ast::DrawDecl& decl = *draw.decl;
    CompiledPayouts::Draw compiled;
    compiled.recoverable = decl.recoverable;
    compiler.value_regs = computed_everywhere;
    if (decl.limit) {
      // On every lane: the limit also applies after the draw has ended.
      compiled.limited = true;
      const auto limit = compiler.as_decimal(where_needed(compiler, *decl.limit), decl.limit->span);
      Constant factor{RegType::decimal,
                      false,
                      0,
                      grain_factor(decl.limit_per, model.calendar.grain),
                      {},
                      {},
                      {}};
      compiled.limit_reg =
          compiler.op3(OpCode::MUL_DEC, RegType::decimal, limit,
                       compiler.constant(factor, decl.limit->span), decl.limit->span);
    }
    const auto guard = compile_guard(compiler, decl.for_role.get(), decl.when.get());
    if (guard) {
      compiled.guarded = true;
      compiled.guard_reg = *guard;
      compiler.select_true(*guard, decl.span);
    }
    compiler.compile_values_read_by({decl.amount.get()});
    const auto amount = compiler.as_decimal(compiler.expr(*decl.amount), decl.amount->span);
    Constant factor{
        RegType::decimal, false, 0, grain_factor(decl.per, model.calendar.grain), {}, {}, {}};
    const auto scaled = compiler.op3(OpCode::MUL_DEC, RegType::decimal, amount,
                                     compiler.constant(factor, decl.span), decl.span);
    const auto q = compiler.constant(quantum, decl.span);
    compiled.amount_reg = compiler.op3(OpCode::ROUND_DEC, RegType::decimal, scaled, q, decl.span,
                                       static_cast<std::uint32_t>(model.rounding));
    if (guard) compiler.select_pop(decl.span);
    out.draws.push_back(compiled);
  }
  return out;
}

}  // namespace tally
