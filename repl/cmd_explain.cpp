// `tally explain`: how a payee's pay in one period was computed — every
// payout's formula with its sub-values, tier slices, caps and floors, the
// measures with the credits that fed them, and the rounding — as an indented
// tree, or as JSON for other tools. With --closed (or --ledger PATH), a
// period closed in the ledger is explained as it was computed then: with the
// plan text stored with the run that the close froze, and a clear warning
// when today's data files no longer have that run's hashes
// (docs/adjustments.md, "Explain against a closed period").
#include <chrono>
#include <iostream>
#include <memory>

#include "interpreter/runtime/sha256.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/summary.hpp"
#include "tally/explain.hpp"
#include "tally/json.hpp"

namespace tally::cli {

namespace {

/// Credits listed under a measure in text unless --all-credits.
constexpr std::size_t kCreditsShown = 20;

struct ExplainArgs {
  std::string plan;
  std::string data = ".";
  std::vector<std::string> binds;
  std::string payee;
  std::string period;
  std::string component;
  bool json = false;
  bool lenient = false;
  bool all_credits = false;
  bool timings = false;
  StreamFlags streaming;
  bool closed = false;
  std::string ledger;
};

/// What the ledger says about the closed period being explained.
struct ClosedPeriod {
  ledger::PeriodEvent close;
  ledger::RunInfo run;
  std::vector<ledger::PaidLine> paid;  ///< the payee's rows only
};

std::string short_hash(const std::string& sha256) {
  return sha256.substr(0, 12);
}

/// The close that froze `period` and its run; nullopt when the period is open
/// (explained as any period is). A period the ledger never saw is an error.
int find_closed_period(const ExplainArgs& args, std::optional<ClosedPeriod>& out) {
  const std::string path = ledger::ledger_path(args.plan, args.ledger);
  ledger::OpenOptions open_options;
  open_options.create = false;
  auto opened = ledger::Ledger::open(path, open_options);
  auto fail = [](const Errors& errors) {
    for (const Error& e : errors) {
      std::cerr << "tally explain: error: " << e.message << "\n";
      if (!e.hint.empty()) std::cerr << "  hint: " << e.hint << "\n";
    }
    return kExitPlanError;
  };
  if (!opened) return fail(opened.errors());
  const ledger::Ledger& book = *opened;
  auto info = book.period(args.period);
  if (!info) return fail(info.errors());
  if (!*info) {
    std::string hint;
    if (auto known = book.periods()) {
      std::vector<std::string> labels;
      for (const auto& p : *known) labels.push_back(p.label);
      if (auto near = closest_match(args.period, labels))
        hint = "did you mean " + *near + "?";
      else if (!labels.empty())
        hint = "the ledger has " + labels.front() + " to " + labels.back();
    }
    return fail({Error{{}, "period " + args.period + " is not in the ledger " + path, hint}});
  }
  if (!(*info)->closed) {
    std::cerr << "tally explain: note: period " << args.period << " is open in " << path
              << ": explained with today's plan and data\n";
    return kExitOk;
  }
  auto events = book.events(args.period);
  if (!events) return fail(events.errors());
  const ledger::PeriodEvent* close = nullptr;
  for (const auto& event : *events)
    if (event.action == "close") close = &event;
  if (!close || !close->run_id)
    return fail({Error{{},
                       "the ledger " + path + " has no run frozen by the close of " + args.period,
                       "the ledger file may be damaged"}});
  auto run = book.run(*close->run_id);
  if (!run) return fail(run.errors());
  auto paid = book.paid(args.period);
  if (!paid) return fail(paid.errors());
  ClosedPeriod closed{*close, std::move(*run), {}};
  for (auto& line : *paid)
    if (line.payee == args.payee) closed.paid.push_back(std::move(line));
  out = std::move(closed);
  return kExitOk;
}

/// Data files whose content is no longer what the closed run read: "NAME
/// (then HASH, now HASH)" per source, in the run's order.
std::vector<std::string> changed_inputs(
    const ledger::RunInfo& run, const std::vector<std::pair<std::string, std::string>>& now) {
  std::vector<std::string> changed;
  for (const ledger::InputHash& then : run.inputs) {
    std::string now_hash = "missing";
    for (const auto& [source, path] : now) {
      if (source != then.source) continue;
      if (path.empty()) {
        now_hash = "given in memory";
      } else if (auto hashed = sha256_file(path)) {
        now_hash = short_hash(*hashed);
        if (*hashed == then.sha256) now_hash.clear();
      }
    }
    if (!now_hash.empty())
      changed.push_back(then.source + " (then " + short_hash(then.sha256) + ", now " + now_hash +
                        ")");
  }
  return changed;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

int explain(const Engine& engine, const ExplainArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) {
    std::cerr << "tally explain: error: " << *bad << "\n";
    return kExitUsage;
  }
  options.lenient = args.lenient;
  if (auto bad = args.streaming.apply(options)) {
    std::cerr << "tally explain: error: " << *bad << "\n";
    return kExitUsage;
  }

  std::optional<ClosedPeriod> closed;
  if (args.closed || !args.ledger.empty()) {
    if (const int code = find_closed_period(args, closed); code != kExitOk) return code;
  }

  if (closed) {
    // As the ledger run computed it: for that period (and what the plan
    // year before it carries), not for later periods whose data may be
    // incomplete.
    options.first_period = args.period;
    options.last_period = args.period;
  }

  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  // A closed period is explained with the plan text its run used, whatever
  // the plan file says today.
  const auto compiled = closed ? engine.compile(closed->run.plan_text, closed->run.plan_path)
                               : engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const auto compiled_at = Clock::now();
  const PayExplanation explained =
      explain_pay(engine, *compiled.plan, options, args.payee, args.period, args.component);
  const auto explained_at = Clock::now();
  print_messages(explained.messages);
  if (!explained.ok) return kExitPlanError;
  std::vector<std::string> changed;
  if (closed) changed = changed_inputs(closed->run, explained.summary.inputs);
  if (closed && !changed.empty())
    std::cerr << "tally explain: warning: data changed since run " << closed->run.id << " computed "
              << args.period << ": " << join(changed)
              << "; the tree applies the plan as it was then to today's data and may differ "
                 "from what was paid\n";
  if (args.json) {
    nlohmann::json out;
    out["plan"] = args.plan;
    out["payee"] = args.payee;
    out["period"] = explained.period;
    out["component"] = args.component.empty() ? nlohmann::json() : nlohmann::json(args.component);
    out["currency"] = explained.summary.currency;
    out["tree"] = to_json(explained.root);
    if (closed) {
      nlohmann::json book;
      book["closed_at"] = closed->close.at_utc;
      book["closed_by"] = closed->close.user;
      book["run"] = closed->run.id;
      book["run_started"] = closed->run.started_utc;
      book["plan_sha256"] = closed->run.plan_sha256;
      book["plan_version"] = closed->run.plan_version;
      book["data_unchanged"] = changed.empty();
      book["data_changed"] = changed;
      nlohmann::json paid = nlohmann::json::array();
      for (const auto& line : closed->paid)
        paid.push_back({{"component", line.component},
                        {"origin_period", line.origin_period},
                        {"amount", line.amount}});
      book["paid"] = paid;
      out["ledger"] = book;
    }
    std::cout << out.dump(2) << "\n";
  } else {
    if (closed) {
      const auto& run = closed->run;
      std::cout << "period " << args.period << ": closed " << closed->close.at_utc << " by "
                << closed->close.user << ", paid from run " << run.id << " (" << run.started_utc
                << ", plan \"" << run.plan_name << "\""
                << (run.plan_version.empty() ? "" : " version " + run.plan_version)
                << ", plan sha256 " << short_hash(run.plan_sha256) << ")\n";
      std::cout << "paid to " << args.payee << " in " << args.period << ":"
                << (closed->paid.empty() ? " nothing" : "") << "\n";
      for (const auto& line : closed->paid)
        std::cout << "  " << line.component << " " << line.amount
                  << (line.origin_period == args.period
                          ? ""
                          : " (adjustment for " + line.origin_period + ")")
                  << "\n";
      if (changed.empty())
        std::cout << "data: unchanged since run " << run.id
                  << ": the tree below is the computation as it was paid\n";
      else
        std::cout << "data: CHANGED since run " << run.id << ": " << join(changed)
                  << "; the tree below applies the plan as it was then to today's data and "
                     "may differ from what was paid\n";
      std::cout << "\n";
    }
    std::cout << render_explanation(explained.root, args.all_credits ? 0 : kCreditsShown);
  }
  if (args.timings) {
    auto seconds = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    const auto& run_stages = explained.summary.stages;
    std::vector<RunSummary::Stage> stages = {{"compile", seconds(started, compiled_at), 0}};
    stages.insert(stages.end(), run_stages.begin(), run_stages.end());
    double in_run = 0;
    double load = 0;
    for (const auto& stage : run_stages) {
      in_run += stage.seconds;
      if (stage.name == "load") load = stage.seconds;
    }
    // the explain chunk is compiled before the run starts, the trees are
    // built during `payouts`: what the stages do not cover is that setup.
    const double explain_total = seconds(compiled_at, explained_at);
    stages.push_back({"explain setup", std::max(0.0, explain_total - in_run),
                      run_stages.empty() ? 0 : run_stages.back().peak_mb});
    stages.push_back({"print", seconds(explained_at, Clock::now()), stages.back().peak_mb});
    std::cerr << format_timings(stages);
    char line[128];
    std::snprintf(line, sizeof line, "  after load: %.4f s (explain minus compile and load)\n",
                  explain_total - load + stages.back().seconds);
    std::cerr << line;
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain",
                                 "Show how a payee's pay in one period was computed, step by step");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  add_bind_option(cmd, args->binds);
  cmd->add_option("--payee", args->payee, "The payee's roster id, e.g. ann")->required();
  cmd->add_option("--period", args->period, "The period, e.g. 2026-Q1")->required();
  cmd->add_option("--component,-c", args->component,
                  "Explain only this payout, measure or let (default: every payout of the payee)");
  cmd->add_flag("--json", args->json, "Print the tree as JSON on stdout");
  cmd->add_flag("--all-credits", args->all_credits,
                "List every credit of a measure (text shows the 20 largest, then their count "
                "and total)");
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings and leave out the rows or credits concerned");
  cmd->add_flag("--closed", args->closed,
                "Explain a period closed in the ledger (tally.db beside the plan) as it was "
                "computed then: with the plan text of the run its close froze, and a warning "
                "when a data file changed since");
  cmd->add_option("--ledger", args->ledger,
                  "The ledger file for --closed (implies --closed; default: tally.db beside the "
                  "plan)");
  cmd->add_flag("--timings", args->timings,
                "Print the wall time of each stage to stderr, and the time after the load");
  args->streaming.add_to(cmd, "keeping only the payee's credits");
  return {cmd, [args](const Engine& engine) { return explain(engine, *args); }};
}

}  // namespace tally::cli
