#include "interpreter/type_rules.hpp"

namespace tally {

namespace {

/// "an int", "a decimal": the article English wants before a type name.
std::string with_article(const std::string& name) {
  const bool vowel = !name.empty() && std::string("aeiou").find(name[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + name;
}

bool is_ratio(const Type& t) {
  return t.kind == Kind::decimal || t.kind == Kind::percent;
}
bool is_plain_number(const Type& t) {
  return t.kind == Kind::integer || is_ratio(t);
}
bool is_textual(const Type& t) {
  return t.kind == Kind::text || t.kind == Kind::payee || t.kind == Kind::territory;
}

TypeVerdict ok(Type type) {
  return TypeVerdict{std::move(type), {}, {}};
}
TypeVerdict fail(std::string error, std::string hint = {}) {
  return TypeVerdict{Type::of(Kind::error), std::move(error), std::move(hint)};
}

/// The result of mixing two plain numbers: int with int stays int, a percent
/// anywhere makes a percent, otherwise decimal.
Type mixed_number(const Type& a, const Type& b) {
  if (a.kind == Kind::integer && b.kind == Kind::integer) return Type::of(Kind::integer);
  if (a.kind == Kind::percent || b.kind == Kind::percent) return Type::of(Kind::percent);
  return Type::of(Kind::decimal);
}

std::string unit_name(const Type& t) {
  if (t.kind == Kind::money) return t.currency.empty() ? "money" : t.currency + " money";
  return type_name(t);
}

TypeVerdict additive(ast::Op op, const Type& a, const Type& b, const std::string& at,
                     const std::string& bt) {
  const bool add = op == ast::Op::add;
  const std::string verb = add ? "add" : "subtract";
  if (is_plain_number(a) && is_plain_number(b)) return ok(mixed_number(a, b));
  if (a.kind == Kind::money && b.kind == Kind::money) {
    if (a.currency != b.currency)
      return fail(
          "cannot " + verb + " " + a.currency + " and " + b.currency + " without a conversion",
          "convert one side first, e.g. convert(" + bt + ", to: " + a.currency + ", on: date)");
    return ok(a);
  }
  if (a.kind == Kind::date && b.kind == Kind::integer) return ok(a);
  if (add && a.kind == Kind::integer && b.kind == Kind::date) return ok(b);
  if (!add && a.kind == Kind::date && b.kind == Kind::date) return ok(Type::of(Kind::integer));
  if ((a.kind == Kind::money && b.kind == Kind::percent) ||
      (a.kind == Kind::percent && b.kind == Kind::money)) {
    const std::string& money_text = a.kind == Kind::money ? at : bt;
    const std::string& percent_text = a.kind == Kind::money ? bt : at;
    return fail("money and percent cannot be " + std::string(add ? "added" : "subtracted"),
                "did you mean `" + money_text + " * " + percent_text + "`?");
  }
  if (a.kind == Kind::money && is_plain_number(b))
    return fail("cannot " + verb + " " + unit_name(a) + " and a plain " + type_name(b),
                "write the number with its currency, e.g. `" + bt + " " + a.currency + "`");
  if (b.kind == Kind::money && is_plain_number(a))
    return fail("cannot " + verb + " a plain " + type_name(a) + " and " + unit_name(b),
                "write the number with its currency, e.g. `" + at + " " + b.currency + "`");
  return fail("cannot " + verb + " " + type_name(a) + " and " + type_name(b));
}

TypeVerdict multiplicative(const Type& a, const Type& b) {
  if (is_plain_number(a) && is_plain_number(b)) return ok(mixed_number(a, b));
  if (a.kind == Kind::money && is_plain_number(b)) return ok(a);
  if (b.kind == Kind::money && is_plain_number(a)) return ok(b);
  if (a.kind == Kind::money && b.kind == Kind::money)
    return fail("cannot multiply money by money", "multiply money by a rate or a count");
  return fail("cannot multiply " + type_name(a) + " by " + type_name(b));
}

TypeVerdict division(const Type& a, const Type& b) {
  // int / int is a decimal: division never truncates.
  if (is_plain_number(a) && is_plain_number(b)) {
    if (a.kind == Kind::percent && b.kind != Kind::percent) return ok(Type::of(Kind::percent));
    return ok(Type::of(Kind::decimal));
  }
  if (a.kind == Kind::money && b.kind == Kind::money) {
    if (a.currency != b.currency)
      return fail("cannot divide " + a.currency + " by " + b.currency + " without a conversion");
    return ok(Type::of(Kind::decimal));  // a ratio; usable as a percent
  }
  if (a.kind == Kind::money && is_plain_number(b)) return ok(a);
  if (b.kind == Kind::money)
    return fail("cannot divide " + with_article(type_name(a)) + " by money");
  return fail("cannot divide " + type_name(a) + " by " + type_name(b));
}

TypeVerdict comparison(ast::Op op, const Type& a, const Type& b) {
  const bool equality = op == ast::Op::eq || op == ast::Op::ne;
  const Type result = Type::of(Kind::boolean);
  if (is_plain_number(a) && is_plain_number(b)) return ok(result);
  if (a.kind == Kind::money && b.kind == Kind::money) {
    if (a.currency != b.currency)
      return fail("cannot compare " + a.currency + " with " + b.currency + " without a conversion");
    return ok(result);
  }
  if (a.kind == Kind::date && b.kind == Kind::date) return ok(result);
  if (a.kind == Kind::period && b.kind == Kind::period) return ok(result);
  if (is_textual(a) && is_textual(b)) {
    if (!equality) return fail("text can only be compared with == and !=");
    return ok(result);
  }
  if (a.kind == Kind::boolean && b.kind == Kind::boolean && equality) return ok(result);
  if ((a.kind == Kind::money && is_plain_number(b)) ||
      (b.kind == Kind::money && is_plain_number(a)))
    return fail("cannot compare money with a plain " + type_name(a.kind == Kind::money ? b : a),
                "write the amount with its currency, e.g. `50_000 USD`");
  return fail("cannot compare " + type_name(a) + " with " + type_name(b));
}

TypeVerdict membership(const Type& a, const Type& set) {
  // The right side is a set literal or a range; the checker passes the
  // element type as `set` (a list of it).
  const Type element = set.element ? *set.element : Type::of(Kind::error);
  if (element.kind == Kind::error) return ok(Type::of(Kind::boolean));  // empty set
  if (is_textual(a) && is_textual(element)) return ok(Type::of(Kind::boolean));
  if (is_plain_number(a) && is_plain_number(element)) return ok(Type::of(Kind::boolean));
  if (a.kind == Kind::money && element.kind == Kind::money && a.currency == element.currency)
    return ok(Type::of(Kind::boolean));
  return fail("cannot look for " + with_article(type_name(a)) + " in a set of " +
              type_name(element));
}

}  // namespace

TypeVerdict binary_type(ast::Op op, const Type& left, const Type& right,
                        const std::string& left_text, const std::string& right_text) {
  if (left.kind == Kind::error || right.kind == Kind::error) return ok(Type::of(Kind::error));
  switch (op) {
    case ast::Op::add:
    case ast::Op::sub:
      return additive(op, left, right, left_text, right_text);
    case ast::Op::mul:
      return multiplicative(left, right);
    case ast::Op::div:
      return division(left, right);
    case ast::Op::eq:
    case ast::Op::ne:
    case ast::Op::lt:
    case ast::Op::le:
    case ast::Op::gt:
    case ast::Op::ge:
      return comparison(op, left, right);
    case ast::Op::in:
    case ast::Op::not_in:
      return membership(left, right);
    case ast::Op::and_:
    case ast::Op::or_:
      if (left.kind != Kind::boolean || right.kind != Kind::boolean)
        return fail("`" + op_text(op) + "` needs true/false on both sides, found " +
                    type_name(left) + " and " + type_name(right));
      return ok(Type::of(Kind::boolean));
    default:
      return fail("unknown operator");
  }
}

TypeVerdict unary_type(ast::Op op, const Type& operand) {
  if (operand.kind == Kind::error) return ok(operand);
  if (op == ast::Op::not_) {
    if (operand.kind != Kind::boolean)
      return fail("`not` needs true/false, found " + type_name(operand));
    return ok(operand);
  }
  if (operand.is_numeric()) return ok(operand);
  return fail("cannot negate " + with_article(type_name(operand)));
}

bool assignable(const Type& from, const Type& to) {
  if (from.kind == Kind::error || to.kind == Kind::error) return true;
  if (from == to) return true;
  if (from.kind == Kind::integer && is_ratio(to)) return true;
  if (is_ratio(from) && is_ratio(to)) return true;
  if (from.kind == Kind::text && to.kind == Kind::payee) return true;
  return false;
}

std::string op_text(ast::Op op) {
  return std::string(ast::op_spelling(op));
}

}  // namespace tally
