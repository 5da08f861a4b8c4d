// Effective-dated plan versions: reading the header and choosing the version
// in force for a period.
#include <catch2/catch.hpp>

#include "ledger/plan_versions.hpp"

using tally::ledger::distinct_versions;
using tally::ledger::period_start;
using tally::ledger::PlanVersion;
using tally::ledger::read_plan_version;
using tally::ledger::version_in_force;

namespace {

PlanVersion monthly(const std::string& header_tail, const std::string& marker = "") {
  const std::string text = "plan \"AE\" " + header_tail +
                           " currency USD periods month\n"
                           "let rate = 5%" +
                           marker + "\n";
  auto version = read_plan_version(text, "plans/ae.tally");
  REQUIRE(version.ok());
  return *version;
}

}  // namespace

TEST_CASE("the header gives version and effective date", "[ledger][plan_versions]") {
  const PlanVersion v = monthly("version 2 effective 2026-03-01");
  CHECK(v.name == "AE");
  CHECK(v.version == "2");
  CHECK(v.effective == "2026-03-01");
  const PlanVersion plain = monthly("version 1");
  CHECK(plain.version == "1");
  CHECK(plain.effective.empty());
}

TEST_CASE("a bad effective date is an error", "[ledger][plan_versions]") {
  auto missing = read_plan_version("plan \"AE\" version 2 effective march\n", "ae.tally");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.errors()[0].message.find("expected a date") != std::string::npos);
  auto impossible = read_plan_version("plan \"AE\" version 2 effective 2026-02-30\n", "ae.tally");
  REQUIRE_FALSE(impossible.ok());
  CHECK(impossible.errors()[0].message.find("2026-02-30") != std::string::npos);
}

TEST_CASE("period starts follow the plan's calendar", "[ledger][plan_versions]") {
  CHECK(*period_start(monthly("version 1"), "2026-03") == "2026-03-01");
  auto quarterly = read_plan_version(
      "plan \"Q\" version 1 currency USD fiscal year FY2027 starts 2026-02-01, periods quarter\n",
      "q.tally");
  REQUIRE(quarterly.ok());
  // FY2027-Q2 is May..July 2026.
  CHECK(*period_start(*quarterly, "FY2027-Q2") == "2026-05-01");
  CHECK_FALSE(period_start(monthly("version 1"), "2026-Q1").ok());
}

TEST_CASE("the version in force is the latest effective on or before the period's start",
          "[ledger][plan_versions]") {
  const auto versions =
      distinct_versions({monthly("version 1"), monthly("version 3 effective 2026-06-01"),
                         monthly("version 2 effective 2026-03-01")});
  REQUIRE(versions.size() == 3);
  auto pick = [&](const std::string& period) {
    auto index = version_in_force(versions, period);
    REQUIRE(index.ok());
    return versions[*index].version;
  };
  CHECK(pick("2026-01") == "1");
  CHECK(pick("2026-02") == "1");
  CHECK(pick("2026-03") == "2");  // effective on the period's first day
  CHECK(pick("2026-05") == "2");
  CHECK(pick("2026-06") == "3");
  CHECK(pick("2027-01") == "3");
}

TEST_CASE("a version effective mid-period applies from the next period",
          "[ledger][plan_versions]") {
  const auto versions =
      distinct_versions({monthly("version 1"), monthly("version 2 effective 2026-03-15")});
  CHECK(versions[*version_in_force(versions, "2026-03")].version == "1");
  CHECK(versions[*version_in_force(versions, "2026-04")].version == "2");
}

TEST_CASE("a later text with the same effective date replaces the earlier",
          "[ledger][plan_versions]") {
  const auto versions = distinct_versions({monthly("version 1", " // first"),
                                           monthly("version 2 effective 2026-03-01"),
                                           monthly("version 1", " // corrected")});
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].text.find("corrected") != std::string::npos);
  CHECK(versions[1].version == "2");
}

TEST_CASE("a period before every version is an error naming it", "[ledger][plan_versions]") {
  const auto versions = distinct_versions({monthly("version 2 effective 2026-03-01")});
  auto index = version_in_force(versions, "2026-02");
  REQUIRE_FALSE(index.ok());
  CHECK(index.errors()[0].message.find("2026-02") != std::string::npos);
  CHECK(index.errors()[0].message.find("2026-03-01") != std::string::npos);
}
