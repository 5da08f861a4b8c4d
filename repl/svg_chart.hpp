// The small inline SVG charts of a statement: attainment against quota and
// the tier ladder. Plain SVG markup (no script, no external font or image),
// sized by a viewBox so it scales to the page and prints whole.
#pragma once

#include <optional>
#include <string>
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

}  // namespace tally::cli
