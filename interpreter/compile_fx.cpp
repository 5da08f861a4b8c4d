// Currency conversions in bytecode: `convert(x, to: EUR, on: d)` becomes
// FX_CONVERT, and the amount credited from a source whose rows carry their
// own currency becomes FX_TO_PLAN at the credit date.
#include "interpreter/compile_fx.hpp"

#include <functional>

#include "interpreter/chunk_compiler.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

int row_currency_field(const PlanModel& model, int source) {
  if (source < 0 || source == model.roster) return -1;
  const SourceModel& s = model.sources[static_cast<std::size_t>(source)];
  if (s.is_roster) return -1;
  for (std::size_t f = 0; f < s.schema.fields.size(); ++f)
    if (s.schema.fields[f].name == "currency" && s.schema.fields[f].type.kind == Kind::text)
      return static_cast<int>(f);
  return -1;
}

bool row_currency_money(const PlanModel& model, int source, int field) {
  if (row_currency_field(model, source) < 0 || field < 0) return false;
  const SourceModel& s = model.sources[static_cast<std::size_t>(source)];
  const FieldSpec& spec = s.schema.fields[static_cast<std::size_t>(field)];
  if (spec.type.kind != Kind::money) return false;
  for (const ast::FieldDecl& decl : s.decl->fields)
    if (decl.name == spec.name) return decl.type.currency.empty();
  return false;
}

namespace {

void walk(const ast::Expr& e, const std::function<void(const ast::Expr&)>& visit) {
  visit(e);
  for (const auto& arg : e.args)
    if (arg) walk(*arg, visit);
}

const ExprInfo* info_of(const PlanModel& model, const ast::Expr& e) {
  const auto it = model.info.find(&e);
  return it == model.info.end() ? nullptr : &it->second;
}

/// Whether the credited amount of `rule` is money in the row's currency.
bool credits_row_currency(const PlanModel& model, const CreditRuleModel& rule) {
  if (row_currency_field(model, rule.source) < 0) return false;
  if (!rule.decl->amount) return row_currency_money(model, rule.source, rule.amount_field);
  bool reads = false;
  walk(*rule.decl->amount, [&](const ast::Expr& e) {
    const ExprInfo* info = info_of(model, e);
    if (info && info->binding == Binding::row_field &&
        row_currency_money(model, rule.source, info->index))
      reads = true;
  });
  return reads;
}

}  // namespace

void compile_fx(const PlanModel& model, Program& program) {
  for (const auto& [expr, info] : model.info)
    if (info.binding == Binding::library_call &&
        static_cast<LibraryId>(info.index) == LibraryId::convert)
      program.uses_fx = true;

  auto refuse = [&](const ast::Expr& e, const std::string& source) {
    program.unsupported.push_back(Unsupported{
        e.span, "a read of the money field `" + e.text + "` of `" + source +
                    "`, whose rows carry their own currency, outside the amount a credit rule "
                    "credits (read `credit.amount`, converted to " +
                    model.currency + " at the credit date)"});
  };
  for (const CreditRuleModel& rule : model.rules) {
    if (row_currency_field(model, rule.source) < 0) continue;
    const std::string& source = model.sources[static_cast<std::size_t>(rule.source)].schema.name;
    const bool converts = credits_row_currency(model, rule);
    program.uses_fx = program.uses_fx || converts;
    auto check_reads = [&](const ast::Expr& root) {
      walk(root, [&](const ast::Expr& e) {
        const ExprInfo* info = info_of(model, e);
        if (info && info->binding == Binding::row_field &&
            row_currency_money(model, rule.source, info->index))
          refuse(e, source);
      });
    };
    if (rule.decl->where) check_reads(*rule.decl->where);
    if (rule.decl->on) check_reads(*rule.decl->on);
    for (const ast::CreditLine& line : rule.decl->lines) {
      if (line.payee) check_reads(*line.payee);
      if (line.share) check_reads(*line.share);
    }
    if (rule.decl->amount && converts) {
      // The amount is computed in the row's currency, so every money in it
      // must be of the row: a literal `100 USD` there would be taken as EUR.
      walk(*rule.decl->amount, [&](const ast::Expr& e) {
        const ExprInfo* info = info_of(model, e);
        if (!info || info->type.kind != Kind::money) return;
        const bool row_money = info->binding == Binding::row_field &&
                               row_currency_money(model, rule.source, info->index);
        if (!row_money && e.args.empty())
          program.unsupported.push_back(Unsupported{
              e.span, "money other than the row's own fields in the amount of credit rule `" +
                          rule.decl->name + "` over `" + source +
                          "`, whose rows carry their own currency"});
      });
    }
  }
  // an aggregate reads the rows of its own source (row_source).
  for (const AggregateModel& aggregate : model.aggregates) {
    const int read = aggregate.row_source >= 0 ? aggregate.row_source : model.credited_source;
    if (row_currency_field(model, read) < 0) continue;
    const std::string& source = model.sources[static_cast<std::size_t>(read)].schema.name;
    for (const ast::Expr* root : {aggregate.argument, aggregate.filter})
      if (root)
        walk(*root, [&](const ast::Expr& e) {
          const ExprInfo* info = info_of(model, e);
          if (info && info->binding == Binding::credit_row_field &&
              row_currency_money(model, read, info->index))
            refuse(e, source);
        });
  }
}

std::uint16_t ChunkCompiler::convert_call(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* amount = nullptr;
  const ast::Expr* on = nullptr;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const std::string& name = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (name.empty() && !amount) amount = e.args[i].get();
    if (name == "on") on = e.args[i].get();
  }
  if (!amount || !on)
    return not_yet(e.span, "convert(...) without an amount and a date", info.type);
  std::string from = m_.info_of(*amount).type.currency;
  if (from.empty()) from = m_.currency;
  std::string to = info.type.currency;
  if (to.empty()) to = m_.currency;
  const auto value = as_decimal(expr(*amount), amount->span);
  const auto day = expr(*on);
  ConstantSet codes;
  codes.texts = {from, to};
  c_.sets.push_back(std::move(codes));
  return op3(OpCode::FX_CONVERT, RegType::decimal, value, day, e.span,
             static_cast<std::uint32_t>(c_.sets.size() - 1));
}

std::uint16_t ChunkCompiler::credited_in_plan_currency(const CreditRuleModel& rule,
                                                       std::uint16_t amount, std::uint16_t date,
                                                       Span span) {
  if (!credits_row_currency(m_, rule)) return amount;
  const auto field = static_cast<std::uint32_t>(row_currency_field(m_, rule.source));
  const auto currency = c_.add_register(RegType::symbol);
  c_.emit({OpCode::LOAD_FIELD, currency, 0, 0, field}, span);
  const auto converted = c_.add_register(RegType::decimal);
  c_.emit({OpCode::FX_TO_PLAN, converted, amount, date, currency}, span);
  return converted;
}

}  // namespace tally
