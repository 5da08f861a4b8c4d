// Calls: the builtins and the library functions the VM runs (tables in
// compile_tables.cpp, rate tables in compile_rates.cpp); the others are
// refused by name.
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

std::uint16_t ChunkCompiler::call(const ast::Expr& e, const ExprInfo& info) {
  if (info.binding == Binding::aggregate) return load(info, e.span);
  if (info.binding == Binding::fn_call) return inline_call(e, info);
  if (info.binding == Binding::library_call) return library_call(e, info);
  if (info.binding == Binding::table_call) return table_call(e, info);
  if (info.binding == Binding::cumulative) return cumulative(e, info);
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

std::uint16_t ChunkCompiler::library_call(const ast::Expr& e, const ExprInfo& info) {
  switch (static_cast<LibraryId>(info.index)) {
    case LibraryId::convert:
      return convert_call(e, info);
    case LibraryId::apply:
      return apply_rates(e, info);
    case LibraryId::tier_of:  // tables
      return tier_of_call(e, info);
    case LibraryId::lookup:  // tables
      return lookup_call(e, info);
    case LibraryId::allocate:  // tables
      return allocate_call(e, info);
    case LibraryId::rollup:  // tables
      return rollup_call(e, info);
    case LibraryId::months_employed:  // tables
      return months_employed_call(e, info);
    case LibraryId::prorate:  // tables
      return prorate_call(e, info);
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
    case LibraryId::upper:
    case LibraryId::lower:
      return op3(OpCode::TEXT_CASE, RegType::symbol, expr(*e.args[0]), 0, e.span,
                 static_cast<LibraryId>(info.index) == LibraryId::upper ? 0 : 1);
    case LibraryId::starts_with:
    case LibraryId::contains: {
      const auto text = expr(*e.args[0]);
      return op3(OpCode::TEXT_HAS, RegType::boolean, text, expr(*e.args[1]), e.span,
                 static_cast<LibraryId>(info.index) == LibraryId::starts_with ? 0 : 1);
    }
    case LibraryId::territory:
      return territory_call(e, info);
    case LibraryId::owner:
      return owner_call(e, info);
    default:
      return not_yet(e.span, "the function `" + e.text + "`", info.type);
  }
}

}  // namespace tally
