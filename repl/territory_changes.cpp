// Reading and checking a what-if change file.
#include "repl/territory_changes.hpp"

#include <cctype>

#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "interpreter/runtime/spelling.hpp"

namespace tally::cli {

namespace {

Message at_line(const std::string& path, int line, const std::string& text,
                const std::string& hint = "") {
  Message m;
  m.file = path;
  m.line = line;
  m.text = text;
  m.hint = hint;
  m.rendered = path + ":" + std::to_string(line) + ": error: " + text +
               (hint.empty() ? "" : "\n  hint: " + hint);
  return m;
}

/// The words of a line: bare words split at spaces, "quoted text" whole.
/// nullopt for an unterminated quote.
std::optional<std::vector<std::string>> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
      ++i;
      continue;
    }
    if (line[i] == '"') {
      const std::size_t end = line.find('"', i + 1);
      if (end == std::string::npos) return std::nullopt;
      words.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    const std::size_t end = line.find_first_of(" \t\r", i);
    words.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
    i = end == std::string::npos ? line.size() : end;
  }
  return words;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& known) {
  const auto close = closest_match(word, known);
  return close ? "; did you mean " + quoted(*close) + "?" : "";
}

/// The field a move names: its own name, or `state` / `account` for the
/// source's state or account field.
int resolve_field(const std::string& word, const TerritoryReport& report, int account_field) {
  for (std::size_t i = 0; i < report.fields.size(); ++i)
    if (report.fields[i] == word) return static_cast<int>(i);
  if (word == "account") return account_field;
  if (word == "state") {
    int found = -1;
    for (std::size_t i = 0; i < report.fields.size(); ++i) {
      const std::string& f = report.fields[i];
      if (f.size() >= 5 && f.compare(f.size() - 5, 5, "state") == 0) {
        if (found >= 0) return -1;  // two: the user names one
        found = static_cast<int>(i);
      }
    }
    return found;
  }
  return -1;
}

std::string upper(std::string word) {
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

}  // namespace

ChangeFile read_changes(const std::string& path, const std::string& text,
                        const TerritoryReport& report, int account_field,
                        const std::string& target) {
  ChangeFile out;
  std::vector<std::string> territories;
  for (const TerritoryInfo& t : report.territories) territories.push_back(t.name);
  std::vector<std::string> field_words = report.fields;
  field_words.push_back("state");
  field_words.push_back("account");
  std::map<std::pair<int, std::string>, int> moved_at;  // (field, value) -> line
  std::vector<int> field_of;                            // per move
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    const auto words = words_of(line);
    if (!words) {
      out.messages.push_back(at_line(path, number, "a quote is not closed"));
      continue;
    }
    if (words->empty() || words->front().rfind('#', 0) == 0) continue;
    const std::vector<std::string>& w = *words;
    if (w.size() != 5 || w[0] != "move" || w[3] != "to") {
      out.messages.push_back(
          at_line(path, number,
                  "expected `move FIELD VALUE to " + upper(target) + "`, found \"" +
                      line.substr(0, line.find_last_not_of("\r") + 1) + "\"",
                  target == "territory"
                      ? "e.g. `move state CA to West` or `move account \"Acme Corp\" to East`"
                      : "e.g. `move account \"Acme Corp\" to ana`"));
      continue;
    }
    const int field = resolve_field(w[1], report, account_field);
    if (field < 0) {
      out.messages.push_back(at_line(
          path, number,
          "unknown field " + quoted(w[1]) + " of `" + report.source + "`" +
              did_you_mean(w[1], field_words),
          w[1] == "state" || w[1] == "account"
              ? "`" + report.source + "` has no single " + w[1] + " field: name the field itself"
              : ""));
      continue;
    }
    const std::string& type = report.field_types[static_cast<std::size_t>(field)];
    if (type.rfind("text", 0) != 0 && type.rfind("payee", 0) != 0) {
      out.messages.push_back(at_line(path, number,
                                     "field `" + report.fields[static_cast<std::size_t>(field)] +
                                         "` is " +
                                         report.field_types[static_cast<std::size_t>(field)] +
                                         "; only text and payee fields can be moved"));
      continue;
    }
    bool known_territory = false;
    for (const std::string& t : territories) known_territory = known_territory || t == w[4];
    if (!known_territory) {
      out.messages.push_back(at_line(
          path, number, "unknown " + target + " " + quoted(w[4]) + did_you_mean(w[4], territories),
          target == "territory" ? "" : "a book can move to a payee who has one"));
      continue;
    }
    std::set<std::string> values;
    bool found = false;
    for (const TerritoryRow& row : report.rows) {
      const std::string& cell = row.cells[static_cast<std::size_t>(field)];
      found = found || cell == w[2];
      if (!found) values.insert(cell);
    }
    const std::string& field_name = report.fields[static_cast<std::size_t>(field)];
    if (!found) {
      out.messages.push_back(at_line(
          path, number,
          "no transaction of `" + report.source + "` has " + field_name + " " + quoted(w[2]) +
              did_you_mean(w[2], std::vector<std::string>(values.begin(), values.end()))));
      continue;
    }
    const auto [it, fresh] = moved_at.try_emplace({field, w[2]}, number);
    if (!fresh) {
      out.messages.push_back(at_line(path, number,
                                     field_name + " " + quoted(w[2]) +
                                         " is already moved at line " +
                                         std::to_string(it->second)));
      continue;
    }
    TerritoryMove move;
    move.field = field_name;
    move.value = w[2];
    move.territory = w[4];
    move.file = path;
    move.line = number;
    out.moves.push_back(std::move(move));
    field_of.push_back(field);
  }
  if (!out.messages.empty()) return out;
  if (out.moves.empty()) {
    out.messages.push_back(at_line(path, 1, "the change file moves nothing",
                                   target == "territory"
                                       ? "write a line such as `move state CA to West`"
                                       : "write a line such as `move account Acme to ana`"));
    return out;
  }
  // A transaction taken by two moves to different territories: ambiguous.
  for (const TerritoryRow& row : report.rows) {
    const TerritoryMove* first = nullptr;
    for (std::size_t m = 0; m < out.moves.size(); ++m) {
      const TerritoryMove& move = out.moves[m];
      if (row.cells[static_cast<std::size_t>(field_of[m])] != move.value) continue;
      if (!first) {
        first = &move;
      } else if (first->territory != move.territory) {
        out.messages.push_back(at_line(
            path, move.line,
            "this move and the one at line " + std::to_string(first->line) +
                " both take transaction " + quoted(row.id) + " (" + row.file + " row " +
                std::to_string(row.line) + "), to " + first->territory + " and " + move.territory,
            "keep one of them, or move by a field that does not overlap"));
        return out;
      }
    }
  }
  return out;
}

}  // namespace tally::cli
