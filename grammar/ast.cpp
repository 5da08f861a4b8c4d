#include "grammar/ast.hpp"

namespace tally::ast {

std::string_view op_spelling(Op op) {
  switch (op) {
    case Op::or_:
      return "or";
    case Op::and_:
      return "and";
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::coalesce:
      return "??";
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::div:
      return "/";
    case Op::neg:
      return "-";
    case Op::not_:
      return "not";
    case Op::none:
      break;
  }
  return "?";
}

}  // namespace tally::ast
