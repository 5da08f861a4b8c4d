// Line editing for `tally repl` on a terminal, over libedit's native API
// (histedit.h): Emacs keys, a history kept in a file across sessions, Tab
// completion through a callback, and Ctrl-C that abandons the line instead of
// ending the program.
//
// Why the native API rather than libedit's readline emulation: the emulation
// keeps its state in globals and handles Ctrl-C by re-raising the signal,
// while EL_CLIENTDATA and EL_ADDFN let one object own its editor and bind
// ^C and Tab to its own functions.
#pragma once

#include <functional>
#include <string>
#include <vector>

struct editline;
struct history;

namespace tally::cli {

class LineEditor {
 public:
  /// The words that complete `prefix` (the word before the cursor, with its
  /// opening quote when it is inside a string literal).
  using Completer = std::function<std::vector<std::string>(const std::string& prefix)>;

  /// An editor on stdin/stdout that loads its history from `history_path`
  /// (ignored when empty or missing) and saves it there when destroyed,
  /// keeping the last `history_size` lines.
  LineEditor(const char* program, std::string history_path, Completer completer,
             int history_size = 1000);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// False when libedit could not set up the terminal: read() then only
  /// returns `end`, and the caller reads lines some other way.
  bool ok() const { return el_ != nullptr; }

  struct Input {
    enum class Kind { line, interrupted, end };
    Kind kind = Kind::end;
    std::string text;  ///< the line without its newline (Kind::line)
  };
  /// Reads one line after showing `prompt`: the line, `interrupted` for
  /// Ctrl-C, or `end` for Ctrl-D on an empty line (or a closed terminal).
  Input read(const std::string& prompt);

  /// Adds a line to the history (blank lines and repeats of the last are not kept).
  void remember(const std::string& line);

  /// Writes the history file now (the destructor does it too).
  void save_history();

 private:
  static char* prompt_of(editline* el);
  static unsigned char complete(editline* el, int key);
  static unsigned char interrupt(editline* el, int key);

  editline* el_ = nullptr;
  history* history_ = nullptr;
  std::string history_path_;
  Completer completer_;
  std::string prompt_;
  bool interrupted_ = false;
};

}  // namespace tally::cli
