// `tally forecast`: each payee's expected value of a measure for a period by
// the pipeline and trend methods, or (--backtest) how well each method would
// have predicted each period of the data from the ones before it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "interpreter/plan.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/forecast_model.hpp"
#include "repl/forecast_quota.hpp"
#include "repl/pipeline_data.hpp"

namespace tally::cli {

namespace {

struct ForecastArgs {
  std::string plan;
  std::string data = ".";
  std::vector<std::string> binds;
  std::string measure;
  std::string quota;
  std::string period;
  std::vector<std::string> payees;
  bool json = false;
  bool backtest = false;
  bool lenient = false;
  PipelineSpec pipeline;
};

constexpr const char* kName = "tally forecast";

int usage_error(const std::string& text) {
  std::cerr << kName << ": error: " << text << "\n(see `tally forecast --help`)\n";
  return kExitUsage;
}

int plan_error(const std::string& text, const std::string& hint = "") {
  std::cerr << kName << ": error: " << text << "\n";
  if (!hint.empty()) std::cerr << "hint: " << hint << "\n";
  return kExitPlanError;
}

// Estimates are shown with 2 decimals and thousands separators: 12,345.67.
std::string amount(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", std::fabs(value) < 0.005 ? 0.0 : value);
  std::string text = buffer;
  const std::size_t point = text.find('.');
  const std::size_t digits_start = text[0] == '-' ? 1 : 0;
  for (std::size_t i = point; i > digits_start + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::string percent(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", value);
  return buffer;
}

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(value * scale) / scale;
  return r == 0 ? 0.0 : r;  // no "-0"
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The measure to forecast: the one named, else the plan's first money measure, else its first.
std::optional<std::string> choose_measure(const Engine& engine, const Plan& plan,
                                          const std::string& asked, int& exit_code) {
  std::vector<std::string> measures;
  std::string first_money;
  for (const Declaration& d : engine.declarations(plan)) {
    if (d.kind != Declaration::Kind::measure || !d.per_payee) continue;
    measures.push_back(d.name);
    if (first_money.empty() && d.type.starts_with("money")) first_money = d.name;
  }
  if (measures.empty()) {
    exit_code = plan_error("the plan has no measure to forecast");
    return std::nullopt;
  }
  if (asked.empty()) return first_money.empty() ? measures.front() : first_money;
  if (std::find(measures.begin(), measures.end(), asked) != measures.end()) return asked;
  const auto near = closest_match(asked, measures);
  exit_code = plan_error("the plan has no measure called `" + asked + "`",
                         (near ? "did you mean `" + *near + "`? " : std::string()) +
                             "the plan's measures: " + join(measures));
  return std::nullopt;
}

/// A quota that a percentage can be taken of: known and not 0.
bool usable_quota(const PayeeOutlook& payee) {
  return payee.quota && *payee.quota != 0;
}

nlohmann::json forecast_json(const MethodForecast& method, const PayeeOutlook& payee) {
  const auto& f = method.forecast;
  nlohmann::json j{{"ok", f.ok}};
  if (f.ok) {
    j["value"] = rounded(f.value, 2);
    j["low"] = rounded(f.low, 2);
    j["high"] = rounded(f.high, 2);
  } else {
    j["value"] = nullptr;
    j["low"] = nullptr;
    j["high"] = nullptr;
  }
  if (f.ok && usable_quota(payee)) {
    const double q = *payee.quota;
    j["attainment"] = {{"value", rounded(100 * f.value / q, 2)},
                       {"low", rounded(100 * f.low / q, 2)},
                       {"high", rounded(100 * f.high / q, 2)}};
  } else {
    j["attainment"] = nullptr;
  }
  j["note"] = f.note;
  if (method.deals >= 0) j["deals"] = method.deals;
  return j;
}

nlohmann::json payee_json(const PayeeOutlook& payee) {
  nlohmann::json j{{"payee", payee.payee}};
  j["actual"] = payee.actual ? nlohmann::json(rounded(*payee.actual, 2)) : nlohmann::json();
  j["quota"] = payee.quota ? nlohmann::json(rounded(*payee.quota, 2)) : nlohmann::json();
  nlohmann::json methods = nlohmann::json::object();
  for (int m = 0; m < kMethods; ++m)
    methods[forecast_method_name(m)] = forecast_json(payee.methods[m], payee);
  j["forecasts"] = methods;
  return j;
}

void print_payee(std::ostream& out, const PayeeOutlook& payee, bool complete) {
  out << payee.payee << "\n";
  out << "  " << (complete ? "actual      " : "actual so far") << "  "
      << (payee.actual ? amount(*payee.actual)
                       : std::string("(none: the run does not pay this period)"))
      << "\n";
  if (payee.quota)
    out << "  quota          " << amount(*payee.quota)
        << (*payee.quota == 0 ? "  (zero quota: no attainment)" : "") << "\n";
  for (int m = 0; m < kMethods; ++m) {
    const MethodForecast& method = payee.methods[m];
    const auto& f = method.forecast;
    char label[16];
    std::snprintf(label, sizeof label, "%-13s", forecast_method_name(m));
    out << "  " << label << "  ";
    if (f.ok) {
      out << amount(f.value) << "  (" << amount(f.low) << " .. " << amount(f.high) << ")";
      if (usable_quota(payee))
        out << "  = " << percent(100 * f.value / *payee.quota) << " of quota ("
            << percent(100 * f.low / *payee.quota) << " .. " << percent(100 * f.high / *payee.quota)
            << ")";
      if (method.deals >= 0)
        out << "  " << method.deals << (method.deals == 1 ? " open deal" : " open deals");
      if (!f.note.empty()) out << "  [" << f.note << "]";
    } else {
      out << "no forecast: " << f.note;
    }
    out << "\n";
  }
}

void print_outlook(const Outlook& outlook, const std::vector<std::string>& pipeline_notes,
                   bool json) {
  if (json) {
    nlohmann::json j{{"measure", outlook.measure},
                     {"period", outlook.period},
                     {"as_of", format_date(Date{outlook.as_of})},
                     {"complete", outlook.complete},
                     {"history", outlook.history},
                     {"horizon", outlook.horizon}};
    nlohmann::json payees = nlohmann::json::array();
    for (const auto& payee : outlook.payees) payees.push_back(payee_json(payee));
    j["payees"] = payees;
    j["team"] = payee_json(outlook.team);
    std::vector<std::string> notes = outlook.notes;
    notes.insert(notes.end(), pipeline_notes.begin(), pipeline_notes.end());
    j["notes"] = notes;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "Forecast of " << outlook.measure << " for " << outlook.period << ", as of "
            << format_date(Date{outlook.as_of});
  if (!outlook.history.empty())
    std::cout << " (trends over " << outlook.history.front() << ".." << outlook.history.back()
              << ", " << outlook.horizon << (outlook.horizon == 1 ? " period" : " periods")
              << " ahead)";
  std::cout << "\nEach forecast: value (80% interval)\n\n";
  for (const auto& payee : outlook.payees) print_payee(std::cout, payee, outlook.complete);
  std::cout << "\n";
  print_payee(std::cout, outlook.team, outlook.complete);
  std::vector<std::string> notes = outlook.notes;
  notes.insert(notes.end(), pipeline_notes.begin(), pipeline_notes.end());
  if (!notes.empty()) {
    std::cout << "\nNotes:\n";
    for (const auto& note : notes) std::cout << "  - " << note << "\n";
  }
}

std::string periods_text(const std::vector<std::string>& periods) {
  if (periods.empty()) return "none";
  return join(periods);
}

/// The back-test table, in Markdown, exactly as docs/analytics.md quotes it.
std::string backtest_table(const Backtest& backtest) {
  std::ostringstream out;
  out << "| method | payee-periods | MAPE | team periods | team MAPE | periods tested |\n";
  out << "| --- | ---: | ---: | ---: | ---: | --- |\n";
  for (int m = 0; m < kMethods; ++m) {
    const MethodScore& s = backtest.scores[m];
    out << "| " << forecast_method_name(m) << " | " << s.points << " | "
        << (s.points > 0 ? percent(s.mape) : "n/a") << " | " << s.team_points << " | "
        << (s.team_points > 0 ? percent(s.team_mape) : "n/a") << " | " << periods_text(s.periods)
        << " |\n";
  }
  return out.str();
}

void print_backtest(const Backtest& backtest, const MeasureSeries& series,
                    const std::vector<std::string>& pipeline_notes, bool json) {
  std::vector<std::string> notes = backtest.notes;
  notes.insert(notes.end(), pipeline_notes.begin(), pipeline_notes.end());
  if (json) {
    nlohmann::json methods = nlohmann::json::object();
    for (int m = 0; m < kMethods; ++m) {
      const MethodScore& s = backtest.scores[m];
      methods[forecast_method_name(m)] = {
          {"mape", s.points > 0 ? nlohmann::json(rounded(s.mape, 4)) : nlohmann::json()},
          {"points", s.points},
          {"team_mape",
           s.team_points > 0 ? nlohmann::json(rounded(s.team_mape, 4)) : nlohmann::json()},
          {"team_points", s.team_points},
          {"periods", s.periods}};
    }
    nlohmann::json points = nlohmann::json::array();
    for (const auto& point : backtest.points) {
      nlohmann::json p{
          {"payee", point.payee.empty() ? nlohmann::json() : nlohmann::json(point.payee)},
          {"period", point.period},
          {"actual", rounded(point.actual, 2)}};
      for (int m = 0; m < kMethods; ++m)
        p[forecast_method_name(m)] =
            point.predicted[m] ? nlohmann::json(rounded(*point.predicted[m], 2)) : nlohmann::json();
      points.push_back(p);
    }
    nlohmann::json j{
        {"measure", backtest.measure},           {"periods", series.labels}, {"methods", methods},
        {"zero_actuals", backtest.zero_actuals}, {"points", points},         {"notes", notes}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "Back-test of " << backtest.measure << " over " << series.labels.front() << ".."
            << series.labels.back()
            << ": each period predicted from the periods before it (no look-ahead)\n\n";
  std::cout << backtest_table(backtest);
  std::cout << "\nMAPE: mean absolute percentage error, over the payee-periods whose actual is "
               "not 0 ("
            << backtest.zero_actuals << " left out).\n";
  if (!notes.empty()) {
    std::cout << "\nNotes:\n";
    for (const auto& note : notes) std::cout << "  - " << note << "\n";
  }
}

// Each payee's quota in the outlook's period, when the plan has one and the
// run pays that period; the team's is the sum when every payee has one.
void add_quotas(const Engine& engine, const Plan& plan, const RunOptions& options,
                const std::optional<QuotaSource>& source, const MeasureSeries& series,
                Outlook& outlook) {
  if (!source) {
    outlook.notes.push_back(
        "the plan has no quota (a money let or measure named like `quota`, or an attainment "
        "let `A / B`): no attainment; name one with --quota");
    return;
  }
  if (std::find(series.labels.begin(), series.labels.end(), outlook.period) ==
      series.labels.end()) {
    outlook.notes.push_back("no quota for " + outlook.period + " (`" + source->name +
                            "`): the run does not pay that period");
    return;
  }
  std::vector<std::string> payees;
  for (const auto& payee : outlook.payees) payees.push_back(payee.payee);
  const auto quotas =
      quota_values(engine, plan, options, *source, payees, outlook.period, outlook.notes);
  double team = 0;
  bool everyone = !outlook.payees.empty();
  int zero = 0;
  for (auto& payee : outlook.payees) {
    const auto it = quotas.find(payee.payee);
    if (it == quotas.end()) {
      everyone = false;
      continue;
    }
    payee.quota = it->second;
    team += it->second;
    zero += it->second == 0;
  }
  if (everyone) outlook.team.quota = team;
  if (zero > 0)
    outlook.notes.push_back(std::to_string(zero) + (zero == 1 ? " payee has" : " payees have") +
                            " a zero quota in " + outlook.period + ": no attainment");
}

bool pipeline_named(const PipelineSpec& spec) {
  return !spec.source.empty() || !spec.owner.empty() || !spec.stage.empty() ||
         !spec.value.empty() || !spec.opened.empty() || !spec.closed.empty() ||
         !spec.product.empty() || !spec.account.empty();
}

int run(const Engine& engine, const ForecastArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) return usage_error(*bad);
  options.lenient = args.lenient;
  options.payees = args.payees;
  options.credits_table = false;

  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const Plan& plan = *compiled.plan;
  const Calendar& calendar = plan.model->calendar;

  int exit_code = kExitOk;
  const auto measure = choose_measure(engine, plan, args.measure, exit_code);
  if (!measure) return exit_code;
  std::optional<Period> asked_period;
  if (!args.period.empty()) {
    asked_period = parse_period(args.period, calendar);
    if (!asked_period)
      return plan_error("\"" + args.period + "\" is not a period of the plan's calendar (" +
                        std::string(grain_name(calendar.grain)) + "s, like " +
                        period_label(Period{2017, 1, calendar.grain}, calendar) + ")");
  }

  std::string quota_error, quota_hint;
  const auto quota_source =
      find_quota_source(engine.declarations(plan), args.quota, quota_error, quota_hint);
  if (!quota_error.empty()) return plan_error(quota_error, quota_hint);

  const RunResult run = engine.run(plan, options);
  print_messages(run.messages);
  if (!run.ok) return kExitPlanError;
  auto series = measure_series(run, *measure, calendar);
  if (!series) return plan_error("the run has no value of `" + *measure + "` in any period");
  if (!args.payees.empty()) {  // the roster lists everybody; keep those asked for
    MeasureSeries only = *series;
    only.payees.clear();
    only.values.clear();
    for (std::size_t i = 0; i < series->payees.size(); ++i) {
      if (std::find(args.payees.begin(), args.payees.end(), series->payees[i]) == args.payees.end())
        continue;
      only.payees.push_back(series->payees[i]);
      only.values.push_back(series->values[i]);
    }
    series = std::move(only);
  }

  const PipelineResult read = read_pipeline(engine, plan, options, args.pipeline);
  std::vector<std::string> pipeline_notes;
  if (!read.data) {
    if (!read.no_source || pipeline_named(args.pipeline)) {
      print_messages(read.messages);
      return kExitPlanError;
    }
  } else {
    pipeline_notes = read.data->notes;
  }
  const PipelineData* pipeline = read.data ? &*read.data : nullptr;

  if (args.backtest) {
    print_backtest(run_backtest(*series, pipeline, calendar), *series, pipeline_notes, args.json);
    return kExitOk;
  }
  // What is known stops at the last date of the data; without a pipeline, at
  // the end of the run's last period.
  std::optional<int> last;
  if (pipeline != nullptr) last = last_pipeline_day(*pipeline);
  if (!last) last = period_end(series->periods.back(), calendar).days;
  const int as_of = *last + 1;
  const Period target = asked_period ? *asked_period : period_of(Date{as_of}, calendar);
  Outlook outlook = forecast_outlook(*series, pipeline, calendar, target, as_of);
  add_quotas(engine, plan, options, quota_source, *series, outlook);
  print_outlook(outlook, pipeline_notes, args.json);
  return kExitOk;
}

}  // namespace

Command add_forecast_command(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  auto* cmd = app.add_subcommand(
      "forecast",
      "Forecast each payee's measure for a period from the open pipeline (weighted by win "
      "rates learned from history) and from trends (linear, Holt), or back-test the methods");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  add_bind_option(cmd, args->binds);
  cmd->add_option("--measure,-m", args->measure,
                  "The measure to forecast (default: the plan's first money measure)");
  auto* quota = cmd->add_option(
      "--quota", args->quota,
      "A per-payee let or measure holding the quota, to show each forecast as attainment "
      "(default: one named like `quota`, or the divisor of an attainment let `A / B`)");
  auto* period = cmd->add_option(
      "--period,-p", args->period,
      "The period to forecast, a label of the plan's calendar (2026-Q1); default: the period "
      "of the day after the last date in the data");
  cmd->add_option("--payee", args->payees,
                  "Only these payees (roster ids; repeatable or comma-separated)")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--json", args->json, "Print JSON instead of text");
  cmd->add_flag("--backtest", args->backtest,
                "Predict each period of the run from the periods before it and print each "
                "method's mean absolute percentage error")
      ->excludes(period)
      ->excludes(quota);
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings: leave out the rows or credits concerned");
  const char* group = "Pipeline (default: found from the plan, see docs/analytics.md)";
  cmd->add_option("--source", args->pipeline.source, "The source that holds the opportunities")
      ->group(group);
  cmd->add_option("--owner", args->pipeline.owner, "Its field naming the payee who owns a deal")
      ->group(group);
  cmd->add_option("--stage", args->pipeline.stage, "Its stage field (Won / Lost / open stages)")
      ->group(group);
  cmd->add_option("--value", args->pipeline.value, "Its money field: a deal's value")->group(group);
  cmd->add_option("--opened", args->pipeline.opened, "Its date field: when a deal was opened")
      ->group(group);
  cmd->add_option("--closed", args->pipeline.closed, "Its date field: when a deal was closed")
      ->group(group);
  cmd->add_option("--product", args->pipeline.product,
                  "Its product field (average won deal size per product)")
      ->group(group);
  return {cmd, [args](const Engine& engine) { return run(engine, *args); }};
}

}  // namespace tally::cli
