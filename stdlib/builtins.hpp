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

/// Library functions the checker types but the engine cannot run yet. They
/// live apart from BuiltinId so that the compiler, which handles every
/// BuiltinId, refuses them by name instead of running them wrongly; a
/// function moves to BuiltinId when the VM learns it.
enum class LibraryId {
  apply,
  tier_of,
  lookup,  // rates tables
  allocate,
  rollup,  // goals
  months_employed,
  days_between,
  add_months,
  year,
  quarter,
  month,
  days_in,
  prorate,  // dates
  upper,
  lower,
  starts_with,
  contains,  // text
  list,
  territory,
  owner,
  managers,  // sources, territories, hierarchy
  convert,   // money through an FX source
  ytd,
  qtd,
  to_date,  // cumulative measures
  clamp,
  forecast,  // a measure's trend over the earlier periods (stdlib/kpi_forecast.hpp)
};

struct LibraryFunction {
  const char* name;
  LibraryId id;
  int min_args;  ///< positional and named arguments together
  int max_args;
  std::vector<const char*> named;  ///< the named arguments it accepts (`base`, `levels`, ...)
  const char* signature;           ///< for messages: "apply(rates, x[, base: b])"
  const char* summary;
};

/// The library function called `name`, or nullptr.
const LibraryFunction* find_library_function(const std::string& name);
/// The whole library table, in documentation order.
const std::vector<LibraryFunction>& library_functions();

/// A module of the standard library: Tally text a plan brings in with
/// `import "stdlib/NAME"`. Its text is compiled into the library, so
/// importing it reads no file (and works where file imports are refused).
struct StdlibModule {
  const char* name;  ///< "kpi", imported as "stdlib/kpi"
  const char* text;  ///< the module's declarations, in Tally
};

/// Every module of the standard library, in documentation order.
const std::vector<StdlibModule>& stdlib_modules();
/// The module called `name` ("kpi"), or nullptr.
const StdlibModule* find_stdlib_module(const std::string& name);

/// The builtin called `name`, or nullptr.
const Builtin* find_builtin(const std::string& name);
/// Every builtin's and library function's name, for "did you mean" hints.
std::vector<std::string> builtin_names();
/// The whole table, in documentation order.
const std::vector<Builtin>& builtins();

}  // namespace tally
