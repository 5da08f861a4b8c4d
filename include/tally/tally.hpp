// The public C++ API of Tally: compile a plan, run it over data, evaluate an
// expression. The `tally` program uses nothing else of the library.
//
// An Engine holds no global state; a compiled Plan is immutable and may be
// run from several threads at once. Failures a user can cause (a bad plan, a
// bad data row, a missing file) come back as Messages, never as exceptions.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tally {

/// A diagnostic for people: an error, a warning or a note with its location.
struct Message {
  enum class Severity { error, warning, note };
  Severity severity = Severity::error;
  std::string file;  ///< plan or data file; empty when not tied to a file
  int line = 0;      ///< 1-based; for data files the row as a spreadsheet shows it
  int column = 0;    ///< 1-based; for data files the field position
  std::string text;  ///< what was expected and what was found
  std::string hint;  ///< a suggestion, or empty
  /// The full rendering: `file:line:col: error: text`, the source line with a
  /// caret when the file is a plan, then the hint.
  std::string rendered;
};

/// True when any message is an error.
bool has_errors(const std::vector<Message>& messages);

/// A rectangular table of text cells, as written to CSV.
struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

class Plan;  // a compiled plan (opaque)

struct CompileResult {
  std::shared_ptr<const Plan> plan;  ///< null when there are errors
  std::vector<Message> messages;     ///< errors and warnings
};

struct RunOptions {
  /// Each source NAME binds to DIR/NAME.csv or DIR/NAME.json.
  std::string data_dir = ".";
  /// Explicit NAME -> file bindings; they take precedence over data_dir.
  std::map<std::string, std::string> bindings;
  /// The periods to pay, as labels of the plan's calendar ("2026-Q1").
  /// Unset: every period of each plan year that has a credit.
  std::optional<std::string> first_period;
  std::optional<std::string> last_period;
};

struct RunSummary {
  std::size_t payees = 0;
  std::size_t periods = 0;
  std::size_t rows_loaded = 0;  ///< transaction rows over all sources
  std::size_t credits = 0;
  std::string total_paid;  ///< exact, in the plan currency, e.g. "12345.67"
  std::string currency;
  /// Exact totals paid per period (in period order) and per payee (the
  /// largest first), as (label, amount) pairs.
  std::vector<std::pair<std::string, std::string>> paid_by_period;
  std::vector<std::pair<std::string, std::string>> paid_by_payee;
  double seconds = 0;  ///< wall time of the run
};

struct RunResult {
  bool ok = false;
  std::vector<Message> messages;
  RunSummary summary;
  ResultTable payouts;   ///< payee, period, component, amount
  ResultTable credits;   ///< rule, transaction, row, payee, period, kind, share, amount
  ResultTable measures;  ///< payee, period, measure, value
};

struct EvalResult {
  bool ok = false;
  std::vector<Message> messages;
  std::string value;  ///< printed with its unit: `3.305`, `7400.00 USD`, `8%`
  std::string type;   ///< the type's name: `decimal`, `money (USD)`, `percent`
};

struct FormatResult {
  bool ok = false;
  std::string text;               ///< the plan in canonical layout
  std::vector<Message> messages;  ///< syntax errors, when !ok
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Parses and checks plan text; `name` is the file name used in messages.
  CompileResult compile(std::string source, std::string name) const;
  /// Reads and compiles a plan file.
  CompileResult compile_file(const std::string& path) const;
  /// Runs a compiled plan over its bound data.
  RunResult run(const Plan& plan, const RunOptions& options) const;
  /// Evaluates one constant expression (`1.10 + 2.205`, `round(2.5, 1, half_even)`).
  EvalResult evaluate(const std::string& expression) const;
  /// The bytecode of a plan, for people (`tally disasm`).
  std::string disassemble(const Plan& plan) const;
  /// Plan text in canonical layout (`tally fmt`); only syntax is checked.
  FormatResult format(std::string source, std::string name) const;
  /// The value of every `let` that needs no data (`let rate = 8%`), in
  /// declaration order, printed with its unit: ("rate", "8%").
  std::vector<std::pair<std::string, std::string>> constant_values(const Plan& plan) const;
};

/// Writes payouts.csv, credits.csv and measures.csv into `directory`
/// (created if missing). Files are written to a temporary place first and
/// renamed, so on failure no partial file is left in `directory`.
std::vector<Message> write_outputs(const RunResult& result, const std::string& directory);

}  // namespace tally
