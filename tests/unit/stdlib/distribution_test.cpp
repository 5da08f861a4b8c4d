// Expected values worked by hand; the working is in the comments.
#include "stdlib/distribution.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace tally::analytics;

TEST_CASE("gini: 0 when equal, by the pairs' mean difference otherwise", "[distribution]") {
  CHECK(*gini(std::vector<double>{3, 3, 3, 3}) == Approx(0).margin(1e-12));
  // Mean absolute difference over all 16 ordered pairs: 20 / 16 = 1.25; over 2 x mean 5: 0.25.
  CHECK(*gini(std::vector<double>{4, 1, 3, 2}) == Approx(0.25));
  // One of four holds everything: 2*4*1/(4*1) - 5/4 = 0.75 (= (n-1)/n).
  CHECK(*gini(std::vector<double>{0, 0, 1, 0}) == Approx(0.75));
  CHECK(*gini(std::vector<double>{7}) == Approx(0).margin(1e-12));
  CHECK_FALSE(gini(std::vector<double>{}).has_value());
  CHECK_FALSE(gini(std::vector<double>{0, 0}).has_value());
  CHECK_FALSE(gini(std::vector<double>{1, -1, 3}).has_value());
}

TEST_CASE("max/min ratio is undefined over an empty set or a zero minimum", "[distribution]") {
  CHECK(*max_min_ratio(std::vector<double>{2, 8, 4}) == Approx(4));
  CHECK(*max_min_ratio(std::vector<double>{5}) == Approx(1));
  CHECK_FALSE(max_min_ratio(std::vector<double>{}).has_value());
  CHECK_FALSE(max_min_ratio(std::vector<double>{0, 1}).has_value());
  CHECK_FALSE(max_min_ratio(std::vector<double>{-2, 1}).has_value());
}

TEST_CASE("quantile: type 7 interpolation", "[distribution]") {
  const std::vector<double> v{4, 1, 3, 2};
  CHECK(*quantile(v, 0.5) == Approx(2.5));    // h = 1.5: 2 + .5 * (3 - 2)
  CHECK(*quantile(v, 0.25) == Approx(1.75));  // h = 0.75: 1 + .75 * (2 - 1)
  CHECK(*quantile(v, 0) == Approx(1));
  CHECK(*quantile(v, 1) == Approx(4));
  CHECK(*quantile(std::vector<double>{7}, 0.3) == Approx(7));
  CHECK_FALSE(quantile(std::vector<double>{}, 0.5).has_value());
  CHECK_FALSE(quantile(v, 1.5).has_value());
  CHECK_FALSE(quantile(v, -0.1).has_value());
}

TEST_CASE("histogram: half-open bins, the tails in the end bins", "[distribution]") {
  const std::vector<double> values{-1, 0, 0.5, 1, 1.5, 2, 5};
  const std::vector<double> edges{0, 1, 2};
  const auto bins = histogram(values, edges);
  REQUIRE(bins.size() == 2);
  CHECK(bins[0].low == 0);
  CHECK(bins[0].high == 1);
  CHECK(bins[0].count == 3);  // -1 (below), 0, 0.5
  CHECK(bins[1].count == 4);  // 1, 1.5, 2 (the last edge), 5 (above)
  CHECK(histogram(values, std::vector<double>{1}).empty());
  CHECK(histogram(values, std::vector<double>{2, 1}).empty());
  const auto none = histogram(std::vector<double>{}, edges);
  REQUIRE(none.size() == 2);
  CHECK(none[0].count + none[1].count == 0);
}

TEST_CASE("outliers: residuals beyond k standard deviations of the fitted line", "[distribution]") {
  // All x equal: the line is flat at mean(y) = 1. Residuals: nine -1 and one 9;
  // sd = sqrt((9 + 81) / 10) = 3; 2 * 3 = 6 < 9: only the last.
  const std::vector<double> same_x(10, 1.0);
  std::vector<double> y(10, 0.0);
  y[9] = 10;
  CHECK(outliers(same_x, y) == std::vector<std::size_t>{9});

  // y = x + e with e = (1, -1, 0, -1, 1), orthogonal to 1 and to x: the line
  // stays y = x and the residuals are e; sd = sqrt(4 / 5) = 0.894.
  const std::vector<double> x{0, 1, 2, 3, 4};
  const std::vector<double> noisy{1, 0, 2, 2, 5};
  CHECK(outliers(x, noisy).empty());  // 2 * 0.894 = 1.79 > 1
  CHECK(outliers(x, noisy, 1.0) == std::vector<std::size_t>{0, 1, 3, 4});

  CHECK(outliers(x, std::vector<double>{0, 2, 4, 6, 8}).empty());  // a perfect line
  CHECK(outliers(std::vector<double>{1, 2}, std::vector<double>{1, 100}).empty());
}
