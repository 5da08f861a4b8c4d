#include "interpreter/disassembler.hpp"

#include <cstdio>
#include <sstream>

namespace tally {

std::string_view opcode_name(OpCode op) {
  switch (op) {
#define TALLY_OP(name, operands, effect) \
  case OpCode::name:                     \
    return #name;
#include "interpreter/opcodes.def"
#undef TALLY_OP
  }
  return "?";
}

std::string_view opcode_operands(OpCode op) {
  switch (op) {
#define TALLY_OP(name, operands, effect) \
  case OpCode::name:                     \
    return operands;
#include "interpreter/opcodes.def"
#undef TALLY_OP
  }
  return "";
}

namespace {

std::string constant_text(const Constant& c) {
  switch (c.type) {
    case RegType::boolean:
      return c.boolean ? "true" : "false";
    case RegType::integer:
      return std::to_string(c.integer);
    case RegType::decimal:
      return c.decimal.to_string();
    case RegType::date:
      return format_date(c.date);
    case RegType::period:
      return c.period.year == 0
                 ? "(any year) #" + std::to_string(c.period.index)
                 : std::to_string(c.period.year) + " #" + std::to_string(c.period.index);
    case RegType::symbol:
      return "\"" + c.text + "\"";
  }
  return "?";
}

}  // namespace

std::string_view reg_type_name(RegType type) {
  switch (type) {
    case RegType::boolean:
      return "bool";
    case RegType::integer:
      return "int";
    case RegType::decimal:
      return "decimal";
    case RegType::date:
      return "date";
    case RegType::period:
      return "period";
    case RegType::symbol:
      return "symbol";
  }
  return "?";
}

std::string disassemble(const Chunk& chunk, const ast::Plan* plan) {
  std::ostringstream out;
  out << "== " << chunk.name << " ==\n";
  out << "registers:";
  for (std::size_t r = 0; r < chunk.registers.size(); ++r)
    out << " r" << r << ":" << reg_type_name(chunk.registers[r]);
  out << "\n";
  for (std::size_t k = 0; k < chunk.constants.size(); ++k)
    out << "constant " << k << " = " << constant_text(chunk.constants[k]) << "\n";
  for (std::size_t pc = 0; pc < chunk.code.size(); ++pc) {
    const Instr& in = chunk.code[pc];
    char line[160];
    std::string operands;
    for (char field : opcode_operands(in.op)) {
      switch (field) {
        case 'd':
          operands += " r" + std::to_string(in.d);
          break;
        case 'a':
          operands += " r" + std::to_string(in.a);
          break;
        case 'b':
          operands += " r" + std::to_string(in.b);
          break;
        case 'k':
          operands += " #" + std::to_string(in.k);
          break;
        default:
          break;
      }
    }
    std::snprintf(line, sizeof line, "%04zu  %-18s%-22s", pc,
                  std::string(opcode_name(in.op)).c_str(), operands.c_str());
    std::string text = line;
    if (plan) {
      const Location where = ast::locate(*plan, chunk.spans[pc]);
      text += "; " + (where.file == plan->file->name() ? "line " : where.file + ":") +
              std::to_string(where.line);
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  }
  return out.str();
}

std::string disassemble(const Program& program, const ast::Plan* plan) {
  std::string out;
  if (!program.territories.declared.empty())
    out += disassemble(program.territories.chunk, plan) + "\n";
  for (const auto& set : program.territories.sets) out += disassemble(set.chunk, plan) + "\n";
  for (const auto& rule : program.rules) out += disassemble(rule.chunk, plan) + "\n";
  for (const auto& aggregate : program.aggregates) out += disassemble(aggregate.chunk, plan) + "\n";
  out += disassemble(program.payouts.chunk, plan);
  for (const auto& clawback : program.clawbacks) out += "\n" + disassemble(clawback.chunk, plan);
  return out;
}

}  // namespace tally
