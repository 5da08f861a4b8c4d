// Amount: the exact sums of statements and reports.
#include <catch2/catch.hpp>

#include "repl/statement_amount.hpp"

using tally::cli::Amount;

TEST_CASE("amounts are read exactly, leading zeros too", "[amount]") {
  // boost's cpp_int reads "010" as octal: the integer part's zeros must go
  CHECK(Amount::parse("0.10")->plain(2) == "0.10");
  CHECK(Amount::parse("-0.09")->plain(2) == "-0.09");
  CHECK(Amount::parse("007.50")->plain(2) == "7.50");
  CHECK(Amount::parse("0")->plain(0) == "0");
  CHECK(Amount::parse("0.00")->zero());
  CHECK(Amount::parse("1200.08 USD")->plain(2) == "1200.08");
  CHECK_FALSE(Amount::parse("abc"));
  CHECK_FALSE(Amount::parse(""));
}
