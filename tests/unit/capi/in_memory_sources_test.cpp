// Sources given in memory through the C API: typed columns of the host's
// arrays and rows from a callback, and the mistakes a host can make with them.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "capi_fixture.hpp"
#include "tally/tally.h"

using namespace capi_test;

namespace {

// 10% of big deals, 4% of the others, 50 USD a unit sold.
const char* kPlan = R"(plan "Columns" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  rep: payee
  amount: money
  closed: date
  big: bool
  units: int
  note: text?
}

roster reps {
  id: text key
  role: text
}

credit sold from deals on deal.closed {
  deal.rep gets 100%
}

measure big_amount: money = sum(credit.amount where deal.big)
measure other_amount: money = sum(credit.amount where not deal.big)
measure units: int = sum(deal.units)

payout commission = 10% * big_amount + 4% * other_amount + 50 USD * units
)";

// Worked by hand:
//   ann Q1: D1 12,000.00 big -> 1,200.00; D2 550.25 -> 22.01; 3 units -> 150.00;
//           1,372.01.
//   bob Q1: D4 999.99 -> 39.9996; 3 units -> 150.00; 189.9996 rounds to 190.00.
//   bob Q2: D3 3,000.00 big -> 300.00; 0 units.
//   Total 1,862.01.
// Days since 1970-01-01 (Python's datetime): 2026-02-10 is 20494, 2026-03-31
// is 20543, 2026-05-01 is 20574, 2026-02-28 is 20512.
struct Deals {
  std::vector<const char*> ids{"D1", "D2", "D3", "D4"};
  std::vector<const char*> reps{"ann", "ann", "bob", "bob"};
  std::vector<int64_t> cents{1200000, 55025, 300000, 99999};
  std::vector<int32_t> days{20494, 20543, 20574, 20512};
  std::vector<uint8_t> big{1, 0, 1, 0};
  std::vector<int64_t> units{1, 2, 0, 3};
  std::vector<const char*> notes{"first", nullptr, "third", nullptr};
  std::vector<uint8_t> amount_valid;  // empty: no mask
  std::vector<uint8_t> note_valid;

  static const uint8_t* mask(const std::vector<uint8_t>& valid) {
    return valid.empty() ? nullptr : valid.data();
  }

  void add_to(tally_options* options) const {
    const size_t n = ids.size();
    REQUIRE(tally_options_column_text(options, "deals", "id", ids.data(), n, nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_text(options, "deals", "rep", reps.data(), n, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_decimal(options, "deals", "amount", cents.data(), 2, n,
                                         mask(amount_valid)) == TALLY_OK);
    REQUIRE(tally_options_column_date(options, "deals", "closed", days.data(), n, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_bool(options, "deals", "big", big.data(), n, nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_int64(options, "deals", "units", units.data(), n, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_text(options, "deals", "note", notes.data(), n,
                                      mask(note_valid)) == TALLY_OK);
  }
};

void add_roster(tally_options* options) {
  static const char* ids[] = {"ann", "bob"};
  static const char* roles[] = {"Représentant — 東京", "AE"};  // UTF-8 in, UTF-8 out
  REQUIRE(tally_options_column_text(options, "reps", "id", ids, 2, nullptr) == TALLY_OK);
  REQUIRE(tally_options_column_text(options, "reps", "role", roles, 2, nullptr) == TALLY_OK);
}

void check_hand_worked(const tally_result* r) {
  CHECK(payout(r, "ann", "2026-Q1", "commission") == "1372.01");
  CHECK(payout(r, "bob", "2026-Q1", "commission") == "190.00");
  CHECK(payout(r, "bob", "2026-Q2", "commission") == "300.00");
  CHECK(std::string(tally_result_total(r)) == "1862.01");
}

/// A row callback over a fixed table of cells (NULL = null).
struct Rows {
  std::vector<std::vector<const char*>> cells;
  size_t next = 0;
  int calls = 0;

  static int callback(void* user_data, const char** out, size_t count) {
    auto* self = static_cast<Rows*>(user_data);
    ++self->calls;
    if (self->next == self->cells.size()) return 0;
    const auto& row = self->cells[self->next++];
    for (size_t i = 0; i < count; ++i) out[i] = row[i];
    return 1;
  }
};

}  // namespace

TEST_CASE("a source given as typed columns runs as the same data in a file would", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_text(engine.get(), kPlan);
  Options options = make_options();
  Deals deals;
  deals.add_to(options.get());
  add_roster(options.get());
  tally_result* r = nullptr;
  const tally_status status = tally_run(engine.get(), plan.get(), options.get(), &r);
  Result result(r);
  INFO(all_messages(tally_result_messages(r)));
  REQUIRE(status == TALLY_OK);
  check_hand_worked(r);
  // The roster comes back as given, UTF-8 bytes unchanged.
  REQUIRE(tally_result_row_count(r, TALLY_TABLE_PAYEES) == 2);
  CHECK(cell(r, TALLY_TABLE_PAYEES, 0, 0) == "ann");
  CHECK(cell(r, TALLY_TABLE_PAYEES, 0, 1) == "Représentant — 東京");

  // The options can run again (the arrays are read, not consumed).
  tally_result* again = nullptr;
  REQUIRE(tally_run(engine.get(), plan.get(), options.get(), &again) == TALLY_OK);
  CHECK(std::string(tally_result_total(again)) == "1862.01");
  tally_result_free(again);
}

TEST_CASE("a null mask, or a NULL string, makes a cell null", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_text(engine.get(), kPlan);
  Deals deals;
  int null_row = 0;
  SECTION("a masked amount (a required field) is an error at its row") {
    deals.amount_valid = {1, 1, 0, 1};
    null_row = 3;
  }
  SECTION("a NULL rep (a required field) is an error at its row") {
    deals.reps[1] = nullptr;
    null_row = 2;
  }
  SECTION("masked notes (an optional field) change nothing") {
    deals.notes = {"first", "second", "third", "fourth"};
    deals.note_valid = {0, 1, 0, 0};
  }
  Options options = make_options();
  deals.add_to(options.get());
  add_roster(options.get());
  tally_result* r = nullptr;
  const tally_status status = tally_run(engine.get(), plan.get(), options.get(), &r);
  Result result(r);
  const tally_messages* messages = tally_result_messages(r);
  INFO(all_messages(messages));
  if (null_row == 0) {
    REQUIRE(status == TALLY_OK);
    check_hand_worked(r);
  } else {
    CHECK(status == TALLY_DATA_ERROR);
    CHECK(mentions(messages, "found null"));
    int line = 0;
    REQUIRE(tally_message_location(messages, 0, nullptr, &line, nullptr) == TALLY_OK);
    CHECK(line == null_row);
  }
}

TEST_CASE("a source given by a row callback", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_text(engine.get(), kPlan);
  Options options = make_options();
  Rows deals;
  deals.cells = {{"D1", "ann", "12000.00", "2026-02-10", "true", "1", "first"},
                 {"D2", "ann", "550.25", "2026-03-31", "false", "2", nullptr},
                 {"D3", "bob", "3000", "2026-05-01", "true", "0", "third"},
                 {"D4", "bob", "999.99", "2026-02-28", "false", "3", nullptr}};
  const char* columns[] = {"id", "rep", "amount", "closed", "big", "units", "note"};
  REQUIRE(tally_options_add_rows(options.get(), "deals", columns, 7, Rows::callback, &deals) ==
          TALLY_OK);
  add_roster(options.get());
  tally_result* r = nullptr;
  const tally_status status = tally_run(engine.get(), plan.get(), options.get(), &r);
  Result result(r);
  INFO(all_messages(tally_result_messages(r)));
  REQUIRE(status == TALLY_OK);
  check_hand_worked(r);
  CHECK(deals.calls == 5);  // four rows and the end

  // A source is given one way only.
  const int64_t one[] = {1};
  CHECK(tally_options_column_int64(options.get(), "deals", "units", one, 1, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(options.get(), "deals", columns, 7, Rows::callback, &deals) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(options.get(), "reps", columns, 7, Rows::callback, &deals) ==
        TALLY_INVALID_ARGUMENT);
}

TEST_CASE("a bad cell from a row callback is a data error at its row", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_text(engine.get(), kPlan);
  Options options = make_options();
  Rows deals;
  deals.cells = {{"D1", "ann", "12000.00", "2026-02-10", "true", "1", nullptr},
                 {"D2", "ann", "12x", "2026-03-31", "false", "2", nullptr}};
  const char* columns[] = {"id", "rep", "amount", "closed", "big", "units", "note"};
  REQUIRE(tally_options_add_rows(options.get(), "deals", columns, 7, Rows::callback, &deals) ==
          TALLY_OK);
  add_roster(options.get());
  tally_result* r = nullptr;
  CHECK(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_DATA_ERROR);
  const tally_messages* messages = tally_result_messages(r);
  INFO(all_messages(messages));
  CHECK(mentions(messages, "12x"));
  int line = 0;
  REQUIRE(tally_message_location(messages, 0, nullptr, &line, nullptr) == TALLY_OK);
  CHECK(line == 2);
  const char* file = nullptr;
  REQUIRE(tally_message_text(messages, 0, TALLY_MESSAGE_FILE, &file) == TALLY_OK);
  CHECK(std::string(file) == "deals (in memory)");
  tally_result_free(r);
}

TEST_CASE("column mistakes: an unknown source or field, a bad value, a wrong kind", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_text(engine.get(), kPlan);
  Deals deals;

  SECTION("an unknown source") {
    Options options = make_options();
    deals.add_to(options.get());
    add_roster(options.get());
    const int64_t one[] = {1};
    REQUIRE(tally_options_column_int64(options.get(), "dealz", "units", one, 1, nullptr) ==
            TALLY_OK);
    tally_result* r = nullptr;
    CHECK(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_DATA_ERROR);
    CHECK(mentions(tally_result_messages(r), "dealz"));
    tally_result_free(r);
  }
  SECTION("an unknown field, with the nearest one as a hint") {
    Options options = make_options();
    deals.add_to(options.get());
    add_roster(options.get());
    const int64_t units[] = {1, 2, 3, 4};
    REQUIRE(tally_options_column_int64(options.get(), "deals", "unitz", units, 4, nullptr) ==
            TALLY_OK);
    tally_result* r = nullptr;
    CHECK(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_DATA_ERROR);
    CHECK(mentions(tally_result_messages(r), "unitz"));
    CHECK(mentions(tally_result_messages(r), "did you mean `units`?"));
    tally_result_free(r);
  }
  SECTION("a bad text cell names its row") {
    const char* bad_dates[] = {"2026-02-10", "2026-03-31", "2026-13-01", "2026-02-28"};
    Options bad = make_options();
    REQUIRE(tally_options_column_text(bad.get(), "deals", "closed", bad_dates, 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_text(bad.get(), "deals", "id", deals.ids.data(), 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_text(bad.get(), "deals", "rep", deals.reps.data(), 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_decimal(bad.get(), "deals", "amount", deals.cents.data(), 2, 4,
                                         nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_bool(bad.get(), "deals", "big", deals.big.data(), 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_int64(bad.get(), "deals", "units", deals.units.data(), 4,
                                       nullptr) == TALLY_OK);
    add_roster(bad.get());
    tally_result* r = nullptr;
    CHECK(tally_run(engine.get(), plan.get(), bad.get(), &r) == TALLY_DATA_ERROR);
    const tally_messages* messages = tally_result_messages(r);
    INFO(all_messages(messages));
    CHECK(mentions(messages, "2026-13-01"));
    int line = 0;
    REQUIRE(tally_message_location(messages, 0, nullptr, &line, nullptr) == TALLY_OK);
    CHECK(line == 3);
    tally_result_free(r);
  }
  SECTION("a boolean that is neither 0 nor 1, and dates for a money field") {
    Options options = make_options();
    const uint8_t big[] = {1, 0, 2, 0};
    const int32_t days[] = {1, 2, 3, 4};
    REQUIRE(tally_options_column_bool(options.get(), "deals", "big", big, 4, nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_date(options.get(), "deals", "amount", days, 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_text(options.get(), "deals", "id", deals.ids.data(), 4, nullptr) ==
            TALLY_OK);
    REQUIRE(tally_options_column_text(options.get(), "deals", "rep", deals.reps.data(), 4,
                                      nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_date(options.get(), "deals", "closed", deals.days.data(), 4,
                                      nullptr) == TALLY_OK);
    REQUIRE(tally_options_column_int64(options.get(), "deals", "units", deals.units.data(), 4,
                                       nullptr) == TALLY_OK);
    add_roster(options.get());
    tally_result* r = nullptr;
    CHECK(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_DATA_ERROR);
    const tally_messages* messages = tally_result_messages(r);
    INFO(all_messages(messages));
    CHECK(mentions(messages, "2 is not a boolean"));
    CHECK(mentions(messages, "gives dates"));
    tally_result_free(r);
  }
}

TEST_CASE("column calls check their arguments", "[capi]") {
  Options options = make_options();
  const int64_t values[] = {1, 2, 3};
  const int32_t days[] = {1, 2, 3};
  const uint8_t bools[] = {0, 1, 0};
  const char* texts[] = {"a", "b", "c"};
  tally_options* o = options.get();
  REQUIRE(tally_options_column_int64(o, "s", "a", values, 3, nullptr) == TALLY_OK);
  // Every column of a source has the same length; the mistake is named at once.
  CHECK(tally_options_column_int64(o, "s", "b", values, 2, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()) ==
        "tally_options_column_int64: column `b` of source `s` has 2 values, but column `a` has 3");
  CHECK(tally_options_column_text(o, "s", "b", texts, 2, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_int64(o, "s", "a", values, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_decimal(o, "s", "d", values, 19, 3, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_decimal(o, "s", "d", values, -1, 3, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_int64(nullptr, "s", "x", values, 3, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_int64(o, nullptr, "x", values, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_int64(o, "s", nullptr, values, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_int64(o, "s", "x", nullptr, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_decimal(o, "s", "x", nullptr, 2, 3, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_date(o, "s", "x", nullptr, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_bool(o, "s", "x", nullptr, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_text(o, "s", "x", nullptr, 3, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_column_date(o, "s", "dd", days, 3, nullptr) == TALLY_OK);
  CHECK(tally_options_column_bool(o, "s", "bb", bools, 3, bools) == TALLY_OK);
  // A failed call leaves no source behind: a new source's first column failing.
  CHECK(tally_options_column_decimal(o, "t", "d", values, 40, 3, nullptr) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(
            o, "t", texts, 3, [](void*, const char**, size_t) { return 0; }, nullptr) == TALLY_OK);

  const char* columns[] = {"a", nullptr};
  auto none = [](void*, const char**, size_t) { return 0; };
  CHECK(tally_options_add_rows(nullptr, "r", columns, 1, none, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(o, nullptr, columns, 1, none, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(o, "r", nullptr, 1, none, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(o, "r", columns, 1, nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_rows(o, "r", columns, 2, none, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()) == "tally_options_add_rows: column name 1 is NULL");
}
