// A readable listing of compiled chunks (`tally disasm PLAN`): registers with
// their types, constants, and one instruction per line with its source line.
#pragma once

#include <string>

#include "grammar/ast.hpp"
#include "interpreter/bytecode.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// With `plan`, each instruction ends with the plan file and line it came from.
std::string disassemble(const Chunk& chunk, const ast::Plan* plan = nullptr);
std::string disassemble(const Program& program, const ast::Plan* plan = nullptr);

}  // namespace tally
