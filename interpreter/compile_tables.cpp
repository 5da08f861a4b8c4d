// Tables and goals: lookups with any keys, `= EXPR` definitions (compiled
// into chunks the tables stage runs, or inlined where they are looked up),
// allocate(...), rollup(...), proration and months_employed(...).
#include <algorithm>
#include <functional>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/table_plan.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

namespace {

bool is_key_word(const std::string& key) {
  return key == "payee" || key == "period";
}

bool numeric_value(const Type& type) {
  return type.is_numeric();
}

/// Whether a key of this type can be stored (decimal keys would compare
/// 1.0 and 1.00 as different keys: refused).
bool storable_key(const Type& type) {
  return type.kind == Kind::text || type.kind == Kind::payee || type.kind == Kind::territory ||
         type.kind == Kind::integer || type.kind == Kind::period || type.kind == Kind::date ||
         type.kind == Kind::boolean;
}

bool dense_keys(const TableModel& t) {
  return std::all_of(t.decl->keys.begin(), t.decl->keys.end(), is_key_word);
}

/// Every table a definition reads, through the tables computed where they
/// are looked up, too.
void tables_read(const PlanModel& model, const ast::Expr& e, std::vector<int>& out) {
  if (auto it = model.info.find(&e); it != model.info.end()) {
    const ExprInfo& info = it->second;
    if ((info.binding == Binding::table_call || info.binding == Binding::table_name) &&
        info.index >= 0) {
      if (std::find(out.begin(), out.end(), info.index) == out.end()) {
        out.push_back(info.index);
        const TableModel& t = model.tables[static_cast<std::size_t>(info.index)];
        if (!stored_table(model, info.index) && t.decl->value)
          tables_read(model, *t.decl->value, out);
      }
    }
  }
  for (const auto& arg : e.args)
    if (arg) tables_read(model, *arg, out);
}

/// What in a definition the tables stage cannot compute: it runs before
/// measures exist, over payees and periods only.
std::string unreadable_in_table(const PlanModel& model, const ast::Expr& e) {
  if (auto it = model.info.find(&e); it != model.info.end()) {
    switch (it->second.binding) {
      case Binding::value:
        if (model.values[static_cast<std::size_t>(it->second.index)].per_payee)
          return "a goal computed from measures or per-payee values";
        break;
      case Binding::aggregate:
      case Binding::cumulative:
      case Binding::distinct_count:
        return "a goal computed from measures or per-payee values";
      default:
        break;
    }
  }
  for (const auto& arg : e.args)
    if (arg)
      if (auto why = unreadable_in_table(model, *arg); !why.empty()) return why;
  return {};
}

}  // namespace

std::string table_refusal(const PlanModel& model, int table) {
  const TableModel& t = model.tables[static_cast<std::size_t>(table)];
  const ast::TableDecl& decl = *t.decl;
  if (!numeric_value(t.type)) return "tables and goals whose values are not numbers or money";
  if (decl.keys.size() > 2) return "tables and goals with more than two keys";
  for (const Type& key : t.key_types)
    if (!storable_key(key)) return "tables keyed by numbers with decimals";
  if (t.source >= 0 &&
      (t.columns.size() != decl.keys.size() + 1 ||
       std::any_of(t.columns.begin(), t.columns.end(), [](int c) { return c < 0; })))
    return "a table whose columns are not all found";
  if (decl.prorated && (!dense_keys(t) || t.type.kind == Kind::integer ||
                        std::find(decl.keys.begin(), decl.keys.end(), "period") == decl.keys.end()))
    return "`prorated` on a table that is not a number keyed by (payee, period)";
  if (decl.value && !dense_keys(t) && decl.prorated)
    return "`prorated` on a goal computed where it is looked up";
  if (decl.value && stored_table(model, table))
    if (auto why = unreadable_in_table(model, *decl.value); !why.empty()) return why;
  return {};
}

bool runnable_table(const PlanModel& model, int table) {
  return table_refusal(model, table).empty();
}

bool stored_table(const PlanModel& model, int table) {
  const TableModel& t = model.tables[static_cast<std::size_t>(table)];
  return !t.decl->value || dense_keys(t);
}

std::vector<int> table_fill_order(const PlanModel& model) {
  std::vector<int> order;
  std::vector<std::uint8_t> state(model.tables.size(), 0);  // 1 visiting, 2 done
  std::function<void(int)> visit = [&](int t) {
    if (state[static_cast<std::size_t>(t)] != 0) return;  // the checker rejects cycles
    state[static_cast<std::size_t>(t)] = 1;
    std::vector<int> reads;
    if (const ast::Expr* value = model.tables[static_cast<std::size_t>(t)].decl->value.get())
      tables_read(model, *value, reads);
    for (int r : reads) visit(r);
    state[static_cast<std::size_t>(t)] = 2;
    if (stored_table(model, t)) order.push_back(t);
  };
  for (std::size_t t = 0; t < model.tables.size(); ++t) visit(static_cast<int>(t));
  return order;
}

std::vector<Program::TableChunk> compile_tables(const PlanModel& model,
                                                std::vector<Unsupported>* unsupported,
                                                const std::unordered_map<int, Constant>& known) {
  std::vector<Program::TableChunk> out;
  for (std::size_t t = 0; t < model.tables.size(); ++t) {
    const TableModel& table = model.tables[t];
    const std::string why = table_refusal(model, static_cast<int>(t));
    if (!why.empty()) {
      if (unsupported) unsupported->push_back(Unsupported{table.decl->span, why});
      continue;
    }
    if (!table.decl->value || !stored_table(model, static_cast<int>(t))) continue;
    Program::TableChunk compiled;
    compiled.table = static_cast<int>(t);
    compiled.chunk.name = (table.decl->is_goal ? "goal " : "table ") + table.decl->name;
    ChunkCompiler compiler(model, compiled.chunk, unsupported, &known);
    auto reg = compiler.expr(*table.decl->value);
    if (table.type.kind != Kind::integer) reg = compiler.as_decimal(reg, table.decl->span);
    if (table.decl->prorated) reg = compiler.prorated(reg, table.decl->span);
    compiled.value_reg = reg;
    out.push_back(std::move(compiled));
  }
  return out;
}

/// `quota(payee, period)`, `annual_quota(payee)`, `quota(payee, Q1)`,
/// `segment_rate(deal.segment)`: the stored value for the keys given, or
/// the definition computed in place for a goal keyed by other values.
std::uint16_t ChunkCompiler::table_call(const ast::Expr& e, const ExprInfo& info) {
  const std::string why = table_refusal(m_, info.index);
  if (!why.empty()) return not_yet(e.span, why, info.type);
  if (!stored_table(m_, info.index)) return inline_table(e, info);
  const TableModel& t = m_.tables[static_cast<std::size_t>(info.index)];
  const auto& keys = t.decl->keys;
  std::vector<std::uint16_t> regs;
  for (const auto& arg : e.args) regs.push_back(expr(*arg));
  std::uint16_t a = 0;
  std::uint16_t b = 0;
  if (dense_keys(t)) {
    // Canonical order: the payee first, then the period.
    std::optional<std::uint16_t> payee;
    std::optional<std::uint16_t> period;
    for (std::size_t i = 0; i < keys.size() && i < regs.size(); ++i)
      (keys[i] == "payee" ? payee : period) = regs[i];
    a = payee ? *payee : period.value_or(0);
    b = period.value_or(a);
  } else {
    a = regs.empty() ? 0 : regs[0];
    b = regs.size() > 1 ? regs[1] : a;
  }
  return op3(OpCode::TABLE_GET, reg_type_of(info.type), a, b, e.span,
             static_cast<std::uint32_t>(info.index));
}

/// A goal defined `= EXPR` and keyed by other values than payee and period
/// (`goal rate(segment): percent = ...`): its definition, compiled where it
/// is looked up with the keys bound to the arguments. Its payee and period
/// keys, if any, must be the lane's own.
std::uint16_t ChunkCompiler::inline_table(const ast::Expr& e, const ExprInfo& info) {
  const TableModel& t = m_.tables[static_cast<std::size_t>(info.index)];
  const auto& keys = t.decl->keys;
  std::vector<std::uint16_t> registers(keys.size(), 0);
  for (std::size_t i = 0; i < keys.size() && i < e.args.size(); ++i) {
    const Binding binding = m_.info_of(*e.args[i]).binding;
    if ((keys[i] == "payee" && binding != Binding::payee_variable) ||
        (keys[i] == "period" && binding != Binding::period))
      return not_yet(e.span,
                     "a goal computed where it is looked up, for another payee or period than the "
                     "one being paid",
                     info.type);
    if (!is_key_word(keys[i])) registers[i] = expr(*e.args[i]);
  }
  std::vector<Argument> arguments;  // parameters are Arguments now (records)
  for (auto reg : registers) arguments.push_back(Argument{reg, nullptr});
  arguments_.push_back(std::move(arguments));
  auto result = expr(*t.decl->value);
  arguments_.pop_back();
  if (reg_type_of(info.type) == RegType::decimal) result = as_decimal(result, e.span);
  return result;
}

/// `allocate(annual, even)`: the annual amount over the periods of the plan
/// year, each rounded to the plan's quantum and the last taking the rest;
/// `allocate(annual, weights: {Q1: 20%, ...})`: annual × the weight of the
/// period (a period without a weight gets nothing; the weights must add up
/// to 100%).
std::uint16_t ChunkCompiler::allocate_call(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* weights = nullptr;
  const ast::Expr* annual = nullptr;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const std::string& n = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (n == "weights")
      weights = e.args[i].get();
    else if (n.empty() && !annual)
      annual = e.args[i].get();
  }
  if (!annual) return not_yet(e.span, "this use of `allocate`", info.type);
  const auto x = as_decimal(expr(*annual), annual->span);
  const auto period = c_.add_register(RegType::period);
  c_.emit({OpCode::LOAD_PERIOD, period, 0, 0, 0}, e.span);
  if (!weights) {
    const Constant quantum{RegType::decimal, false, 0, m_.rounding_quantum, {}, {}, {}};
    return op3(OpCode::ALLOCATE_EVEN, RegType::decimal, x, constant(quantum, e.span), e.span,
               static_cast<std::uint32_t>(m_.rounding));
  }
  const char prefix = m_.calendar.grain == Grain::quarter ? 'Q'
                      : m_.calendar.grain == Grain::half  ? 'H'
                      : m_.calendar.grain == Grain::month ? 'M'
                                                          : 'Y';
  const auto index = op3(OpCode::PERIOD_INDEX, RegType::integer, period, 0, e.span);
  const Constant zero{RegType::decimal, false, 0, Decimal{}, {}, {}, {}};
  const auto weight = constant(zero, e.span);
  auto total = constant(zero, e.span);
  for (std::size_t i = 0; i < weights->args.size(); ++i) {
    const std::string name = i < weights->arg_names.size() ? weights->arg_names[i] : std::string();
    if (name.size() < 2 || name[0] != prefix)
      return not_yet(weights->span,
                     "allocation weights named for other periods than the plan's (" +
                         std::string(grain_name(m_.calendar.grain)) + ")",
                     info.type);
    const Constant number{RegType::integer, false, std::stoll(name.substr(1)), {}, {}, {}, {}};
    const auto w = as_decimal(expr(*weights->args[i]), weights->args[i]->span);
    total = op3(OpCode::ADD_DEC, RegType::decimal, total, w, weights->args[i]->span);
    select_true(equal(index, constant(number, e.span), e.span), weights->args[i]->span);
    c_.emit({OpCode::MOVE, weight, w, 0, 0}, weights->args[i]->span);
    select_pop(weights->args[i]->span);
  }
  c_.emit({OpCode::CHECK_WEIGHTS, 0, total, 0, 0}, weights->span);
  return op3(OpCode::MUL_DEC, RegType::decimal, x, weight, e.span);
}

/// `rollup(quota)`: the sum of the table over everyone below the payee in
/// the roster's manager hierarchy (not the payee's own value).
std::uint16_t ChunkCompiler::rollup_call(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* arg = e.args.empty() ? nullptr : e.args[0].get();
  const int table = arg ? m_.info_of(*arg).index : -1;
  if (table < 0 || !stored_table(m_, table) || !table_refusal(m_, table).empty() ||
      m_.tables[static_cast<std::size_t>(table)].decl->keys.empty() ||
      m_.tables[static_cast<std::size_t>(table)].decl->keys[0] != "payee" ||
      !dense_keys(m_.tables[static_cast<std::size_t>(table)]))
    return not_yet(e.span, "rollup(...) of a table not keyed by (payee[, period])", info.type);
  if (m_.roster < 0 || roster_field(m_, "manager", Kind::payee) < 0)
    return not_yet(e.span, "rollup(...) without a `manager: payee?` field in the roster",
                   info.type);
  return op3(OpCode::TABLE_ROLLUP, reg_type_of(info.type), 0, 0, e.span,
             static_cast<std::uint32_t>(table));
}

std::uint16_t ChunkCompiler::months_employed_call(const ast::Expr& e, const ExprInfo& info) {
  if (roster_field(m_, "hire_date", Kind::date) < 0)
    return not_yet(e.span, "months_employed(...) without a `hire_date: date` field in the roster",
                   info.type);
  return op3(OpCode::MONTHS_EMPLOYED, RegType::integer, expr(*e.args[0]), 0, e.span);
}

/// `prorate(x)`: x × the days the payee is employed in the period / the
/// days of the period; `from:` and `to:` replace the hire and end dates.
std::uint16_t ChunkCompiler::prorate_call(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* x = nullptr;
  std::optional<std::uint16_t> from;
  std::optional<std::uint16_t> to;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const std::string& n = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (n == "from")
      from = expr(*e.args[i]);
    else if (n == "to")
      to = expr(*e.args[i]);
    else if (n.empty() && !x)
      x = e.args[i].get();
  }
  if (!x) return not_yet(e.span, "this use of `prorate`", info.type);
  return prorated(as_decimal(expr(*x), x->span), e.span, from, to);
}

std::uint16_t ChunkCompiler::prorated(std::uint16_t value, Span span,
                                      std::optional<std::uint16_t> from,
                                      std::optional<std::uint16_t> to) {
  if (!from) from = op3(OpCode::EMPLOYMENT_DAY, RegType::date, 0, 0, span, 0);
  if (!to) to = op3(OpCode::EMPLOYMENT_DAY, RegType::date, 0, 0, span, 1);
  const auto days = op3(OpCode::DAYS_COVERED, RegType::integer, *from, *to, span, 0);
  const auto all = op3(OpCode::DAYS_COVERED, RegType::integer, *from, *to, span, 1);
  const auto scaled =
      op3(OpCode::MUL_DEC, RegType::decimal, as_decimal(value, span), as_decimal(days, span), span);
  return op3(OpCode::DIV_DEC, RegType::decimal, scaled, as_decimal(all, span), span);
}

int roster_field(const PlanModel& model, const std::string& name, Kind kind) {
  if (model.roster < 0) return -1;
  const auto& fields = model.sources[static_cast<std::size_t>(model.roster)].schema.fields;
  for (std::size_t f = 0; f < fields.size(); ++f)
    if (fields[f].name == name && fields[f].type.kind == kind) return static_cast<int>(f);
  return -1;
}

}  // namespace tally
