#include "interpreter/compiler.hpp"

#include <algorithm>
#include <unordered_map>

#include "interpreter/bytecode_verifier.hpp"
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compile_fx.hpp"
#include "interpreter/stage_compilers.hpp"
#include "interpreter/table_plan.hpp"  // tables
#include "interpreter/vm.hpp"

namespace tally {

RegType reg_type_of(const Type& type) {
  switch (type.kind) {
    case Kind::boolean:
      return RegType::boolean;
    case Kind::integer:
      return RegType::integer;
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      return RegType::decimal;
    case Kind::date:
      return RegType::date;
    case Kind::period:
      return RegType::period;
    case Kind::text:
    case Kind::payee:
    case Kind::territory:
      return RegType::symbol;
    default:
      return RegType::decimal;
  }
}

Program compile_plan(const PlanModel& model) {
  Program program;
  std::vector<Unsupported>* unsupported = &program.unsupported;
  const std::unordered_map<int, Constant> known = fold_constant_lets(model);
  for (const CreditRuleModel& rule : model.rules)
    program.rules.push_back(compile_rule(model, rule, unsupported, known));
  for (const AggregateModel& aggregate : model.aggregates)
    program.aggregates.push_back(compile_aggregate(model, aggregate, unsupported, known));
  program.payouts = compile_payouts(model, unsupported, known);
  program.table_chunks = compile_tables(model, unsupported, known);  // tables
  compile_fx(model, program);
  program.territories = compile_territories(model, unsupported, known);
  program.clawbacks = compile_clawbacks(model, unsupported, known);
  auto too_large = [&](const Chunk& chunk) {
    if (chunk.too_large)
      unsupported->push_back(
          Unsupported{chunk.spans.empty() ? Span{} : chunk.spans.back(),
                      "a stage with more than 65,535 intermediate values (" + chunk.name + ")"});
  };
  for (const auto& rule : program.rules) too_large(rule.chunk);
  for (const auto& aggregate : program.aggregates) too_large(aggregate.chunk);
  too_large(program.payouts.chunk);
  for (const auto& table : program.table_chunks) too_large(table.chunk);  // tables
  for (const auto& clawback : program.clawbacks) too_large(clawback.chunk);
  // The VM trusts its bytecode; a compiler bug must stop the plan here, with
  // a message, rather than read out of bounds during a run.
  if (auto failure = verify_program(program, VerifyBounds::of(model)))
    unsupported->push_back(Unsupported{
        Span{}, "the compiled bytecode fails verification (" + failure->describe() + ")", true});
  return program;
}

std::unordered_map<int, Constant> fold_constant_lets(const PlanModel& model) {
  std::unordered_map<int, Constant> known;
  const VerifyBounds bounds = VerifyBounds::of(model);
  for (int index : model.value_order) {
    const ValueModel& value = model.values[index];
    if (value.per_payee || value.decl->is_measure || !value.decl->value ||
        value.type.kind == Kind::record)
      continue;
    Chunk chunk;
    std::vector<Unsupported> unsupported;
    ChunkCompiler compiler(model, chunk, &unsupported, &known);
    auto reg = compiler.expr(*value.decl->value);
    if (value.type.kind != Kind::integer) reg = compiler.as_decimal(reg, value.decl->span);
    if (!unsupported.empty() || chunk.too_large) continue;
    // Not run when the verifier rejects it: compile_plan then reports the
    // same bug for the chunk that computes the let, as an internal error.
    if (verify_chunk(chunk, bounds)) continue;
    SymbolTable symbols;
    Frame frame;
    if (run_constant(chunk, frame, model.calendar, symbols))
      continue;  // fails where it is used, with its location
    known.emplace(index, register_constant(frame.reg(reg), symbols));
  }
  return known;
}

std::uint16_t compile_constant_expression(const PlanModel& model, const ast::Expr& expr,
                                          Chunk& chunk, std::vector<Unsupported>* unsupported,
                                          const std::unordered_map<int, Constant>* known) {
  ChunkCompiler compiler(model, chunk, unsupported, known);
  return compiler.expr(expr);
}

}  // namespace tally
