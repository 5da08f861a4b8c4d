// `tally check`: every error and warning of each plan, exit 1 on errors.
#include <iostream>
#include <memory>

#include "repl/command.hpp"

namespace tally::cli {

namespace {

struct CheckArgs {
  std::vector<std::string> plans;
  bool values = false;
};

int check(const Engine& engine, const CheckArgs& args) {
  int status = kExitOk;
  for (const auto& path : args.plans) {
    const auto compiled = engine.compile_file(path);
    print_messages(compiled.messages);
    if (!compiled.plan) {
      status = kExitPlanError;
      continue;
    }
    if (args.values)
      for (const auto& [name, value] : engine.constant_values(*compiled.plan))
        std::cout << name << " = " << value << "\n";
  }
  if (args.values) return status;
  if (status == kExitOk)
    std::cout << (args.plans.size() == 1 ? args.plans[0] + ": ok\n"
                                         : std::to_string(args.plans.size()) + " plans: ok\n");
  return status;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "Report a plan's errors and warnings (exit 1 on errors)");
  cmd->add_option("plan", args->plans, "Plan files")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--values", args->values, "Also print the value of every constant let");
  return {cmd, [args](const Engine& engine) { return check(engine, *args); }};
}

}  // namespace tally::cli
