// `tally test`: runs the `test` blocks of each plan; exit 1 when any fails.
#include <iostream>
#include <memory>
#include <sstream>

#include "repl/command.hpp"

namespace tally::cli {

namespace {

int test(const Engine& engine, const std::vector<std::string>& plans) {
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
    for (const auto& result : report.tests) {
      std::cout << (result.passed ? "PASS " : "FAIL ")
                << (plans.size() > 1 ? path + ": " : std::string()) << result.name << "\n";
      std::istringstream details(result.details);
      for (std::string line; std::getline(details, line);) std::cout << "  " << line << "\n";
    }
    passed += report.passed;
    failed += report.failed;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return broken || failed > 0 ? kExitPlanError : kExitOk;
}

}  // namespace

Command add_test_command(CLI::App& app) {
  auto plans = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "test", "Run the test blocks of plans; prints N passed, M failed (exit 1 on a failure)");
  cmd->add_option("plan", *plans, "Plan files")->required()->check(CLI::ExistingFile);
  return {cmd, [plans](const Engine& engine) { return test(engine, *plans); }};
}

}  // namespace tally::cli
