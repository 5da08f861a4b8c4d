// An interactive session over one plan and its data: what `tally repl` (and
// any host wanting a console) talks to. Lines typed in are evaluated in the
// context of the loaded plan and data: `bookings("ann", 2026-Q1)` is the
// measure `bookings` of payee ann in 2026-Q1, `attainment("ann", Q1)` a let
// of the plan, and a `let` typed in is kept for the lines after it.
//
// A Session is not thread-safe: one thread talks to it. Errors are values
// (Messages whose file is `<repl>` and whose line is the line of the input),
// never exceptions, and no error ends the session.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tally/tally.hpp"

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

namespace tally {

/// What one input produced: the text to show (a value with its unit, a
/// type, an explain tree, a run summary, `bonus: let` for a declaration),
/// or the messages saying why not.
struct SessionReply {
  bool ok = false;
  std::string output;
  std::vector<Message> messages;
};

class Session {
 public:
  /// A session with no plan: plain expressions only, as `tally eval`.
  explicit Session(const Engine& engine);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Loads a plan file in place of the current plan and keeps the lets typed
  /// in so far when they still check. On error the previous plan stays.
  SessionReply load(const std::string& plan_path);
  /// Reads the plan file again (after an edit).
  SessionReply reload();
  /// Binds the plan's sources to the files of folder `dir` (as `tally run
  /// --data`); the data is read once, at the first line that needs it.
  SessionReply set_data(const std::string& dir);

  /// False while `text` is unfinished: an open brace, bracket or parenthesis,
  /// an unterminated string or block comment, or a last line (comments aside)
  /// ending in a binary operator, `,`, `=` or `..`. A line starting with `:`
  /// is complete. The REPL then reads another line and submits them together.
  bool is_complete(const std::string& text) const;

  /// Evaluates one input: an expression (its value, printed with its unit)
  /// or a declaration (`let`, `measure`, `payout`, ...) added to the session.
  /// A `let` whose value asks for data (`let x = bookings("ann", 2026-Q1)`) is
  /// computed now and kept as that constant; other declarations join the
  /// plan as written. A bare `Q1` is that quarter of the data's plan year
  /// when the data has one. The rules: docs/cli.md, "What the REPL evaluates".
  SessionReply submit(const std::string& input);
  /// The type of an expression, without evaluating it (`:type`).
  SessionReply type_of(const std::string& expression);
  /// The derivation tree of an expression's value (`:explain`): for one call
  /// `commission("ann", 2026-Q1)` the tree `tally explain` prints; otherwise
  /// a root with the expression's value whose children are its calls' trees.
  SessionReply explain(const std::string& expression);
  /// Runs the whole plan over the data and returns its summary (`:run`):
  /// payees, periods, credits, the total and the total per period, as text.
  /// Reuses the last line's run when the plan and data have not changed.
  SessionReply run();

  /// Words that complete `prefix`, sorted and unique: keywords, builtin
  /// functions, the plan's declarations and those typed in. A prefix starting
  /// with `"` completes payee ids instead, returned quoted (`"ann"`); they are
  /// known once a line has read the data.
  std::vector<std::string> completions(const std::string& prefix) const;

  /// The loaded plan file, or empty.
  const std::string& plan_path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tally

#pragma GCC visibility pop
