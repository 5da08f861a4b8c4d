// The `tally` program: a thin command line over the public API.
//
// Exit codes: 0 success, 1 a plan or data error, 2 a usage error.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "repl/summary.hpp"
#include "tally/tally.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitPlanError = 1;
constexpr int kExitUsage = 2;

void print_messages(const std::vector<tally::Message>& messages) {
  for (const auto& m : messages)
    std::cerr << m.rendered << (m.rendered.ends_with('\n') ? "" : "\n");
}

int cmd_check(const tally::Engine& engine, const std::vector<std::string>& plans, bool values) {
  int status = kExitOk;
  for (const auto& path : plans) {
    const auto compiled = engine.compile_file(path);
    print_messages(compiled.messages);
    if (!compiled.plan) {
      status = kExitPlanError;
      continue;
    }
    if (values)
      for (const auto& [name, value] : engine.constant_values(*compiled.plan))
        std::cout << name << " = " << value << "\n";
  }
  if (values) return status;
  if (status == kExitOk)
    std::cout << (plans.size() == 1 ? plans[0] + ": ok\n"
                                    : std::to_string(plans.size()) + " plans: ok\n");
  return status;
}

struct RunArgs {
  std::string plan;
  std::string data = ".";
  std::string out;
  std::vector<std::string> binds;
  std::string from;
  std::string to;
  bool quiet = false;
  bool lenient = false;
  std::vector<std::string> outputs;
  bool timings = false;
};

int cmd_run(const tally::Engine& engine, const RunArgs& args) {
  tally::RunOptions options;
  options.data_dir = args.data;
  for (const auto& bind : args.binds) {
    const auto eq = bind.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == bind.size()) {
      std::cerr << "tally run: error: --bind expects NAME=PATH, found \"" << bind << "\"\n";
      return kExitUsage;
    }
    options.bindings[bind.substr(0, eq)] = bind.substr(eq + 1);
  }
  if (!args.from.empty()) options.first_period = args.from;
  if (!args.to.empty()) options.last_period = args.to;
  options.lenient = args.lenient;
  if (!args.outputs.empty()) {
    options.credits_table = options.measures_table = false;
    for (const auto& name : args.outputs) {
      if (name == "credits") options.credits_table = true;
      if (name == "measures") options.measures_table = true;
    }
  }

  const auto started = std::chrono::steady_clock::now();
  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const auto compiled_at = std::chrono::steady_clock::now();
  const auto result = engine.run(*compiled.plan, options);
  print_messages(result.messages);
  if (!result.ok) return kExitPlanError;
  const auto ran_at = std::chrono::steady_clock::now();
  if (!args.out.empty()) {
    const auto written = tally::write_outputs(result, args.out);
    print_messages(written);
    if (tally::has_errors(written)) return kExitPlanError;
  }
  if (args.timings) {
    auto seconds = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    std::vector<tally::RunSummary::Stage> stages = {{"compile", seconds(started, compiled_at), 0}};
    stages.insert(stages.end(), result.summary.stages.begin(), result.summary.stages.end());
    stages.push_back({"write", seconds(ran_at, std::chrono::steady_clock::now()),
                      result.summary.stages.empty() ? 0 : result.summary.stages.back().peak_mb});
    std::cerr << tally::cli::format_timings(stages);
  }
  if (!args.quiet) std::cout << tally::cli::format_summary(result, args.plan, args.out);
  return kExitOk;
}

/// `tally fmt`: print, rewrite (--write) or verify (--check) the canonical layout.
int cmd_fmt(const tally::Engine& engine, const std::vector<std::string>& plans, bool write,
            bool check) {
  int status = kExitOk;
  for (const auto& path : plans) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << path << ": error: cannot read the file\n";
      status = kExitPlanError;
      continue;
    }
    const std::string original = text.str();
    const auto formatted = engine.format(original, path);
    print_messages(formatted.messages);
    if (!formatted.ok) {
      status = kExitPlanError;
      continue;
    }
    if (check) {
      if (formatted.text != original) {
        std::cout << path << ": not formatted\n";
        status = kExitPlanError;
      }
    } else if (write) {
      if (formatted.text == original) continue;
      const std::string temporary = path + ".tally-fmt";
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << formatted.text;
      out.close();
      if (!out || std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        std::cerr << path << ": error: cannot write the file\n";
        status = kExitPlanError;
      }
    } else {
      std::cout << formatted.text;
    }
  }
  return status;
}

int cmd_eval(const tally::Engine& engine, const std::string& expression, bool show_type) {
  const auto result = engine.evaluate(expression);
  print_messages(result.messages);
  if (!result.ok) return kExitPlanError;
  std::cout << result.value;
  if (show_type) std::cout << "  : " << result.type;
  std::cout << "\n";
  return kExitOk;
}

/// `tally test`: runs the `test` blocks of each plan; exit 1 when any fails.
int cmd_test(const tally::Engine& engine, const std::vector<std::string>& plans) {
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool broken = false;
  for (const auto& path : plans) {
    const auto compiled = engine.compile_file(path);
    print_messages(compiled.messages);
    if (!compiled.plan) {
      broken = true;
      continue;
    }
    const auto report = engine.test(*compiled.plan);
    for (const auto& test : report.tests) {
      std::cout << (test.passed ? "PASS " : "FAIL ")
                << (plans.size() > 1 ? path + ": " : std::string()) << test.name << "\n";
      std::istringstream details(test.details);
      for (std::string line; std::getline(details, line);) std::cout << "  " << line << "\n";
    }
    passed += report.passed;
    failed += report.failed;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return broken || failed > 0 ? kExitPlanError : kExitOk;
}

int cmd_disasm(const tally::Engine& engine, const std::string& path) {
  const auto compiled = engine.compile_file(path);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  std::cout << engine.disassemble(*compiled.plan);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tally: sales compensation plans as code: check, run and explain them", "tally"};
  app.set_version_flag("--version", "tally 0.1.0");
  app.require_subcommand(1);

  std::vector<std::string> check_plans;
  auto* check =
      app.add_subcommand("check", "Report a plan's errors and warnings (exit 1 on errors)");
  check->add_option("plan", check_plans, "Plan files")->required()->check(CLI::ExistingFile);
  bool check_values = false;
  check->add_flag("--values", check_values, "Also print the value of every constant let");

  std::vector<std::string> fmt_plans;
  bool fmt_write = false;
  bool fmt_check = false;
  auto* fmt = app.add_subcommand(
      "fmt", "Print plans in canonical layout (--write rewrites them, --check verifies)");
  fmt->add_option("plan", fmt_plans, "Plan files")->required()->check(CLI::ExistingFile);
  auto* write_flag = fmt->add_flag("--write,-w", fmt_write, "Rewrite the files in place");
  fmt->add_flag("--check", fmt_check, "Exit 1 when a file is not in canonical layout")
      ->excludes(write_flag);

  RunArgs run_args;
  auto* run =
      app.add_subcommand("run", "Run a plan over data and write payouts, credits and measures");
  run->add_option("plan", run_args.plan, "The plan file")->required()->check(CLI::ExistingFile);
  run->add_option("--data,-d", run_args.data,
                  "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  run->add_option("--out,-o", run_args.out,
                  "Folder to write payouts.csv, credits.csv and measures.csv");
  run->add_option("--bind,-b", run_args.binds, "Bind a source to a file: NAME=PATH (repeatable)");
  run->add_option("--from", run_args.from, "First period to pay, e.g. 2026-Q1");
  run->add_option("--to", run_args.to, "Last period to pay, e.g. 2026-Q4");
  run->add_flag("--quiet,-q", run_args.quiet, "Print no summary");
  run->add_option("--outputs", run_args.outputs,
                  "Tables to write: payouts plus any of credits, measures (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"payouts", "credits", "measures"}));
  run->add_flag("--timings", run_args.timings, "Print the wall time of each stage to stderr");
  run->add_flag("--lenient", run_args.lenient,
                "Turn data errors into warnings: leave out the rows or credits concerned and "
                "list them in rejects.csv");

  std::string expression;
  bool show_type = false;
  auto* eval = app.add_subcommand(
      "eval", "Print the value of an expression, e.g. tally eval \"1.10 + 2.205\"");
  eval->add_option("expression", expression, "The expression")->required();
  eval->add_flag("--type,-t", show_type, "Also print the value's type");

  std::string disasm_plan;
  auto* disasm = app.add_subcommand("disasm", "Print the bytecode a plan compiles to");
  disasm->add_option("plan", disasm_plan, "The plan file")->required()->check(CLI::ExistingFile);

  std::vector<std::string> test_plans;
  auto* test = app.add_subcommand(
      "test", "Run the test blocks of plans; prints N passed, M failed (exit 1 on a failure)");
  test->add_option("plan", test_plans, "Plan files")->required()->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  const tally::Engine engine;
  if (*check) return cmd_check(engine, check_plans, check_values);
  if (*fmt) return cmd_fmt(engine, fmt_plans, fmt_write, fmt_check);
  if (*run) return cmd_run(engine, run_args);
  if (*eval) return cmd_eval(engine, expression, show_type);
  if (*disasm) return cmd_disasm(engine, disasm_plan);
  if (*test) return cmd_test(engine, test_plans);
  return kExitUsage;
}
