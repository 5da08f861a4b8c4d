#include "interpreter/compiler.hpp"

#include <algorithm>
#include <unordered_map>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/stage_compilers.hpp"
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
  const ast::Plan& plan = model.ast;
  auto declarations = [&](const auto& decls, const char* what) {
    for (const auto& decl : decls) unsupported->push_back(Unsupported{decl.span, what});
  };
  for (std::size_t t = 0; t < model.tables.size(); ++t)
    if (!runnable_table(model, static_cast<int>(t)))
      unsupported->push_back(
          Unsupported{model.tables[t].decl->span,
                      "tables and goals other than (payee, period) tables read from a source"});
  declarations(plan.territories, "`territory` declarations");
  declarations(plan.territory_sets, "`territories from` declarations");
  declarations(plan.draws, "`draw` declarations");
  declarations(plan.clawbacks, "`clawback` declarations");
  for (const auto& payout : plan.payouts)
    if (payout.cap_defer || payout.cap_per == "year" || payout.floor_per == "year" ||
        payout.pay_min || payout.pay_max)
      unsupported->push_back(Unsupported{payout.span, "deferred or yearly caps and payment plans"});
  const std::unordered_map<int, Constant> known = fold_constant_lets(model);
  for (const CreditRuleModel& rule : model.rules)
    program.rules.push_back(compile_rule(model, rule, unsupported, known));
  for (const AggregateModel& aggregate : model.aggregates)
    program.aggregates.push_back(compile_aggregate(model, aggregate, unsupported, known));
  program.payouts = compile_payouts(model, unsupported, known);
  auto too_large = [&](const Chunk& chunk) {
    if (chunk.too_large)
      unsupported->push_back(
          Unsupported{chunk.spans.empty() ? Span{} : chunk.spans.back(),
                      "a stage with more than 65,535 intermediate values (" + chunk.name + ")"});
  };
  for (const auto& rule : program.rules) too_large(rule.chunk);
  for (const auto& aggregate : program.aggregates) too_large(aggregate.chunk);
  too_large(program.payouts.chunk);
  return program;
}

bool runnable_table(const PlanModel& model, int table) {
  const TableModel& t = model.tables[static_cast<std::size_t>(table)];
  return t.source >= 0 && t.decl->keys.size() == 2 && t.decl->keys[0] == "payee" &&
         t.decl->keys[1] == "period" && t.columns.size() == 3 &&
         std::all_of(t.columns.begin(), t.columns.end(), [](int c) { return c >= 0; }) &&
         !t.decl->prorated;
}

std::unordered_map<int, Constant> fold_constant_lets(const PlanModel& model) {
  std::unordered_map<int, Constant> known;
  for (int index : model.value_order) {
    const ValueModel& value = model.values[index];
    if (value.per_payee || value.decl->is_measure || !value.decl->value) continue;
    Chunk chunk;
    std::vector<Unsupported> unsupported;
    ChunkCompiler compiler(model, chunk, &unsupported, &known);
    auto reg = compiler.expr(*value.decl->value);
    if (value.type.kind != Kind::integer) reg = compiler.as_decimal(reg, value.decl->span);
    if (!unsupported.empty() || chunk.too_large) continue;
    SymbolTable symbols;
    const InternedConstants interned = intern_constants(chunk, symbols);
    Calendar calendar = model.calendar;
    VmEnv env;
    env.calendar = &calendar;
    env.interned = &interned;
    Frame frame;
    frame.reset(chunk, 1);
    if (Vm::run(chunk, frame, env)) continue;  // fails where it is used, with its location
    const Register& r = frame.reg(reg);
    Constant folded;
    folded.type = r.type;
    switch (r.type) {
      case RegType::boolean:
        folded.boolean = r.bools[0];
        break;
      case RegType::integer:
        folded.integer = r.ints[0];
        break;
      case RegType::decimal:
        folded.decimal = r.decimals[0];
        break;
      case RegType::date:
        folded.date = r.dates[0];
        break;
      case RegType::period:
        folded.period = r.periods[0];
        break;
      case RegType::symbol:
        folded.text = std::string(symbols.text(r.symbols[0]));
        break;
    }
    known.emplace(index, std::move(folded));
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
