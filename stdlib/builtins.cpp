#include "stdlib/builtins.hpp"

namespace tally {

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> table{
      {"round", BuiltinId::round, 2, 3, "2 or 3 arguments: round(x, 0.01, half_even)",
       "x rounded to a multiple of the quantum, with a rounding mode (default: half_even)"},
      {"min", BuiltinId::min, 2, 2, "2 arguments: min(a, b)", "the smaller of two numbers"},
      {"max", BuiltinId::max, 2, 2, "2 arguments: max(a, b)", "the larger of two numbers"},
      {"abs", BuiltinId::abs, 1, 1, "1 argument: abs(x)", "the absolute value"},
      {"period_of", BuiltinId::period_of, 1, 1, "1 argument: period_of(date)",
       "the plan period that contains a date"},
  };
  return table;
}

const Builtin* find_builtin(const std::string& name) {
  for (const Builtin& b : builtins())
    if (name == b.name) return &b;
  return nullptr;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const Builtin& b : builtins()) names.emplace_back(b.name);
  names.insert(names.end(), {"sum", "count", "avg"});
  return names;
}

}  // namespace tally
