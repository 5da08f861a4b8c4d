// The checker on territories: predicates, owners, priorities, hierarchical
// names, the static overlap check with its witness, and territory sets read
// from a source. Declarations added to kCheckBase start on line 22.
#include <catch2/catch.hpp>

#include "check_fixture.hpp"

using tally::testing::check_text;

namespace {
const std::string kCredit =
    "credit t from deals on deal.close_date { owner(territory(deal)) gets 50% overlay }\n";
}

TEST_CASE("territories of equal priority that can match one deal are an error with a witness",
          "[checker][territories]") {
  const auto c = check_text(
      "territory West = deal.account_state in {\"CA\", \"OR\", \"WA\"} owner \"se-001\"\n"
      "territory Pacific = deal.account_state in {\"HI\", \"CA\"} and deal.segment == \"ENT\" "
      "owner \"se-002\"\n"
      "territory Island = deal.account_state == \"HI\" and deal.segment == \"SMB\" owner "
      "\"se-003\"\n"
      "territory Small = deal.amount in 0 USD .. 50_000 USD and deal.account_state == \"NY\" owner "
      "\"se-004\"\n"
      "territory Mid = deal.amount in 40_000 USD .. 60_000 USD and deal.account_state == \"NY\" "
      "owner \"se-005\"\n"
      "territory Large = deal.amount in 60_000 USD .. 90_000 USD and deal.account_state == \"NY\" "
      "owner "
      "\"se-006\"\n" +
      kCredit);
  INFO(c.all);
  // `territory ` is 10 characters: names start at column 11
  CHECK(
      c.has("plan.tally:23:11: error: territories West and Pacific can both match a deal with "
            "account_state "
            "\"CA\" and segment \"ENT\"; give one a priority"));
  CHECK(c.hinted("e.g. `territory Pacific = ... priority 1`"));
  // ranges [0, 50000) and [40000, 60000) share 40000; [40000, 60000) and [60000, 90000) share
  // nothing
  CHECK(
      c.has("plan.tally:26:11: error: territories Small and Mid can both match a deal with "
            "account_state \"NY\" "
            "and amount 40000 USD; give one a priority"));
  // Island (HI, SMB) against Pacific (HI or CA, ENT): the segments differ
  CHECK(c.count("error") == 2);
}

TEST_CASE(
    "a priority settles an overlap; predicates the checker cannot decide are left to the data",
    "[checker][territories]") {
  const auto c = check_text(
      "territory West = deal.account_state in {\"CA\", \"OR\"} owner \"se-001\"\n"
      "territory West.CA = deal.account_state == \"CA\" owner \"se-003\" priority 2\n"
      "territory Big = deal.amount > 100_000 USD owner \"se-004\"\n" +
      kCredit);
  INFO(c.all);
  CHECK_FALSE(c.errors);
}

TEST_CASE("territory parts are typed", "[checker][territories]") {
  const auto c = check_text(
      "territory East.NY = deal.account_state == \"NY\" owner \"se-005\" priority 2\n"
      "territory Bad = deal.amount owner 5 priority \"x\"\n" +
      kCredit);
  INFO(c.all);
  CHECK(c.has(
      "plan.tally:22:11: error: territory `East.NY` is inside `East`, which is not declared"));
  // `territory Bad = ` is 16 characters, `deal.amount owner ` 18 more, `5 priority ` 11 more
  CHECK(c.has(
      "plan.tally:23:17: error: the predicate of territory `Bad` must be bool, found money (USD)"));
  CHECK(c.has("plan.tally:23:35: error: the owner of territory `Bad` must be a payee, found int"));
  CHECK(c.has("plan.tally:23:46: error: a priority must be a whole number, found text"));
}

TEST_CASE("a territory nobody credits is a warning", "[checker][territories]") {
  const auto c = check_text("territory West = deal.account_state in {\"CA\"} owner \"se-001\"\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  CHECK(
      c.has("plan.tally:22:11: warning: territory `West` is never used: no credit rule calls "
            "territory(...)"));
}

TEST_CASE("territories from a source: both rows in scope", "[checker][territories]") {
  const std::string set =
      "source tmap { id: text key, states: list<text> sep \"|\", segment: text, se: payee }\n"
      "territories from tmap as t\n";
  auto c = check_text(set +
                      "  match deal.account_state in t.states and deal.segment == t.segment\n"
                      "  owner t.se\n  priority 1\n  name t.id\n" +
                      kCredit);
  INFO(c.all);
  CHECK_FALSE(c.errors);
  // `  match deal.account_state in t.states and deal.segment == ` is 59 characters
  c = check_text(
      set +
      "  match deal.account_state in t.states and deal.segment == t.segmnt\n  owner t.segment\n" +
      kCredit);
  INFO(c.all);
  CHECK(c.has("plan.tally:24:60: error: `tmap` has no field `segmnt`"));
  CHECK(c.hinted("did you mean `segment`?"));
}
