// The state behind tally::Session (include/tally/session.hpp), shared by the
// files that implement it one concern at a time: session.cpp (plan, data,
// declarations), session_eval.cpp (expressions and their calls),
// session_input.cpp (is_complete, completions). Not a public header.
//
// The session's plan is the plan file's text with the declarations typed in
// appended, compiled as one plan; messages about the appended text are moved
// back to `<repl>` and the line of the input. An expression is checked in the
// scope of that plan, where `NAME(payee, period)` asks for a payout, measure
// or let; the values of those calls come from one run over the data with an
// ExplainInspector, and are kept until the plan or the data changes.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan.hpp"
#include "tally/session.hpp"

namespace tally {

/// A declaration typed in and kept: the text appended to the plan.
struct TypedDeclaration {
  std::string text;                ///< appended to the plan, as typed (or `let x = <value>`)
  std::vector<std::string> names;  ///< the names it declares
};

/// The value (and derivation) of one call `NAME(payee, period)`, as a run
/// answered it.
struct CallAnswer {
  std::optional<Constant> value;
  std::optional<ExplainNode> tree;
  std::string why_not;  ///< when there is no value
};

/// What runs over the current data taught: kept while the data folder and
/// the plan's sources and credit rules stay the same.
struct DataFacts {
  bool known = false;
  std::vector<std::string> payees;  ///< roster ids, in roster order
  std::vector<Period> periods;      ///< the periods the run pays
  std::set<int> years;              ///< their plan years
};

struct SessionState {
  const Engine* engine = nullptr;
  std::string plan_path;  ///< empty: no plan loaded
  std::string plan_text;  ///< the plan file as last loaded
  std::vector<TypedDeclaration> typed;
  std::shared_ptr<const Plan> plan;  ///< plan_text + typed, compiled; null only before any compile
  std::optional<std::string> data_dir;

  // Answers of the current plan over the current data (cleared when either changes).
  std::map<std::string, CallAnswer> answers;
  std::optional<RunResult> last_run;
  DataFacts facts;

  /// The combined text and where each typed declaration starts in it (1-based lines).
  std::string combined_text(const std::vector<TypedDeclaration>& typed,
                            std::vector<int>* starts) const;
  /// Compiles plan_text + `typed`; messages about the typed text point at `<repl>`.
  CompileResult compile(const std::vector<TypedDeclaration>& typed) const;
  /// Forgets what was computed for the current plan (and the facts when `data_changed`).
  void forget(bool data_changed);
};

struct Session::State : SessionState {};

/// A message located in `<repl>` text `input`, with the caret under it.
Message repl_message(const std::string& input, int line, int column, int length,
                     const std::string& text, const std::string& hint = {},
                     Message::Severity severity = Message::Severity::error);

/// How many characters the caret of a rendered message covers (`^~~` is 3).
int caret_length(const std::string& rendered);

/// A message about the session, with no location.
Message session_message(const std::string& text, const std::string& hint = {},
                        Message::Severity severity = Message::Severity::error);

/// What evaluating an expression produced (session_eval.cpp).
struct Evaluation {
  bool checked = false;    ///< it parsed and checked
  bool has_calls = false;  ///< it asks for a value per payee and period (or a table)
  bool ok = false;
  std::optional<Constant> value;
  Type type;
  std::string value_text;  ///< printed with its unit
  std::string type_text;
  ExplainNode tree;  ///< with `explain`
  std::vector<Message> messages;
};

enum class EvalMode { type_only, value, explain };

/// Parses, checks and (unless type_only) evaluates one expression typed in.
Evaluation evaluate_input(SessionState& state, const std::string& input, EvalMode mode);

/// The run of the session's plan over its data (the last one when the plan
/// and data have not changed since); null with the run's errors when it fails.
const RunResult* run_plan(SessionState& state, std::vector<Message>& messages);

/// The plan's value as plan text (`250001.00 USD`, `12.5%`, `"ann"`), for a
/// let typed in whose value came from the data; nullopt when it has no literal.
std::optional<std::string> literal_text(const Constant& value, const Type& type,
                                        const Calendar& calendar);

}  // namespace tally
