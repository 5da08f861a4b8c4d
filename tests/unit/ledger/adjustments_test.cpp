// compute_adjustments: the lines a run posts for closed periods, against
// amounts worked out by hand.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "interpreter/runtime/sha256.hpp"
#include "ledger/adjustments.hpp"
#include "tally/tally.hpp"

using tally::ledger::AdjustmentInputs;
using tally::ledger::AdjustmentLine;
using tally::ledger::compute_adjustments;
using tally::ledger::PaidLine;
using tally::ledger::PayoutLine;

namespace {

PaidLine paid(std::string period, std::string payee, std::string component, std::string origin,
              std::string amount) {
  PaidLine line;
  line.period = std::move(period);
  line.payee = std::move(payee);
  line.component = std::move(component);
  line.origin_period = std::move(origin);
  line.amount = std::move(amount);
  return line;
}

AdjustmentInputs march_after_january_and_february() {
  AdjustmentInputs in;
  in.current_period = "2026-03";
  in.closed_periods = {"2026-01", "2026-02"};
  in.paid = {paid("2026-01", "ann", "commission", "2026-01", "1000.00"),
             paid("2026-01", "bob", "commission", "2026-01", "400.00"),
             paid("2026-02", "ann", "commission", "2026-02", "500.00"),
             paid("2026-02", "bob", "commission", "2026-02", "300.00")};
  return in;
}

}  // namespace

TEST_CASE("nothing changed: no line", "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  in.recomputed = {{"ann", "2026-01", "commission", "1000.00"},
                   {"bob", "2026-01", "commission", "400"},  // same value, other scale
                   {"ann", "2026-02", "commission", "500.00"},
                   {"bob", "2026-02", "commission", "300.00"}};
  auto lines = compute_adjustments(in);
  REQUIRE(lines.ok());
  CHECK(lines->empty());
}

TEST_CASE("a difference posts to the current period per payee, component, origin",
          "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  // ann's January deal of 2,000 at 5% is gone: 1000 - 100 = 900; bob's
  // February quota went down: 300 -> 375.50.
  in.recomputed = {{"ann", "2026-01", "commission", "900.00"},
                   {"bob", "2026-01", "commission", "400.00"},
                   {"ann", "2026-02", "commission", "500.00"},
                   {"bob", "2026-02", "commission", "375.50"}};
  auto lines = compute_adjustments(in);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  CHECK((*lines)[0].payee == "ann");
  CHECK((*lines)[0].component == "commission");
  CHECK((*lines)[0].origin_period == "2026-01");
  CHECK((*lines)[0].posted_period == "2026-03");
  CHECK((*lines)[0].amount == "-100.00");
  CHECK((*lines)[1].payee == "bob");
  CHECK((*lines)[1].origin_period == "2026-02");
  CHECK((*lines)[1].amount == "75.50");
}

TEST_CASE("a row missing on either side counts as zero", "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  // bob has no January commission any more; carl now has one.
  in.recomputed = {{"ann", "2026-01", "commission", "1000.00"},
                   {"carl", "2026-01", "commission", "12.34"},
                   {"ann", "2026-02", "commission", "500.00"},
                   {"bob", "2026-02", "commission", "300.00"}};
  auto lines = compute_adjustments(in);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  CHECK((*lines)[0].payee == "bob");
  CHECK((*lines)[0].amount == "-400.00");
  CHECK((*lines)[1].payee == "carl");
  CHECK((*lines)[1].amount == "12.34");
}

TEST_CASE("adjustments already paid count as paid for their origin", "[ledger][adjustments]") {
  AdjustmentInputs in;
  in.current_period = "2026-04";
  in.closed_periods = {"2026-01", "2026-02", "2026-03"};
  // March (closed) paid an adjustment of -100.00 for January.
  in.paid = {paid("2026-01", "ann", "commission", "2026-01", "1000.00"),
             paid("2026-03", "ann", "commission", "2026-01", "-100.00"),
             paid("2026-03", "ann", "commission", "2026-03", "50.00")};
  SECTION("recomputation still 900: nothing more") {
    in.recomputed = {{"ann", "2026-01", "commission", "900.00"},
                     {"ann", "2026-03", "commission", "50.00"}};
    auto lines = compute_adjustments(in);
    REQUIRE(lines.ok());
    CHECK(lines->empty());
  }
  SECTION("recomputation now 950: +50 more, posted to April") {
    in.recomputed = {{"ann", "2026-01", "commission", "950.00"},
                     {"ann", "2026-03", "commission", "50.00"}};
    auto lines = compute_adjustments(in);
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 1);
    CHECK((*lines)[0].origin_period == "2026-01");
    CHECK((*lines)[0].posted_period == "2026-04");
    CHECK((*lines)[0].amount == "50.00");
  }
}

TEST_CASE("lines come in calendar order of origin, then payee, then component",
          "[ledger][adjustments]") {
  AdjustmentInputs in;
  in.current_period = "2026-12";
  // Labels that do not sort as text in calendar order would; the given order rules.
  in.closed_periods = {"2026-02", "2026-01"};
  in.recomputed = {{"zed", "2026-01", "a", "1"},
                   {"amy", "2026-01", "b", "2"},
                   {"amy", "2026-01", "a", "3"},
                   {"amy", "2026-02", "a", "4"}};
  auto lines = compute_adjustments(in);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 4);
  CHECK((*lines)[0].origin_period == "2026-02");
  CHECK(((*lines)[1].payee == "amy" && (*lines)[1].component == "a"));
  CHECK(((*lines)[2].payee == "amy" && (*lines)[2].component == "b"));
  CHECK((*lines)[3].payee == "zed");
}

TEST_CASE("rows of periods that are not closed are ignored", "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  in.recomputed = {{"ann", "2026-01", "commission", "1000.00"},
                   {"bob", "2026-01", "commission", "400.00"},
                   {"ann", "2026-02", "commission", "500.00"},
                   {"bob", "2026-02", "commission", "300.00"},
                   {"ann", "2026-03", "commission", "777.00"}};
  in.paid.push_back(paid("2026-04", "ann", "commission", "2026-04", "5.00"));
  auto lines = compute_adjustments(in);
  REQUIRE(lines.ok());
  CHECK(lines->empty());
}

TEST_CASE("a closed current period is refused", "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  in.current_period = "2026-02";
  auto lines = compute_adjustments(in);
  REQUIRE_FALSE(lines.ok());
  CHECK(lines.errors()[0].message.find("2026-02 is closed") != std::string::npos);
}

TEST_CASE("an amount that is not a number is an error naming the row", "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  in.recomputed = {{"ann", "2026-01", "commission", "12,5"}};
  auto lines = compute_adjustments(in);
  REQUIRE_FALSE(lines.ok());
  const std::string& message = lines.errors()[0].message;
  CHECK(message.find("`ann`") != std::string::npos);
  CHECK(message.find("2026-01") != std::string::npos);
  CHECK(message.find("\"12,5\"") != std::string::npos);
}

// ------------------------------------------------- through a ledger file

namespace {

std::string plan_text(const std::string& header_tail, const std::string& rate) {
  return "plan \"AE\" " + header_tail +
         "\n  currency USD\n  periods month\n  rounding half_even to 0.01\n"
         "source deals { id: text key, close_date: date, owner: payee from \"owner_id\", "
         "amount: money }\n"
         "roster payees { id: text key, role: text }\n"
         "credit booked from deals on deal.close_date { deal.owner gets 100% }\n"
         "measure bookings: money = sum(credit.amount)\n"
         "payout commission = " +
         rate + " * bookings\n";
}

tally::RunOptions data_with_january_deal(const std::string& amount) {
  tally::RunOptions options;
  options.tables["deals"] = tally::InlineTable{
      {"id", "close_date", "owner", "amount"}, {{"D1", "2026-01-10", "ann", amount}}, "", {}};
  options.tables["payees"] = tally::InlineTable{{"id", "role"}, {{"ann", "AE"}}, "", {}};
  return options;
}

struct TempLedger {
  std::filesystem::path path;
  TempLedger() {
    path = std::filesystem::temp_directory_path() /
           ("tally_adjust_test_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
  }
  ~TempLedger() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path.string() + suffix, ignored);
  }
};

}  // namespace

TEST_CASE("prior_period_adjustments recomputes a closed period under its version",
          "[ledger][adjustments]") {
  using namespace tally::ledger;
  TempLedger file;
  auto opened = Ledger::open(file.path.string());
  REQUIRE(opened.ok());
  Ledger& book = *opened;

  // January was paid under version 1 (5%) on a deal of 10,000: 500.00.
  const std::string v1 = plan_text("version 1", "5%");
  RunInput january;
  january.started_utc = "2026-02-01T09:00:00Z";
  january.user = "test";
  january.plan_path = "ae.tally";
  january.plan_text = v1;
  january.plan_sha256 = tally::sha256_hex(v1);
  january.plan_name = "AE";
  january.plan_version = "1";
  january.periods = {"2026-01"};
  january.payouts = {{"ann", "2026-01", "commission", "500.00"}};
  REQUIRE(book.record_run(january).ok());
  REQUIRE(book.close("2026-01", "test", "2026-02-02T09:00:00Z").ok());

  tally::Engine engine;
  // Today the deal is 8,000 and the plan file is version 2 (6%) from February.
  auto current = read_plan_version(plan_text("version 2 effective 2026-02-01", "6%"), "ae.tally");
  REQUIRE(current.ok());
  auto versions = known_versions(book, *current);
  REQUIRE(versions.ok());
  REQUIRE(versions->size() == 2);

  auto february = version_for_period(book, *current, "2026-02");
  REQUIRE(february.ok());
  CHECK(february->version == "2");
  auto for_january = version_for_period(book, *current, "2026-01");
  REQUIRE(for_january.ok());
  CHECK(for_january->version == "1");

  // January again under version 1: 5% x 8,000 = 400.00; paid 500.00: -100.00
  // (under version 2 it would be 480.00, -20.00).
  auto lines =
      prior_period_adjustments(engine, book, *versions, data_with_january_deal("8000"), "2026-02");
  INFO((lines.ok() ? std::string() : lines.errors()[0].message));
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 1);
  CHECK((*lines)[0].payee == "ann");
  CHECK((*lines)[0].component == "commission");
  CHECK((*lines)[0].origin_period == "2026-01");
  CHECK((*lines)[0].posted_period == "2026-02");
  CHECK((*lines)[0].amount == "-100.00");

  // Unchanged data: nothing to post.
  auto none =
      prior_period_adjustments(engine, book, *versions, data_with_january_deal("10000"), "2026-02");
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("closed periods apart (one reopened between) are each recomputed",
          "[ledger][adjustments]") {
  using namespace tally::ledger;
  TempLedger file;
  auto opened = Ledger::open(file.path.string());
  REQUIRE(opened.ok());
  Ledger& book = *opened;
  const std::string v1 = plan_text("version 1", "5%");
  auto record = [&](const std::string& period, std::vector<PayoutLine> payouts) {
    RunInput run;
    run.started_utc = "2026-04-01T09:00:00Z";
    run.user = "test";
    run.plan_path = "ae.tally";
    run.plan_text = v1;
    run.plan_sha256 = tally::sha256_hex(v1);
    run.plan_name = "AE";
    run.plan_version = "1";
    run.periods = {period};
    run.payouts = std::move(payouts);
    REQUIRE(book.record_run(run).ok());
  };
  // Paid: January 5% x 10,000 = 500.00, March 5% x 6,000 = 300.00.
  record("2026-01", {{"ann", "2026-01", "commission", "500.00"}});
  REQUIRE(book.close("2026-01", "test", "2026-02-01T09:00:00Z").ok());
  record("2026-02", {});
  record("2026-03", {{"ann", "2026-03", "commission", "300.00"}});
  REQUIRE(book.close("2026-03", "test", "2026-04-01T09:00:00Z").ok());

  // Today: January's deal is 8,000 (400.00: -100.00), March's 7,000 (350.00: +50.00).
  tally::RunOptions data;
  data.tables["deals"] =
      tally::InlineTable{{"id", "close_date", "owner", "amount"},
                         {{"D1", "2026-01-10", "ann", "8000"}, {"D2", "2026-03-10", "ann", "7000"}},
                         "",
                         {}};
  data.tables["payees"] = tally::InlineTable{{"id", "role"}, {{"ann", "AE"}}, "", {}};
  auto current = read_plan_version(v1, "ae.tally");
  REQUIRE(current.ok());
  auto versions = known_versions(book, *current);
  REQUIRE(versions.ok());
  tally::Engine engine;
  auto lines = prior_period_adjustments(engine, book, *versions, data, "2026-04");
  INFO((lines.ok() ? std::string() : lines.errors()[0].message));
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  CHECK((*lines)[0].origin_period == "2026-01");
  CHECK((*lines)[0].amount == "-100.00");
  CHECK((*lines)[1].origin_period == "2026-03");
  CHECK((*lines)[1].amount == "50.00");
  CHECK((*lines)[1].posted_period == "2026-04");
}

TEST_CASE("a recoverable draw is final in settled periods, adjusted in the others",
          "[ledger][adjustments]") {
  AdjustmentInputs in = march_after_january_and_february();
  // January paid ann a 600.00 advance; a late deal makes the recomputation
  // need none. February's 200.00 advance is recomputed as 0 too.
  in.paid.push_back(paid("2026-01", "ann", "ramp", "2026-01", "600.00"));
  in.paid.push_back(paid("2026-02", "ann", "ramp", "2026-02", "200.00"));
  in.recomputed = {
      {"ann", "2026-01", "commission", "1000.00"}, {"bob", "2026-01", "commission", "400.00"},
      {"ann", "2026-01", "ramp", "0.00"},          {"ann", "2026-01", "ramp_recovery", "-50.00"},
      {"ann", "2026-02", "commission", "500.00"},  {"bob", "2026-02", "commission", "300.00"},
      {"ann", "2026-02", "ramp", "0.00"}};
  in.final_components = {"ramp", "ramp_recovery"};
  SECTION("January settled: its advance and recovery stand; February's is adjusted") {
    in.settled_periods = {"2026-01"};
    auto lines = compute_adjustments(in);
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 1);
    CHECK((*lines)[0].origin_period == "2026-02");
    CHECK((*lines)[0].component == "ramp");
    CHECK((*lines)[0].amount == "-200.00");
  }
  SECTION("nothing settled: every difference is adjusted") {
    auto lines = compute_adjustments(in);
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 3);
    CHECK((*lines)[0].component == "ramp");
    CHECK((*lines)[0].amount == "-600.00");
    CHECK((*lines)[1].component == "ramp_recovery");
    CHECK((*lines)[1].amount == "-50.00");
    CHECK((*lines)[2].amount == "-200.00");
  }
}
