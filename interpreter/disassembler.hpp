// A readable listing of compiled chunks (`tally disasm PLAN`): registers with
// their types, constants, and one instruction per line with its source line.
#pragma once

#include <string>

#include "grammar/source.hpp"
#include "interpreter/bytecode.hpp"
#include "interpreter/program.hpp"

namespace tally {

std::string disassemble(const Chunk& chunk, const SourceFile* source = nullptr);
std::string disassemble(const Program& program, const SourceFile* source = nullptr);

}  // namespace tally
