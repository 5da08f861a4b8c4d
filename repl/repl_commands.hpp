// What `tally repl` does with one complete input: a `:` command (`:load`,
// `:type`, ...) or anything else, which the Session evaluates. Replies go to
// `out`, messages to `err`; nothing here ends the session but `:quit`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tally/session.hpp"

namespace tally::cli {

class ReplCommands {
 public:
  ReplCommands(Session& session, std::ostream& out, std::ostream& err);

  /// Handles one input (all its lines joined by newlines). False when it
  /// failed: a message was printed. Without `show_output` only the messages
  /// are printed (the start-up `:load` and `:data` in a script).
  bool handle(const std::string& input, bool show_output = true);

  /// False while `text` needs more lines: plain input the session finds
  /// unfinished, or a `:type` / `:explain` whose expression is.
  bool is_complete(const std::string& text) const;

  /// `:quit` was given.
  bool quit_requested() const { return quit_; }

  /// `demo> ` once plans/demo.tally is loaded, `tally> ` before.
  std::string prompt() const;

  /// Tab completion: the session's words, and the commands after a `:`.
  std::vector<std::string> completions(const std::string& prefix) const;

  /// The text `:help` prints.
  static std::string help_text();

 private:
  bool show(const SessionReply& reply, const std::string& input);
  bool evaluate(const std::string& input);
  bool command(const std::string& name, const std::string& argument);

  Session& session_;
  std::ostream& out_;
  std::ostream& err_;
  bool quit_ = false;
  bool show_output_ = true;
};

}  // namespace tally::cli
