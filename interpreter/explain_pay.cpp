// A payee's whole pay in one period, explained (tally/explain.hpp): the
// tree of every payout that applies, from one run, under a root whose value
// is what the run paid — the rows the run adds after the period (draws,
// recoveries, clawbacks) included, so the children add up to the root.
#include <algorithm>

#include "interpreter/explain.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/value_format.hpp"
#include "tally/explain.hpp"

namespace tally {

namespace {

Message error_message(std::string text, std::string hint) {
  Message m;
  m.text = std::move(text);
  m.hint = std::move(hint);
  m.rendered = "error: " + m.text + (m.hint.empty() ? "" : "\nhint: " + m.hint);
  return m;
}

bool is_draw(const PlanModel& model, std::string_view name) {
  return std::any_of(model.draws.begin(), model.draws.end(),
                     [&](const DrawModel& d) { return d.decl && d.decl->name == name; });
}

bool is_payout(const PlanModel& model, std::string_view name) {
  return std::any_of(model.payouts.begin(), model.payouts.end(),
                     [&](const PayoutModel& p) { return p.decl->name == name; });
}

/// What a payouts row that is not a payout of the plan is.
std::string added_row_note(const PlanModel& model, const std::string& component) {
  if (is_draw(model, component)) return "draw";
  auto stem = [&](std::string_view suffix) -> std::optional<std::string> {
    if (!component.ends_with(suffix)) return std::nullopt;
    return component.substr(0, component.size() - suffix.size());
  };
  if (auto draw = stem("_recovery"); draw && is_draw(model, *draw))
    return "recovery of draw `" + *draw + "`";
  if (auto payout = stem("_clawback"); payout && is_payout(model, *payout))
    return "clawback of payout `" + *payout + "`";
  return "added by the run";
}

std::vector<Message> warnings_of(const RunResult& run) {
  std::vector<Message> out;
  for (const Message& m : run.messages)
    if (m.severity != Message::Severity::error) out.push_back(m);
  return out;
}

}  // namespace

PayExplanation explain_pay(const Engine& engine, const Plan& plan, const RunOptions& options,
                           const std::string& payee, const std::string& period,
                           const std::string& component) {
  const PlanModel& model = *plan.model;
  PayExplanation out;
  RunOptions run_options = options;
  run_options.credits_table = false;
  run_options.measures_table = false;
  std::vector<ExplainRequest> requests;
  if (!component.empty()) {
    requests.push_back({payee, period, component});
  } else {
    for (const PayoutModel& p : model.payouts) requests.push_back({payee, period, p.decl->name});
  }
  RunResult run;
  auto answers = explain_in_one_run(engine, plan, run_options, requests, &run);
  out.summary = run.summary;
  if (!run.ok) {
    out.messages = run.messages;
    return out;
  }
  out.messages = warnings_of(run);
  std::vector<std::string> periods;
  for (const auto& [label, amount] : run.summary.paid_by_period) periods.push_back(label);
  const auto when = parse_period(period, model.calendar);
  if (!when) {
    std::string hint;
    if (const auto near = nearest_names(period, periods, 1); !near.empty())
      hint = "did you mean " + near[0] + "? ";
    std::string all;
    for (const auto& p : periods) all += (all.empty() ? "" : ", ") + p;
    hint += periods.empty() ? "the run pays no period" : "the run pays " + all;
    out.messages.push_back(error_message("\"" + period +
                                             "\" is not a period of this plan (periods look like " +
                                             (model.calendar.fiscal ? "FY2027-Q1)" : "2026-Q1)"),
                                         hint));
    return out;
  }
  for (const Explanation& answer : answers) {
    if (answer.ok) continue;
    out.messages.insert(out.messages.end(), answer.messages.begin(), answer.messages.end());
    return out;
  }
  out.period = period_label(*when, model.calendar);
  if (!component.empty()) {
    out.ok = true;
    out.root = std::move(answers.front().root);
    return out;
  }
  const std::string& label = out.period;
  if (requests.empty()) {  // no payout to ask about: check the payee and period here
    const bool known =
        std::any_of(run.payees.rows.begin(), run.payees.rows.end(),
                    [&](const auto& row) { return !row.empty() && row[0] == payee; });
    if (!known) {
      out.messages.push_back(error_message("\"" + payee + "\" is not a payee of the run", ""));
      return out;
    }
  }
  const Type money = Type::money_in(model.currency);
  ExplainNode root;
  root.label = "pay(" + payee + ", " + label + ")";
  Decimal total;
  std::size_t components = 0;
  for (const auto& row : run.payouts.rows) {
    if (row[0] != payee || row[1] != label) continue;
    const Decimal amount = Decimal::parse(row[3]).value_or(Decimal{});
    total = total + amount;
    ++components;
    const std::string paid = format_with_unit(amount, money);
    const auto payout = std::find_if(model.payouts.begin(), model.payouts.end(),
                                     [&](const PayoutModel& p) { return p.decl->name == row[2]; });
    if (payout == model.payouts.end()) {
      root.children.push_back(
          {row[2] + "(" + payee + ", " + label + ")", paid, added_row_note(model, row[2]), {}});
      continue;
    }
    ExplainNode tree =
        std::move(answers[static_cast<std::size_t>(payout - model.payouts.begin())].root);
    if (tree.value != paid) {
      // a yearly or deferred cap, a yearly floor or a payment plan moved it.
      tree.children.push_back({"paid after what carries over periods",
                               paid,
                               "the period's own computation gave " + tree.value,
                               {}});
      tree.value = paid;
    }
    root.children.push_back(std::move(tree));
  }
  root.value = format_with_unit(total, money);
  root.note = components == 0   ? "no payout applies to this payee in this period"
              : components == 1 ? "1 component"
                                : std::to_string(components) + " components";
  out.ok = true;
  out.root = std::move(root);
  return out;
}

}  // namespace tally
