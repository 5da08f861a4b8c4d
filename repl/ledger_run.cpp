#include "repl/ledger_run.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "interpreter/runtime/sha256.hpp"
#include "ledger/adjustments.hpp"
#include "repl/ledger_messages.hpp"

namespace tally::cli {

namespace {

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{{path, 0, 0, 0}, "cannot read the plan " + path, ""};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t column_of(const ResultTable& table, const char* name) {
  return static_cast<std::size_t>(std::find(table.columns.begin(), table.columns.end(), name) -
                                  table.columns.begin());
}

/// The run's options that change what it computes (not where files are:
/// their contents count through their hashes).
std::string parameters_json(const RunOptions& options) {
  nlohmann::json j = nlohmann::json::object();
  j["first_period"] = options.first_period.value_or("");
  j["last_period"] = options.last_period.value_or("");
  j["lenient"] = options.lenient;
  return j.dump();
}

Errors messages_as_errors(const std::vector<Message>& messages) {
  Errors out;
  for (const auto& m : messages)
    if (m.severity == Message::Severity::error)
      out.push_back(Error{{m.file, m.line, m.column, 0}, m.text, m.hint});
  return out;
}

}  // namespace

Result<LedgerRunPlan> prepare_ledger_run(const std::string& ledger_path,
                                         const std::string& plan_path,
                                         const std::optional<std::string>& period) {
  auto opened = ledger::Ledger::open(ledger_path);
  if (!opened) return opened.take_errors();
  auto text = read_text(plan_path);
  if (!text) return text.take_errors();
  auto current = ledger::read_plan_version(*text, plan_path);
  if (!current) return current.take_errors();
  ledger::PlanVersion version = *current;
  if (period) {
    auto in_force = ledger::version_for_period(*opened, *current, *period);
    if (!in_force) return in_force.take_errors();
    version = std::move(*in_force);
  }
  auto settled = ledger::carried_from_ledger(*opened);
  if (!settled) return settled.take_errors();
  return LedgerRunPlan{std::move(*opened), std::move(version), std::move(*text),
                       std::move(*settled)};
}

Result<ledger::RecordOutcome> record_ledger_run(const Engine& engine, LedgerRunPlan& prepared,
                                                const LedgerRunFacts& facts, bool quiet) {
  ledger::Ledger& book = prepared.ledger;
  const RunOptions& options = *facts.options;
  const RunResult& result = *facts.result;
  auto last_event = book.last_event_id();
  if (!last_event) return last_event.take_errors();
  auto closed_list = book.closed_periods();
  if (!closed_list) return closed_list.take_errors();
  const std::set<std::string> closed(closed_list->begin(), closed_list->end());

  ledger::RunInput run;
  run.started_utc = facts.started_utc;
  run.user = ledger_user();
  run.tally_version = version();
  run.plan_path = facts.plan_path;
  run.plan_text = prepared.version.text;
  run.plan_sha256 = sha256_hex(prepared.version.text);
  run.plan_name = facts.plan ? engine.plan_name(*facts.plan) : prepared.version.name;
  run.plan_version = prepared.version.version;
  run.plan_effective = prepared.version.effective;
  run.parameters = parameters_json(options);
  run.last_event_seen = *last_event;
  for (const auto& [source, path] : result.summary.inputs) {
    std::string hash;
    if (!path.empty()) {
      auto digest = sha256_file(path);
      if (!digest) return digest.take_errors();
      hash = *digest;
    }
    run.inputs.push_back({source, path, hash});
  }

  // The periods the run computed, in calendar order; closed ones are only
  // compared (adjustments), never recorded again.
  std::vector<std::string> computed;
  for (const auto& [label, amount] : result.summary.paid_by_period) computed.push_back(label);
  if (!result.ok) {
    run.ok = false;
    for (const auto& e : messages_as_errors(result.messages)) run.errors.push_back(e.message);
    if (run.errors.empty())
      run.errors.push_back(std::string("the run ") + status_name(result.status));
    for (const auto& label : {options.first_period, options.last_period})
      if (label && std::find(computed.begin(), computed.end(), *label) == computed.end())
        computed.push_back(*label);
  }
  for (const auto& label : computed)
    if (!closed.count(label)) run.periods.push_back(label);
  if (run.periods.empty()) {
    if (computed.empty())
      return Error{{book.path(), 0, 0, 0},
                   "the run computed no period, so there is nothing to record in " + book.path(),
                   "name the period to record: --period LABEL"};
    return Error{{book.path(), 0, 0, 0},
                 "every period the run computed (" + computed.front() +
                     (computed.size() > 1 ? ".." + computed.back() : std::string()) +
                     ") is closed in " + book.path() + "; closed periods never change",
                 "run an open period: a later period posts adjustments for closed ones"};
  }

  if (result.ok) {
    const std::set<std::string> recorded(run.periods.begin(), run.periods.end());
    const auto& t = result.payouts;
    const std::size_t payee = column_of(t, "payee"), period = column_of(t, "period"),
                      component = column_of(t, "component"), amount = column_of(t, "amount");
    for (const auto& row : t.rows)
      if (recorded.count(row[period]))
        run.payouts.push_back({row[payee], row[period], row[component], row[amount]});
    for (const CarriedBalance& b : result.balances)
      if (recorded.count(b.period))
        run.balances.push_back({b.payee, b.period, b.kind, b.name, b.amount});
    const auto& rejects = result.rejects;
    if (!rejects.columns.empty()) {
      const std::size_t kind = column_of(rejects, "kind"), file = column_of(rejects, "file"),
                        line = column_of(rejects, "row"), text = column_of(rejects, "message");
      for (const auto& row : rejects.rows) {
        auto cell = [&](std::size_t at) { return at < row.size() ? row[at] : std::string(); };
        run.errors.push_back("rejected (" + cell(kind) + ") " + cell(file) + ":" + cell(line) +
                             ": " + cell(text));
      }
    }
    // Adjustments for the closed periods before the first open one this run records.
    if (!closed.empty()) {
      // Every version the ledger knows plus today's file: each closed period
      // is recomputed under the version in force for it.
      auto current = ledger::read_plan_version(prepared.file_text, facts.plan_path);
      if (!current) return current.take_errors();
      auto versions = ledger::known_versions(book, *current);
      if (!versions) return versions.take_errors();
      auto lines =
          ledger::prior_period_adjustments(engine, book, *versions, options, run.periods.front());
      if (!lines) return lines.take_errors();
      run.adjustments = std::move(*lines);
    }
  }

  auto outcome = book.record_run(run);
  if (!outcome) return outcome.take_errors();
  if (!quiet) {
    const std::string periods =
        run.periods.front() + (run.periods.size() > 1 ? ".." + run.periods.back() : "");
    if (outcome->unchanged)
      std::cout << "ledger: " << periods << " unchanged (same inputs and results as run #"
                << outcome->run_id << ") in " << book.path() << "\n";
    else
      std::cout << "ledger: recorded run #" << outcome->run_id << " for " << periods << " ("
                << run.payouts.size() << " payouts, " << run.adjustments.size() << " adjustments"
                << (run.ok ? "" : ", FAILED") << ") in " << book.path() << "\n";
  }
  return outcome;
}

}  // namespace tally::cli
