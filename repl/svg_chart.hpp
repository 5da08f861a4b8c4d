// The small inline SVG charts of a statement: attainment against quota and
// the tier ladder. Plain SVG markup (no script, no external font or image),
// sized by a viewBox so it scales to the page and prints whole.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tally::cli {

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities: safe in HTML
/// and SVG text and attribute values alike.
std::string escape_markup(const std::string& text);

/// A horizontal bar of `percent` of quota on a scale that always shows 100%,
/// with a marker and label at 100% and the percentage printed beside the
/// bar. `caption` is the chart's accessible title (escaped here).
std::string attainment_chart(double percent, const std::string& caption);

/// One tier of a ladder chart: its bounds on the rates' scale (no upper
/// bound for the open top tier), its rate as printed, whether it paid.
struct LadderBand {
  double lower = 0;
  std::optional<double> upper;
  std::string lower_text;  ///< the bound as printed under the band, `50%`
  std::string rate;
  bool paid = false;
};

/// The tiers side by side as bands proportional to their ranges (the open
/// top tier drawn as wide as needed to show the position), the paid ones
/// filled, and a marker at `position` (the payee's place on the same scale)
/// labelled `position_label`.
std::string ladder_chart(const std::vector<LadderBand>& bands, std::optional<double> position,
                         const std::string& position_label, const std::string& caption);

/// One bar of a bar or column chart: its label, its length (for drawing;
/// negative bars are drawn from 0 to the left) and the figure printed at
/// its end, exactly as given (an exact amount, a count).
struct ChartBar {
  std::string label;
  double value = 0;
  std::string figure;
};

/// Horizontal bars, one a row, labels on the left and each figure at the
/// bar's end; a zero line when some value is negative. Empty `bars`: "".
std::string bar_chart(const std::vector<ChartBar>& bars, const std::string& caption);

/// Vertical columns side by side (a histogram, a series over periods), each
/// labelled under it with its figure above it. Empty `bars`: "".
std::string column_chart(const std::vector<ChartBar>& bars, const std::string& caption);

/// One point of a scatter chart; `highlight` draws it in another colour
/// with its label beside it (an outlier), else the label is its tooltip.
struct ScatterPoint {
  double x = 0;
  double y = 0;
  std::string label;
  bool highlight = false;
};

/// Points on x/y axes (their names `x_name`, `y_name`) with `curve` (x, y
/// pairs in ascending x) drawn as a solid line over them and `guide` (the
/// same, may be empty) as a dashed one; axes always include 0 and the
/// curves are clipped to the points' range. Empty `points`: "".
std::string scatter_chart(const std::vector<ScatterPoint>& points,
                          const std::vector<std::pair<double, double>>& curve,
                          const std::vector<std::pair<double, double>>& guide,
                          const std::string& x_name, const std::string& y_name,
                          const std::string& caption);

/// A value per period with a band (low, high) around each forecast point:
/// `history` drawn as a solid line, then `forecast` points with whiskers.
struct SeriesPoint {
  std::string label;
  double value = 0;
  std::optional<double> low;  ///< the interval, for forecast points
  std::optional<double> high;
};
std::string series_chart(const std::vector<SeriesPoint>& history,
                         const std::vector<SeriesPoint>& forecast, const std::string& caption);

}  // namespace tally::cli
