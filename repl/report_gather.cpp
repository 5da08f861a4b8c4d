#include "repl/report_gather.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "interpreter/runtime/spelling.hpp"
#include "repl/cross_sell.hpp"
#include "repl/report_territory.hpp"
#include "repl/statement_tree.hpp"

namespace tally::cli {

namespace {

Message error_message(std::string text, std::string hint = {}) {
  Message m;
  m.text = std::move(text);
  m.hint = std::move(hint);
  // a flag's error, worded as the command's own usage errors
  m.rendered = "tally report: error: " + m.text + (m.hint.empty() ? "" : "\nhint: " + m.hint);
  return m;
}

bool per_payee_value(const Declaration& d) {
  return (d.kind == Declaration::Kind::measure || d.kind == Declaration::Kind::let) && d.per_payee;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

/// The declaration `name` names, when it is a per-payee measure or let;
/// else an error saying what there is, with the closest name.
const Declaration* find_value(const std::vector<Declaration>& declarations, const std::string& name,
                              const std::string& flag, std::vector<Message>& messages,
                              bool measures_only = false) {
  std::vector<std::string> candidates;
  for (const auto& d : declarations) {
    if (!per_payee_value(d)) continue;
    if (d.name == name) return &d;
    if (!measures_only || d.kind == Declaration::Kind::measure) candidates.push_back(d.name);
  }
  const std::string kinds = measures_only ? "measures" : "measures and lets";
  std::string hint = candidates.empty() ? "the plan declares no " + kinds + " per payee"
                                        : "the plan's " + kinds + ": " + join(candidates);
  if (const auto close = closest_match(name, candidates))
    hint = "did you mean `" + *close + "`? (" + hint + ")";
  messages.push_back(
      error_message(flag + " expects a " + (measures_only ? "measure" : "measure or let") +
                        " of the plan with a value per payee, found \"" + name + "\"",
                    hint));
  return nullptr;
}

/// Cross-sell over the won deals of the pipeline, when it names accounts
/// and products and there is an accounts table; else a note saying what is
/// missing. A table given with --accounts that cannot be read is a note too:
/// the rest of the report stands without it.
void add_cross_sell(const PipelineData& pipeline, const std::string& data_dir,
                    const ReportRequest& request, ReportInput& in) {
  namespace fs = std::filesystem;
  if (pipeline.spec.account.empty() || pipeline.spec.product.empty()) {
    in.cross_sell_note = "No cross-sell analysis: the pipeline source has no " +
                         std::string(pipeline.spec.account.empty() ? "account" : "product") +
                         " field.";
    return;
  }
  const std::string accounts_path =
      request.accounts.empty() ? (fs::path(data_dir) / "accounts.csv").string() : request.accounts;
  std::error_code error;
  if (request.accounts.empty() && !fs::exists(accounts_path, error)) {
    in.cross_sell_note =
        "No cross-sell analysis: there is no accounts table (accounts.csv in the data folder, or "
        "--accounts FILE) giving each account's sector and size.";
    return;
  }
  const AccountsResult accounts = read_accounts(accounts_path);
  if (!accounts.messages.empty()) {
    in.cross_sell_note = "No cross-sell analysis: " + accounts.messages.front().text;
    return;
  }
  const std::string products_path =
      request.products.empty() ? (fs::path(data_dir) / "products.csv").string() : request.products;
  const std::vector<std::string> known = read_product_lines(products_path);
  std::vector<Purchase> purchases;
  for (const Opportunity& o : pipeline.opportunities)
    if (o.outcome == Outcome::won && !o.account.empty())
      purchases.push_back({o.account, canonical_line(o.product, known)});
  in.cross_sell = find_cross_sell(accounts.accounts, purchases, CrossSellOptions{});
}

bool named_pipeline(const PipelineSpec& spec) {
  for (const auto* field : {&spec.source, &spec.owner, &spec.stage, &spec.value, &spec.opened,
                            &spec.closed, &spec.account, &spec.product})
    if (!field->empty()) return true;
  return false;
}

/// A percent bound or rate as printed (`50%`), as a number (50); nullopt
/// for anything else (a money bound: not the attainment scale).
std::optional<double> percent_of(const std::string& text) {
  const auto number = parse_number(text);
  if (!number || number->unit != "%") return std::nullopt;
  return number->number;
}

/// The first payout whose explanations show a tier ladder on percents of a
/// base, read from every payee-period's answer (the bases differ; the tiers
/// are those of the first answer).
std::optional<TierCurve> tier_curve(const std::vector<std::string>& payouts,
                                    const std::vector<ExplainRequest>& requests,
                                    const std::vector<Explanation>& answers) {
  std::optional<TierCurve> curve;
  for (std::size_t i = 0; i < answers.size() && i < requests.size(); ++i) {
    if (!answers[i].ok) continue;
    if (std::find(payouts.begin(), payouts.end(), requests[i].name) == payouts.end()) continue;
    if (curve && curve->payout != requests[i].name) continue;
    for (const auto& ladder : tier_ladders(answers[i].root, requests[i].name)) {
      const auto base = parse_number(ladder.base_value);
      if (!base || ladder.steps.empty()) continue;
      if (!curve) {
        TierCurve c;
        c.payout = requests[i].name;
        c.marginal = ladder.marginal;
        bool percents = true;
        for (const auto& step : ladder.steps) {
          const auto lower = percent_of(step.lower);
          const auto rate = percent_of(step.rate);
          const auto upper = step.upper.empty() ? std::nullopt : percent_of(step.upper);
          if (!lower || !rate || (!step.upper.empty() && !upper)) percents = false;
          c.tiers.push_back({lower.value_or(0), upper, rate.value_or(0) / 100});
        }
        if (!percents) continue;
        for (const auto& limit : payout_limits(answers[i].root))
          if (limit.kind == "cap" && !limit.carried)
            if (const auto cap = parse_number(limit.value)) c.cap = cap->number;
        for (const auto& other : payouts)
          if (other != c.payout) c.other_payouts.push_back(other);
        curve = std::move(c);
      }
      curve->bases.push_back(base->number);
      break;
    }
  }
  return curve;
}

}  // namespace

GatherReportResult gather_report(const Engine& engine, const Plan& plan, const RunOptions& options,
                                 const ReportRequest& request) {
  GatherReportResult out;
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&](const std::string& step) {
    const auto now = std::chrono::steady_clock::now();
    out.timings.emplace_back(step, std::chrono::duration<double>(now - clock).count());
    clock = now;
  };
  ReportInput& in = out.input;
  const auto declarations = engine.declarations(plan);
  in.plan_name = engine.plan_name(plan);

  // ---- which values: attainment and revenue
  const Declaration* attainment = nullptr;
  // attainment is a ratio: a money or count value is not one
  auto ratio_type = [](const Declaration& d) {
    return d.type.empty() || d.type == "percent" || d.type == "decimal";
  };
  if (!request.attainment.empty()) {
    attainment = find_value(declarations, request.attainment, "--attainment", out.messages);
    if (attainment && !ratio_type(*attainment)) {
      out.messages.push_back(error_message(
          "--attainment expects a percent or decimal measure or let, found \"" +
              request.attainment + "\" of type " + attainment->type,
          "attainment is a ratio, e.g. `let attainment: percent = bookings / quota(payee, "
          "period)`"));
      attainment = nullptr;
    }
    if (!attainment) {
      out.usage_error = true;
      return out;
    }
  } else {
    for (const auto& d : declarations)
      if (per_payee_value(d) && d.name == "attainment" && ratio_type(d)) attainment = &d;
  }
  std::vector<std::string> measures;
  for (const auto& d : declarations)
    if (d.kind == Declaration::Kind::measure && d.per_payee) measures.push_back(d.name);
  const Declaration* revenue = nullptr;
  if (!request.revenue.empty()) {
    revenue = find_value(declarations, request.revenue, "--revenue", out.messages, true);
    if (!revenue) {
      out.usage_error = true;
      return out;
    }
    if (revenue->kind != Declaration::Kind::measure) {
      out.messages.push_back(error_message(
          "--revenue expects a measure (the run writes measures, not lets), found the let \"" +
              request.revenue + "\"",
          measures.empty() ? "the plan declares no measure"
                           : "the plan's measures: " + join(measures)));
      out.usage_error = true;
      return out;
    }
  } else {
    for (const auto& name : kRevenueNames)
      for (const auto& d : declarations)
        if (!revenue && d.kind == Declaration::Kind::measure && d.per_payee && d.name == name)
          revenue = &d;
  }
  in.attainment_name = attainment ? attainment->name : "";
  std::vector<std::string> lets_and_measures;
  for (const auto& d : declarations)
    if (per_payee_value(d)) lets_and_measures.push_back(d.name);
  in.attainment_hint =
      "Declare `let attainment: percent = ...` in the plan, or name one of its measures or lets "
      "with --attainment NAME" +
      (lets_and_measures.empty() ? std::string(".") : " (" + join(lets_and_measures) + ").");
  in.revenue_name = revenue ? revenue->name : "";
  in.revenue_hint = "Name a measure with --revenue NAME" +
                    (measures.empty() ? std::string(".") : " (" + join(measures) + ").");

  // ---- the run
  RunOptions run_options = options;
  run_options.credits_table = false;
  run_options.measures_table = true;
  const RunResult run = engine.run(plan, run_options);
  lap("run");
  for (const auto& m : run.messages) out.messages.push_back(m);
  if (!run.ok) return out;
  in.currency = run.summary.currency;
  in.payouts = run.payouts;
  in.measures = run.measures;
  in.roster = run.payees;
  in.summary = run.summary;
  for (const auto& [label, amount] : run.summary.paid_by_period) in.periods.push_back(label);

  // ---- attainment per payee and period
  if (attainment && attainment->kind == Declaration::Kind::measure) {
    const auto& t = run.measures;
    const auto col = [&](const char* name) {
      return static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), name) -
                                      t.columns.begin());
    };
    const std::size_t payee = col("payee"), period = col("period"), measure = col("measure"),
                      value = col("value");
    for (const auto& row : t.rows)
      if (measure < row.size() && row[measure] == attainment->name && value < row.size())
        in.attainment[row[payee]][row[period]] = row[value];
  }
  if (attainment) {
    std::set<std::string> payees;
    const auto& t = run.payouts;
    const std::size_t payee_col = static_cast<std::size_t>(
        std::find(t.columns.begin(), t.columns.end(), "payee") - t.columns.begin());
    for (const auto& row : t.rows)
      if (payee_col < row.size()) payees.insert(row[payee_col]);
    // one explain_many: the attainment let (when it is one) and every
    // payout, whose tiers give the plan's curve
    const bool let = attainment->kind == Declaration::Kind::let;
    std::vector<ExplainRequest> requests;
    std::vector<std::string> payouts;
    for (const auto& d : declarations)
      if (d.kind == Declaration::Kind::payout) payouts.push_back(d.name);
    for (const auto& payee : payees)
      for (const auto& period : in.periods) {
        if (let) requests.push_back({payee, period, attainment->name});
        for (const auto& payout : payouts) requests.push_back({payee, period, payout});
      }
    const auto answers = requests.empty() ? std::vector<Explanation>{}
                                          : engine.explain_many(plan, run_options, requests);
    in.curve = tier_curve(payouts, requests, answers);
    std::size_t failed = 0;
    for (std::size_t i = 0; i < answers.size() && i < requests.size(); ++i) {
      if (requests[i].name != attainment->name) continue;
      if (answers[i].ok) {
        in.attainment[requests[i].payee][requests[i].period] = answers[i].root.value;
        continue;
      }
      // one note per distinct reason, with how many it concerns
      // a division by zero here is a payee whose quota is 0 in that period
      if (++failed <= 5)
        in.attainment_notes.push_back(
            attainment->name + " of " + requests[i].payee + " in " + requests[i].period +
            " could not be computed (left out of the distribution): " +
            (answers[i].messages.empty() ? std::string("no value") : answers[i].messages[0].text));
    }
    if (failed > 5)
      in.attainment_notes.push_back("... and " + std::to_string(failed - 5) +
                                    " more payee-periods without a value.");
    lap("attainment");
  }

  // ---- territories
  for (const auto& d : declarations)
    if (d.kind == Declaration::Kind::territory) in.territories.push_back(d.name);
  if (!in.territories.empty()) {
    auto figures = territory_figures(plan, run_options);
    if (figures.figures)
      in.territory_figures = std::move(figures.figures);
    else
      in.territory_note = figures.note;
    lap("territories");
  }

  // ---- pipeline
  if (request.pipeline) {
    auto pipeline = read_pipeline(engine, plan, run_options, request.pipeline_spec);
    if (pipeline.data) {
      add_cross_sell(*pipeline.data, options.data_dir, request, in);
      in.pipeline = std::move(pipeline.data);
    } else if (named_pipeline(request.pipeline_spec)) {
      // the user named the pipeline: what is wrong with it is an error
      for (auto& m : pipeline.messages) out.messages.push_back(std::move(m));
      if (!has_errors(out.messages))
        out.messages.push_back(error_message("the pipeline named by the flags cannot be read"));
      out.usage_error = true;
      return out;
    } else {
      in.pipeline_note = "No pipeline forecast: " + (pipeline.messages.empty()
                                                         ? std::string("no pipeline source found.")
                                                         : pipeline.messages.front().text);
    }
    lap("pipeline");
  } else {
    in.pipeline_note = "No pipeline forecast: --no-pipeline was given.";
  }
  if (!in.cross_sell && in.cross_sell_note.empty())
    in.cross_sell_note = "No cross-sell analysis: it needs the plan's pipeline source.";
  out.ok = true;
  return out;
}

}  // namespace tally::cli
