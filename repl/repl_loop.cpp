#include "repl/repl_loop.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "repl/command.hpp"
#include "repl/line_editor.hpp"

namespace tally::cli {

namespace {

constexpr const char* kContinuationPrompt = "...> ";

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

void append_line(std::string& buffer, const std::string& line) {
  buffer = buffer.empty() ? line : buffer + "\n" + line;
}

// While a line is evaluated the terminal sends SIGINT for Ctrl-C again (the
// editor turns it off only while editing): ignore it rather than lose the
// session; the engine cannot be interrupted midway.
class IgnoreInterrupts {
 public:
  IgnoreInterrupts() : previous_(std::signal(SIGINT, SIG_IGN)) {}
  ~IgnoreInterrupts() { std::signal(SIGINT, previous_); }
  IgnoreInterrupts(const IgnoreInterrupts&) = delete;
  IgnoreInterrupts& operator=(const IgnoreInterrupts&) = delete;

 private:
  void (*previous_)(int);
};

}  // namespace

std::string history_file_path() {
  if (std::getenv("TALLY_HISTORY") != nullptr) return environment("TALLY_HISTORY");
  const std::string state = environment("XDG_STATE_HOME");
  // The XDG spec says a relative value is invalid and must be ignored.
  if (!state.empty() && state.front() == '/') return state + "/tally/history";
  const std::string home = environment("HOME");
  if (!home.empty()) return home + "/.local/state/tally/history";
  return "";
}

int run_on_terminal(ReplCommands& commands, const std::vector<std::string>& startup,
                    const std::string& history_path) {
  const IgnoreInterrupts ignore_interrupts;
  LineEditor editor("tally", history_path, [&commands](const std::string& prefix) {
    return commands.completions(prefix);
  });
  if (!editor.ok()) return run_on_stream(commands, startup, std::cin);
  std::cout << "tally " << version() << " - :help lists the commands, Ctrl-D leaves\n";
  std::cout.flush();
  for (const auto& input : startup) commands.handle(input);
  std::string buffer;
  while (!commands.quit_requested()) {
    const auto input = editor.read(buffer.empty() ? commands.prompt() : kContinuationPrompt);
    if (input.kind == LineEditor::Input::Kind::interrupted) {
      buffer.clear();
      continue;
    }
    if (input.kind == LineEditor::Input::Kind::end) {
      std::cout << "\n";
      if (buffer.empty()) break;
      // Ctrl-D inside an unfinished input submits it as it is: the session
      // says what is missing, and the next Ctrl-D leaves.
      commands.handle(buffer);
      buffer.clear();
      continue;
    }
    editor.remember(input.text);
    append_line(buffer, input.text);
    if (!commands.is_complete(buffer)) continue;
    commands.handle(buffer);
    buffer.clear();
  }
  std::cout.flush();
  return kExitOk;
}

int run_on_stream(ReplCommands& commands, const std::vector<std::string>& startup,
                  std::istream& in) {
  bool all_ok = true;
  for (const auto& input : startup) all_ok = commands.handle(input, false) && all_ok;
  std::string buffer;
  for (std::string line; !commands.quit_requested() && std::getline(in, line);) {
    if (line.ends_with('\r')) line.pop_back();
    append_line(buffer, line);
    if (!commands.is_complete(buffer)) continue;
    all_ok = commands.handle(buffer) && all_ok;
    buffer.clear();
  }
  if (!buffer.empty() && !commands.quit_requested()) all_ok = commands.handle(buffer) && all_ok;
  std::cout.flush();
  return all_ok ? kExitOk : kExitPlanError;
}

}  // namespace tally::cli
