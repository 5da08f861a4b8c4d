// Rate tables: `apply(rates, x[, base: b])` and `tier_of(...)` over tiers,
// and `lookup(rates, key)` over a table by key (LANGUAGE.md §4, "Tiers").
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

namespace {

/// The rates table named by the first argument of apply/tier_of/lookup.
int rates_index(const PlanModel& model, const ast::Expr& e) {
  if (e.args.empty()) return -1;
  const ast::Expr& table = *e.args[0];
  for (std::size_t r = 0; r < model.rates.size(); ++r)
    if (model.rates[r].decl->name == table.text) return static_cast<int>(r);
  return -1;
}

/// The value (first unnamed argument after the table) and the `base:`.
std::pair<const ast::Expr*, const ast::Expr*> value_and_base(const ast::Expr& e) {
  const ast::Expr* base = nullptr;
  const ast::Expr* x = nullptr;
  for (std::size_t i = 1; i < e.args.size(); ++i) {
    const std::string& n = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (n == "base")
      base = e.args[i].get();
    else if (n.empty() && !x)
      x = e.args[i].get();
  }
  return {x, base};
}

}  // namespace

RateTiers ChunkCompiler::tiers_of(int index, bool has_base) const {
  const ast::RatesDecl& decl = *m_.rates[static_cast<std::size_t>(index)].decl;
  RateTiers tiers;
  tiers.marginal = decl.mode == ast::RatesMode::marginal;
  tiers.has_base = has_base;
  for (const ast::RateRow& row : decl.rows) {
    tiers.lower.push_back(literal_decimal(row.lower.get()).value_or(Decimal{}));
    tiers.upper.push_back(row.upper ? literal_decimal(row.upper.get()).value_or(Decimal{})
                                    : Decimal{});
    tiers.has_upper.push_back(row.upper ? 1 : 0);
    tiers.rate.push_back(literal_decimal(row.value.get()).value_or(Decimal{}));
  }
  return tiers;
}

std::uint16_t ChunkCompiler::equal(std::uint16_t a, std::uint16_t b, Span span) {
  const RegType ta = c_.registers[a];
  const RegType tb = c_.registers[b];
  const std::uint32_t eq = comparison_code(ast::Op::eq);
  if (ta == RegType::symbol) return op3(OpCode::CMP_SYM, RegType::boolean, a, b, span, eq);
  if (ta == RegType::boolean) return op3(OpCode::CMP_BOOL, RegType::boolean, a, b, span, eq);
  if (ta == RegType::date) return op3(OpCode::CMP_DATE, RegType::boolean, a, b, span, eq);
  if (ta == RegType::period) return op3(OpCode::CMP_PERIOD, RegType::boolean, a, b, span, eq);
  if (ta == RegType::integer && tb == RegType::integer)
    return op3(OpCode::CMP_INT, RegType::boolean, a, b, span, eq);
  return op3(OpCode::CMP_DEC, RegType::boolean, as_decimal(a, span), as_decimal(b, span), span, eq);
}

/// `apply(rates, x[, base: b])`. Tiers with written-out rates run as one
/// instruction; rates that are expressions (of constant lets) are computed
/// and each multiplies what its own tier covers. A table that pays amounts
/// (money) pays the amount of the tier reached.
std::uint16_t ChunkCompiler::apply_rates(const ast::Expr& e, const ExprInfo& info) {
  const int index = rates_index(m_, e);
  const auto [x, base] = value_and_base(e);
  if (index < 0 || !x ||
      m_.rates[static_cast<std::size_t>(index)].decl->mode == ast::RatesMode::lookup)
    return not_yet(e.span, "this use of `apply`", info.type);
  const RatesModel& rates = m_.rates[static_cast<std::size_t>(index)];
  const ast::RatesDecl& decl = *rates.decl;
  const auto value = as_decimal(expr(*x), x->span);
  const auto scale = base ? as_decimal(expr(*base), base->span) : value;
  RateTiers tiers = tiers_of(index, base != nullptr);

  if (rates.value_type.kind == Kind::money) {
    if (tiers.marginal)
      return not_yet(e.span, "a marginal rate table that pays amounts rather than rates",
                     info.type);
    // The amount of the tier reached; nothing below the first tier.
    c_.tiers.push_back(std::move(tiers));
    const auto tier = op3(OpCode::TIER_OF, RegType::integer, value, scale, e.span,
                          static_cast<std::uint32_t>(c_.tiers.size() - 1));
    const auto result =
        constant(Constant{RegType::decimal, false, 0, Decimal{}, {}, {}, {}}, e.span);
    for (std::size_t r = 0; r < decl.rows.size(); ++r) {
      Constant number{RegType::integer, false, static_cast<std::int64_t>(r + 1), {}, {}, {}, {}};
      const auto reached = equal(tier, constant(std::move(number), e.span), e.span);
      select_true(reached, e.span);
      const auto amount = as_decimal(expr(*decl.rows[r].value), decl.rows[r].value->span);
      c_.emit({OpCode::MOVE, result, amount, 0, 0}, e.span);
      select_pop(e.span);
    }
    return result;
  }

  bool literal = true;
  for (const ast::RateRow& row : decl.rows)
    if (!literal_decimal(row.value.get())) literal = false;
  if (literal) {
    c_.tiers.push_back(std::move(tiers));
    return op3(OpCode::APPLY_RATES, RegType::decimal, value, scale, e.span,
               static_cast<std::uint32_t>(c_.tiers.size() - 1));
  }
  // Σ rate_i × (what tier i alone pays at a rate of 1): the slice of x in
  // the tier (marginal), or x itself on the tier reached (retroactive).
  std::optional<std::uint16_t> total;
  for (std::size_t r = 0; r < decl.rows.size(); ++r) {
    RateTiers one;
    one.marginal = tiers.marginal;
    one.has_base = tiers.has_base;
    one.lower.push_back(tiers.lower[r]);
    one.upper.push_back(tiers.upper[r]);
    one.has_upper.push_back(tiers.has_upper[r]);
    one.rate.push_back(Decimal::from_int(1));
    c_.tiers.push_back(std::move(one));
    const auto covered = op3(OpCode::APPLY_RATES, RegType::decimal, value, scale, e.span,
                             static_cast<std::uint32_t>(c_.tiers.size() - 1));
    const auto rate = as_decimal(expr(*decl.rows[r].value), decl.rows[r].value->span);
    const auto paid = op3(OpCode::MUL_DEC, RegType::decimal, rate, covered, e.span);
    total = total ? op3(OpCode::ADD_DEC, RegType::decimal, *total, paid, e.span) : paid;
  }
  return total ? *total
               : constant(Constant{RegType::decimal, false, 0, Decimal{}, {}, {}, {}}, e.span);
}

/// `tier_of(rates, x[, base: b])`: the number of the tier x falls in, from 1
/// (0 below the first tier), by the same half-open ranges as `apply`.
std::uint16_t ChunkCompiler::tier_of_call(const ast::Expr& e, const ExprInfo& info) {
  const int index = rates_index(m_, e);
  const auto [x, base] = value_and_base(e);
  if (index < 0 || !x) return not_yet(e.span, "this use of `tier_of`", info.type);
  const auto value = as_decimal(expr(*x), x->span);
  const auto scale = base ? as_decimal(expr(*base), base->span) : value;
  c_.tiers.push_back(tiers_of(index, base != nullptr));
  return op3(OpCode::TIER_OF, RegType::integer, value, scale, e.span,
             static_cast<std::uint32_t>(c_.tiers.size() - 1));
}

/// `lookup(rates, key)`: the entry whose key equals `key`, else the `else`
/// entry; with no `else`, a key that matches no entry is an error naming the
/// key (the stage adds the transaction or the payee and period).
std::uint16_t ChunkCompiler::lookup_call(const ast::Expr& e, const ExprInfo& info) {
  const int index = rates_index(m_, e);
  if (index < 0 || e.args.size() < 2 ||
      m_.rates[static_cast<std::size_t>(index)].decl->mode != ast::RatesMode::lookup)
    return not_yet(e.span, "this use of `lookup`", info.type);
  const ast::RatesDecl& decl = *m_.rates[static_cast<std::size_t>(index)].decl;
  const RegType type = reg_type_of(info.type);
  const auto key = expr(*e.args[1]);
  const auto result = c_.add_register(type);
  auto assign = [&](const ast::Expr& value) {
    auto reg = expr(value);
    if (type == RegType::decimal) reg = as_decimal(reg, value.span);
    c_.emit({OpCode::MOVE, result, reg, 0, 0}, value.span);
  };
  bool has_else = false;
  for (const ast::RateRow& row : decl.rows)
    if (!row.key && row.value) {
      assign(*row.value);
      has_else = true;
    }
  const auto matched = constant(Constant{RegType::boolean, false, 0, {}, {}, {}, {}}, e.span);
  c_.constants.push_back(Constant{RegType::boolean, true, 0, {}, {}, {}, {}});
  const auto yes = static_cast<std::uint32_t>(c_.constants.size() - 1);
  for (const ast::RateRow& row : decl.rows) {
    if (!row.key || !row.value) continue;
    const auto hit = equal(key, expr(*row.key), row.key->span);
    select_true(hit, row.key->span);
    assign(*row.value);
    c_.emit({OpCode::CONST, matched, 0, 0, yes}, row.key->span);
    select_pop(row.key->span);
  }
  if (!has_else) {
    c_.emit({OpCode::SELECT_FALSE, 0, matched, 0, 0}, e.span);
    c_.constants.push_back(Constant{RegType::symbol, false, 0, {}, {}, {}, decl.name});
    c_.emit(
        {OpCode::LOOKUP_MISSING, 0, key, 0, static_cast<std::uint32_t>(c_.constants.size() - 1)},
        e.span);
    select_pop(e.span);
  }
  return result;
}

}  // namespace tally
