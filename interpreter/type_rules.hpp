// The type and unit rules of the language's operators (LANGUAGE.md §1):
// what `money * percent`, `int / int` or `USD + EUR` give, and the message
// when an operation makes no sense.
#pragma once

#include <string>

#include "grammar/ast.hpp"
#include "interpreter/runtime/types.hpp"

namespace tally {

struct TypeVerdict {
  Type type;          ///< the result, when `error` is empty
  std::string error;  ///< what is wrong, in the user's terms
  std::string hint;   ///< a suggestion, or empty
};

/// The result of `left op right` for an arithmetic, comparison or logic
/// operator. `left_text` and `right_text` are the operands as written, used
/// in hints ("did you mean `bookings * 10%`?").
TypeVerdict binary_type(ast::Op op, const Type& left, const Type& right,
                        const std::string& left_text, const std::string& right_text);

/// The result of a prefix `-` or `not`.
TypeVerdict unary_type(ast::Op op, const Type& operand);

/// Whether a value of type `from` may be used where `to` is declared
/// (identical types, int where decimal is expected, decimal where percent is
/// expected and back: a ratio is a ratio).
bool assignable(const Type& from, const Type& to);

/// The operator as written in a plan ("+", "==", "not in").
std::string op_text(ast::Op op);

}  // namespace tally
