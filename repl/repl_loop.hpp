// The read-eval-print loop of `tally repl`: on a terminal, lines are read
// with the line editor (prompt, history, completion, Ctrl-C, Ctrl-D); from a
// pipe or a file, plain lines without prompt or banner, so scripts can feed
// it. In both, an input the session finds unfinished continues on the next
// line (the `...> ` prompt on a terminal) and the lines are submitted together.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "repl/repl_commands.hpp"

namespace tally::cli {

/// Where the history is kept: $TALLY_HISTORY when set (empty: no history
/// file), else $XDG_STATE_HOME/tally/history, else
/// ~/.local/state/tally/history; empty when none can be found.
std::string history_file_path();

/// The interactive loop on the terminal, until `:quit` or Ctrl-D: prints the
/// banner, handles the `startup` inputs (`:data DIR`, `:load PLAN` from the
/// command line) with their replies, then reads lines. Always returns
/// kExitOk: no error ends an interactive session.
int run_on_terminal(ReplCommands& commands, const std::vector<std::string>& startup,
                    const std::string& history_path);

/// Handles the `startup` inputs (only their messages are shown, so a script's
/// output holds only its own answers), then reads inputs from `in` until its
/// end or `:quit`. kExitOk when every input succeeded, kExitPlanError when
/// any failed (the later ones still run).
int run_on_stream(ReplCommands& commands, const std::vector<std::string>& startup,
                  std::istream& in);

}  // namespace tally::cli
