// The row and credit stages: a credit rule becomes a chunk run over batches
// of source rows; an aggregate becomes a chunk run over batches of credits.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/stage_compilers.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

namespace {

/// `managers(p[, levels: n | to: "ROLE"])` as a credit line's payee: the
/// line reads p and the levels (1 by default); the engine walks the chain.
void compile_managers(ChunkCompiler& compiler, const ast::Expr& call, CompiledRule::Line& line) {
  line.managers = true;
  const ast::Expr* levels = nullptr;
  const ast::Expr* role = nullptr;
  const ast::Expr* payee = nullptr;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& name = i < call.arg_names.size() ? call.arg_names[i] : std::string();
    if (name == "levels")
      levels = call.args[i].get();
    else if (name == "to")
      role = call.args[i].get();
    else if (name.empty() && !payee)
      payee = call.args[i].get();
  }
  line.payee_reg = compiler.expr(*payee);
  if (role && role->kind != ast::ExprKind::string) {
    compiler.not_yet(role->span, "a role after `to:` that is not written out as text",
                     Type::of(Kind::text));
  } else if (role) {
    line.to_role = role->text;
  }
  Constant one;
  one.type = RegType::integer;
  one.integer = 1;
  line.levels_reg = levels ? compiler.expr(*levels) : compiler.constant(one, call.span);
}

}  // namespace

CompiledRule compile_rule(const PlanModel& model, const CreditRuleModel& rule,
                          std::vector<Unsupported>* unsupported,
                          const std::unordered_map<int, Constant>& known) {
  CompiledRule out;
  out.source = rule.source;
  out.chunk.name = "credit " + rule.decl->name;
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  if (rule.decl->where) compiler.select_where(*rule.decl->where);
  out.date_reg = compiler.expr(*rule.decl->on);
  if (rule.decl->amount) {
    out.amount_reg = compiler.expr(*rule.decl->amount);
  } else {
    out.amount_reg = out.chunk.add_register(RegType::decimal);
    out.chunk.emit(
        {OpCode::LOAD_FIELD, out.amount_reg, 0, 0, static_cast<std::uint32_t>(rule.amount_field)},
        rule.decl->source_span);
  }
  out.amount_reg = compiler.credited_in_plan_currency(rule, out.amount_reg, out.date_reg,
                                                      rule.decl->source_span);
  for (const ast::CreditLine& line : rule.decl->lines) {
    CompiledRule::Line compiled;
    const ExprInfo& payee = model.info_of(*line.payee);
    if (payee.binding == Binding::library_call &&
        static_cast<LibraryId>(payee.index) == LibraryId::managers) {
      compile_managers(compiler, *line.payee, compiled);
    } else {
      compiled.payee_reg = compiler.expr(*line.payee);
    }
    compiled.share_reg = compiler.as_decimal(compiler.expr(*line.share), line.span);
    compiled.kind = line.kind;
    compiled.span = line.span;
    out.lines.push_back(compiled);
  }
  return out;
}

CompiledAggregate compile_aggregate(const PlanModel& model, const AggregateModel& aggregate,
                                    std::vector<Unsupported>* unsupported,
                                    const std::unordered_map<int, Constant>& known) {
  CompiledAggregate out;
  out.kind = aggregate.kind;
  out.chunk.name = "aggregate " + std::string(aggregate.call->text);
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  if (aggregate.filter) compiler.select_where(*aggregate.filter);
  if (aggregate.argument) {
    out.value_reg = compiler.expr(*aggregate.argument);
    if (aggregate.kind == AggregateKind::avg)
      out.value_reg = compiler.as_decimal(out.value_reg, aggregate.argument->span);
    out.value_type = out.chunk.registers[out.value_reg];
  }
  return out;
}

}  // namespace tally
