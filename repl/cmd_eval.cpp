// `tally eval`: the value of one constant expression, with its unit.
#include <iostream>
#include <memory>

#include "repl/command.hpp"

namespace tally::cli {

namespace {

struct EvalArgs {
  std::string expression;
  bool show_type = false;
};

int eval(const Engine& engine, const EvalArgs& args) {
  const auto result = engine.evaluate(args.expression);
  print_messages(result.messages);
  if (!result.ok) return kExitPlanError;
  std::cout << result.value;
  if (args.show_type) std::cout << "  : " << result.type;
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

Command add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand(
      "eval", "Print the value of an expression, e.g. tally eval \"1.10 + 2.205\"");
  cmd->add_option("expression", args->expression, "The expression")->required();
  cmd->add_flag("--type,-t", args->show_type, "Also print the value's type");
  return {cmd, [args](const Engine& engine) { return eval(engine, *args); }};
}

}  // namespace tally::cli
