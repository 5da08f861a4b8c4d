// "Did you mean" suggestions: distances worked out by hand.
#include <catch2/catch.hpp>

#include "interpreter/runtime/spelling.hpp"

using tally::closest_match;
using tally::edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[spelling]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("bookings", "bookngs") == 1);   // a deletion
  CHECK(edit_distance("payot", "payout") == 1);       // an insertion
  CHECK(edit_distance("round", "roune") == 1);        // a substitution
  CHECK(edit_distance("nmae", "name") == 1);          // two neighbours swapped
  CHECK(edit_distance("Bookings", "bookings") == 0);  // case is ignored
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("the closest candidate is suggested only when it is a plausible typo", "[spelling]") {
  const std::vector<std::string> names{"name", "role", "bookings", "quota"};
  CHECK(closest_match("nmae", names) == std::optional<std::string>("name"));
  CHECK(closest_match("bookngs", names) == std::optional<std::string>("bookings"));
  CHECK(closest_match("Quota", names) == std::optional<std::string>("quota"));
  CHECK_FALSE(closest_match("zzzz", names).has_value());
  CHECK_FALSE(closest_match("name", names).has_value());  // the word itself is no suggestion
}
