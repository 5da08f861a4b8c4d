// The native functions of the standard library that plans can call. The
// checker types calls against this table and the compiler turns each into
// VM instructions; adding a function starts here.
#pragma once

#include <string>
#include <vector>

namespace tally {

enum class BuiltinId { round, min, max, abs, period_of };

struct Builtin {
  const char* name;
  BuiltinId id;
  int min_args;
  int max_args;
  const char* signature;  ///< for messages: "2 or 3 arguments: round(x, 0.01, half_even)"
  const char* summary;    ///< one line for docs and the REPL
};

/// The builtin called `name`, or nullptr.
const Builtin* find_builtin(const std::string& name);
/// Every builtin's name, for "did you mean" hints.
std::vector<std::string> builtin_names();
/// The whole table, in documentation order.
const std::vector<Builtin>& builtins();

}  // namespace tally
