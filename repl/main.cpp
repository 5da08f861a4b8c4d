// The `tally` program: a thin command line over the public API. Each command
// lives in its own cmd_*.cpp file (command.hpp).
//
// Exit codes: 0 success, 1 a plan or data error, 2 a usage error.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
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
      add_disasm_command(app),     add_report_command(app),  add_territories_command(app),
      add_forecast_command(app),   add_close_command(app),   add_reopen_command(app),
      add_history_command(app),    add_ledger_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return app.exit(e) == 0 ? kExitOk : kExitUsage;  // --help, --version
    // Name the command the error is about, so that a script's log says what
    // was wrong with which call.
    std::string command = "tally";
    for (const CLI::App* sub : app.get_subcommands()) command += " " + sub->get_name();
    if (command == "tally" && argc > 1 && argv[1][0] != '-') {
      std::cerr << "tally: error: unknown command \"" << argv[1] << "\"; the commands are";
      for (const auto& c : commands) std::cerr << " " << c.app->get_name();
      std::cerr << "\n(see `tally --help`)\n";
      return kExitUsage;
    }
    std::cerr << command << ": error: " << e.what() << "\n(see `" << command << " --help`)\n";
    return kExitUsage;
  }

  const tally::Engine engine;
  for (const auto& command : commands)
    if (command.app->parsed()) return command.run(engine);
  return kExitUsage;
}
