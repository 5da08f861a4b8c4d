#include "repl/repl_messages.hpp"

#include <algorithm>
#include <sstream>

namespace tally::cli {

namespace {

constexpr const char* kReplFile = "<repl>";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A caret line as the library renders it: ` | ` followed by spaces and `^`.
bool shows_caret(const std::string& rendered) {
  for (const auto& line : lines_of(rendered)) {
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    const auto mark = line.find_first_not_of(' ', bar + 1);
    if (mark != std::string::npos && line[mark] == '^') return true;
  }
  return false;
}

const char* severity_name(Message::Severity severity) {
  switch (severity) {
    case Message::Severity::error:
      return "error";
    case Message::Severity::warning:
      return "warning";
    case Message::Severity::note:
      return "note";
  }
  return "error";
}

}  // namespace

std::string render_repl_message(const Message& message, const std::string& input) {
  std::string rendered = message.rendered;
  if (rendered.empty()) {
    rendered = (message.file.empty() ? ""
                                     : message.file + ":" + std::to_string(message.line) + ":" +
                                           std::to_string(message.column) + ": ") +
               severity_name(message.severity) + ": " + message.text;
    if (!message.hint.empty()) rendered += "\nhint: " + message.hint;
  }
  while (rendered.ends_with('\n')) rendered.pop_back();
  const auto input_lines = lines_of(input);
  const bool points_into_input = message.file == kReplFile && message.line >= 1 &&
                                 message.line <= static_cast<int>(input_lines.size());
  if (!points_into_input || shows_caret(rendered)) return rendered + "\n";

  // The first line is `<repl>:line:col: error: ...`; the source line and the
  // caret go right under it, before any hint.
  const auto first_end = rendered.find('\n');
  const std::string head = rendered.substr(0, first_end);
  const std::string rest = first_end == std::string::npos ? "" : rendered.substr(first_end);
  const std::string number = std::to_string(message.line);
  const std::string gutter(number.size() + 2, ' ');
  const std::string& source = input_lines[static_cast<std::size_t>(message.line - 1)];
  const auto column = static_cast<std::size_t>(std::max(message.column, 1) - 1);
  std::string caret_pad;
  for (std::size_t i = 0; i < column && i < source.size(); ++i)
    caret_pad += source[i] == '\t' ? '\t' : ' ';
  if (column > source.size()) caret_pad += std::string(column - source.size(), ' ');
  return head + "\n " + number + " | " + source + "\n" + gutter + "| " + caret_pad + "^" + rest +
         "\n";
}

void print_repl_messages(const std::vector<Message>& messages, const std::string& input,
                         std::ostream& out) {
  for (const auto& message : messages) out << render_repl_message(message, input);
  out.flush();
}

}  // namespace tally::cli
