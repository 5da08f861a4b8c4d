// Clawback conditions: each runs as bytecode over batches of the credited
// source's rows, like a credit rule, and leaves active the rows it claws
// back with the date of the event that triggers it.
#include <set>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/stage_compilers.hpp"

namespace tally {

namespace {

/// The first `within` window of a condition, depth first: its subject is the
/// date of the event (the cancellation), which decides the period charged.
const ast::Expr* first_within(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::within) return &e;
  for (const auto& arg : e.args)
    if (arg)
      if (const ast::Expr* found = first_within(*arg)) return found;
  return nullptr;
}

/// The `sum` and `count` aggregates `e` depends on, through measures, lets,
/// cumulative values and functions.
void collect_aggregates(const PlanModel& model, const ast::Expr& e, std::set<int>& out,
                        std::set<int>& values) {
  if (const auto it = model.info.find(&e); it != model.info.end()) {
    const ExprInfo& info = it->second;
    const auto index = static_cast<std::size_t>(info.index);
    if (info.binding == Binding::aggregate) {
      const AggregateKind kind = model.aggregates[index].kind;
      if (kind == AggregateKind::sum || kind == AggregateKind::count) out.insert(info.index);
    } else if ((info.binding == Binding::value ||
                (info.binding == Binding::cumulative && info.index >= 0)) &&
               values.insert(info.index).second && model.values[index].decl->value) {
      collect_aggregates(model, *model.values[index].decl->value, out, values);
    } else if (info.binding == Binding::fn_call && model.functions[index].decl->body) {
      collect_aggregates(model, *model.functions[index].decl->body, out, values);
    }
  }
  for (const auto& arg : e.args)
    if (arg) collect_aggregates(model, *arg, out, values);
}

/// The first field of type date of the clawed-back row (or its credit) that
/// `e` reads, in reading order.
const ast::Expr* first_date_field(const PlanModel& model, const ast::Expr& e) {
  if (const auto it = model.info.find(&e); it != model.info.end()) {
    const ExprInfo& info = it->second;
    if ((info.binding == Binding::row_field || info.binding == Binding::credit_row_field) &&
        info.type.kind == Kind::date)
      return &e;
  }
  for (const auto& arg : e.args)
    if (arg)
      if (const ast::Expr* found = first_date_field(model, *arg)) return found;
  return nullptr;
}

}  // namespace

std::vector<Program::Clawback> compile_clawbacks(const PlanModel& model,
                                                 std::vector<Unsupported>* unsupported,
                                                 const std::unordered_map<int, Constant>& known) {
  std::vector<Program::Clawback> out;
  for (const ClawbackModel& clawback : model.clawbacks) {
    const ast::ClawbackDecl& decl = *clawback.decl;
    Program::Clawback compiled;
    compiled.chunk.name = "clawback " + decl.payout;
    if (clawback.payout >= 0) {
      std::set<int> aggregates;
      std::set<int> values;
      const ast::PayoutDecl& payout =
          *model.payouts[static_cast<std::size_t>(clawback.payout)].decl;
      if (payout.value) collect_aggregates(model, *payout.value, aggregates, values);
      compiled.aggregates.assign(aggregates.begin(), aggregates.end());
    }
    ChunkCompiler compiler(model, compiled.chunk, unsupported, &known);
    if (!decl.when) {
      out.push_back(std::move(compiled));
      continue;
    }
    // The date of the event: the subject of the first `within`, else the
    // first date field of the row the condition reads; with neither, each
    // credit is charged in the period it was earned in.
    const ast::Expr* window = first_within(*decl.when);
    const ast::Expr* date = window ? window->args[0].get() : first_date_field(model, *decl.when);
    const auto condition = compiler.expr(*decl.when);
    compiler.select_true(condition, decl.when->span);  // left on: the rows clawed back
    compiled.dated = date != nullptr;
    if (date) {
      compiled.date_reg = compiler.expr(*date);
      const ExprInfo& field = model.info_of(*date);
      if (!window && field.type.optional) {
        compiled.date_optional = true;
        compiled.date_present_reg = compiler.op3(
            OpCode::FIELD_PRESENT, RegType::boolean, field.binding == Binding::row_field ? 0 : 1, 0,
            date->span, static_cast<std::uint32_t>(field.index));
      }
    }
    if (decl.share) {
      compiled.share_reg = compiler.as_decimal(compiler.expr(*decl.share), decl.share->span);
    } else {
      const Constant all{RegType::decimal, false, 0, Decimal::from_int(1), {}, {}, {}};
      compiled.share_reg = compiler.constant(all, decl.span);
    }
    out.push_back(std::move(compiled));
  }
  return out;
}

}  // namespace tally
