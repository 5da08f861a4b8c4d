// find_cross_sell, size_band, canonical_line and read_accounts on small
// hand-made inputs; the medians and lacking lines are worked out by hand.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "repl/cross_sell.hpp"

using namespace tally::cli;

TEST_CASE("size bands", "[territories]") {
  const CrossSellOptions o;
  CHECK(size_band(999, o) == "<1000");
  CHECK(size_band(1000, o) == "1000-4999");
  CHECK(size_band(4999.5, o) == "1000-4999");
  CHECK(size_band(5000, o) == "5000+");
  CrossSellOptions none;
  none.edges.clear();
  CHECK(size_band(5, none) == "all");
}

TEST_CASE("one line written two ways", "[territories]") {
  const std::vector<std::string> known{"GTX Pro", "MG Special"};
  CHECK(canonical_line("GTXPro", known) == "GTX Pro");
  CHECK(canonical_line("gtx pro", known) == "GTX Pro");
  CHECK(canonical_line("GTK 500", known) == "GTK 500");
}

TEST_CASE("accounts below their peers' median", "[territories]") {
  // Retail, small: a buys {x}, b {x, y}, c {x, y, z}, d {x, y}.
  //   a: peers b, c, d have 2, 3, 2 lines: median 2 > 1: listed; lacks y
  //      (3 peers), z (1 peer).
  //   b: peers 1, 3, 2: median 2, not below. c: 1, 2, 2: median 2. d as b.
  // Retail, large: e alone: too few to compare. f has no size: left out.
  // g is not in the accounts table.
  const std::vector<AccountProfile> accounts{{"a", "retail", 10, {}},   {"b", "retail", 20, {}},
                                             {"c", "retail", 30, {}},   {"d", "retail", 40, {}},
                                             {"e", "retail", 9000, {}}, {"f", "retail", {}, {}}};
  const std::vector<Purchase> purchases{{"a", "x"}, {"b", "x"}, {"b", "y"}, {"c", "x"},
                                        {"c", "y"}, {"c", "z"}, {"d", "x"}, {"d", "y"},
                                        {"e", "x"}, {"f", "x"}, {"g", "x"}, {"a", "x"}};
  const CrossSellResult r = find_cross_sell(accounts, purchases, CrossSellOptions{});
  REQUIRE(r.gaps.size() == 1);
  const CrossSellGap& a = r.gaps[0];
  CHECK(a.account == "a");
  CHECK(a.band == "<1000");
  CHECK(a.lines == 1);
  CHECK(a.peers == 3);
  CHECK(a.peer_median == 2.0);
  REQUIRE(a.missing.size() == 2);
  CHECK(a.missing[0] == std::pair<std::string, std::size_t>{"y", 3});
  CHECK(a.missing[1] == std::pair<std::string, std::size_t>{"z", 1});
  CHECK(r.accounts == 5);  // a..e
  CHECK(r.groups == 2);
  REQUIRE(r.notes.size() == 3);
  CHECK(r.notes[0].find("\"g\"") != std::string::npos);
  CHECK(r.notes[1].find("no size") != std::string::npos);
  CHECK(r.notes[2].find("5000+") != std::string::npos);
}

TEST_CASE("an even number of peers takes the mean of the middle two", "[territories]") {
  // a {x}; b {x, y}; c {x, y, z}: for a the peers have 2 and 3: median 2.5.
  const std::vector<AccountProfile> accounts{
      {"a", "s", 1, {}}, {"b", "s", 1, {}}, {"c", "s", 1, {}}};
  const std::vector<Purchase> purchases{{"a", "x"}, {"b", "x"}, {"b", "y"},
                                        {"c", "x"}, {"c", "y"}, {"c", "z"}};
  const CrossSellResult r = find_cross_sell(accounts, purchases, CrossSellOptions{});
  // b: peers 1 and 3, median 2, not below; c: peers 1 and 2, median 1.5.
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].account == "a");
  CHECK(r.gaps[0].peer_median == 2.5);
}

TEST_CASE("reading an accounts table", "[territories]") {
  const auto dir = std::filesystem::temp_directory_path() / "tally_cross_sell_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "accounts.csv").string();
  std::ofstream(path) << "account,sector,revenue,employees\r\nAcme,retail,1.5,100\r\n"
                         "\"Beta, Inc\",medical,,\r\nGamma,retail,x,5\r\n";
  const AccountsResult r = read_accounts(path);
  REQUIRE(r.accounts.size() == 3);
  CHECK(r.accounts[0].employees == 100);
  CHECK(r.accounts[0].revenue == 1.5);
  CHECK(r.accounts[1].account == "Beta, Inc");
  CHECK_FALSE(r.accounts[1].employees);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].rendered == path + ":4: error: expected a number, found \"x\"");
  std::ofstream(path) << "name,sector\nAcme,retail\n";
  CHECK(read_accounts(path).messages.size() == 1);
  CHECK(read_accounts((dir / "missing.csv").string()).messages.size() == 1);
  std::filesystem::remove_all(dir);
}
