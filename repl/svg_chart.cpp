#include "repl/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tally::cli {

namespace {

// No xmlns: inline SVG in HTML needs none, and the page names no URL.
// Restrained colours: ink for text, a muted blue for what is short of the
// mark, a green for what reached it, a light grey for tracks.
constexpr const char* kInk = "#1f2933";
constexpr const char* kTrack = "#e4e7eb";
constexpr const char* kShort = "#3e6fa8";
constexpr const char* kReached = "#2f7d57";

/// A coordinate or size, two decimals at most (stable output, small files).
std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string percent_text(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", percent);
  return buffer;
}

std::string text_at(double x, double y, const std::string& anchor, const std::string& css,
                    const std::string& text) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" class=\"" +
         css + "\">" + escape_markup(text) + "</text>";
}

/// text-anchor for a label at `x` in a chart `width` wide, so it stays inside.
std::string anchor_for(double x, double width) {
  return x < width * 0.12 ? "start" : x > width * 0.88 ? "end" : "middle";
}

std::string svg_open(double width, double height, const std::string& caption) {
  return "<svg class=\"chart\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" role=\"img\" aria-label=\"" + escape_markup(caption) + "\"><title>" +
         escape_markup(caption) + "</title>";
}

}  // namespace

std::string escape_markup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string attainment_chart(double percent, const std::string& caption) {
  constexpr double kWidth = 520, kHeight = 70, kLeft = 8, kRight = 432, kTop = 24, kBar = 18;
  const double track = kRight - kLeft;
  // The scale always shows the 100% mark with room past it; a very high
  // attainment is drawn to 300% and marked as going on.
  double scale = std::max(150.0, std::ceil(std::max(percent, 0.0) * 1.1 / 25) * 25);
  scale = std::min(scale, 300.0);
  auto x_of = [&](double p) { return kLeft + std::clamp(p, 0.0, scale) / scale * track; };
  std::string svg = svg_open(kWidth, kHeight, caption);
  svg += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) + "\" width=\"" + num(track) +
         "\" height=\"" + num(kBar) + "\" rx=\"3\" fill=\"" + kTrack + "\"/>";
  const double end = x_of(percent);
  if (end > kLeft)
    svg += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) + "\" width=\"" + num(end - kLeft) +
           "\" height=\"" + num(kBar) + "\" rx=\"3\" fill=\"" +
           (percent >= 100 ? kReached : kShort) + "\"/>";
  if (percent > scale)  // goes on past the drawn scale
    svg += "<path d=\"M" + num(kRight + 2) + " " + num(kTop) + " l8 " + num(kBar / 2) + " l-8 " +
           num(kBar / 2) + "z\" fill=\"" + kReached + "\"/>";
  for (double tick = 0; tick <= scale + 1e-9; tick += 50) {
    if (tick == 100) continue;
    svg += text_at(x_of(tick), kTop + kBar + 16, anchor_for(x_of(tick) - kLeft, track), "tick",
                   num(tick) + "%");
  }
  const double mark = x_of(100);
  svg += "<line x1=\"" + num(mark) + "\" y1=\"" + num(kTop - 6) + "\" x2=\"" + num(mark) +
         "\" y2=\"" + num(kTop + kBar + 6) + "\" stroke=\"" + kInk + "\" stroke-width=\"2\"/>";
  svg += text_at(mark, kTop - 10, "middle", "mark", "Quota 100%");
  svg += text_at(kWidth - 4, kTop + kBar - 3, "end", "figure", percent_text(percent));
  return svg + "</svg>";
}

std::string ladder_chart(const std::vector<LadderBand>& bands, std::optional<double> position,
                         const std::string& position_label, const std::string& caption) {
  constexpr double kWidth = 640, kHeight = 92, kLeft = 8, kRight = 632, kTop = 36, kBar = 26;
  if (bands.empty()) return {};
  const double low = bands.front().lower;
  double high = low;
  for (const auto& band : bands) {
    high = std::max(high, band.lower);
    if (band.upper) high = std::max(high, *band.upper);
  }
  // the open top tier gets a quarter of the finite range, or what the
  // position needs
  double end = high + std::max((high - low) * 0.25, 1e-9);
  if (!bands.back().upper && high == low) end = low + 1;
  // a position far past the last bound would squeeze the tiers: the open
  // tier is drawn at most as wide as the others together, and the marker
  // stops at its end (its label still says where the payee is)
  if (position && *position > high)
    end = std::max(end, std::min(*position + (*position - low) * 0.08, high + (high - low)));
  const double span = end - low;
  auto x_of = [&](double v) {
    return kLeft + std::clamp((v - low) / span, 0.0, 1.0) * (kRight - kLeft);
  };
  std::string svg = svg_open(kWidth, kHeight, caption);
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const LadderBand& band = bands[i];
    const double x0 = x_of(band.lower);
    const double x1 = band.upper ? x_of(*band.upper) : kRight;
    const double width = std::max(x1 - x0, 0.0);
    // paid tiers darker the higher they are, unpaid ones in the track grey
    const double strength = 0.55 + 0.45 * static_cast<double>(i + 1) / bands.size();
    svg += "<rect x=\"" + num(x0) + "\" y=\"" + num(kTop) + "\" width=\"" + num(width) +
           "\" height=\"" + num(kBar) + "\" fill=\"" + (band.paid ? kShort : kTrack) +
           "\" fill-opacity=\"" + num(band.paid ? strength : 1.0) +
           "\" stroke=\"#ffffff\" stroke-width=\"2\"/>";
    if (width > 34)
      svg += text_at(x0 + width / 2, kTop + kBar / 2 + 4, "middle",
                     band.paid ? "rate paid" : "rate", band.rate);
    svg += text_at(x0, kTop + kBar + 16, i == 0 ? "start" : "middle", "tick", band.lower_text);
  }
  if (position) {
    const double x = x_of(*position);
    svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(kTop - 8) + "\" x2=\"" + num(x) + "\" y2=\"" +
           num(kTop + kBar + 4) + "\" stroke=\"" + kInk + "\" stroke-width=\"2\"/>";
    svg +=
        "<path d=\"M" + num(x - 6) + " " + num(kTop - 14) + " h12 l-6 7z\" fill=\"" + kInk + "\"/>";
    svg += text_at(x, kTop - 18, anchor_for(x - kLeft, kRight - kLeft), "mark", position_label);
  }
  return svg + "</svg>";
}

}  // namespace tally::cli
