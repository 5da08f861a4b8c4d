#include "interpreter/compiler.hpp"

#include <algorithm>

#include "interpreter/vm.hpp"

#include <unordered_map>

#include "stdlib/builtins.hpp"

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

namespace {

/// Comparison codes carried in Instr::k.
std::uint32_t comparison_code(ast::Op op) {
  switch (op) {
    case ast::Op::eq:
      return 0;
    case ast::Op::ne:
      return 1;
    case ast::Op::lt:
      return 2;
    case ast::Op::le:
      return 3;
    case ast::Op::gt:
      return 4;
    default:
      return 5;  // ge
  }
}

class ChunkCompiler {
 public:
  ChunkCompiler(const PlanModel& model, Chunk& chunk, std::vector<Unsupported>* unsupported,
                const std::unordered_map<int, Constant>* known = nullptr)
      : m_(model), c_(chunk), unsupported_(unsupported), known_(known) {}

  /// Registers that already hold a value (measures and lets in the payout chunk).
  std::unordered_map<int, std::uint16_t> value_regs;

  std::uint16_t expr(const ast::Expr& e) {
    const ExprInfo& info = m_.info_of(e);
    switch (e.kind) {
      case ast::ExprKind::number:
      case ast::ExprKind::percent:
      case ast::ExprKind::money:
      case ast::ExprKind::date:
      case ast::ExprKind::period:
      case ast::ExprKind::string:
      case ast::ExprKind::boolean:
        return literal(e, info.type);
      case ast::ExprKind::name:
        return name(e, info);
      case ast::ExprKind::member:
        return load(info, e.span);
      case ast::ExprKind::call:
        return call(e, info);
      case ast::ExprKind::unary:
        return unary(e, info);
      case ast::ExprKind::binary:
        return binary(e, info);
      case ast::ExprKind::unless:
        return exceptions(e, info);
      case ast::ExprKind::set:
      case ast::ExprKind::range:
      case ast::ExprKind::filter:
        break;  // compiled by their users (`in`, aggregates)
      default:
        return not_yet(e.span, "this kind of expression", info.type);
    }
    return 0;
  }

  std::uint16_t constant(Constant value, Span span) {
    const auto reg = c_.add_register(value.type);
    c_.constants.push_back(std::move(value));
    c_.emit({OpCode::CONST, reg, 0, 0, static_cast<std::uint32_t>(c_.constants.size() - 1)}, span);
    return reg;
  }

  /// `reg` as a decimal register, widening an integer.
  std::uint16_t as_decimal(std::uint16_t reg, Span span) {
    if (c_.registers[reg] != RegType::integer) return reg;
    const auto out = c_.add_register(RegType::decimal);
    c_.emit({OpCode::INT_TO_DEC, out, reg, 0, 0}, span);
    return out;
  }

  std::uint16_t op3(OpCode op, RegType type, std::uint16_t a, std::uint16_t b, Span span,
                    std::uint32_t k = 0) {
    const auto out = c_.add_register(type);
    c_.emit({op, out, a, b, k}, span);
    return out;
  }

  void select_true(std::uint16_t reg, Span span) {
    c_.emit({OpCode::SELECT_TRUE, 0, reg, 0, 0}, span);
  }
  void select_pop(Span span) { c_.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, span); }

 private:
  const PlanModel& m_;
  Chunk& c_;
  std::vector<Unsupported>* unsupported_;
  const std::unordered_map<int, Constant>* known_;     // constant lets folded at compile time
  std::vector<std::vector<std::uint16_t>> arguments_;  // registers of the parameters of inlined fns

  /// Records a construct the engine cannot run yet; returns a placeholder
  /// register so that compilation can go on and report the others.
  std::uint16_t not_yet(Span span, std::string what, const Type& type) {
    if (unsupported_) unsupported_->push_back(Unsupported{span, std::move(what)});
    return c_.add_register(reg_type_of(type));
  }

  std::uint16_t literal(const ast::Expr& e, const Type& type) {
    Constant value;
    value.type = reg_type_of(type);
    switch (e.kind) {
      case ast::ExprKind::number:
        if (type.kind == Kind::integer) {
          value.integer = *Decimal::parse(e.text, true)->to_int64();
        } else {
          value.decimal = *Decimal::parse(e.text, true);
        }
        break;
      case ast::ExprKind::percent: {
        // 8% is stored as the fraction 0.08, exactly.
        const Decimal number = *Decimal::parse(e.text, true);
        value.decimal = number * Decimal::from_units(1, 2);
        break;
      }
      case ast::ExprKind::money:
        value.decimal = *Decimal::parse(e.text, true);
        break;
      case ast::ExprKind::date:
        value.date = *parse_iso_date(e.text);
        break;
      case ast::ExprKind::period: {
        const bool bare = e.text[0] == 'Q' || e.text[0] == 'H' || e.text[0] == 'M';
        value.period =
            *parse_period(e.text, m_.calendar, bare ? std::optional<int>(2000) : std::nullopt);
        if (bare) value.period.year = 0;  // any year: `period == Q1`
        break;
      }
      case ast::ExprKind::string:
        value.text = e.text;
        break;
      case ast::ExprKind::boolean:
        value.boolean = e.text == "true";
        break;
      default:
        break;
    }
    return constant(std::move(value), e.span);
  }

  std::uint16_t name(const ast::Expr& e, const ExprInfo& info) {
    if (info.binding == Binding::fn_parameter && !arguments_.empty())
      return arguments_.back()[static_cast<std::size_t>(info.index)];
    if (info.binding == Binding::value) {
      if (auto it = value_regs.find(info.index); it != value_regs.end()) return it->second;
      if (known_)
        if (auto it = known_->find(info.index); it != known_->end())
          return constant(it->second, e.span);
      // A constant let used in a row or credit chunk: inline its expression.
      const auto reg = expr(*m_.values[info.index].decl->value);
      value_regs[info.index] = reg;
      return reg;
    }
    if (info.binding == Binding::credit_kind) {
      Constant value;
      value.type = RegType::symbol;
      value.text = ast::credit_kind_name(static_cast<ast::CreditKind>(info.index));
      return constant(std::move(value), e.span);
    }
    return load(info, e.span);
  }

  std::uint16_t load(const ExprInfo& info, Span span) {
    const auto reg = c_.add_register(reg_type_of(info.type));
    const auto k = static_cast<std::uint32_t>(info.index);
    switch (info.binding) {
      case Binding::row_field:
        c_.emit({OpCode::LOAD_FIELD, reg, 0, 0, k}, span);
        break;
      case Binding::credit_row_field:
        c_.emit({OpCode::LOAD_CREDIT_FIELD, reg, 0, 0, k}, span);
        break;
      case Binding::credit_attribute:
        c_.emit({OpCode::LOAD_CREDIT, reg, 0, 0, k}, span);
        break;
      case Binding::payee_field:
        c_.emit({OpCode::LOAD_PAYEE_FIELD, reg, 0, 0, k}, span);
        break;
      case Binding::payee_variable:
        c_.emit({OpCode::LOAD_PAYEE_FIELD, reg, 0, 0, static_cast<std::uint32_t>(m_.roster_key)},
                span);
        break;
      case Binding::period:
        c_.emit({OpCode::LOAD_PERIOD, reg, 0, 0, 0}, span);
        break;
      case Binding::aggregate:
        c_.emit({OpCode::LOAD_AGGREGATE, reg, 0, 0, k}, span);
        break;
      default:
        return not_yet(span, "this name", info.type);
    }
    return reg;
  }

  std::uint16_t call(const ast::Expr& e, const ExprInfo& info) {
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
  std::uint16_t table_call(const ast::Expr& e, const ExprInfo& info) {
    const bool current = e.args.size() == 2 &&
                         m_.info_of(*e.args[0]).binding == Binding::payee_variable &&
                         m_.info_of(*e.args[1]).binding == Binding::period;
    if (!runnable_table(m_, info.index) || !current)
      return not_yet(e.span, "a table looked up by other keys than (payee, period)", info.type);
    return op3(OpCode::LOAD_TABLE, reg_type_of(info.type), 0, 0, e.span,
               static_cast<std::uint32_t>(info.index));
  }

  /// The library functions the VM runs so far; the others are refused by name.
  /// The value of a literal (number, percent or money, maybe negated), or
  /// nullopt for anything else.
  static std::optional<Decimal> literal_decimal(const ast::Expr* e) {
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
  std::uint16_t apply_rates(const ast::Expr& e, const ExprInfo& info) {
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

  std::uint16_t library_call(const ast::Expr& e, const ExprInfo& info) {
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

  /// A call of a plan's `fn`: functions are pure and never recursive (the
  /// checker proves it), so the body is compiled in place with its
  /// parameters bound to the argument registers.
  std::uint16_t inline_call(const ast::Expr& e, const ExprInfo& info) {
    const FunctionModel& function = m_.functions[static_cast<std::size_t>(info.index)];
    std::vector<std::uint16_t> registers;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      auto reg = expr(*e.args[i]);
      if (i < function.params.size() && reg_type_of(function.params[i]) == RegType::decimal)
        reg = as_decimal(reg, e.args[i]->span);
      registers.push_back(reg);
    }
    arguments_.push_back(std::move(registers));
    auto result = expr(*function.decl->body);
    arguments_.pop_back();
    if (reg_type_of(info.type) == RegType::decimal) result = as_decimal(result, e.span);
    return result;
  }

  /// `E0 unless C1 then E1 unless C2 then E2 ...`: start from the default,
  /// then each exception, in order, overwrites the lanes where its condition
  /// holds, so a later (more specific) exception wins. A value is computed
  /// only on the lanes that take it.
  std::uint16_t exceptions(const ast::Expr& e, const ExprInfo& info) {
    const RegType type = reg_type_of(info.type);
    const auto result = c_.add_register(type);
    auto assign = [&](const ast::Expr& value) {
      auto reg = expr(value);
      if (type == RegType::decimal) reg = as_decimal(reg, value.span);
      c_.emit({OpCode::MOVE, result, reg, 0, 0}, value.span);
    };
    assign(*e.args[0]);
    for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
      const auto condition = expr(*e.args[i]);
      select_true(condition, e.args[i]->span);
      assign(*e.args[i + 1]);
      select_pop(e.args[i]->span);
    }
    return result;
  }

  std::uint16_t unary(const ast::Expr& e, const ExprInfo& info) {
    const auto a = expr(*e.args[0]);
    if (e.op == ast::Op::not_) return op3(OpCode::NOT, RegType::boolean, a, 0, e.span);
    if (c_.registers[a] == RegType::integer && info.type.kind == Kind::integer)
      return op3(OpCode::NEG_INT, RegType::integer, a, 0, e.span);
    return op3(OpCode::NEG_DEC, RegType::decimal, as_decimal(a, e.span), 0, e.span);
  }

  std::uint16_t binary(const ast::Expr& e, const ExprInfo& info) {
    const ast::Expr& left = *e.args[0];
    const ast::Expr& right = *e.args[1];
    switch (e.op) {
      case ast::Op::and_:
      case ast::Op::or_: {
        // The right side runs only on the lanes where it decides the result,
        // so `x > 0 and y / x > 1` never divides by zero.
        const auto a = expr(left);
        c_.emit({e.op == ast::Op::and_ ? OpCode::SELECT_TRUE : OpCode::SELECT_FALSE, 0, a, 0, 0},
                e.span);
        const auto b = expr(right);
        select_pop(e.span);
        return op3(e.op == ast::Op::and_ ? OpCode::AND : OpCode::OR, RegType::boolean, a, b,
                   e.span);
      }
      case ast::Op::coalesce:
        return not_yet(e.span, "`??` (values that may be null)", info.type);
      case ast::Op::in:
      case ast::Op::not_in: {
        if (right.kind != ast::ExprKind::set && right.kind != ast::ExprKind::range)
          return not_yet(right.span, "`in` over a list that is not written out", info.type);
        const auto a = expr(left);
        const auto out = membership(a, right, e.span);
        if (e.op == ast::Op::not_in) return op3(OpCode::NOT, RegType::boolean, out, 0, e.span);
        return out;
      }
      default:
        break;
    }
    auto a = expr(left);
    auto b = expr(right);
    const RegType ta = c_.registers[a];
    const RegType tb = c_.registers[b];
    switch (e.op) {
      case ast::Op::add:
      case ast::Op::sub: {
        const bool add = e.op == ast::Op::add;
        if (ta == RegType::integer && tb == RegType::integer)
          return op3(add ? OpCode::ADD_INT : OpCode::SUB_INT, RegType::integer, a, b, e.span);
        if (ta == RegType::date && tb == RegType::date)
          return op3(OpCode::DAYS_BETWEEN, RegType::integer, a, b, e.span);
        if (ta == RegType::date)
          return op3(OpCode::ADD_DAYS, RegType::date, a, b, e.span, add ? 0 : 1);
        if (tb == RegType::date) return op3(OpCode::ADD_DAYS, RegType::date, b, a, e.span, 0);
        return op3(add ? OpCode::ADD_DEC : OpCode::SUB_DEC, RegType::decimal, as_decimal(a, e.span),
                   as_decimal(b, e.span), e.span);
      }
      case ast::Op::mul:
        if (ta == RegType::integer && tb == RegType::integer)
          return op3(OpCode::MUL_INT, RegType::integer, a, b, e.span);
        return op3(OpCode::MUL_DEC, RegType::decimal, as_decimal(a, e.span), as_decimal(b, e.span),
                   e.span);
      case ast::Op::div:
        return op3(OpCode::DIV_DEC, RegType::decimal, as_decimal(a, e.span), as_decimal(b, e.span),
                   e.span);
      default:
        break;
    }
    // comparisons
    const std::uint32_t code = comparison_code(e.op);
    if (ta == RegType::symbol) return op3(OpCode::CMP_SYM, RegType::boolean, a, b, e.span, code);
    if (ta == RegType::boolean) return op3(OpCode::CMP_BOOL, RegType::boolean, a, b, e.span, code);
    if (ta == RegType::date) return op3(OpCode::CMP_DATE, RegType::boolean, a, b, e.span, code);
    if (ta == RegType::period) return op3(OpCode::CMP_PERIOD, RegType::boolean, a, b, e.span, code);
    if (ta == RegType::integer && tb == RegType::integer)
      return op3(OpCode::CMP_INT, RegType::boolean, a, b, e.span, code);
    return op3(OpCode::CMP_DEC, RegType::boolean, as_decimal(a, e.span), as_decimal(b, e.span),
               e.span, code);
  }

  std::uint16_t membership(std::uint16_t value, const ast::Expr& collection, Span span) {
    ConstantSet set;
    bool textual = c_.registers[value] == RegType::symbol;
    auto constant_decimal = [&](const ast::Expr& item) {
      const ast::Expr* literal = &item;
      bool negative = false;
      if (literal->kind == ast::ExprKind::unary) {
        negative = true;
        literal = literal->args[0].get();
      }
      Decimal d = *Decimal::parse(literal->text, true);
      if (literal->kind == ast::ExprKind::percent) d = d * Decimal::from_units(1, 2);
      return negative ? -d : d;
    };
    if (collection.kind == ast::ExprKind::range) {
      set.lower = constant_decimal(*collection.args[0]);
      if (collection.args.size() > 1) {
        set.upper = constant_decimal(*collection.args[1]);
        set.has_upper = true;
      }
      c_.sets.push_back(std::move(set));
      return op3(OpCode::IN_RANGE_DEC, RegType::boolean, as_decimal(value, span), 0, span,
                 static_cast<std::uint32_t>(c_.sets.size() - 1));
    }
    for (const auto& item : collection.args) {
      if (textual)
        set.texts.push_back(item->text);
      else
        set.decimals.push_back(constant_decimal(*item));
    }
    c_.sets.push_back(std::move(set));
    const auto k = static_cast<std::uint32_t>(c_.sets.size() - 1);
    if (textual) return op3(OpCode::IN_SYMS, RegType::boolean, value, 0, span, k);
    return op3(OpCode::IN_DECS, RegType::boolean, as_decimal(value, span), 0, span, k);
  }
};

CompiledRule compile_rule(const PlanModel& model, const CreditRuleModel& rule,
                          std::vector<Unsupported>* unsupported,
                          const std::unordered_map<int, Constant>& known) {
  CompiledRule out;
  out.source = rule.source;
  out.chunk.name = "credit " + rule.decl->name;
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  if (rule.decl->where)
    compiler.select_true(compiler.expr(*rule.decl->where), rule.decl->where->span);
  out.date_reg = compiler.expr(*rule.decl->on);
  if (rule.decl->amount) {
    out.amount_reg = compiler.expr(*rule.decl->amount);
  } else {
    out.amount_reg = out.chunk.add_register(RegType::decimal);
    out.chunk.emit(
        {OpCode::LOAD_FIELD, out.amount_reg, 0, 0, static_cast<std::uint32_t>(rule.amount_field)},
        rule.decl->source_span);
  }
  for (const ast::CreditLine& line : rule.decl->lines) {
    CompiledRule::Line compiled;
    compiled.payee_reg = compiler.expr(*line.payee);
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
  if (aggregate.filter)
    compiler.select_true(compiler.expr(*aggregate.filter), aggregate.filter->span);
  if (aggregate.argument) {
    out.value_reg = compiler.expr(*aggregate.argument);
    if (aggregate.kind == AggregateKind::avg)
      out.value_reg = compiler.as_decimal(out.value_reg, aggregate.argument->span);
    out.value_type = out.chunk.registers[out.value_reg];
  }
  return out;
}

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

}  // namespace

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
