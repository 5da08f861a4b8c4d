// Calls: the builtins, (payee, period) tables, `apply` over rate tables and
// the library functions the VM runs; the others are refused by name.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

std::uint16_t ChunkCompiler::call(const ast::Expr& e, const ExprInfo& info) {
  if (info.binding == Binding::aggregate) return load(info, e.span);
  if (info.binding == Binding::fn_call) return inline_call(e, info);
  if (info.binding == Binding::library_call) return library_call(e, info);
  if (info.binding == Binding::table_call) return table_call(e, info);
  const Builtin* builtin = find_builtin(e.text);
  if (!builtin) return not_yet(e.span, "the function `" + e.text + "`", info.type);
  switch (builtin->id) {
    case BuiltinId::round: {
      const auto x = as_decimal(expr(*e.args[0]), e.span);
      const auto q = as_decimal(expr(*e.args[1]), e.span);
      const auto mode = e.args.size() == 3 ? m_.info_of(*e.args[2]).index
                                           : static_cast<int>(RoundingMode::half_even);
      const auto out = c_.add_register(RegType::decimal);
      c_.emit({OpCode::ROUND_DEC, out, x, q, static_cast<std::uint32_t>(mode)}, e.span);
      return out;
    }
    case BuiltinId::min:
    case BuiltinId::max: {
      // Computed on decimals, exact for integers too; the register stays
      // decimal-typed, and every user of a register looks at its type.
      const auto a = as_decimal(expr(*e.args[0]), e.span);
      const auto b = as_decimal(expr(*e.args[1]), e.span);
      return op3(builtin->id == BuiltinId::min ? OpCode::MIN_DEC : OpCode::MAX_DEC,
                 RegType::decimal, a, b, e.span);
    }
    case BuiltinId::abs:
      return op3(OpCode::ABS_DEC, RegType::decimal, as_decimal(expr(*e.args[0]), e.span), 0,
                 e.span);
    case BuiltinId::period_of: {
      const auto a = expr(*e.args[0]);
      return op3(OpCode::PERIOD_OF, RegType::period, a, 0, e.span);
    }
  }
  return 0;
}

/// `quota(payee, period)`: the table's value for the lane's payee in the
/// period being paid. Other keys are refused by name for now.
std::uint16_t ChunkCompiler::table_call(const ast::Expr& e, const ExprInfo& info) {
  const bool current = e.args.size() == 2 &&
                       m_.info_of(*e.args[0]).binding == Binding::payee_variable &&
                       m_.info_of(*e.args[1]).binding == Binding::period;
  if (!runnable_table(m_, info.index) || !current)
    return not_yet(e.span, "a table looked up by other keys than (payee, period)", info.type);
  return op3(OpCode::LOAD_TABLE, reg_type_of(info.type), 0, 0, e.span,
             static_cast<std::uint32_t>(info.index));
}

std::optional<Decimal> ChunkCompiler::literal_decimal(const ast::Expr* e) {
  bool negative = false;
  if (e && e->kind == ast::ExprKind::unary && e->op == ast::Op::neg) {
    negative = true;
    e = e->args[0].get();
  }
  if (!e || (e->kind != ast::ExprKind::number && e->kind != ast::ExprKind::percent &&
             e->kind != ast::ExprKind::money))
    return std::nullopt;
  auto d = Decimal::parse(e->text, true);
  if (!d) return std::nullopt;
  if (e->kind == ast::ExprKind::percent) d = *d * Decimal::from_units(1, 2);
  return negative ? -*d : *d;
}

/// `apply(rates, x[, base: b])` over a tier table written with literal
/// bounds and rates; other rate tables are refused by name for now.
std::uint16_t ChunkCompiler::apply_rates(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* table = e.args.empty() ? nullptr : e.args[0].get();
  int index = -1;
  for (std::size_t r = 0; table && r < m_.rates.size(); ++r)
    if (m_.rates[r].decl->name == table->text) index = static_cast<int>(r);
  const ast::Expr* base = nullptr;
  const ast::Expr* x = nullptr;
  for (std::size_t i = 1; i < e.args.size(); ++i) {
    const std::string& n = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (n == "base")
      base = e.args[i].get();
    else if (n.empty() && !x)
      x = e.args[i].get();
  }
  if (index < 0 || !x) return not_yet(e.span, "this use of `apply`", info.type);
  const ast::RatesDecl& decl = *m_.rates[static_cast<std::size_t>(index)].decl;
  RateTiers tiers;
  tiers.marginal = decl.mode == ast::RatesMode::marginal;
  tiers.has_base = base != nullptr;
  bool literal = decl.mode != ast::RatesMode::lookup;
  for (const ast::RateRow& row : decl.rows) {
    const auto low = literal_decimal(row.lower.get());
    const auto high =
        row.upper ? literal_decimal(row.upper.get()) : std::optional<Decimal>(Decimal{});
    const auto rate = literal_decimal(row.value.get());
    const bool is_rate = row.value && (row.value->kind == ast::ExprKind::percent ||
                                       row.value->kind == ast::ExprKind::number);
    if (!low || !high || !rate || !is_rate) {
      literal = false;
      break;
    }
    tiers.lower.push_back(*low);
    tiers.upper.push_back(*high);
    tiers.has_upper.push_back(row.upper ? 1 : 0);
    tiers.rate.push_back(*rate);
  }
  if (!literal)
    return not_yet(e.span, "rate tables whose bounds and rates are not written out", info.type);
  const auto value = as_decimal(expr(*x), x->span);
  const auto scale = base ? as_decimal(expr(*base), base->span) : value;
  c_.tiers.push_back(std::move(tiers));
  return op3(OpCode::APPLY_RATES, RegType::decimal, value, scale, e.span,
             static_cast<std::uint32_t>(c_.tiers.size() - 1));
}

std::uint16_t ChunkCompiler::library_call(const ast::Expr& e, const ExprInfo& info) {
  switch (static_cast<LibraryId>(info.index)) {
    case LibraryId::apply:
      return apply_rates(e, info);
    case LibraryId::year:
    case LibraryId::quarter:
    case LibraryId::month: {
      const std::uint32_t part = static_cast<LibraryId>(info.index) == LibraryId::year      ? 0
                                 : static_cast<LibraryId>(info.index) == LibraryId::quarter ? 1
                                                                                            : 2;
      return op3(OpCode::DATE_PART, RegType::integer, expr(*e.args[0]), 0, e.span, part);
    }
    case LibraryId::days_between: {
      const auto from = expr(*e.args[0]);
      const auto to = expr(*e.args[1]);
      return op3(OpCode::DAYS_BETWEEN, RegType::integer, to, from, e.span);
    }
    case LibraryId::add_months: {
      const auto date = expr(*e.args[0]);
      return op3(OpCode::ADD_MONTHS, RegType::date, date, expr(*e.args[1]), e.span);
    }
    case LibraryId::days_in:
      return op3(OpCode::PERIOD_DAYS, RegType::integer, expr(*e.args[0]), 0, e.span);
    case LibraryId::clamp: {
      const auto x = as_decimal(expr(*e.args[0]), e.span);
      const auto low = as_decimal(expr(*e.args[1]), e.span);
      const auto high = as_decimal(expr(*e.args[2]), e.span);
      return op3(OpCode::MAX_DEC, RegType::decimal,
                 op3(OpCode::MIN_DEC, RegType::decimal, x, high, e.span), low, e.span);
    }
    default:
      return not_yet(e.span, "the function `" + e.text + "`", info.type);
  }
}

}  // namespace tally
