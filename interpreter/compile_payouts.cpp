// The payee-period stage: values (measures and lets) in dependency order,
// then each payout with its guards, cap, floor and the plan's rounding, in
// one chunk run once per period with one lane per payee.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/stage_compilers.hpp"

namespace tally {

CompiledPayouts compile_payouts(const PlanModel& model, std::vector<Unsupported>* unsupported,
                                const std::unordered_map<int, Constant>& known) {
  CompiledPayouts out;
  out.chunk.name = "payouts";
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  out.value_regs.assign(model.values.size(), 0);
  for (int index : model.value_order) {
    if (known.count(index)) continue;  // folded: used as a constant where named
    const ValueModel& value = model.values[index];
    auto reg = compiler.expr(*value.decl->value);
    if (value.type.kind != Kind::integer) reg = compiler.as_decimal(reg, value.decl->span);
    compiler.value_regs[index] = reg;
    out.value_regs[index] = reg;
  }
  const Constant quantum{RegType::decimal, false, 0, model.rounding_quantum, {}, {}, {}};
  for (const PayoutModel& payout : model.payouts) {
    const ast::PayoutDecl& decl = *payout.decl;
    CompiledPayouts::Payout compiled;
    std::optional<std::uint16_t> guard;
    if (decl.for_role) guard = compiler.expr(*decl.for_role);
    if (decl.when) {
      if (guard) {
        compiler.select_true(*guard, decl.when->span);
        const auto when = compiler.expr(*decl.when);
        compiler.select_pop(decl.when->span);
        guard = compiler.op3(OpCode::AND, RegType::boolean, *guard, when, decl.when->span);
      } else {
        guard = compiler.expr(*decl.when);
      }
    }
    if (guard) {
      compiled.guarded = true;
      compiled.guard_reg = *guard;
      compiler.select_true(*guard, decl.span);
    }
    auto amount = compiler.as_decimal(compiler.expr(*decl.value), decl.span);
    if (decl.cap)
      amount = compiler.op3(OpCode::MIN_DEC, RegType::decimal, amount,
                            compiler.as_decimal(compiler.expr(*decl.cap), decl.cap->span),
                            decl.cap->span);
    if (decl.floor)
      amount = compiler.op3(OpCode::MAX_DEC, RegType::decimal, amount,
                            compiler.as_decimal(compiler.expr(*decl.floor), decl.floor->span),
                            decl.floor->span);
    const auto q = compiler.constant(quantum, decl.span);
    compiled.amount_reg = compiler.op3(OpCode::ROUND_DEC, RegType::decimal, amount, q, decl.span,
                                       static_cast<std::uint32_t>(model.rounding));
    if (guard) compiler.select_pop(decl.span);
    out.payouts.push_back(compiled);
  }
  return out;
}

}  // namespace tally
