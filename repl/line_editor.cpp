#include "repl/line_editor.hpp"

#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace tally::cli {

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The word Tab completes: the identifier before the cursor or, inside a
// string literal (an odd number of quotes before the cursor), everything from
// the opening quote on, so payee ids can hold any character; with its `:`
// for a command at the start of the line.
std::string word_before_cursor(const LineInfo& line) {
  const char* begin = line.buffer;
  const char* cursor = line.cursor;
  const auto quotes = std::count(begin, cursor, '"');
  if (quotes % 2 == 1) {
    const char* quote = cursor;
    while (*--quote != '"') {
    }
    return std::string(quote, cursor);
  }
  const char* start = cursor;
  while (start > begin && is_word_char(start[-1])) --start;
  // `:he` at the start of the line is a REPL command being typed.
  if (start > begin && start[-1] == ':' &&
      std::all_of(begin, start - 1, [](char c) { return c == ' ' || c == '\t'; }))
    --start;
  return std::string(start, cursor);
}

std::string common_prefix(const std::vector<std::string>& words) {
  std::string prefix = words.front();
  for (const auto& word : words) {
    std::size_t n = 0;
    while (n < prefix.size() && n < word.size() && prefix[n] == word[n]) ++n;
    prefix.resize(n);
  }
  return prefix;
}

int terminal_width() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Several candidates are listed in columns under the line, as shells do.
void print_in_columns(const std::vector<std::string>& words, FILE* out) {
  std::size_t widest = 0;
  for (const auto& word : words) widest = std::max(widest, word.size());
  const std::size_t cell = widest + 2;
  const std::size_t columns =
      std::max<std::size_t>(1, static_cast<std::size_t>(terminal_width()) / cell);
  const std::size_t rows = (words.size() + columns - 1) / columns;
  std::fputs("\n", out);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t i = c * rows + r;
      if (i >= words.size()) break;
      const bool last = c + 1 == columns || (c + 1) * rows + r >= words.size();
      std::string text = words[i];
      if (!last) text.resize(cell, ' ');
      std::fputs(text.c_str(), out);
    }
    std::fputs("\n", out);
  }
  std::fflush(out);
}

LineEditor* owner(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor*>(data);
}

}  // namespace

LineEditor::LineEditor(const char* program, std::string history_path, Completer completer,
                       int history_size)
    : history_path_(std::move(history_path)), completer_(std::move(completer)) {
  HistEvent event;
  history_ = history_init();
  history(history_, &event, H_SETSIZE, history_size);
  history(history_, &event, H_SETUNIQUE, 1);
  if (!history_path_.empty()) history(history_, &event, H_LOAD, history_path_.c_str());

  el_ = el_init(program, stdin, stdout, stderr);
  if (el_ == nullptr) return;
  el_set(el_, EL_CLIENTDATA, static_cast<void*>(this));
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_PROMPT, &LineEditor::prompt_of);
  // Window size changes and job control while editing (libedit restores the
  // terminal and redraws).
  el_set(el_, EL_SIGNAL, 1);
  // Ctrl-C must reach the editor as a key (bound below) rather than as
  // SIGINT, which would end the program: no signals from keys while editing.
  el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
  // The wide form: libedit's narrow EL_ADDFN copies the names and never frees them.
  el_wset(el_, EL_ADDFN, L"tally-complete", L"complete the word before the cursor",
          &LineEditor::complete);
  el_wset(el_, EL_ADDFN, L"tally-interrupt", L"abandon the line", &LineEditor::interrupt);
  el_set(el_, EL_BIND, "^I", "tally-complete", nullptr);
  el_set(el_, EL_BIND, "^C", "tally-interrupt", nullptr);
  // As in shells: ^R searches the history, ^W deletes the word before the
  // cursor (libedit's Emacs map has them redraw and cut a region).
  el_set(el_, EL_BIND, "^R", "em-inc-search-prev", nullptr);
  el_set(el_, EL_BIND, "^W", "ed-delete-prev-word", nullptr);
  // The user's ~/.editrc (keys, vi mode) applies to `tally` as to other programs.
  el_source(el_, nullptr);
}

LineEditor::~LineEditor() {
  save_history();
  if (el_ != nullptr) el_end(el_);
  history_end(history_);
}

void LineEditor::save_history() {
  if (history_path_.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(history_path_).parent_path(), error);
  HistEvent event;
  history(history_, &event, H_SAVE, history_path_.c_str());
}

LineEditor::Input LineEditor::read(const std::string& prompt) {
  if (el_ == nullptr) return {Input::Kind::end, ""};
  prompt_ = prompt;
  interrupted_ = false;
  int count = 0;
  const char* line = el_gets(el_, &count);
  if (interrupted_) return {Input::Kind::interrupted, ""};
  if (line == nullptr || count <= 0) return {Input::Kind::end, ""};
  std::string text(line, static_cast<std::size_t>(count));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return {Input::Kind::line, text};
}

void LineEditor::remember(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  HistEvent event;
  history(history_, &event, H_ENTER, line.c_str());
}

char* LineEditor::prompt_of(EditLine* el) {
  return owner(el)->prompt_.data();
}

unsigned char LineEditor::complete(EditLine* el, int) {
  LineEditor* self = owner(el);
  const LineInfo* line = el_line(el);
  const std::string prefix = word_before_cursor(*line);
  if (prefix.empty() || !self->completer_) return CC_REFRESH_BEEP;
  std::vector<std::string> words;
  for (auto& word : self->completer_(prefix))
    if (word.starts_with(prefix)) words.push_back(std::move(word));
  if (words.empty() || (words.size() == 1 && words.front() == prefix)) return CC_REFRESH_BEEP;
  const std::string common = common_prefix(words);
  if (common.size() > prefix.size()) {
    el_insertstr(el, common.substr(prefix.size()).c_str());
    return CC_REFRESH;
  }
  print_in_columns(words, stdout);
  return CC_REDISPLAY;
}

unsigned char LineEditor::interrupt(EditLine* el, int) {
  owner(el)->interrupted_ = true;
  std::fputs("^C\n", stdout);
  std::fflush(stdout);
  return CC_NEWLINE;
}

}  // namespace tally::cli
