// The module stdlib/kpi: found by name, and shown whole in the language
// reference (docs/language.md, section 8), so the documented formulas are the
// ones that run.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "stdlib/builtins.hpp"
#include "stdlib/kpi_module.hpp"

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("stdlib modules are found by name") {
  const tally::StdlibModule* kpi = tally::find_stdlib_module("kpi");
  REQUIRE(kpi != nullptr);
  CHECK(std::string(kpi->text) == tally::kpi_module_text());
  CHECK(tally::find_stdlib_module("kpis") == nullptr);
  CHECK(tally::find_stdlib_module("") == nullptr);
  CHECK(tally::stdlib_modules().size() == 1);
}

TEST_CASE("the kpi module declares each documented KPI") {
  const std::string text = tally::kpi_module_text();
  for (const char* name :
       {"win_rate", "average_deal_size", "sales_cycle_length", "pipeline_velocity",
        "net_revenue_retention", "quota_attainment", "market_share", "cost_of_sales"})
    CHECK(text.find(std::string("fn ") + name + "(") != std::string::npos);
}

TEST_CASE("docs/language.md shows the kpi module's text exactly") {
  const std::string docs = read_text(std::string(TALLY_SOURCE_DIR) + "/docs/language.md");
  REQUIRE_FALSE(docs.empty());
  const std::string block = std::string("```tally\n") + tally::kpi_module_text() + "```\n";
  CHECK(docs.find(block) != std::string::npos);
}
