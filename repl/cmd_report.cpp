// `tally report`: one self-contained HTML dashboard (report.html) and the
// same figures as JSON (report.json) from one run of a plan
// (report_gather.hpp → report_model.hpp → report_html/report_json).
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/page_date.hpp"
#include "repl/period_flag.hpp"
#include "repl/report_gather.hpp"
#include "repl/report_html.hpp"
#include "repl/report_json.hpp"
#include "repl/report_model.hpp"

namespace tally::cli {

namespace {

struct ReportArgs {
  std::string plan;
  std::string data = ".";
  std::string out;
  std::vector<std::string> binds;
  std::string period;
  std::vector<std::string> payees;
  bool lenient = false;
  bool quiet = false;
  bool timings = false;
  unsigned threads = 0;
  std::string attainment;
  std::string revenue;
  bool no_pipeline = false;
  PipelineSpec pipeline;
  std::string accounts;
  std::string products;
};

int usage_error(const std::string& text) {
  std::cerr << "tally report: error: " << text << "\n";
  return kExitUsage;
}

/// Writes `text` to `path` through a temporary file and a rename, so a
/// failure never leaves half a file; an error text, or empty.
std::string write_file(const std::filesystem::path& path, const std::string& text) {
  const auto temporary = path.string() + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) return "cannot write " + temporary;
    file << text;
    file.close();
    if (!file) return "cannot write " + temporary;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return "cannot write " + path.string();
  }
  return {};
}

int run(const Engine& engine, const ReportArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) return usage_error(*bad);
  if (const auto error = read_period_flag(args.period, options)) return usage_error(*error);
  for (const auto& payee : args.payees) {
    if (payee.empty()) return usage_error("--payee expects roster ids, found an empty one");
    options.payees.push_back(payee);
  }
  options.lenient = args.lenient;
  options.threads = args.threads;
  const auto generated = generated_date();
  if (!generated)
    return usage_error("SOURCE_DATE_EPOCH must be a number of seconds, found \"" +
                       std::string(std::getenv("SOURCE_DATE_EPOCH")) + "\"");
  std::error_code error;
  if (std::filesystem::exists(args.out, error) && !std::filesystem::is_directory(args.out, error))
    return usage_error("--out expects a folder, found the file \"" + args.out + "\"");

  const auto started = std::chrono::steady_clock::now();
  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;

  ReportRequest request;
  request.attainment = args.attainment;
  request.revenue = args.revenue;
  request.pipeline = !args.no_pipeline;
  request.pipeline_spec = args.pipeline;
  request.accounts = args.accounts;
  request.products = args.products;
  auto gathered = gather_report(engine, *compiled.plan, options, request);
  print_messages(gathered.messages);
  if (!gathered.ok) return gathered.usage_error ? kExitUsage : kExitPlanError;
  if (gathered.input.plan_name.empty()) gathered.input.plan_name = args.plan;

  const auto model_started = std::chrono::steady_clock::now();
  const ReportModel model = build_report(gathered.input);
  const std::string html = report_html(model, *generated);
  const std::string json = report_json(model, *generated);
  const auto built = std::chrono::steady_clock::now();

  std::filesystem::create_directories(args.out, error);
  if (error) {
    std::cerr << "tally report: error: cannot create the folder \"" << args.out
              << "\": " << error.message() << "\n";
    return kExitPlanError;
  }
  for (const auto& [name, text] :
       {std::pair{"report.html", &html}, std::pair{"report.json", &json}})
    if (const auto failed = write_file(std::filesystem::path(args.out) / name, *text);
        !failed.empty()) {
      std::cerr << "tally report: error: " << failed << "\n";
      return kExitPlanError;
    }
  if (args.timings) {
    for (const auto& [step, seconds] : gathered.timings)
      std::cerr << "  " << step << ": " << seconds << " s\n";
    std::cerr << "  build and render: "
              << std::chrono::duration<double>(built - model_started).count() << " s\n"
              << "  total: "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << " s\n";
  }
  if (!args.quiet) {
    std::cout << "Report of " << model.plan_name << ": " << model.payees.size() << " payees, "
              << model.periods.size() << (model.periods.size() == 1 ? " period" : " periods")
              << ", total paid " << Amount::parse(model.total_paid).value_or(Amount{}).grouped(2)
              << " " << model.currency << "\n";
    if (model.attainment)
      std::cout << "  median " << model.attainment_name << " "
                << percent_figure(model.attainment->median) << "\n";
    else
      std::cout << "  no attainment (see the page's note)\n";
    if (model.cost_of_sales)
      std::cout << "  cost of sales " << percent_figure(*model.cost_of_sales, 2) << " of "
                << model.revenue_name << "\n";
    std::cout << "  wrote " << (std::filesystem::path(args.out) / "report.html").string()
              << " and report.json\n";
  }
  return kExitOk;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report", "Write a sales performance dashboard (report.html) and its figures (report.json)");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", args->out, "Folder to write report.html and report.json to")
      ->required();
  add_bind_option(cmd, args->binds);
  cmd->add_option("--period,-p", args->period,
                  "Periods to report: one (2026-Q2) or a range (2026-Q1..2026-Q4)");
  cmd->add_option("--payee", args->payees,
                  "Keep only these payees (roster ids; repeatable or comma-separated)")
      ->delimiter(',');
  cmd->add_option("--attainment", args->attainment,
                  "The measure or let that is attainment (default: `attainment` if declared)");
  cmd->add_option("--revenue", args->revenue,
                  "The measure that is revenue, for cost of sales and the forecast (default: the "
                  "first of revenue, bookings, won_value, sales, ... declared)");
  cmd->add_flag("--no-pipeline", args->no_pipeline, "Leave the pipeline forecast out");
  // the pipeline flags of `tally forecast`, so one command line serves both
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
                  "Its product field (average won deal size per product; cross-sell)")
      ->group(group);
  cmd->add_option("--accounts", args->accounts,
                  "Accounts table for the cross-sell section (default: DATA/accounts.csv when "
                  "present)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--products", args->products,
                  "Products table, to join the pipeline's spellings of a product line (default: "
                  "DATA/products.csv when present)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", args->threads,
                  "Threads the run may use (1 = one; default 0 = one per core)")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings and leave out the rows or credits concerned");
  cmd->add_flag("--quiet,-q", args->quiet, "Print no summary");
  cmd->add_flag("--timings", args->timings, "Print the wall time of each step to stderr");
  return {cmd, [args](const Engine& engine) { return run(engine, *args); }};
}

}  // namespace tally::cli
