// The public C++ API of Tally: compile a plan, run it over data, evaluate an
// expression. The `tally` program uses nothing else of the library.
//
// An Engine holds no global state; a compiled Plan is immutable and may be
// run from several threads at once. Failures a user can cause (a bad plan, a
// bad data row, a missing file) come back as Messages, never as exceptions.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

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

/// How a plan's `import "PATH"` lines are resolved (CompileOptions).
enum class ImportPolicy {
  files,     ///< read PATH relative to the importing file (the `tally` program)
  resolver,  ///< ask CompileOptions::resolve_import; no file is ever read
  refuse     ///< every import is an error: the plan must be self-contained
};

/// Options of Engine::compile. The defaults read imports from files, as the
/// `tally` program does; a host compiling plans it does not trust chooses
/// `refuse` or `resolver`, so that compiling never touches the file system.
struct CompileOptions {
  ImportPolicy imports = ImportPolicy::files;
  /// For ImportPolicy::resolver: the text of the plan file PATH (as written
  /// in the import line, not resolved against anything), or nullopt when
  /// there is no such file (an error at the import line).
  std::function<std::optional<std::string>(const std::string& path)> resolve_import;
};

struct CompileResult {
  std::shared_ptr<const Plan> plan;  ///< null when there are errors
  std::vector<Message> messages;     ///< errors and warnings
};

/// A source's rows given in memory. Columns are named after the source's
/// fields (a field without a column is null); cells are plain text as the
/// plan would write the value without its unit: `120000`, `0.08` (a percent
/// as a fraction), `2026-03-15`, `2026-Q1`, `true`, or any text. A missing
/// cell (nullopt) is null.
struct InlineTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::string origin;  ///< named in messages in place of a file (the plan file, for tests)
  /// The row number messages give each row (a test's plan line); default 1, 2, ...
  std::vector<int> row_lines;
};

/// One column of a source given as the host's own typed array
/// (ColumnTable). The engine reads the array during Engine::run only; it
/// must stay alive and unchanged until run returns. Build one with the
/// static functions; `valid` optionally marks nulls (0 = null, 1 = present;
/// empty = no nulls) and must then have the same length.
struct ColumnData {
  enum class Kind { integers, decimals, dates, booleans, texts };
  Kind kind = Kind::integers;
  std::string name;                    ///< the source field it fills
  std::span<const std::int64_t> ints;  ///< integers; decimals as units at `scale`
  int scale = 0;                       ///< decimals: 12345.67 is 1234567 at scale 2
  /// The largest scale: a 64-bit coefficient holds 18 digits.
  static constexpr int kMaxScale = 18;
  std::span<const std::int32_t> days;   ///< dates: days since 1970-01-01
  std::span<const std::uint8_t> bools;  ///< booleans: 0 or 1
  std::span<const std::string_view>
      strings;                          ///< texts: any field as plain text (as in InlineTable)
  std::span<const std::uint8_t> valid;  ///< empty: no nulls

  /// An `int` field; also a decimal, money or percent field at scale 0.
  static ColumnData integers(std::string name, std::span<const std::int64_t> values);
  /// A decimal, money or percent field (a percent as a fraction: 8% is 8 at scale 2).
  static ColumnData decimals(std::string name, std::span<const std::int64_t> units, int scale);
  /// A date field, as days since 1970-01-01 (2026-01-01 is 20454).
  static ColumnData dates(std::string name, std::span<const std::int32_t> days);
  static ColumnData booleans(std::string name, std::span<const std::uint8_t> values);
  /// Any field as text cells, parsed as InlineTable cells are (ids, names,
  /// dates as `2026-03-15`, periods as `2026-Q1`, lists by their separator).
  static ColumnData texts(std::string name, std::span<const std::string_view> values);
  /// The same column with a null mask.
  ColumnData with_nulls(std::span<const std::uint8_t> present) const;
  std::size_t size() const;
};

/// A source given as columns of the host's arrays (RunOptions::columns):
/// the fast way to hand an embedded engine data already in memory. Every
/// column has the same length; a field without a column is null. Numbers
/// and dates are copied once, straight into the engine's typed columns,
/// without text in between; texts are interned.
struct ColumnTable {
  std::vector<ColumnData> columns;
  std::string origin;  ///< named in messages in place of a file
};

/// A source whose rows the host hands over one at a time (RunOptions::rows):
/// for data that comes from a cursor, a queue or a generator. `next` fills
/// `cells` (one per name in `columns`, in that order; nullopt = null; text
/// as in InlineTable) and returns true, or returns false at the end. It is
/// called from the thread that called Engine::run.
struct RowSource {
  std::vector<std::string> columns;
  std::function<bool(std::vector<std::optional<std::string>>& cells)> next;
  std::string origin;  ///< named in messages in place of a file
};

/// Lets another thread stop a run (RunLimits::cancel). Cheap to check; the
/// run stops at its next check (at most a few milliseconds later) with
/// RunStatus::cancelled. A token may be shared by several runs.
class CancelToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  void reset() noexcept { cancelled_.store(false, std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

/// Bounds on one run, for plans and data the host does not trust. A run that
/// reaches a limit stops with the RunStatus naming it and a message; the
/// Engine and the Plan stay usable. Zero / unset: no limit.
struct RunLimits {
  /// Bytecode instructions the run may execute, counted per value computed
  /// (an instruction over a batch of 1,024 rows counts 1,024).
  std::uint64_t max_instructions = 0;
  /// Memory the run's data may take: loaded columns, credits, accumulators
  /// and result tables, counted by the engine as it allocates them (not the
  /// process's resident set).
  std::size_t max_memory_bytes = 0;
  /// Wall-clock time the run may take, from the call to Engine::run.
  std::chrono::milliseconds timeout{0};
  /// Checked throughout the run; null: the run cannot be cancelled.
  std::shared_ptr<const CancelToken> cancel;
};

/// How a run ended.
enum class RunStatus {
  ok,                 ///< results are complete
  failed,             ///< the plan or the data has errors (see messages)
  instruction_limit,  ///< RunLimits::max_instructions reached
  memory_limit,       ///< RunLimits::max_memory_bytes reached
  timeout,            ///< RunLimits::timeout reached
  cancelled,          ///< RunLimits::cancel was set
  internal_error      ///< a bug in Tally (the message says what); please report it
};

/// The name of a status: "ok", "failed", "instruction_limit", ...
const char* status_name(RunStatus status);

class RunInspector;  // internal (interpreter/run_inspector.hpp)

/// A balance a payee carries from one period into the next
/// (RunResult::balances, RunOptions::settled): what a recoverable draw has
/// advanced and not yet recovered, the excess a `cap ... defer` holds back,
/// or what a payment plan (`pay min/max`) still owes.
struct CarriedBalance {
  std::string payee;   ///< roster id
  std::string period;  ///< the period at whose end the balance stands
  std::string kind;    ///< "draw", "deferred" or "carried"
  std::string name;    ///< the draw (kind draw) or the payout it belongs to
  std::string amount;  ///< exact decimal text

  friend bool operator==(const CarriedBalance&, const CarriedBalance&) = default;
};

/// Periods whose payments are final (closed in a payout ledger,
/// docs/adjustments.md "Carried from the ledger"). The run still computes
/// them, but the balance of each recoverable draw it carries out of one into
/// the next period is the one given here, as it stood when the period was
/// paid: an advance paid is final and is recovered from later earnings.
/// (Deferred excess and payment plans are earnings owed; they follow the
/// recomputation, whose differences a ledger posts as adjustments.)
struct SettledPeriods {
  std::vector<std::string> periods;  ///< labels of the plan's calendar ("2026-01")
  /// The balances at the end of each settled period (RunResult::balances of
  /// the run that paid it); a draw balance a settled period does not list is
  /// zero. Rows of other periods, and kinds other than draw, are ignored.
  std::vector<CarriedBalance> balances;
};

/// Where a run is, for a progress display (RunOptions::progress).
struct RunProgress {
  std::string stage;  ///< "load", "credit", ... (the names of RunSummary::stages)
  int step = 0;       ///< 1-based number of the stage
  int steps = 0;      ///< how many stages a run has
  /// Work done and to do within the stage, for a stage that can tell
  /// cheaply: `load` reports the bytes of the source files read so far and
  /// their total; total 0 when unknown.
  std::uint64_t done = 0;
  std::uint64_t total = 0;
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
  /// Data errors (an unknown payee, a duplicate id, split shares that do not
  /// sum to 100%, ...) become warnings, and the rows or credits they concern
  /// are left out and listed in RunResult::rejects, instead of stopping the run.
  bool lenient = false;
  /// Sources given in memory instead of files (what `tally test` runs on):
  /// NAME -> its rows. They take precedence over bindings and data_dir.
  std::map<std::string, InlineTable> tables;
  /// Sources given as the host's typed arrays, and sources whose rows come
  /// from a callback. Like `tables` they take precedence over files; a name
  /// may appear in only one of tables, columns and rows.
  std::map<std::string, ColumnTable> columns;
  std::map<std::string, RowSource> rows;
  /// Bounds for untrusted plans and data (see RunLimits).
  RunLimits limits;
  /// Which result tables to build besides the payouts. On large runs the
  /// credits table (one row per credit) dominates time and memory; a table
  /// not asked for stays empty (no columns) and write_outputs writes no file.
  /// Without the credits table, a run that needs no credit once aggregated
  /// keeps none: it folds them into the measures as it makes them
  /// (docs/performance.md, "Folding while crediting"), with the same results.
  bool credits_table = true;
  bool measures_table = true;
  /// Roster ids whose rows the result keeps; empty: everybody. The run still
  /// computes every payee (roll-ups and overrides need the team); the
  /// payouts, credits and measures tables and the summary's payees, credits
  /// and totals are then restricted to these payees. An id not in the roster
  /// is an error naming it and the nearest roster ids. Rejects (data errors)
  /// are kept whole.
  std::vector<std::string> payees;
  /// Called at the start of each stage of the run, from the thread that
  /// called Engine::run (a display redraws on its own between calls). Null:
  /// no cost at all.
  std::function<void(const RunProgress&)> progress;
  /// How many threads the run's stages may use (loading, crediting,
  /// aggregation): 1 = one, 0 = one per core. Results never depend on it
  /// (docs/performance.md, "Deterministic parallelism").
  unsigned threads = 0;
  /// Internal: observes the state of the run (`tally test`, explain); null
  /// for ordinary runs.
  RunInspector* inspector = nullptr;
  /// Periods already paid for good, whose closing balances the run carries
  /// forward instead of its own (a payout ledger's closed periods).
  SettledPeriods settled;
  /// Streaming (docs/performance.md, "Streaming"): the credited source is
  /// read a chunk of rows at a time, each chunk credited and folded into the
  /// per payee-period accumulators, then dropped, so that memory does not
  /// grow with the number of transactions. Results are the same as a run
  /// that loads everything. `automatic` streams when the run can and its
  /// credited file is 16 MB or more (where streaming is the faster), or
  /// its size times the memory a whole load takes per byte of such a file
  /// (an estimate, docs/performance.md) would pass `stream_memory_fraction`
  /// of the machine's physical memory; `on` streams
  /// or fails with an error naming what prevents it (the credits table, a
  /// clawback, ...); `off` never streams.
  enum class Stream { automatic, on, off };
  Stream stream = Stream::automatic;
  /// The part of physical memory an automatic run may expect to fill before
  /// it streams instead.
  double stream_memory_fraction = 0.5;
  /// Rows per chunk when streaming, and per slice (rounded down to a
  /// multiple of 1,024) when a run that loads its data whole folds its
  /// credits while crediting; 0: the defaults (131,072, and a twelfth of
  /// the rows within 8,192 and 32,768). For
  /// tests, which shrink it to make a small file span several chunks.
  std::size_t stream_chunk_rows = 0;
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
  /// Exact totals per payout component (`commission`, `commission_clawback`,
  /// a draw, `<draw>_recovery`) in plan order: payouts as declared, then
  /// their clawbacks, then draws each followed by its recovery.
  std::vector<std::pair<std::string, std::string>> paid_by_component;
  double seconds = 0;  ///< wall time of the run
  /// Each stage of the run, in order ("load", "credit", ...): its wall time
  /// and the process's peak memory (resident set) at its end.
  struct Stage {
    std::string name;
    double seconds = 0;
    double peak_mb = 0;
  };
  std::vector<Stage> stages;
  /// Under RunOptions::lenient: how many rows or credits were rejected, per
  /// kind of data error (e.g. ("unknown_payee", 2)), in a fixed kind order.
  std::vector<std::pair<std::string, std::size_t>> rejected;
  /// Every source the run read and where from, in declaration order, as
  /// (source name, file path); the path is empty for a source given in
  /// memory (RunOptions::tables). For provenance: `runs` tables, ledgers.
  std::vector<std::pair<std::string, std::string>> inputs;
};

struct RunResult {
  bool ok = false;  ///< status == RunStatus::ok
  RunStatus status = RunStatus::failed;
  std::vector<Message> messages;
  RunSummary summary;
  ResultTable payouts;   ///< payee, period, component, amount
  ResultTable credits;   ///< rule, transaction, row, payee, period, kind, share, amount
  ResultTable measures;  ///< payee, period, measure, value
  /// Under RunOptions::lenient: kind, file, row, transaction, message; one row
  /// per rejected row or credit (written as rejects.csv). No columns otherwise.
  ResultTable rejects;
  /// The roster as the run read it, one row per payee (the latest row of an
  /// effective-dated roster), every field as text: `payee` (the key), then
  /// the other roster fields by their plan names (`name`, `role`, ...).
  /// Reports use it to name payees and group them by role.
  ResultTable payees;
  /// The balances each payee carries out of each period paid (draws,
  /// deferred excess, payment plans), in the order of the payouts table.
  /// A mechanism the plan does not use has no rows.
  std::vector<CarriedBalance> balances;
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

/// One step of the derivation of a value: what it is, its value, and the
/// values it was computed from.
struct ExplainNode {
  std::string label;  ///< the expression as written, or what the step is (`tier 50%..100% at 8%`)
  std::string value;  ///< printed with its unit (`7400.00 USD`, `120%`); empty for a heading
  std::string note;   ///< e.g. `measure`, `cap: bound`, `not evaluated`; may be empty
  std::vector<ExplainNode> children;
};

/// The derivation of one payout or value for one payee in one period.
struct Explanation {
  bool ok = false;
  std::vector<Message> messages;  ///< why there is none, when !ok
  ExplainNode root;
  std::string text;  ///< the tree as indented text, one node a line
};

/// A named declaration of a plan, for tools that list or complete them.
struct Declaration {
  enum class Kind { source, table, rates, measure, let, payout, draw, territory, function };
  Kind kind = Kind::let;
  std::string name;
  int line = 0;      ///< where it is declared, 1-based
  std::string type;  ///< measures and lets: the value's type (`money (USD)`, `percent`); else empty
  bool per_payee = false;  ///< measures, lets, payouts, draws: a value per payee and period
  /// Draws: whether the draw is recoverable (an advance, recovered from later
  /// earnings) rather than a guarantee.
  bool recoverable = false;
};

/// One explanation asked of Engine::explain_many.
struct ExplainRequest {
  std::string payee;   ///< roster id
  std::string period;  ///< a label of the plan's calendar ("2026-Q1")
  std::string name;    ///< a payout, measure or let
};

/// The outcome of one `test` block.
struct TestResult {
  std::string name;
  bool passed = false;
  /// For a failure: each failed `expect` with its expected and actual values
  /// and the explain tree of the actual value, or the run's errors.
  std::string details;
};

/// The outcome of the `test` blocks of one plan.
struct TestReport {
  std::vector<TestResult> tests;  ///< in declaration order
  std::size_t passed = 0;
  std::size_t failed = 0;
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Parses and checks plan text; `name` is the file name used in messages.
  CompileResult compile(std::string source, std::string name) const;
  /// The same, with a choice of how imports are resolved.
  CompileResult compile(std::string source, std::string name, const CompileOptions& options) const;
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
  /// The plan's name as its header gives it (`plan "AE Plan 2026" version 1`).
  std::string plan_name(const Plan& plan) const;
  /// The plan's declarations in the order written (imports first).
  std::vector<Declaration> declarations(const Plan& plan) const;
  /// Runs the plan's `test` blocks, each over the rows it states (docs/testing.md).
  TestReport test(const Plan& plan) const;
  /// How payout or value `name` of `payee` in `period` (a label, "2026-Q1")
  /// was computed, in a run over `options`' data.
  Explanation explain(const Plan& plan, const RunOptions& options, const std::string& payee,
                      const std::string& period, const std::string& name) const;
  /// Several explanations from one run over `options`' data, in the order
  /// asked (a statement per payee needs hundreds; each `explain` runs the
  /// plan once). A request that cannot be explained gets !ok and messages;
  /// when the run itself fails every one carries the run's messages.
  std::vector<Explanation> explain_many(const Plan& plan, const RunOptions& options,
                                        const std::vector<ExplainRequest>& requests) const;
};

/// The library's version ("0.1.0").
std::string version();

/// The file formats write_outputs can write.
enum class OutputFormat {
  csv,    ///< payouts.csv, credits.csv, measures.csv, rejects.csv
  json,   ///< payouts.json, credits.json, measures.json, rejects.json and run.json
  sqlite  ///< one database, tally.sqlite, with a table per result and `runs`
};

/// What a run was asked to do and when, recorded beside its results by the
/// json (run.json) and sqlite (table `runs`) formats. The plan's and each
/// input file's SHA-256 are computed by write_outputs.
struct RunRecord {
  std::string plan_path;
  std::string started_utc;                  ///< ISO-8601 UTC, `2026-11-27T10:14:02Z`
  double seconds = 0;                       ///< compile and run, before writing
  std::optional<std::string> first_period;  ///< as asked; unset: the default
  std::optional<std::string> last_period;
  std::vector<std::string> payees;  ///< as asked; empty: everybody
  bool lenient = false;
};

/// Writes payouts.csv, credits.csv and measures.csv (those the run built)
/// and rejects.csv (under --lenient) into `directory` (created if missing); an
/// older file of a table this run did not build is removed, as it would
/// describe another run. Files are written to a temporary place first and
/// renamed, so on failure no partial file is left in `directory`.
std::vector<Message> write_outputs(const RunResult& result, const std::string& directory);

/// Writes the run's tables into `directory` in `format`, like the overload
/// above (atomic: a temporary file or folder, then a rename; on failure
/// nothing is left). csv: as above. json: one array of objects per table,
/// every cell a string exactly as in the CSV, plus run.json. sqlite: the
/// single file `tally.sqlite`, replaced whole, with tables `payouts`,
/// `credits`, `measures`, `rejects` (those built) and `runs` (docs/cli.md).
/// Files of other formats in `directory` are left alone.
std::vector<Message> write_outputs(const RunResult& result, const std::string& directory,
                                   OutputFormat format, const RunRecord& record);

}  // namespace tally

#pragma GCC visibility pop
