// What the REPL asks of a session about its input before evaluating it:
// whether a line is finished (is_complete), the words that complete a prefix
// (completions), and the messages and literals the session writes.
#include <algorithm>
#include <set>

#include "grammar/diagnostics.hpp"
#include "grammar/keywords.hpp"
#include "interpreter/session_state.hpp"
#include "interpreter/value_format.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

Message repl_message(const std::string& input, int line, int column, int length,
                     const std::string& text, const std::string& hint, Message::Severity severity) {
  const Error error{Location{"<repl>", line, column, length}, text, hint};
  const SourceFile file("<repl>", input);
  Message m;
  m.severity = severity;
  m.file = "<repl>";
  m.line = line;
  m.column = column;
  m.text = text;
  m.hint = hint;
  m.rendered = render_error(error, &file,
                            severity == Message::Severity::error     ? Severity::error
                            : severity == Message::Severity::warning ? Severity::warning
                                                                     : Severity::note);
  return m;
}

int caret_length(const std::string& rendered) {
  const auto caret = rendered.find('^');
  if (caret == std::string::npos) return 1;
  const auto end = rendered.find_first_not_of('~', caret + 1);
  return static_cast<int>((end == std::string::npos ? rendered.size() : end) - caret);
}

Message session_message(const std::string& text, const std::string& hint,
                        Message::Severity severity) {
  Message m;
  m.severity = severity;
  m.text = text;
  m.hint = hint;
  const char* word = severity == Message::Severity::error     ? "error"
                     : severity == Message::Severity::warning ? "warning"
                                                              : "note";
  m.rendered = std::string(word) + ": " + text + (hint.empty() ? "" : "\nhint: " + hint);
  return m;
}

std::optional<std::string> literal_text(const Constant& value, const Type& type,
                                        const Calendar& calendar) {
  switch (value.type) {
    case RegType::boolean:
      return std::string(value.boolean ? "true" : "false");
    case RegType::integer:
      return std::to_string(value.integer);
    case RegType::decimal:
      if (type.kind == Kind::money)
        return value.decimal.to_string() + (type.currency.empty() ? "" : " " + type.currency);
      if (type.kind == Kind::percent) return percent_digits(value.decimal) + "%";
      return value.decimal.to_string();
    case RegType::date:
      return format_date(value.date);
    case RegType::period:
      if (value.period.year == 0) return std::nullopt;
      return period_label(value.period, calendar);
    case RegType::symbol: {
      std::string out = "\"";
      for (char c : value.text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
          out += "\\n";
          continue;
        }
        if (c == '\t') {
          out += "\\t";
          continue;
        }
        out += c;
      }
      return out + "\"";
    }
  }
  return std::nullopt;
}

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// The text with comments and string contents blanked out, and whether a
/// string, a block comment or a bracket is still open at its end.
struct Scan {
  std::string code;
  bool open = false;
};

Scan scan(const std::string& text) {
  Scan out;
  int depth = 0;
  bool in_string = false;
  bool in_block = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (in_block) {
      if (c == '*' && next == '/') {
        in_block = false;
        ++i;
      }
      out.code += c == '\n' ? '\n' : ' ';
      continue;
    }
    if (in_string) {
      if (c == '\\') {
        ++i;
        out.code += "  ";
        continue;
      }
      // a string ends at its line (the parser then says it is unterminated)
      if (c == '"' || c == '\n') in_string = false;
      out.code += c == '"' ? '"' : c == '\n' ? '\n' : ' ';
      continue;
    }
    if (c == '/' && next == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      out.code += '\n';
      continue;
    }
    if (c == '/' && next == '*') {
      in_block = true;
      ++i;
      out.code += "  ";
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    out.code += c;
  }
  out.open = out.open || in_string || in_block || depth > 0;
  return out;
}

bool ends_with_word(const std::string& line, const std::string& word) {
  if (line.size() < word.size() || line.compare(line.size() - word.size(), word.size(), word) != 0)
    return false;
  return line.size() == word.size() || !is_word_char(line[line.size() - word.size() - 1]);
}

}  // namespace

bool Session::is_complete(const std::string& text) const {
  const Scan s = scan(text);
  if (s.open) return false;
  // the last line with code on it
  std::size_t end = s.code.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return true;
  const std::size_t start = s.code.rfind('\n', end);
  const std::string line = s.code.substr(start == std::string::npos ? 0 : start + 1,
                                         end + 1 - (start == std::string::npos ? 0 : start + 1));
  if (line.rfind(':', 0) == 0 && start == std::string::npos) return true;  // a REPL command
  static const char* const kContinuing[] = {"+",  "-",  "*", "/", "==", "!=",  "<",  "<=",  ">",
                                            ">=", "??", ",", "=", "..", "and", "or", "not", "in"};
  for (const char* op : kContinuing) {
    const std::string word(op);
    if (is_word_char(word[0]) ? ends_with_word(line, word) : line.ends_with(word)) return false;
  }
  return true;
}

std::vector<std::string> Session::completions(const std::string& prefix) const {
  std::set<std::string> out;
  const State& s = *state_;
  if (!prefix.empty() && prefix[0] == '"') {
    const std::string word = prefix.substr(1);
    for (const std::string& id : s.facts.payees)
      if (id.rfind(word, 0) == 0) out.insert("\"" + id + "\"");
    return {out.begin(), out.end()};
  }
  auto offer = [&](std::string_view word) {
    if (word.substr(0, prefix.size()) == prefix) out.insert(std::string(word));
  };
  for (std::string_view word : grammar::kReservedWords) offer(word);
  for (std::string_view word : grammar::kDeclarationKeywords) offer(word);
  for (const std::string& name : builtin_names()) offer(name);
  if (s.plan)
    for (const Declaration& d : s.engine->declarations(*s.plan)) offer(d.name);
  return {out.begin(), out.end()};
}

}  // namespace tally
