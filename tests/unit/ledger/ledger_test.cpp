// The ledger file: schema and checks on open, a run as one transaction,
// idempotency, close/reopen, what is paid, and that every row traces to a run.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "ledger/ledger.hpp"

using namespace tally::ledger;

namespace {

/// A fresh ledger path in the temporary folder, removed (with its WAL files) at the end.
struct TempLedger {
  std::string path;
  explicit TempLedger(const std::string& name) {
    path =
        (std::filesystem::temp_directory_path() / ("tally_ledger_test_" + name + ".db")).string();
    remove();
  }
  ~TempLedger() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path + suffix);
  }
};

RunInput january_run() {
  RunInput run;
  run.started_utc = "2026-02-01T09:00:00Z";
  run.user = "ops";
  run.tally_version = "test";
  run.plan_path = "plan.tally";
  run.plan_text = "plan \"P\" version 1\n";
  run.plan_sha256 = "aaaa";
  run.plan_name = "P";
  run.plan_version = "1";
  run.inputs = {{"deals", "data/deals.csv", "d1"}};
  run.periods = {"2026-01"};
  run.payouts = {{"ann", "2026-01", "commission", "1000.00"},
                 {"bob", "2026-01", "commission", "400.10"}};
  return run;
}

long long count(const Ledger& ledger, const std::string& table) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(ledger.handle(), ("SELECT COUNT(*) FROM " + table).c_str(), -1, &s, nullptr);
  sqlite3_step(s);
  const long long n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return n;
}

std::string first_message(const tally::Errors& errors) {
  return errors.empty() ? std::string() : errors.front().message;
}

}  // namespace

TEST_CASE("a new ledger has the current schema version and the documented tables") {
  TempLedger file("schema");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  auto version = ledger->schema_version();
  REQUIRE(version.ok());
  CHECK(*version == kSchemaVersion);
  CHECK(migrations().back().version == kSchemaVersion);
  for (const char* table :
       {"runs", "plan_texts", "run_inputs", "run_periods", "periods", "period_events", "payouts",
        "adjustments", "balances", "paid", "paid_balances"})
    CHECK(count(*ledger, table) == 0);
}

TEST_CASE("a missing ledger is an error when it may not be created") {
  TempLedger file("missing");
  OpenOptions options;
  options.create = false;
  auto ledger = Ledger::open(file.path, options);
  REQUIRE_FALSE(ledger.ok());
  CHECK(first_message(ledger.errors()).find("there is no ledger at") != std::string::npos);
}

TEST_CASE("a file that is not SQLite is reported as damaged") {
  TempLedger file("garbage");
  std::ofstream(file.path) << std::string(4096, 'x');
  auto ledger = Ledger::open(file.path);
  REQUIRE_FALSE(ledger.ok());
  CHECK(first_message(ledger.errors()).find("is damaged") != std::string::npos);
}

TEST_CASE("a ledger from a newer schema is refused") {
  TempLedger file("newer");
  { REQUIRE(Ledger::open(file.path).ok()); }
  sqlite3* db = nullptr;
  sqlite3_open(file.path.c_str(), &db);
  sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto ledger = Ledger::open(file.path);
  REQUIRE_FALSE(ledger.ok());
  CHECK(first_message(ledger.errors()).find("schema version 99, newer") != std::string::npos);
}

TEST_CASE("a schema 1 ledger is migrated; its closes carry no balances") {
  TempLedger file("migrate");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.path.c_str(), &db) == SQLITE_OK);
  const std::string v1 = std::string(
                             "CREATE TABLE schema_version (version INTEGER NOT NULL); "
                             "INSERT INTO schema_version VALUES (1);") +
                         migrations().front().sql;
  REQUIRE(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  {
    auto ledger = Ledger::open(file.path);
    REQUIRE(ledger.ok());
    CHECK(*ledger->schema_version() == kSchemaVersion);
    // A run recorded now says it recorded its balances.
    RunInput run = january_run();
    run.balances = {{"ann", "2026-01", "draw", "ramp", "600.00"}};
    REQUIRE(ledger->record_run(run).ok());
    REQUIRE(ledger->close("2026-01", "pat", "2026-02-03T10:00:00Z").ok());
    auto settled = ledger->periods_with_balances();
    REQUIRE(settled.ok());
    CHECK(*settled == std::vector<std::string>{"2026-01"});
  }
  // The same close, had schema 1 written its run, would not count.
  REQUIRE(sqlite3_open(file.path.c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "UPDATE runs SET records_balances = 0", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  auto settled = ledger->periods_with_balances();
  REQUIRE(settled.ok());
  CHECK(settled->empty());
}

TEST_CASE("a run is recorded once; the same run again changes nothing") {
  TempLedger file("idempotent");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  auto first = ledger->record_run(january_run());
  REQUIRE(first.ok());
  CHECK_FALSE(first->unchanged);
  RunInput again = january_run();
  again.started_utc = "2026-02-02T10:00:00Z";  // time and user do not make a run different
  again.user = "someone else";
  std::swap(again.payouts[0], again.payouts[1]);  // nor the order of the rows
  auto second = ledger->record_run(again);
  REQUIRE(second.ok());
  CHECK(second->unchanged);
  CHECK(second->run_id == first->run_id);
  CHECK(count(*ledger, "runs") == 1);
  CHECK(count(*ledger, "payouts") == 2);

  RunInput changed = january_run();
  changed.inputs[0].sha256 = "d2";  // the data changed
  auto third = ledger->record_run(changed);
  REQUIRE(third.ok());
  CHECK_FALSE(third->unchanged);
  CHECK(count(*ledger, "runs") == 2);
  auto latest = ledger->latest_run("2026-01");
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->id == third->run_id);
  CHECK((*latest)->plan_text == "plan \"P\" version 1\n");
  CHECK(count(*ledger, "plan_texts") == 1);  // the same text is stored once
}

TEST_CASE("close freezes the latest run as paid; a closed period refuses runs") {
  TempLedger file("close");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->record_run(january_run()).ok());
  auto closed = ledger->close("2026-01", "ops", "2026-02-03T00:00:00Z", "payroll sent");
  REQUIRE(closed.ok());
  auto paid = ledger->paid("2026-01");
  REQUIRE(paid.ok());
  REQUIRE(paid->size() == 2);
  CHECK((*paid)[0] ==
        PaidLine{"2026-01", "ann", "commission", "2026-01", "1000.00", 1, closed->id});
  CHECK((*paid)[1].amount == "400.10");

  auto rerun = ledger->record_run(january_run());
  REQUIRE_FALSE(rerun.ok());
  CHECK(first_message(rerun.errors()).find("period 2026-01 is closed") != std::string::npos);
  auto twice = ledger->close("2026-01", "ops", "2026-02-04T00:00:00Z");
  REQUIRE_FALSE(twice.ok());
  CHECK(first_message(twice.errors()).find("already closed") != std::string::npos);
}

TEST_CASE("close refuses while the latest run has errors, and names an unknown period") {
  TempLedger file("errors");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  RunInput failed = january_run();
  failed.ok = false;
  failed.errors = {"deals.csv:4: unknown payee \"zed\""};
  failed.payouts.clear();
  REQUIRE(ledger->record_run(failed).ok());
  auto closed = ledger->close("2026-01", "ops", "t");
  REQUIRE_FALSE(closed.ok());
  CHECK(first_message(closed.errors()).find("failed (1 error): deals.csv:4") != std::string::npos);
  auto unknown = ledger->close("2026-1", "ops", "t");
  REQUIRE_FALSE(unknown.ok());
  CHECK(first_message(unknown.errors()) == "period 2026-1 is not in the ledger " + file.path);
  CHECK(unknown.errors().front().hint == "did you mean 2026-01?");
  // A good run afterwards makes it closable.
  REQUIRE(ledger->record_run(january_run()).ok());
  CHECK(ledger->close("2026-01", "ops", "t").ok());
}

TEST_CASE("reopen needs a reason, records it, and the earlier paid rows stop counting") {
  TempLedger file("reopen");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->record_run(january_run()).ok());
  REQUIRE(ledger->close("2026-01", "ops", "t1").ok());
  CHECK_FALSE(ledger->reopen("2026-01", "ops", "t2", "  ").ok());
  auto reopened = ledger->reopen("2026-01", "lead", "t2", "quota typo");
  REQUIRE(reopened.ok());
  auto events = ledger->events("2026-01");
  REQUIRE(events.ok());
  REQUIRE(events->size() == 2);
  CHECK((*events)[1].action == "reopen");
  CHECK((*events)[1].reason == "quota typo");
  CHECK((*events)[1].user == "lead");
  auto paid = ledger->paid("2026-01");
  REQUIRE(paid.ok());
  CHECK(paid->empty());
  CHECK(count(*ledger, "paid") == 2);  // kept in the file, as history
  RunInput corrected = january_run();
  corrected.payouts[1].amount = "450.10";
  REQUIRE(ledger->record_run(corrected).ok());
  REQUIRE(ledger->close("2026-01", "ops", "t3").ok());
  paid = ledger->paid("2026-01");
  REQUIRE(paid.ok());
  REQUIRE(paid->size() == 2);
  CHECK((*paid)[1].amount == "450.10");
}

TEST_CASE("adjustments are posted with a run and paid when its period closes") {
  TempLedger file("adjust");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->record_run(january_run()).ok());
  REQUIRE(ledger->close("2026-01", "ops", "t1").ok());
  RunInput february = january_run();
  february.periods = {"2026-02"};
  february.payouts = {{"ann", "2026-02", "commission", "250.00"}};
  february.adjustments = {{"ann", "commission", "2026-01", "2026-02", "-500.00", "D2 cancelled"}};
  auto recorded = ledger->record_run(february);
  REQUIRE(recorded.ok());
  auto posted = ledger->adjustments_of_run(recorded->run_id);
  REQUIRE(posted.ok());
  CHECK(*posted == february.adjustments);
  REQUIRE(ledger->close("2026-02", "ops", "t2").ok());
  auto all = ledger->all_paid();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 4);
  CHECK((*all)[2].period == "2026-02");
  CHECK((*all)[2].origin_period == "2026-01");
  CHECK((*all)[2].amount == "-500.00");
  // The closed January rows were not touched.
  auto january = ledger->paid("2026-01");
  REQUIRE(january.ok());
  CHECK((*january)[0].amount == "1000.00");

  auto history = ledger->history("ann");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 6);  // 2 calculated, 1 adjustment, 3 paid
  CHECK((*history)[0].kind == "calculated");
}

TEST_CASE("a run with a bad row writes nothing") {
  TempLedger file("atomic");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  RunInput bad = january_run();
  bad.payouts.push_back({"cy", "2026-01", "commission", "1e3"});
  auto recorded = ledger->record_run(bad);
  REQUIRE_FALSE(recorded.ok());
  CHECK(first_message(recorded.errors()).find("not an exact decimal") != std::string::npos);
  RunInput outside = january_run();
  outside.payouts.push_back({"cy", "2026-02", "commission", "1.00"});
  CHECK_FALSE(ledger->record_run(outside).ok());
  RunInput open_origin = january_run();
  open_origin.adjustments = {{"ann", "commission", "2025-12", "2026-01", "1.00", ""}};
  CHECK_FALSE(ledger->record_run(open_origin).ok());
  CHECK(count(*ledger, "runs") == 0);
  CHECK(count(*ledger, "payouts") == 0);
}

TEST_CASE("every amount row names an existing run") {
  TempLedger file("trace");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->record_run(january_run()).ok());
  REQUIRE(ledger->close("2026-01", "ops", "t").ok());
  for (const char* table : {"payouts", "adjustments", "balances", "paid", "paid_balances"})
    CHECK(count(*ledger, std::string(table) + " WHERE run_id NOT IN (SELECT id FROM runs)") == 0);
}

TEST_CASE("a second writer is refused with a message naming the ledger") {
  TempLedger file("busy");
  auto first = Ledger::open(file.path);
  REQUIRE(first.ok());
  OpenOptions quick;
  quick.busy_timeout_ms = 50;
  auto second = Ledger::open(file.path, quick);
  REQUIRE(second.ok());
  REQUIRE(sqlite3_exec(first->handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto refused = second->record_run(january_run());
  REQUIRE_FALSE(refused.ok());
  CHECK(first_message(refused.errors()) ==
        "the ledger " + file.path + " is in use: another run, close or reopen holds it");
  sqlite3_exec(first->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  CHECK(second->record_run(january_run()).ok());
}

TEST_CASE("a run is refused when a period was closed after it read the ledger") {
  TempLedger file("stale");
  auto ledger = Ledger::open(file.path);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->record_run(january_run()).ok());
  auto seen = ledger->last_event_id();
  REQUIRE(seen.ok());
  CHECK(*seen == 0);
  REQUIRE(ledger->close("2026-01", "ops", "t").ok());
  RunInput february = january_run();
  february.periods = {"2026-02"};
  february.payouts = {{"ann", "2026-02", "commission", "1.00"}};
  february.last_event_seen = *seen;
  auto stale = ledger->record_run(february);
  REQUIRE_FALSE(stale.ok());
  CHECK(first_message(stale.errors()).find("was closed or reopened while this run") !=
        std::string::npos);
  february.last_event_seen = *ledger->last_event_id();
  CHECK(ledger->record_run(february).ok());
}
