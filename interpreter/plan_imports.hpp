// Bringing a plan's `import "PATH"` files into it, under the host's import
// policy (tally::CompileOptions): from files, from a resolver, or not at all.
#pragma once

#include <string>

#include "grammar/ast.hpp"
#include "interpreter/runtime/result.hpp"
#include "tally/tally.hpp"

namespace tally {

/// The text of the plan file `path`; on failure empty, with `problem` set to
/// what went wrong ("cannot open x.tally: No such file or directory").
std::string read_plan_file(const std::string& path, std::string& problem);

/// Reads, parses and merges every file `plan` imports (and they import),
/// each once. The imported declarations join the plan as if written in it;
/// their spans are moved to an offset range of their own, so every message
/// still names the right file and line. Under ImportPolicy::files a path is
/// relative to the importing file; under `resolver` the host's function gets
/// the path as written and no file is read; under `refuse` every import is
/// an error. A path "stdlib/NAME" is a module of the standard library
/// (stdlib/builtins.hpp): text compiled into the library, imported under
/// every policy, its messages naming "stdlib/NAME" and the line.
Errors resolve_imports(ast::Plan& plan, const CompileOptions& options);

}  // namespace tally
