// `tally repl`: an interactive session over a plan and its data (repl_loop.hpp).
#include <unistd.h>

#include <iostream>
#include <memory>

#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/repl_commands.hpp"
#include "repl/repl_loop.hpp"
#include "tally/session.hpp"

namespace tally::cli {

namespace {

struct ReplArgs {
  std::string plan;
  std::string data;
  std::vector<std::string> binds;
};

int repl(const Engine& engine, const ReplArgs& args) {
  std::map<std::string, std::string> bindings;
  if (auto bad = add_bindings(args.binds, bindings)) {
    std::cerr << "tally repl: error: " << *bad << "\n";
    return kExitUsage;
  }
  if (!args.binds.empty()) {
    // The Session has no way to bind one source to a file yet (only a folder).
    std::cerr << "tally repl: error: --bind is not supported yet: use --data DIR\n";
    return kExitUsage;
  }

  const bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  Session session(engine);
  ReplCommands commands(session, std::cout, std::cerr);
  std::vector<std::string> startup;
  if (!args.data.empty()) startup.push_back(":data " + args.data);
  if (!args.plan.empty()) startup.push_back(":load " + args.plan);
  if (interactive) return run_on_terminal(commands, startup, history_file_path());
  return run_on_stream(commands, startup, std::cin);
}

}  // namespace

Command add_repl_command(CLI::App& app) {
  auto args = std::make_shared<ReplArgs>();
  auto* cmd = app.add_subcommand(
      "repl",
      "Evaluate expressions and declarations interactively over a plan and its data "
      "(:help inside lists the commands)");
  cmd->add_option("plan", args->plan, "The plan file to load (optional; :load loads one later)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  add_bind_option(cmd, args->binds);
  cmd->footer(
      "On a terminal: line editing, history (in $TALLY_HISTORY, else "
      "$XDG_STATE_HOME/tally/history, else ~/.local/state/tally/history), Tab completion, "
      "Ctrl-C abandons the input, Ctrl-D or :quit leaves (exit 0).\n"
      "From a pipe or a file: one input per line (unfinished ones continue), no prompt; "
      "exit 1 if any input failed, else 0.");
  return {cmd, [args](const Engine& engine) { return repl(engine, *args); }};
}

}  // namespace tally::cli
