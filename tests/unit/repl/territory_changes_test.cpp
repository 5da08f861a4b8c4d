// read_changes: the change file's syntax, the `state` and `account`
// aliases, and each mistake as a message at its line.
#include <catch2/catch.hpp>

#include "repl/territory_changes.hpp"

using namespace tally;
using namespace tally::cli;

namespace {

TerritoryReport report() {
  TerritoryReport r;
  r.ok = true;
  r.source = "deals";
  r.fields = {"id", "customer", "account_state", "amount"};
  r.field_types = {"text", "text", "text", "money (USD)"};
  for (const char* name : {"West", "East"}) {
    TerritoryInfo t;
    t.name = name;
    r.territories.push_back(t);
  }
  auto add = [&](const char* id, const char* customer, const char* state) {
    TerritoryRow row;
    row.id = id;
    row.file = "deals.csv";
    row.line = static_cast<int>(r.rows.size()) + 2;
    row.cells = {id, customer, state, "1"};
    r.rows.push_back(row);
  };
  add("T1", "Acme Corp", "CA");
  add("T2", "Beta", "NY");
  return r;
}

std::string messages(const ChangeFile& c) {
  std::string out;
  for (const Message& m : c.messages) out += m.rendered + "\n";
  return out;
}

}  // namespace

TEST_CASE("moves with aliases, quotes and comments", "[territories]") {
  const ChangeFile c = read_changes("m.txt",
                                    "# a comment\n\n  move state CA to East\r\n"
                                    "move account \"Acme Corp\" to East\n",
                                    report(), 1);
  INFO(messages(c));
  REQUIRE(c.messages.empty());
  REQUIRE(c.moves.size() == 2);
  CHECK(c.moves[0].field == "account_state");
  CHECK(c.moves[0].value == "CA");
  CHECK(c.moves[0].territory == "East");
  CHECK(c.moves[0].line == 3);
  CHECK(c.moves[1].field == "customer");
  CHECK(c.moves[1].value == "Acme Corp");
  CHECK(c.moves[1].file == "m.txt");
}

TEST_CASE("each mistake is located", "[territories]") {
  auto first = [](const std::string& text, int account = 1) {
    const ChangeFile c = read_changes("m.txt", text, report(), account);
    return c.messages.empty() ? std::string() : c.messages.front().rendered;
  };
  CHECK(first("move state CA to Wst\n") ==
        "m.txt:1: error: unknown territory \"Wst\"; did you mean \"West\"?");
  CHECK(first("\nmove customr CA to West\n") ==
        "m.txt:2: error: unknown field \"customr\" of `deals`; did you mean \"customer\"?");
  CHECK(first("move account Acme to West\n", -1)
            .rfind("m.txt:1: error: unknown field \"account\" of `deals`", 0) == 0);
  CHECK(first("move state CX to West\n") ==
        "m.txt:1: error: no transaction of `deals` has account_state \"CX\"; did you mean "
        "\"CA\"?");
  CHECK(first("move amount 1 to West\n") ==
        "m.txt:1: error: field `amount` is money (USD); only text and payee fields can be moved");
  CHECK(first("move state CA into West\n")
            .rfind("m.txt:1: error: expected `move FIELD VALUE to TERRITORY`", 0) == 0);
  CHECK(first("move state \"CA to West\n") == "m.txt:1: error: a quote is not closed");
  CHECK(first("move state CA to West\nmove state CA to East\n") ==
        "m.txt:2: error: account_state \"CA\" is already moved at line 1");
  CHECK(first("move state CA to West\nmove account \"Acme Corp\" to East\n")
            .rfind("m.txt:2: error: this move and the one at line 1 both take transaction \"T1\" "
                   "(deals.csv row 2), to West and East",
                   0) == 0);
  CHECK(first("# only a comment\n") ==
        "m.txt:1: error: the change file moves nothing\n  hint: "
        "write a line such as `move state CA to West`");
}

TEST_CASE("every mistake of a file is reported, not only the first", "[territories]") {
  const ChangeFile c =
      read_changes("m.txt", "move state CA to Wst\nmove state NY to Est\n", report(), 1);
  CHECK(c.messages.size() == 2);
}
