#include "interpreter/chunk_compiler.hpp"

#include "interpreter/compiler.hpp"

namespace tally {

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

std::uint16_t ChunkCompiler::expr(const ast::Expr& e) {
  // a given constant, or the expression's register recorded
  const bool preset = given && given->count(&e);
  const auto reg = preset ? constant(given->at(&e), e.span) : compile_expr(e);
  if (trace) (*trace)[&e] = reg;
  return reg;
}

std::uint16_t ChunkCompiler::compile_expr(const ast::Expr& e) {
  const ExprInfo& info = m_.info_of(e);
  if (info.type.kind == Kind::record) {
    // A record has no register of its own: its fields do (see record()),
    // and only field reads and fn arguments use it. Compile it for its
    // errors and give a placeholder.
    record(e);
    return c_.add_register(RegType::boolean);
  }
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
      if (info.binding == Binding::record_field) {
        const RecordPtr object = record(*e.args[0]);
        if (!object) return not_yet(e.span, "this record field", info.type);
        return object->fields[static_cast<std::size_t>(info.index)];
      }
      return load(info, e.span);
    case ast::ExprKind::call:
      return call(e, info);
    case ast::ExprKind::unary:
      return unary(e, info);
    case ast::ExprKind::binary:
      return binary(e, info);
    case ast::ExprKind::unless:
      return exceptions(e, info);
    case ast::ExprKind::within:
      return within(e);
    case ast::ExprKind::set:
    case ast::ExprKind::range:
    case ast::ExprKind::filter:
      break;  // compiled by their users (`in`, aggregates)
    default:
      return not_yet(e.span, "this kind of expression", info.type);
  }
  return 0;
}

std::uint16_t ChunkCompiler::constant(Constant value, Span span) {
  const auto reg = c_.add_register(value.type);
  c_.constants.push_back(std::move(value));
  c_.emit({OpCode::CONST, reg, 0, 0, static_cast<std::uint32_t>(c_.constants.size() - 1)}, span);
  return reg;
}

/// `reg` as a decimal register, widening an integer.
std::uint16_t ChunkCompiler::as_decimal(std::uint16_t reg, Span span) {
  if (c_.registers[reg] != RegType::integer) return reg;
  const auto out = c_.add_register(RegType::decimal);
  c_.emit({OpCode::INT_TO_DEC, out, reg, 0, 0}, span);
  return out;
}

std::uint16_t ChunkCompiler::op3(OpCode op, RegType type, std::uint16_t a, std::uint16_t b,
                                 Span span, std::uint32_t k) {
  const auto out = c_.add_register(type);
  c_.emit({op, out, a, b, k}, span);
  return out;
}

void ChunkCompiler::select_true(std::uint16_t reg, Span span) {
  c_.emit({OpCode::SELECT_TRUE, 0, reg, 0, 0}, span);
}

void ChunkCompiler::select_where(const ast::Expr& condition) {
  // The same lanes, and b runs on the same ones, as SELECT_TRUE of `a and b`
  // (which runs b only where a is true); the `and` itself, its SELECT_POP
  // and the final SELECT over the lanes before a are left out: the 10M-row
  // workload's `count(credit where a and b and c)` ran them on every credit.
  if (condition.kind == ast::ExprKind::binary && condition.op == ast::Op::and_) {
    select_where(*condition.args[0]);
    select_where(*condition.args[1]);
    return;
  }
  const auto flag = expr(condition);
  // Explain reads every expression's register (`trace`): they stay.
  if (!trace && select_on_text_constant(flag, condition.span)) return;
  select_true(flag, condition.span);
}

bool ChunkCompiler::select_on_text_constant(std::uint16_t flag, Span span) {
  std::vector<Instr>& code = c_.code;
  if (code.size() < 2) return false;
  const Instr test = code.back();
  if (test.op != OpCode::CMP_SYM || test.d != flag || test.k > 1) return false;
  // The literal's CONST comes just before the comparison, or before the
  // other side's one instruction; nothing else reads its fresh register.
  for (std::size_t back = 2; back <= 3 && back <= code.size(); ++back) {
    const std::size_t at = code.size() - back;
    const Instr literal = code[at];
    if (literal.op != OpCode::CONST || (literal.d != test.a && literal.d != test.b)) continue;
    const std::uint16_t other = literal.d == test.a ? test.b : test.a;
    if (other == literal.d || c_.constants[literal.k].type != RegType::symbol) return false;
    for (std::size_t pc = at + 1; pc + 1 < code.size(); ++pc)
      if (code[pc].a == literal.d || code[pc].b == literal.d) return false;
    code.pop_back();
    c_.spans.pop_back();
    code.erase(code.begin() + static_cast<std::ptrdiff_t>(at));
    c_.spans.erase(c_.spans.begin() + static_cast<std::ptrdiff_t>(at));
    c_.emit({test.k == 0 ? OpCode::SELECT_SYM_EQ : OpCode::SELECT_SYM_NE, 0, other, 0, literal.k},
            span);
    return true;
  }
  return false;
}

void ChunkCompiler::select_pop(Span span) {
  c_.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, span);
}

/// Records a construct the engine cannot run yet; returns a placeholder
/// register so that compilation can go on and report the others.
std::uint16_t ChunkCompiler::not_yet(Span span, std::string what, const Type& type) {
  if (unsupported_) unsupported_->push_back(Unsupported{span, std::move(what)});
  return c_.add_register(reg_type_of(type));
}

std::uint16_t ChunkCompiler::literal(const ast::Expr& e, const Type& type) {
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

std::uint16_t ChunkCompiler::name(const ast::Expr& e, const ExprInfo& info) {
  if (info.binding == Binding::fn_parameter && !arguments_.empty())
    return arguments_.back()[static_cast<std::size_t>(info.index)].reg;
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

std::uint16_t ChunkCompiler::load(const ExprInfo& info, Span span) {
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
    case Binding::other_row_field:  // `t.se` of a `territories from` map row
      c_.emit({OpCode::LOAD_PAIR_FIELD, reg, 1, 0, k}, span);
      break;
    default:
      return not_yet(span, "this name", info.type);
  }
  return reg;
}

/// A call of a plan's `fn`: functions are pure and never recursive (the
/// checker proves it), so the body is compiled in place with its
/// parameters bound to the argument registers.
std::uint16_t ChunkCompiler::inline_call(const ast::Expr& e, const ExprInfo& info) {
  const FunctionModel& function = m_.functions[static_cast<std::size_t>(info.index)];
  auto arguments = bind_arguments(e, function);
  if (!arguments) return not_yet(e.span, "this record argument", info.type);
  arguments_.push_back(std::move(*arguments));
  auto result = expr(*function.decl->body);
  arguments_.pop_back();
  if (reg_type_of(info.type) == RegType::decimal) result = as_decimal(result, e.span);
  return result;
}

/// `E0 unless C1 then E1 unless C2 then E2 ...`: start from the default,
/// then each exception, in order, overwrites the lanes where its condition
/// holds, so a later (more specific) exception wins. A value is computed
/// only on the lanes that take it.
std::uint16_t ChunkCompiler::exceptions(const ast::Expr& e, const ExprInfo& info) {
  const RegType type = reg_type_of(info.type);
  const auto result = c_.add_register(type);
  // An `int` value may come out in a decimal register (`round(7, 1)`, `min`);
  // the MOVEs of such an `unless` are then made decimal below, as a MOVE
  // between registers of two types would read the wrong lanes.
  std::vector<std::size_t> moves;
  bool widened = false;
  auto assign = [&](const ast::Expr& value) {
    auto reg = expr(value);
    if (type == RegType::decimal) reg = as_decimal(reg, value.span);
    widened = widened || c_.registers[reg] != type;
    moves.push_back(c_.code.size());
    c_.emit({OpCode::MOVE, result, reg, 0, 0}, value.span);
  };
  assign(*e.args[0]);
  for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
    const auto condition = expr(*e.args[i]);
    select_true(condition, e.args[i]->span);
    assign(*e.args[i + 1]);
    select_pop(e.args[i]->span);
  }
  if (widened && type == RegType::integer) {
    c_.registers[result] = RegType::decimal;
    for (std::size_t at : moves)
      if (c_.registers[c_.code[at].a] == RegType::integer) c_.code[at].op = OpCode::INT_TO_DEC;
  }
  return result;
}

std::uint16_t ChunkCompiler::unary(const ast::Expr& e, const ExprInfo& info) {
  const auto a = expr(*e.args[0]);
  if (e.op == ast::Op::not_) return op3(OpCode::NOT, RegType::boolean, a, 0, e.span);
  if (c_.registers[a] == RegType::integer && info.type.kind == Kind::integer)
    return op3(OpCode::NEG_INT, RegType::integer, a, 0, e.span);
  return op3(OpCode::NEG_DEC, RegType::decimal, as_decimal(a, e.span), 0, e.span);
}

std::uint16_t ChunkCompiler::binary(const ast::Expr& e, const ExprInfo& info) {
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
      return op3(e.op == ast::Op::and_ ? OpCode::AND : OpCode::OR, RegType::boolean, a, b, e.span);
    }
    case ast::Op::coalesce:
      return coalesce(e, info);
    case ast::Op::in:
    case ast::Op::not_in: {
      if (right.kind != ast::ExprKind::set && right.kind != ast::ExprKind::range) {
        const auto out = list_membership(expr(left), right, e.span, info.type);
        if (e.op == ast::Op::not_in) return op3(OpCode::NOT, RegType::boolean, out, 0, e.span);
        return out;
      }
      const auto a = expr(left);
      const auto out = membership(a, right, e.span);
      if (e.op == ast::Op::not_in) return op3(OpCode::NOT, RegType::boolean, out, 0, e.span);
      return out;
    }
    default:
      break;
  }
  if ((e.op == ast::Op::eq || e.op == ast::Op::ne) &&
      (left.kind == ast::ExprKind::null || right.kind == ast::ExprKind::null)) {
    const auto flag = null_flag(left.kind == ast::ExprKind::null ? right : left);
    return e.op == ast::Op::eq ? flag : op3(OpCode::NOT, RegType::boolean, flag, 0, e.span);
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

std::uint16_t ChunkCompiler::membership(std::uint16_t value, const ast::Expr& collection,
                                        Span span) {
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

/// `x ?? d`: x where it has a value, d on the lanes where x is null (d is
/// computed only there).
std::uint16_t ChunkCompiler::coalesce(const ast::Expr& e, const ExprInfo& info) {
  const RegType type = reg_type_of(info.type);
  const auto result = c_.add_register(type);
  auto assign = [&](std::uint16_t reg, Span span) {
    if (type == RegType::decimal) reg = as_decimal(reg, span);
    c_.emit({OpCode::MOVE, result, reg, 0, 0}, span);
  };
  assign(expr(*e.args[0]), e.args[0]->span);
  select_true(null_flag(*e.args[0]), e.span);
  assign(expr(*e.args[1]), e.args[1]->span);
  select_pop(e.span);
  return result;
}

std::uint16_t ChunkCompiler::null_flag(const ast::Expr& e) {
  const ExprInfo& info = m_.info_of(e);
  auto boolean = [&](bool value) {
    Constant c;
    c.type = RegType::boolean;
    c.boolean = value;
    return constant(std::move(c), e.span);
  };
  if (e.kind == ast::ExprKind::null) return boolean(true);
  if (!info.type.optional) return boolean(false);
  std::uint16_t from = 0;
  switch (info.binding) {
    case Binding::row_field:
      from = 0;
      break;
    case Binding::credit_row_field:
      from = 1;
      break;
    case Binding::payee_field:
      from = 2;
      break;
    default:
      if (e.kind == ast::ExprKind::binary && e.op == ast::Op::coalesce)
        return op3(OpCode::AND, RegType::boolean, null_flag(*e.args[0]), null_flag(*e.args[1]),
                   e.span);
      if (e.kind == ast::ExprKind::unless) {
        const auto flag = c_.add_register(RegType::boolean);
        c_.emit({OpCode::MOVE, flag, null_flag(*e.args[0]), 0, 0}, e.span);
        for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
          select_true(expr(*e.args[i]), e.args[i]->span);
          c_.emit({OpCode::MOVE, flag, null_flag(*e.args[i + 1]), 0, 0}, e.args[i + 1]->span);
          select_pop(e.args[i]->span);
        }
        return flag;
      }
      return not_yet(e.span, "a value that may be null here", Type::of(Kind::boolean));
  }
  return op3(OpCode::IS_NULL_FIELD, RegType::boolean, from, 0, e.span,
             static_cast<std::uint32_t>(info.index));
}

ChunkCompiler::RecordPtr ChunkCompiler::record(const ast::Expr& e) {
  const ExprInfo& info = m_.info_of(e);
  auto field_value = [&](const ast::Expr& item, RecordValue& out) {
    if (m_.info_of(item).type.kind == Kind::record) {
      out.nested.push_back(record(item));
      out.fields.push_back(0);
      return out.nested.back() != nullptr;
    }
    auto reg = expr(item);
    if (reg_type_of(m_.info_of(item).type) == RegType::decimal) reg = as_decimal(reg, item.span);
    out.nested.push_back(nullptr);
    out.fields.push_back(reg);
    return true;
  };
  switch (e.kind) {
    case ast::ExprKind::record: {
      auto out = std::make_shared<RecordValue>();
      for (const auto& item : e.args)
        if (!field_value(*item, *out)) return nullptr;
      return out;
    }
    case ast::ExprKind::name:
      if (info.binding == Binding::fn_parameter && !arguments_.empty())
        return arguments_.back()[static_cast<std::size_t>(info.index)].record;
      if (info.binding == Binding::value) {
        if (auto it = record_values_.find(info.index); it != record_values_.end())
          return it->second;
        auto value = record(*m_.values[static_cast<std::size_t>(info.index)].decl->value);
        record_values_[info.index] = value;
        return value;
      }
      break;
    case ast::ExprKind::member:
      if (info.binding == Binding::record_field) {
        const RecordPtr object = record(*e.args[0]);
        if (!object) return nullptr;
        return object->nested[static_cast<std::size_t>(info.index)];
      }
      break;
    case ast::ExprKind::call:
      if (info.binding == Binding::fn_call) {
        const FunctionModel& function = m_.functions[static_cast<std::size_t>(info.index)];
        auto arguments = bind_arguments(e, function);
        if (!arguments) return nullptr;
        arguments_.push_back(std::move(*arguments));
        auto result = record(*function.decl->body);
        arguments_.pop_back();
        return result;
      }
      break;
    default:
      break;
  }
  not_yet(e.span, "this kind of record value", Type::of(Kind::boolean));
  return nullptr;
}

ChunkCompiler::RecordPtr ChunkCompiler::reshape(const RecordPtr& value, const RecordShape* from,
                                                const RecordShape* to) {
  if (!value || !from || !to) return value;
  auto out = std::make_shared<RecordValue>();
  for (std::size_t i = 0; i < to->fields.size(); ++i) {
    std::size_t j = 0;
    while (j < from->fields.size() && from->fields[j].first != to->fields[i].first) ++j;
    if (j == from->fields.size() || j >= value->fields.size()) return nullptr;
    const RecordShape* inner_from = j < from->nested.size() ? from->nested[j].get() : nullptr;
    const RecordShape* inner_to = i < to->nested.size() ? to->nested[i].get() : nullptr;
    out->fields.push_back(value->fields[j]);
    out->nested.push_back(value->nested[j] ? reshape(value->nested[j], inner_from, inner_to)
                                           : nullptr);
  }
  return out;
}

std::optional<std::vector<ChunkCompiler::Argument>> ChunkCompiler::bind_arguments(
    const ast::Expr& call, const FunctionModel& function) {
  std::vector<Argument> arguments;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const ast::Expr& given = *call.args[i];
    Argument argument;
    if (i < function.params.size() && function.params[i].kind == Kind::record) {
      auto shape = m_.record_shapes.find(&given);
      argument.record =
          reshape(record(given), shape == m_.record_shapes.end() ? nullptr : shape->second.get(),
                  function.param_shapes[i].get());
      if (!argument.record) return std::nullopt;
    } else {
      argument.reg = expr(given);
      if (i < function.params.size() && reg_type_of(function.params[i]) == RegType::decimal)
        argument.reg = as_decimal(argument.reg, given.span);
    }
    arguments.push_back(std::move(argument));
  }
  return arguments;
}

}  // namespace tally
