#include "interpreter/runtime/types.hpp"

namespace tally {

namespace {

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::error:
      return "<error>";
    case Kind::boolean:
      return "bool";
    case Kind::integer:
      return "int";
    case Kind::decimal:
      return "decimal";
    case Kind::money:
      return "money";
    case Kind::percent:
      return "percent";
    case Kind::date:
      return "date";
    case Kind::period:
      return "period";
    case Kind::text:
      return "text";
    case Kind::payee:
      return "payee";
    case Kind::territory:
      return "territory";
    case Kind::list:
      return "list";
    case Kind::record:
      return "record";
  }
  return "<error>";
}

}  // namespace

// Currency and element are compared only for the kinds they belong to, so a
// stray field left on another kind cannot make two equal types differ.
bool operator==(const Type& a, const Type& b) {
  if (a.kind != b.kind || a.optional != b.optional) return false;
  if (a.kind == Kind::money) return a.currency == b.currency;
  if (a.kind == Kind::list) {
    if (!a.element || !b.element) return a.element == b.element;
    return *a.element == *b.element;
  }
  return true;
}

// Messages print the currency as `money (USD)` rather than the plan's
// `money<USD>`: it reads as a unit, not as syntax. Built with append rather
// than operator+ chains, which trip g++ 12's false -Wrestrict at -O3.
std::string type_name(const Type& type) {
  std::string name = kind_name(type.kind);
  if (type.kind == Kind::money && !type.currency.empty()) {
    name.append(" (").append(type.currency).append(")");
  }
  if (type.kind == Kind::list && type.element) {
    name.append("<").append(type_name(*type.element)).append(">");
  }
  if (type.optional) name.push_back('?');
  return name;
}

}  // namespace tally
