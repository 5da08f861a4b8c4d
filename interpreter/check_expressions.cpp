// Typing of expressions: literals, names, members, operators, and the forms
// that handle absence and exceptions (`null`, `??`, `unless`), records and
// `within` windows.
#include <algorithm>
#include <string>

#include "interpreter/bytecode.hpp"
#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"

namespace tally::checking {

namespace {

/// The type of the `null` literal: no kind of its own, optional.
Type null_type() {
  return Type::of(Kind::error).as_optional();
}
bool is_null_literal(const ast::Expr& e) {
  return e.kind == ast::ExprKind::null;
}

}  // namespace

Type Checker::check_node(const ast::Expr& e, Scope& scope) {
  switch (e.kind) {
    case ast::ExprKind::number: {
      const auto value = Decimal::parse(e.text, true);
      if (!value) {
        error(e.span, "`" + e.text + "` is not a number");
        return Type::of(Kind::error);
      }
      const bool integral = e.text.find_first_of(".eE") == std::string::npos;
      if (integral && value->to_int64()) return Type::of(Kind::integer);
      return Type::of(Kind::decimal);
    }
    case ast::ExprKind::percent:
      if (!Decimal::parse(e.text, true)) error(e.span, "`" + e.text + "%` is not a percent");
      return Type::of(Kind::percent);
    case ast::ExprKind::money:
      if (!Decimal::parse(e.text, true)) error(e.span, "`" + e.text + "` is not an amount");
      return Type::money_in(e.unit);
    case ast::ExprKind::date:
      if (!parse_iso_date(e.text)) {
        error(e.span, "`" + e.text + "` is not a valid date");
        return Type::of(Kind::error);
      }
      return Type::of(Kind::date);
    case ast::ExprKind::period:
      return check_period_literal(e);
    case ast::ExprKind::string:
      return Type::of(Kind::text);
    case ast::ExprKind::boolean:
      return Type::of(Kind::boolean);
    case ast::ExprKind::name:
      return check_name(e, scope);
    case ast::ExprKind::member:
      return check_member(e, scope);
    case ast::ExprKind::call:
      return check_call(e, scope);
    case ast::ExprKind::unary: {
      const Type value = operand(*e.args[0], scope);
      const TypeVerdict verdict = unary_type(e.op, value);
      if (!verdict.error.empty()) error(e.span, verdict.error, verdict.hint);
      return verdict.type;
    }
    case ast::ExprKind::binary:
      return check_binary(e, scope);
    case ast::ExprKind::set:
    case ast::ExprKind::range:
      error(e.span,
            std::string(e.kind == ast::ExprKind::set ? "a set" : "a range") +
                " can only be used after `in`",
            "e.g. `deal.state in {\"CA\", \"OR\"}`");
      return Type::of(Kind::error);
    case ast::ExprKind::filter:
      error(
          e.span,
          "`where` filters only apply inside sum(...), count(...), avg(...), min(...) or max(...)");
      return Type::of(Kind::error);
    case ast::ExprKind::null:
      return null_type();
    case ast::ExprKind::record:
      return check_record(e, scope);
    case ast::ExprKind::distinct:
      error(e.span, "`distinct` only applies to the argument of count(...)",
            "write `count(distinct " + (e.args.empty() ? std::string("x") : text_of(*e.args[0])) +
                ")`");
      return Type::of(Kind::error);
    case ast::ExprKind::within:
      return check_within(e, scope);
    case ast::ExprKind::unless:
      return check_unless(e, scope);
  }
  return Type::of(Kind::error);
}

Type Checker::operand(const ast::Expr& e, Scope& scope) {
  const Type t = check(e, scope);
  if (is_null_literal(e)) {
    error(e.span, "`null` is no value to compute with",
          "compare with it (`x == null`), or give a default with `x ?? default`");
    return Type::of(Kind::error);
  }
  if (t.optional && t.kind != Kind::error) {
    error(e.span, "`" + text_of(e) + "` is optional (" + type_name(t) + ") and may be null here",
          "use `" + text_of(e) + " ?? default`");
    return t.as_optional(false);
  }
  return t;
}

bool Checker::same_value_type(const Type& a, const Type& b) const {
  const Type x = a.as_optional(false);
  const Type y = b.as_optional(false);
  return assignable(x, y) || assignable(y, x);
}

Type Checker::check_period_literal(const ast::Expr& e) {
  const bool bare = !e.text.empty() && (e.text[0] == 'Q' || e.text[0] == 'H' || e.text[0] == 'M');
  const auto period =
      parse_period(e.text, m_.calendar, bare ? std::optional<int>(2000) : std::nullopt);
  // In a fiscal plan a year-carrying period must say FY: `2026-Q1` could mean
  // January-March 2026 or the fiscal quarter, and a guess moves money. (Data
  // files may still spell fiscal periods without FY; see docs/calendar.md.)
  const bool ambiguous = m_.calendar.fiscal && !bare && e.text.rfind("FY", 0) != 0;
  if (!period || ambiguous) {
    error(e.span,
          "`" + e.text + "` is not a " + std::string(grain_name(m_.calendar.grain)) +
              " of this plan's " + (m_.calendar.fiscal ? "fiscal" : "calendar") + " year",
          m_.calendar.fiscal ? "fiscal plans write periods like FY2027-Q1"
                             : "calendar plans write periods like 2026-Q1");
    return Type::of(Kind::error);
  }
  return Type::of(Kind::period);
}

Type Checker::check_name(const ast::Expr& e, Scope& scope) {
  ExprInfo& info = m_.info[&e];
  const std::string& name = e.text;
  const bool in_rows = scope.context == Context::row || scope.context == Context::credit;
  if ((in_rows && name == scope.row_name) ||
      (scope.other_source >= 0 && name == scope.other_row_name)) {
    const bool other = !(in_rows && name == scope.row_name);
    const auto fields = field_names(other ? scope.other_source : scope.source);
    info.binding = Binding::row_variable;
    error(e.span, "`" + name + "` is a whole row; use one of its fields",
          "e.g. `" + name + "." + (fields.empty() ? "amount" : fields[0]) + "`");
    return Type::of(Kind::error);
  }
  if (scope.context == Context::credit && name == "credit") {
    info.binding = Binding::credit_variable;
    return Type::of(Kind::record);
  }
  if (scope.context == Context::credit) {
    for (int k = 0; k < ast::kCreditKinds; ++k)
      if (name == ast::credit_kind_name(static_cast<ast::CreditKind>(k))) {
        info.binding = Binding::credit_kind;
        info.index = k;
        return Type::of(Kind::text);
      }
  }
  if (scope.locals) {
    for (const Local& local : *scope.locals) {
      if (local.name != name) continue;
      info.binding = local.binding;
      info.index = local.index;
      if (local.shape) m_.record_shapes[&e] = local.shape;
      return local.type;
    }
  }
  if (scope.context == Context::payee_period) {
    if (name == "payee" || name == "period" || name == "role") {
      const bool bound = name == "period" ? scope.period_bound : scope.payee_bound;
      if (!bound) {
        error(e.span, "`" + name + "` is not known here: this goal has no `" +
                          (name == "period" ? "period" : "payee") + "` key");
        return Type::of(Kind::error);
      }
    }
    if (name == "payee") {
      info.binding = Binding::payee_variable;
      scope.per_payee = true;
      return Type::of(Kind::payee);
    }
    if (name == "period") {
      info.binding = Binding::period;
      scope.per_payee = true;
      return Type::of(Kind::period);
    }
    if (name == "role" && m_.roster_role >= 0) {
      info.binding = Binding::payee_field;
      info.index = m_.roster_role;
      scope.per_payee = true;
      return m_.sources[m_.roster].schema.fields[m_.roster_role].type;
    }
  }
  if (auto it = value_index_.find(name); it != value_index_.end()) {
    const int index = it->second;
    if (scope.session_call && (m_.values[index].per_payee || m_.values[index].decl->is_measure)) {
      value_used_[index] = true;
      error(e.span, "`" + name + "` is a value per payee and period: write " + name + "(" +
                        *scope.session_call + ")");
      return Type::of(Kind::error);
    }
    if (m_.values[index].decl->is_measure && scope.context != Context::payee_period) {
      value_used_[index] = true;
      error(e.span,
            "measure `" + name + "` is computed per payee and period, so it cannot be used here",
            scope.in_test ? "in a test, call it for a payee and a period: `" + name + "(ann, Q1)`"
                          : "");
      return Type::of(Kind::error);
    }
    note_value_use(index, scope);
    const ValueModel& value = m_.values[index];
    if (value.per_payee && scope.context != Context::payee_period) {
      error(e.span, std::string(value.decl->is_measure ? "measure" : "value") + " `" + name +
                        "` is computed per payee and period, so it cannot be used here");
      return Type::of(Kind::error);
    }
    if (value.per_payee) scope.per_payee = true;
    info.binding = Binding::value;
    info.index = index;
    if (value.shape) m_.record_shapes[&e] = value.shape;
    return value.type;
  }
  if (const int table = find_table(name); table >= 0) {
    table_used_[table] = true;
    error(e.span, "`" + name + "` is a table; look a value up with its keys",
          "e.g. `" + name + "(" + (m_.tables[table].decl->keys.empty() ? std::string() : [&] {
            std::string keys;
            for (const auto& k : m_.tables[table].decl->keys) keys += (keys.empty() ? "" : ", ") + k;
            return keys;
          }()) + ")`");
    return Type::of(Kind::error);
  }
  if (const int rates = find_rates(name); rates >= 0) {
    rates_used_[rates] = true;
    error(e.span, "`" + name + "` is a rates table, not a value",
          m_.rates[rates].decl->mode == ast::RatesMode::lookup ? "use `lookup(" + name + ", key)`"
                                                               : "use `apply(" + name + ", x)`");
    return Type::of(Kind::error);
  }
  if (const int function = find_function(name); function >= 0) {
    function_used_[function] = true;
    error(e.span,
          "`" + name + "` is a function; call it with its arguments, e.g. `" + name + "(...)`");
    return Type::of(Kind::error);
  }
  if (parse_rounding_mode(name)) {
    error(e.span,
          "`" + name + "` is a rounding mode; it can only be the last argument of round(...)");
    return Type::of(Kind::error);
  }
  if (scope.session_call &&
      std::any_of(m_.payouts.begin(), m_.payouts.end(),
                  [&](const PayoutModel& p) { return p.decl->name == name; })) {
    error(e.span, "`" + name + "` is a payout per payee and period: write " + name + "(" +
                      *scope.session_call + ")");
    return Type::of(Kind::error);
  }
  std::vector<std::string> candidates;
  for (const auto& [n, i] : value_index_) candidates.push_back(n);
  std::sort(candidates.begin(), candidates.end());
  if (scope.locals)
    for (const Local& local : *scope.locals) candidates.push_back(local.name);
  if (in_rows) candidates.push_back(scope.row_name);
  if (scope.other_source >= 0) candidates.push_back(scope.other_row_name);
  if (scope.context == Context::payee_period) {
    if (scope.payee_bound) candidates.push_back("payee");
    if (scope.period_bound) candidates.push_back("period");
    if (m_.roster_role >= 0 && scope.payee_bound) candidates.push_back("role");
  }
  if (scope.context == Context::credit) candidates.push_back("credit");
  error(e.span, "unknown name `" + name + "`", did_you_mean(name, candidates));
  return Type::of(Kind::error);
}

Type Checker::check_row_field(const ast::Expr& e, int source, Binding binding) {
  ExprInfo& info = m_.info[&e];
  const int field = find_field(source, e.text);
  if (field < 0) {
    error(e.span, "`" + m_.sources[source].schema.name + "` has no field `" + e.text + "`",
          did_you_mean(e.text, field_names(source)));
    return Type::of(Kind::error);
  }
  info.binding = binding;
  info.index = field;
  return m_.sources[source].schema.fields[field].type;
}

Type Checker::check_member(const ast::Expr& e, Scope& scope) {
  const ast::Expr& object = *e.args[0];
  ExprInfo& info = m_.info[&e];
  const bool in_rows = scope.context == Context::row || scope.context == Context::credit;
  if (object.kind == ast::ExprKind::name && in_rows && object.text == scope.row_name) {
    m_.info[&object] = ExprInfo{Type::of(Kind::record), Binding::row_variable, -1};
    return check_row_field(
        e, scope.source,
        scope.context == Context::row ? Binding::row_field : Binding::credit_row_field);
  }
  if (object.kind == ast::ExprKind::name && scope.other_source >= 0 &&
      object.text == scope.other_row_name) {
    m_.info[&object] = ExprInfo{Type::of(Kind::record), Binding::row_variable, -1};
    return check_row_field(e, scope.other_source, Binding::other_row_field);
  }
  if (object.kind == ast::ExprKind::name && scope.context == Context::credit &&
      object.text == "credit") {
    m_.info[&object] = ExprInfo{Type::of(Kind::record), Binding::credit_variable, -1};
    static const std::vector<std::string> attributes{"amount", "share", "kind", "date", "period"};
    const auto it = std::find(attributes.begin(), attributes.end(), e.text);
    if (it == attributes.end()) {
      error(e.span, "a credit has no attribute `" + e.text + "`",
            "credits have amount, share, kind, date and period");
      return Type::of(Kind::error);
    }
    info.binding = Binding::credit_attribute;
    info.index = static_cast<int>(it - attributes.begin());
    switch (static_cast<CreditAttr>(info.index)) {
      case CreditAttr::amount:
        return Type::money_in(credited_currency());
      case CreditAttr::share:
        return Type::of(Kind::percent);
      case CreditAttr::kind:
        return Type::of(Kind::text);
      case CreditAttr::date:
        return Type::of(Kind::date);
      case CreditAttr::period:
        return Type::of(Kind::period);
    }
  }
  if (object.kind == ast::ExprKind::name && scope.context == Context::payee_period &&
      object.text == "payee" && scope.payee_bound && m_.roster >= 0) {
    m_.info[&object] = ExprInfo{Type::of(Kind::payee), Binding::payee_variable, -1};
    scope.per_payee = true;
    const int field = find_field(m_.roster, e.text);
    if (field < 0) {
      error(e.span, "the roster has no field `" + e.text + "`",
            did_you_mean(e.text, field_names(m_.roster)));
      return Type::of(Kind::error);
    }
    info.binding = Binding::payee_field;
    info.index = field;
    return m_.sources[m_.roster].schema.fields[field].type;
  }
  const Type object_type = operand(object, scope);
  if (object_type.kind == Kind::error) return object_type;
  if (object_type.kind == Kind::record) {
    auto shape = m_.record_shapes.find(&object);
    if (shape != m_.record_shapes.end() && shape->second) {
      const auto& fields = shape->second->fields;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].first != e.text) continue;
        info.binding = Binding::record_field;
        info.index = static_cast<int>(i);
        if (i < shape->second->nested.size() && shape->second->nested[i])
          m_.record_shapes[&e] = shape->second->nested[i];
        return fields[i].second;
      }
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.first);
      error(e.span, "the record `" + text_of(object) + "` has no field `" + e.text + "`",
            did_you_mean(e.text, names));
      return Type::of(Kind::error);
    }
  }
  error(object.span,
        "`" + text_of(object) + "` is " + type_name(object_type) + " and has no fields");
  return Type::of(Kind::error);
}

std::string Checker::credited_currency() const {
  for (const auto& rule : m_.rules) {
    if (rule.source < 0) continue;
    if (rule.decl->amount) {
      auto it = m_.info.find(rule.decl->amount.get());
      if (it != m_.info.end() && it->second.type.kind == Kind::money)
        return it->second.type.currency;
    } else if (rule.amount_field >= 0) {
      return m_.sources[rule.source].schema.fields[rule.amount_field].type.currency;
    }
  }
  return m_.currency;
}

Type Checker::check_binary(const ast::Expr& e, Scope& scope) {
  const ast::Expr& left = *e.args[0];
  const ast::Expr& right = *e.args[1];
  if ((e.op == ast::Op::eq || e.op == ast::Op::ne) &&
      (is_null_literal(left) || is_null_literal(right)))
    return check_null_comparison(e, scope);
  if (e.op == ast::Op::coalesce) return check_coalesce(e, scope);
  const Type left_type = operand(left, scope);
  Type right_type;
  if (e.op == ast::Op::in || e.op == ast::Op::not_in) {
    right_type = check_collection(right, scope);
  } else {
    right_type = operand(right, scope);
  }
  const TypeVerdict verdict =
      binary_type(e.op, left_type, right_type, text_of(left), text_of(right));
  if (!verdict.error.empty()) error(e.span, verdict.error, verdict.hint);
  return verdict.type;
}

Type Checker::check_null_comparison(const ast::Expr& e, Scope& scope) {
  const ast::Expr& left = *e.args[0];
  const ast::Expr& right = *e.args[1];
  const ast::Expr& value = is_null_literal(left) ? right : left;
  if (is_null_literal(left)) check(left, scope);
  if (is_null_literal(right)) check(right, scope);
  if (is_null_literal(value)) {
    warning(e.span, "`null " + op_text(e.op) + " null` is always " +
                        (e.op == ast::Op::eq ? "true" : "false"));
    return Type::of(Kind::boolean);
  }
  const Type t = check(value, scope);
  if (t.kind != Kind::error && !t.optional)
    error(
        e.span,
        "`" + text_of(value) + "` is never null: its type is " + type_name(t) + ", not " +
            type_name(t.as_optional()),
        "only optional values (a field declared `" + type_name(t.as_optional()) + "`) can be null");
  return Type::of(Kind::boolean);
}

Type Checker::check_coalesce(const ast::Expr& e, Scope& scope) {
  const ast::Expr& left = *e.args[0];
  const ast::Expr& right = *e.args[1];
  const Type value = check(left, scope);
  const Type fallback = check(right, scope);
  if (is_null_literal(left)) {
    error(left.span, "`null ?? x` is always x", "write the default alone");
    return fallback;
  }
  if (value.kind == Kind::error) return value.as_optional(false);
  if (!value.optional)
    warning(e.span, "`" + text_of(left) + "` is never null (" + type_name(value) + "), so `?? " +
                        text_of(right) + "` has no effect");
  const Type base = value.as_optional(false);
  if (is_null_literal(right)) return base.as_optional();
  if (fallback.kind == Kind::error) return base;
  if (!same_value_type(fallback, base)) {
    error(right.span, "the default after `??` must be " + type_name(base) + " like `" +
                          text_of(left) + "`, found " + type_name(fallback.as_optional(false)));
    return base;
  }
  // The default decides only whether the result can still be null.
  return base.as_optional(fallback.optional);
}

Type Checker::check_collection(const ast::Expr& e, Scope& scope) {
  ExprInfo& info = m_.info[&e];
  if (e.kind != ast::ExprKind::set && e.kind != ast::ExprKind::range) {
    // A list-valued expression: a `list<text>` field, list("named_accounts"), managers(...).
    const Type t = operand(e, scope);
    if (t.kind == Kind::error || t.kind == Kind::list) return t;
    error(e.span,
          "`in` needs a set like {\"CA\", \"OR\"}, a range like 50% .. 100% or a list, found " +
              type_name(t));
    return Type::of(Kind::error);
  }
  Type element = Type::of(Kind::error);
  for (const auto& item : e.args) {
    const ast::Expr* literal = item.get();
    if (literal->kind == ast::ExprKind::unary && literal->op == ast::Op::neg)
      literal = literal->args[0].get();
    const bool constant =
        literal->kind == ast::ExprKind::string || literal->kind == ast::ExprKind::number ||
        literal->kind == ast::ExprKind::percent || literal->kind == ast::ExprKind::money;
    const Type t = check(*item, scope);
    if (!constant) {
      error(item->span,
            "the members of a set or range must be written out (text, numbers, percents or money)");
      continue;
    }
    if (element.kind == Kind::error) {
      element = t;
    } else if (!(element.kind == t.kind && element.currency == t.currency) &&
               !(element.is_numeric() && t.is_numeric() && element.kind != Kind::money &&
                 t.kind != Kind::money)) {
      error(item->span, "a set mixes " + type_name(element) + " and " + type_name(t));
    }
  }
  if (e.kind == ast::ExprKind::range && element.kind != Kind::error && !element.is_numeric())
    error(e.span, "a range needs numbers, percents or money");
  info.type = element.kind == Kind::error && e.args.empty() ? Type::list_of(Type::of(Kind::error))
                                                            : Type::list_of(element);
  return info.type;
}

Type Checker::check_record(const ast::Expr& e, Scope& scope) {
  auto shape = std::make_shared<RecordShape>();
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const std::string name = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    const Type t = check(*e.args[i], scope);
    const bool duplicate = std::any_of(shape->fields.begin(), shape->fields.end(),
                                       [&](const auto& f) { return f.first == name; });
    if (duplicate) {
      error(e.args[i]->span, "field `" + name + "` appears twice in the record");
      continue;
    }
    shape->fields.emplace_back(name, is_null_literal(*e.args[i]) ? Type::of(Kind::error) : t);
    const auto inner = m_.record_shapes.find(e.args[i].get());
    shape->nested.push_back(inner == m_.record_shapes.end() ? nullptr : inner->second);
  }
  m_.record_shapes[&e] = std::move(shape);
  return Type::of(Kind::record);
}

Type Checker::check_within(const ast::Expr& e, Scope& scope) {
  // `X within N days of D`: an optional X is allowed, a null X is not within.
  if (e.args.size() != 3) return Type::of(Kind::error);
  const Type when = check(*e.args[0], scope);
  const Type count = operand(*e.args[1], scope);
  const Type anchor = operand(*e.args[2], scope);
  if (when.kind != Kind::error && when.kind != Kind::date)
    error(e.args[0]->span, "`within` needs a date before it, found " + type_name(when));
  if (count.kind != Kind::error && count.kind != Kind::integer)
    error(e.args[1]->span, "the length of a `within` window must be a whole number of " + e.unit +
                               ", found " + type_name(count));
  else if (e.args[1]->kind == ast::ExprKind::number) {
    const auto n = Decimal::parse(e.args[1]->text, true);
    if (n && n->sign() <= 0)
      error(e.args[1]->span, "a `within` window must be longer than 0 " + e.unit);
  }
  if (anchor.kind != Kind::error && anchor.kind != Kind::date)
    error(e.args[2]->span, "`within ... of` needs a date after `of`, found " + type_name(anchor));
  if (e.unit != "days" && e.unit != "months")
    error(e.span, "a `within` window is counted in days or months, found `" + e.unit + "`");
  return Type::of(Kind::boolean);
}

Type Checker::check_unless(const ast::Expr& e, Scope& scope) {
  // args: default, then (condition, value) pairs; later exceptions win, so
  // every value must have the default's type.
  const ast::Expr& fallback = *e.args[0];
  Type result = check(fallback, scope);
  bool optional = result.optional;
  const ast::Expr* typed = is_null_literal(fallback) ? nullptr : &fallback;
  for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
    expect_kind(*e.args[i], scope, Kind::boolean, "the condition after `unless`");
    const ast::Expr& value = *e.args[i + 1];
    const Type t = check(value, scope);
    optional = optional || t.optional;
    if (is_null_literal(value) || t.kind == Kind::error) continue;
    if (!typed) {
      typed = &value;
      result = t;
      continue;
    }
    if (result.kind == Kind::error) continue;
    if (!same_value_type(t, result)) {
      error(value.span,
            "this exception gives " + type_name(t.as_optional(false)) + " but the default `" +
                text_of(fallback) + "` gives " + type_name(result.as_optional(false)),
            "every value of an `unless` has the type of its default");
      continue;
    }
    if (t.kind != result.kind)  // int, decimal and percent mix like `+` does
      result =
          binary_type(ast::Op::add, result.as_optional(false), t.as_optional(false), "", "").type;
  }
  if (e.args.size() % 2 == 0)
    error(e.span, "an `unless` needs `then` and a value after its condition");
  if (!typed) return null_type();
  return result.as_optional(optional);
}

}  // namespace tally::checking
