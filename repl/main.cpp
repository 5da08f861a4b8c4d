// The `tally` program: a thin command line over the public API. Each command
// lives in its own cmd_*.cpp file (command.hpp).
//
// Exit codes: 0 success, 1 a plan or data error, 2 a usage error.
#include <CLI/CLI.hpp>

#include <vector>

#include "repl/command.hpp"
#include "tally/tally.hpp"

int main(int argc, char** argv) {
  using namespace tally::cli;
  CLI::App app{"tally: sales compensation plans as code: check, run and explain them", "tally"};
  app.set_version_flag("--version", "tally 0.1.0");
  app.require_subcommand(1);

  const std::vector<Command> commands = {
      add_run_command(app),        add_explain_command(app), add_diff_command(app),
      add_statements_command(app), add_repl_command(app),    add_test_command(app),
      add_check_command(app),      add_fmt_command(app),     add_eval_command(app),
      add_disasm_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  const tally::Engine engine;
  for (const auto& command : commands)
    if (command.app->parsed()) return command.run(engine);
  return kExitUsage;
}
