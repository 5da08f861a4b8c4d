#include "repl/repl_commands.hpp"

#include <array>
#include <filesystem>

#include "interpreter/runtime/spelling.hpp"
#include "repl/repl_messages.hpp"

namespace tally::cli {

namespace {

struct CommandInfo {
  const char* name;
  const char* argument;  ///< empty when the command takes none
  const char* description;
};

constexpr std::array<CommandInfo, 8> kCommands = {{
    {":load", "PLAN", "load a plan file in place of the current one (your lets are kept)"},
    {":reload", "", "read the plan file again, after an edit"},
    {":data", "DIR", "read the plan's sources from folder DIR (as tally run --data)"},
    {":type", "EXPR", "the type of EXPR, without evaluating it"},
    {":explain", "EXPR", "how the value of EXPR is computed"},
    {":run", "", "run the whole plan over the data and show the summary"},
    {":help", "", "this list"},
    {":quit", "", "leave (Ctrl-D on an empty line does too)"},
}};

const CommandInfo* find_command(const std::string& name) {
  for (const auto& info : kCommands)
    if (name == info.name) return &info;
  if (name == ":q" || name == ":exit") return &kCommands.back();
  return nullptr;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// `:type  x + 1` → (":type", "x + 1"); the argument keeps its inner lines.
std::pair<std::string, std::string> split_command(const std::string& input) {
  const std::string text = trim(input);
  const auto space = text.find_first_of(" \t\r\n");
  if (space == std::string::npos) return {text, ""};
  return {text.substr(0, space), trim(text.substr(space))};
}

bool is_command(const std::string& input) {
  return trim(input).starts_with(':');
}

// `:load "my plan.tally"`: a path may be quoted, for the spaces in it.
std::string unquoted(const std::string& path) {
  if (path.size() >= 2 && path.front() == '"' && path.back() == '"')
    return path.substr(1, path.size() - 2);
  return path;
}

}  // namespace

ReplCommands::ReplCommands(Session& session, std::ostream& out, std::ostream& err)
    : session_(session), out_(out), err_(err) {}

std::string ReplCommands::help_text() {
  std::string text = "Commands:\n";
  for (const auto& info : kCommands) {
    std::string usage = std::string(info.name) + (*info.argument ? " " : "") + info.argument;
    usage.resize(16, ' ');
    text += "  " + usage + info.description + "\n";
  }
  text +=
      "Anything else is evaluated in the context of the loaded plan and data: an\n"
      "expression, or a declaration (let, measure, payout, ...) that later lines can use.\n"
      "Examples:\n"
      "  1_200_000 USD * 2%\n"
      "  round(2.5, 1, half_even)\n"
      "  let rate = 8%\n"
      "  bookings(\"ann\", 2026-Q1)\n"
      "  commission(\"ann\", 2026-Q1) * 2\n"
      "  :type bookings(\"ann\", 2026-Q1)\n"
      "  :explain commission(\"ann\", 2026-Q1)\n"
      "Keys: Tab completes a name (or a payee id after a quote), Up and Down recall\n"
      "earlier lines, Ctrl-C abandons the input, Ctrl-D on an empty line leaves.\n"
      "An unfinished line (an open brace, a trailing operator) continues on the next.\n";
  return text;
}

std::string ReplCommands::prompt() const {
  const auto& plan = session_.plan_path();
  if (plan.empty()) return "tally> ";
  return std::filesystem::path(plan).stem().string() + "> ";
}

bool ReplCommands::is_complete(const std::string& text) const {
  if (!is_command(text)) return session_.is_complete(text);
  const auto [name, argument] = split_command(text);
  if ((name == ":type" || name == ":explain") && !argument.empty())
    return session_.is_complete(argument);
  return true;
}

std::vector<std::string> ReplCommands::completions(const std::string& prefix) const {
  if (!prefix.starts_with(':')) return session_.completions(prefix);
  std::vector<std::string> words;
  for (const auto& info : kCommands)
    if (std::string(info.name).starts_with(prefix)) words.emplace_back(info.name);
  return words;
}

bool ReplCommands::show(const SessionReply& reply, const std::string& input) {
  if (show_output_ && !reply.output.empty()) {
    out_ << reply.output << (reply.output.ends_with('\n') ? "" : "\n");
  }
  out_.flush();
  print_repl_messages(reply.messages, input, err_);
  return reply.ok;
}

bool ReplCommands::handle(const std::string& input, bool show_output) {
  show_output_ = show_output;
  const bool ok = evaluate(input);
  show_output_ = true;
  return ok;
}

bool ReplCommands::evaluate(const std::string& input) {
  if (trim(input).empty()) return true;
  if (!is_command(input)) return show(session_.submit(input), input);
  const auto [name, argument] = split_command(input);
  return command(name, argument);
}

bool ReplCommands::command(const std::string& name, const std::string& argument) {
  const CommandInfo* info = find_command(name);
  if (info == nullptr) {
    std::vector<std::string> names;
    for (const auto& known : kCommands) names.emplace_back(known.name);
    const auto nearest = closest_match(name, names);
    err_ << "error: unknown command " << name;
    if (nearest) err_ << "; did you mean " << *nearest << "?";
    err_ << " (:help lists the commands)\n";
    err_.flush();
    return false;
  }
  const std::string command = info->name;
  if (*info->argument && argument.empty()) {
    err_ << "error: " << command << " needs " << info->argument << ": " << command << " "
         << info->argument << "\n";
    err_.flush();
    return false;
  }
  if (!*info->argument && !argument.empty()) {
    err_ << "error: " << command << " takes no argument, found \"" << argument << "\"\n";
    err_.flush();
    return false;
  }
  if (command == ":help") {
    out_ << help_text();
    out_.flush();
    return true;
  }
  if (command == ":quit") {
    quit_ = true;
    return true;
  }
  if (command == ":run") return show(session_.run(), "");
  if (command == ":type") return show(session_.type_of(argument), argument);
  if (command == ":explain") return show(session_.explain(argument), argument);
  if (command == ":reload") {
    if (session_.plan_path().empty()) {
      err_ << "error: no plan is loaded: :load PLAN first\n";
      err_.flush();
      return false;
    }
    auto reply = session_.reload();
    if (reply.ok && reply.output.empty()) reply.output = "reloaded " + session_.plan_path();
    return show(reply, "");
  }
  if (command == ":load") {
    auto reply = session_.load(unquoted(argument));
    if (reply.ok && reply.output.empty()) reply.output = "loaded " + unquoted(argument);
    return show(reply, "");
  }
  // :data
  auto reply = session_.set_data(unquoted(argument));
  if (reply.ok && reply.output.empty()) reply.output = "data from " + unquoted(argument);
  return show(reply, "");
}

}  // namespace tally::cli
