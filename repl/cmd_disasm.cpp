// `tally disasm`: the bytecode a plan compiles to, for people.
#include <iostream>
#include <memory>

#include "repl/command.hpp"

namespace tally::cli {

Command add_disasm_command(CLI::App& app) {
  auto plan = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("disasm", "Print the bytecode a plan compiles to");
  cmd->add_option("plan", *plan, "The plan file")->required()->check(CLI::ExistingFile);
  return {cmd, [plan](const Engine& engine) {
            const auto compiled = engine.compile_file(*plan);
            print_messages(compiled.messages);
            if (!compiled.plan) return kExitPlanError;
            std::cout << engine.disassemble(*compiled.plan);
            return kExitOk;
          }};
}

}  // namespace tally::cli
