// The report's SVG charts (repl/svg_chart.hpp): plain markup, one mark per
// value, escaped labels, and nothing drawn from an empty input.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "repl/svg_chart.hpp"

using namespace tally::cli;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("bar and column charts draw one bar per value, with its figure", "[report]") {
  CHECK(bar_chart({}, "empty").empty());
  CHECK(column_chart({}, "empty").empty());
  const std::string bars =
      bar_chart({{"AE", 300, "300.00"}, {"<SE>", -20, "-20.00"}}, "Paid by role");
  CHECK(bars.rfind("<svg", 0) == 0);
  CHECK(count(bars, "<rect") == 2);
  CHECK(bars.find("&lt;SE&gt;") != std::string::npos);  // escaped
  CHECK(bars.find("-20.00") != std::string::npos);
  CHECK(count(bars, "<line") == 1);  // the zero line, as one value is negative
  const std::string columns = column_chart({{"0%", 3, "3"}, {"25%", 0, "0"}}, "Histogram");
  CHECK(count(columns, "<rect") == 2);
}

TEST_CASE("the scatter draws every point, the outliers named, and its lines", "[report]") {
  CHECK(scatter_chart({}, {}, {}, "x", "y", "empty").empty());
  const std::string svg = scatter_chart({{50, 100, "ann Q1", false}, {150, 900, "bob Q1", true}},
                                        {{0, 0}, {100, 400}, {150, 600}}, {{0, -50}, {150, 800}},
                                        "attainment (%)", "Pay (USD)", "Pay against attainment");
  CHECK(count(svg, "<circle") == 2);
  CHECK(svg.find(">bob Q1</text>") != std::string::npos);  // the outlier is labelled
  CHECK(svg.find(">ann Q1</text>") == std::string::npos);  // the others only as tooltips
  CHECK(count(svg, "class=\"curve\"") == 1);
  CHECK(count(svg, "class=\"fitted\"") == 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::string odd = scatter_chart({{nan, 1, "odd", false}}, {}, {}, "x", "y", "odd");
  CHECK(odd.find("nan") == std::string::npos);
}

TEST_CASE("the series chart draws the history and the forecasts with intervals", "[report]") {
  CHECK(series_chart({}, {}, "empty").empty());
  const std::string svg = series_chart({{"Q1", 10, {}, {}}, {"Q2", 20, {}, {}}},
                                       {{"Q3 linear", 30, 25.0, 35.0}}, "Team bookings");
  CHECK(count(svg, "<circle") == 3);
  CHECK(count(svg, "<path") == 1);  // the history's line
  CHECK(svg.find("Q3 linear") != std::string::npos);
}
