// libFuzzer target, structure-aware: the input drives plan_generator to write
// a well-typed plan, which the engine compiles (the verifier runs inside
// compile_plan and again here) and runs over a small fixed data set in
// memory under an instruction budget and a timeout. Any outcome is fine but
// a crash, a sanitizer report, or a result that breaks an invariant:
// totals are the sums of the payouts, and a run that fails says why.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "fuzz/plan_generator.hpp"
#include "interpreter/bytecode_verifier.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "tally/tally.hpp"

namespace {

[[noreturn]] void broken(const std::string& what, const std::string& plan) {
  std::fprintf(stderr, "invariant broken: %s\n--- plan ---\n%s\n", what.c_str(), plan.c_str());
  std::abort();
}

tally::InlineTable deals() {
  tally::InlineTable t;
  t.columns = {"id",     "close_date", "owner_id", "segment",   "stage",
               "amount", "units",      "margin",   "renewed_on"};
  t.rows = {
      {"d1", "2026-01-15", "ann", "ENT", "Won", "120000", "3", "0.25", "2026-03-01"},
      {"d2", "2026-02-28", "bob", "SMB", "Won", "4999.99", "1", std::nullopt, std::nullopt},
      {"d3", "2026-05-02", "ann", "MM", "Lost", "0", "0", "-0.10", "2027-05-02"},
      {"d4", "2026-08-31", "cid", "ENT", "Won", "-2500.50", "-2", "1.5", std::nullopt},
      {"d5", "2026-11-30", "dee", "", "Won", "99999999999.99", "1000000", "0", "2026-12-01"},
      {"d6", "2026-12-31", "bob", "ENT", "Won", "0.01", "7", std::nullopt, "2026-12-31"},
  };
  t.origin = "deals";
  return t;
}

tally::InlineTable payees() {
  tally::InlineTable t;
  t.columns = {"id", "name", "role"};
  t.rows = {
      {"ann", "Ann", "AE"}, {"bob", "Bob", "AE"}, {"cid", "Cid", "MGR"}, {"dee", "Dee", "SE"}};
  t.origin = "payees";
  return t;
}

tally::Decimal parse(const std::string& text, const std::string& plan) {
  auto value = tally::Decimal::parse(text);
  if (!value) broken("an amount that is not a number: " + text, plan);
  return *value;
}

void check_totals(const tally::RunResult& result, const std::string& plan) {
  const auto& columns = result.payouts.columns;
  std::size_t amount = columns.size();
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == "amount") amount = i;
  if (amount == columns.size()) broken("the payouts table has no amount column", plan);
  tally::Decimal sum;
  std::map<std::string, tally::Decimal> by_payee;
  for (const auto& row : result.payouts.rows) {
    if (row.size() != columns.size()) broken("a payouts row of the wrong width", plan);
    const tally::Decimal value = parse(row[amount], plan);
    sum = sum + value;
    by_payee[row[0]] = by_payee[row[0]] + value;
  }
  if (parse(result.summary.total_paid, plan) != sum)
    broken("total_paid " + result.summary.total_paid + " is not the sum of the payouts " +
               sum.to_string(),
           plan);
  tally::Decimal payee_sum;
  for (const auto& [payee, paid] : result.summary.paid_by_payee) {
    payee_sum = payee_sum + parse(paid, plan);
    auto found = by_payee.find(payee);
    if (found != by_payee.end() && found->second != parse(paid, plan))
      broken("paid_by_payee for " + payee + " is not the sum of that payee's payouts", plan);
  }
  if (payee_sum != sum) broken("paid_by_payee does not add up to the total", plan);
  tally::Decimal period_sum;
  for (const auto& entry : result.summary.paid_by_period)
    period_sum = period_sum + parse(entry.second, plan);
  if (period_sum != sum) broken("paid_by_period does not add up to the total", plan);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 2048) return -1;
  tally::fuzz::Choices choices(data, size);
  const std::string text = tally::fuzz::generate_plan(choices);
  if (std::getenv("TALLY_FUZZ_PRINT_PLAN")) std::fprintf(stderr, "%s\n", text.c_str());
  static const tally::Engine engine;
  tally::CompileOptions compile_options;
  compile_options.imports = tally::ImportPolicy::refuse;
  const tally::CompileResult compiled = engine.compile(text, "fuzz_vm.tally", compile_options);
  if (!compiled.plan) {
    if (!tally::has_errors(compiled.messages)) broken("no plan and no error", text);
    if (std::getenv("TALLY_FUZZ_SHOW_REJECTED"))  // to tune the generator
      for (const auto& m : compiled.messages) std::fprintf(stderr, "%s\n", m.rendered.c_str());
    return 0;
  }
  const tally::Plan& plan = *compiled.plan;
  if (auto failure = tally::verify_program(plan.program, tally::VerifyBounds::of(*plan.model)))
    broken("the verifier rejects compiled bytecode: " + failure->describe() + "\n" +
               engine.disassemble(plan),
           text);

  tally::RunOptions options;
  options.tables["deals"] = deals();
  options.tables["payees"] = payees();
  options.threads = 1;
  options.limits.max_instructions = 2'000'000;
  options.limits.timeout = std::chrono::milliseconds(2000);
  const tally::RunResult result = engine.run(plan, options);
  if (result.ok != (result.status == tally::RunStatus::ok))
    broken("RunResult::ok disagrees with its status", text);
  if (result.status == tally::RunStatus::internal_error)
    broken("internal error: " + (result.messages.empty() ? "" : result.messages[0].text), text);
  if (std::getenv("TALLY_FUZZ_SHOW_RUNS"))  // to tune the generator
    std::fprintf(stderr, "run: %s %s\n", tally::status_name(result.status),
                 result.messages.empty() ? "" : result.messages[0].text.c_str());
  if (!result.ok) {
    if (!tally::has_errors(result.messages)) broken("a failed run without an error", text);
    return 0;
  }
  check_totals(result, text);
  // A plan runs the same twice: no state leaks between runs of one Plan.
  const tally::RunResult again = engine.run(plan, options);
  if (!again.ok || again.payouts.rows != result.payouts.rows)
    broken("a second run of the same plan differs", text);
  return 0;
}
