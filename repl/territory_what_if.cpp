// The what-if: change file -> moved plan -> its report and two runs.
#include "repl/territory_what_if.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "repl/territory_books.hpp"
#include "repl/territory_changes.hpp"

namespace tally::cli {

namespace {

Message plain_error(const std::string& text, const std::string& file = "") {
  Message m;
  m.file = file;
  m.text = text;
  m.rendered = (file.empty() ? "" : file + ": ") + "error: " + text;
  return m;
}

Amount amount_of(const std::string& text) {
  const auto a = Amount::parse(text);
  return a ? *a : Amount();
}

/// Total paid per label of `pairs` (a run summary's by-component or by-payee list).
std::map<std::string, Amount> totals(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::map<std::string, Amount> out;
  for (const auto& [label, amount] : pairs) out[label] += amount_of(amount);
  return out;
}

std::vector<CostLine> changed(const std::vector<std::pair<std::string, std::string>>& before,
                              const std::vector<std::pair<std::string, std::string>>& after,
                              bool keep_order) {
  const std::map<std::string, Amount> a = totals(before);
  const std::map<std::string, Amount> b = totals(after);
  std::vector<std::string> labels;
  if (keep_order) {
    for (const auto& [label, amount] : before) labels.push_back(label);
    for (const auto& [label, amount] : after)
      if (!a.count(label)) labels.push_back(label);
  } else {
    std::map<std::string, int> all;
    for (const auto& [label, amount] : a) all[label] = 0;
    for (const auto& [label, amount] : b) all[label] = 0;
    for (const auto& [label, zero] : all) labels.push_back(label);
  }
  std::vector<CostLine> out;
  for (const std::string& label : labels) {
    CostLine line{label, a.count(label) ? a.at(label) : Amount(),
                  b.count(label) ? b.at(label) : Amount()};
    if (!(line.before == line.after)) out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

WhatIfResult run_what_if(const Engine& engine, const Plan& plan, const std::string& plan_path,
                         const RunOptions& options, const TerritoryReport& before,
                         const ChosenFields& fields, const std::string& change_path, bool books) {
  WhatIfResult out;
  std::ifstream in(change_path, std::ios::binary);
  if (!in) {
    out.messages.push_back(plain_error("cannot read the change file", change_path));
    return out;
  }
  std::stringstream text;
  text << in.rdbuf();
  ChangeFile changes =
      read_changes(change_path, text.str(), before, fields.account, books ? "payee" : "territory");
  if (!changes.messages.empty()) {
    out.messages = std::move(changes.messages);
    return out;
  }
  MovedPlan moved =
      books ? plan_with_book_moves(plan, changes.moves) : plan_with_moves(plan, changes.moves);
  if (!moved.ok) {
    out.messages = std::move(moved.messages);
    return out;
  }
  CompileResult compiled = engine.compile(moved.text, plan_path);
  if (!compiled.plan) {
    out.messages.push_back(
        plain_error("the plan with the moves of " + change_path + " does not compile:"));
    for (Message& m : compiled.messages) out.messages.push_back(std::move(m));
    return out;
  }
  TerritoryReport after = territory_report(*compiled.plan, options);
  if (!after.ok) {
    out.messages = std::move(after.messages);
    return out;
  }
  if (books) {
    // A book emptied by the moves stays in the balance, with nothing in it.
    after = group_report(after, "").report;
    std::set<std::string> names;
    for (const TerritoryInfo& t : before.territories) names.insert(t.name);
    for (const TerritoryInfo& t : after.territories) names.insert(t.name);
    after.territories.clear();
    for (const std::string& name : names) {
      TerritoryInfo info;
      info.name = info.owner = name;
      info.declared = false;
      after.territories.push_back(std::move(info));
    }
  }

  RunOptions quick = options;
  quick.credits_table = false;
  quick.measures_table = false;
  const RunResult run_before = engine.run(plan, quick);
  const RunResult run_after = engine.run(*compiled.plan, quick);
  for (const RunResult* run : {&run_before, &run_after}) {
    if (run->ok) continue;
    out.messages.push_back(plain_error(run == &run_before ? "the plan's own run failed:"
                                                          : "the run with the moves failed:"));
    for (const Message& m : run->messages)
      if (m.severity == Message::Severity::error) out.messages.push_back(m);
    return out;
  }

  WhatIf w;
  w.file = change_path;
  w.moves = std::move(changes.moves);
  for (std::size_t r = 0; r < before.rows.size() && r < after.rows.size(); ++r)
    if (before.rows[r].winner != after.rows[r].winner ||
        before.rows[r].matched != after.rows[r].matched)
      ++w.moved;
  w.after = balance_of(after, fields);
  w.currency = run_before.summary.currency;
  w.total = CostLine{"total", amount_of(run_before.summary.total_paid),
                     amount_of(run_after.summary.total_paid)};
  w.components =
      changed(run_before.summary.paid_by_component, run_after.summary.paid_by_component, true);
  w.payees = changed(run_before.summary.paid_by_payee, run_after.summary.paid_by_payee, false);
  out.what_if = std::move(w);
  return out;
}

}  // namespace tally::cli
