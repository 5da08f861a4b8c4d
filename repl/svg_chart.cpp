#include "repl/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

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
  if (!std::isfinite(value)) value = 0;  // never "nan" in markup; callers pass finite values
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

/// A round step for about `ticks` ticks over `span` (1, 2 or 5 × 10^k).
double nice_step(double span, int ticks) {
  if (!(span > 0)) return 1;
  const double raw = span / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

/// A tick label: compact (12k, 1.5M) so axes stay narrow.
std::string tick_text(double value) {
  const double a = std::fabs(value);
  if (a >= 1e6) return num(value / 1e6) + "M";
  if (a >= 1e4) return num(value / 1e3) + "k";
  return num(value);
}

/// The range [low, high] of an axis over `values`, always including 0 and
/// widened to whole steps; never empty.
std::pair<double, double> axis_range(const std::vector<double>& values, double& step) {
  double low = 0, high = 0;
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (high - low <= 0) high = low + 1;
  step = nice_step(high - low, 5);
  return {std::floor(low / step) * step, std::ceil(high / step) * step};
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 double width = 1) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"/>";
}

std::string rect(double x, double y, double w, double h, const std::string& fill) {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) +
         "\" height=\"" + num(std::max(h, 0.0)) + "\" fill=\"" + fill + "\"/>";
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

std::string bar_chart(const std::vector<ChartBar>& bars, const std::string& caption) {
  if (bars.empty()) return {};
  constexpr double kWidth = 640, kLabel = 150, kFigure = 130, kRow = 22, kTop = 6;
  std::vector<double> values;
  for (const auto& bar : bars) values.push_back(bar.value);
  double step = 1;
  const auto [low, high] = axis_range(values, step);
  const double track = kWidth - kLabel - kFigure;
  auto x_of = [&](double v) { return kLabel + (v - low) / (high - low) * track; };
  const double height = kTop * 2 + kRow * static_cast<double>(bars.size());
  std::string svg = svg_open(kWidth, height, caption);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    const double x0 = x_of(std::min(0.0, bars[i].value));
    const double x1 = x_of(std::max(0.0, bars[i].value));
    svg += text_at(kLabel - 6, y + kRow * 0.7, "end", "tick", bars[i].label);
    svg += rect(x0, y + 3, x1 - x0, kRow - 6, bars[i].value < 0 ? kTrack : kShort);
    svg += text_at(x1 + 6, y + kRow * 0.7, "start", "figure", bars[i].figure);
  }
  if (low < 0) svg += line(x_of(0), kTop, x_of(0), height - kTop, kInk);
  return svg + "</svg>";
}

std::string column_chart(const std::vector<ChartBar>& bars, const std::string& caption) {
  if (bars.empty()) return {};
  constexpr double kWidth = 640, kHeight = 220, kLeft = 8, kRight = 632, kTop = 22, kBottom = 186;
  std::vector<double> values;
  for (const auto& bar : bars) values.push_back(bar.value);
  double step = 1;
  const auto [low, high] = axis_range(values, step);
  auto y_of = [&](double v) { return kBottom - (v - low) / (high - low) * (kBottom - kTop); };
  const double slot = (kRight - kLeft) / static_cast<double>(bars.size());
  std::string svg = svg_open(kWidth, kHeight, caption);
  svg += line(kLeft, y_of(0), kRight, y_of(0), kInk);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double x = kLeft + slot * static_cast<double>(i);
    const double y0 = y_of(std::max(0.0, bars[i].value));
    const double y1 = y_of(std::min(0.0, bars[i].value));
    svg += rect(x + slot * 0.12, y0, slot * 0.76, y1 - y0, bars[i].value < 0 ? kTrack : kShort);
    svg += text_at(x + slot / 2, y0 - 4, "middle", "figure", bars[i].figure);
    svg += text_at(x + slot / 2, kBottom + 16, "middle", "tick", bars[i].label);
  }
  return svg + "</svg>";
}

std::string scatter_chart(const std::vector<ScatterPoint>& points,
                          const std::vector<std::pair<double, double>>& curve,
                          const std::vector<std::pair<double, double>>& guide,
                          const std::string& x_name, const std::string& y_name,
                          const std::string& caption) {
  if (points.empty()) return {};
  constexpr double kWidth = 640, kHeight = 340, kLeft = 56, kRight = 620, kTop = 16, kBottom = 296;
  std::vector<double> xs, ys;
  for (const auto& p : points) {
    xs.push_back(p.x);
    ys.push_back(p.y);
  }
  for (const auto& [x, y] : curve) ys.push_back(y);  // the curve shows whole
  double x_step = 1, y_step = 1;
  const auto [x_low, x_high] = axis_range(xs, x_step);
  const auto [y_low, y_high] = axis_range(ys, y_step);
  auto x_of = [&](double v) {
    return kLeft + (std::clamp(v, x_low, x_high) - x_low) / (x_high - x_low) * (kRight - kLeft);
  };
  auto y_of = [&](double v) {
    return kBottom - (std::clamp(v, y_low, y_high) - y_low) / (y_high - y_low) * (kBottom - kTop);
  };
  std::string svg = svg_open(kWidth, kHeight, caption);
  for (double t = x_low; t <= x_high + x_step * 1e-6; t += x_step) {
    svg += line(x_of(t), kTop, x_of(t), kBottom, kTrack);
    svg += text_at(x_of(t), kBottom + 14, "middle", "tick", tick_text(t));
  }
  for (double t = y_low; t <= y_high + y_step * 1e-6; t += y_step) {
    svg += line(kLeft, y_of(t), kRight, y_of(t), kTrack);
    svg += text_at(kLeft - 4, y_of(t) + 4, "end", "tick", tick_text(t));
  }
  svg += line(kLeft, kBottom, kRight, kBottom, kInk) + line(kLeft, kTop, kLeft, kBottom, kInk);
  svg += text_at((kLeft + kRight) / 2, kHeight - 6, "middle", "tick", x_name);
  svg += "<text x=\"12\" y=\"" + num((kTop + kBottom) / 2) +
         "\" text-anchor=\"middle\" class=\"tick\" transform=\"rotate(-90 12 " +
         num((kTop + kBottom) / 2) + ")\">" + escape_markup(y_name) + "</text>";
  for (const auto& p : points) {
    svg += "<circle cx=\"" + num(x_of(p.x)) + "\" cy=\"" + num(y_of(p.y)) + "\" r=\"" +
           (p.highlight ? "5" : "3.5") + "\" fill=\"" + (p.highlight ? "#b5442f" : kShort) +
           "\" fill-opacity=\"0.8\"><title>" + escape_markup(p.label) + "</title></circle>";
    if (p.highlight)
      svg += text_at(x_of(p.x) + 7, y_of(p.y) - 6, x_of(p.x) > kRight - 80 ? "end" : "start",
                     "mark", p.label);
  }
  auto polyline = [&](const std::vector<std::pair<double, double>>& line, const char* css,
                      const char* stroke, const char* dash) {
    if (line.size() < 2) return std::string();
    std::string path = "<path class=\"" + std::string(css) + "\" fill=\"none\" stroke=\"" + stroke +
                       "\" stroke-width=\"2\"" + dash + " d=\"";
    for (std::size_t i = 0; i < line.size(); ++i)
      path += (i == 0 ? "M" : " L") + num(x_of(line[i].first)) + " " + num(y_of(line[i].second));
    return path + "\"/>";
  };
  svg += polyline(guide, "fitted", "#9aa5b1", " stroke-dasharray=\"6 4\"");
  svg += polyline(curve, "curve", kReached, "");
  return svg + "</svg>";
}

std::string series_chart(const std::vector<SeriesPoint>& history,
                         const std::vector<SeriesPoint>& forecast, const std::string& caption) {
  if (history.empty() && forecast.empty()) return {};
  constexpr double kWidth = 640, kHeight = 200, kLeft = 56, kRight = 620, kTop = 14, kBottom = 170;
  std::vector<double> values;
  for (const auto* list : {&history, &forecast})
    for (const auto& p : *list) {
      values.push_back(p.value);
      if (p.low) values.push_back(*p.low);
      if (p.high) values.push_back(*p.high);
    }
  double step = 1;
  const auto [low, high] = axis_range(values, step);
  const std::size_t count = history.size() + forecast.size();
  const double slot = (kRight - kLeft) / static_cast<double>(count);
  auto x_of = [&](std::size_t i) { return kLeft + slot * (static_cast<double>(i) + 0.5); };
  auto y_of = [&](double v) { return kBottom - (v - low) / (high - low) * (kBottom - kTop); };
  std::string svg = svg_open(kWidth, kHeight, caption);
  for (double t = low; t <= high + step * 1e-6; t += step) {
    svg += line(kLeft, y_of(t), kRight, y_of(t), kTrack);
    svg += text_at(kLeft - 4, y_of(t) + 4, "end", "tick", tick_text(t));
  }
  if (history.size() >= 2) {
    std::string path =
        "<path fill=\"none\" stroke=\"" + std::string(kShort) + "\" stroke-width=\"2\" d=\"";
    for (std::size_t i = 0; i < history.size(); ++i)
      path += (i == 0 ? "M" : " L") + num(x_of(i)) + " " + num(y_of(history[i].value));
    svg += path + "\"/>";
  }
  for (std::size_t i = 0; i < count; ++i) {
    const bool ahead = i >= history.size();
    const SeriesPoint& p = ahead ? forecast[i - history.size()] : history[i];
    if (p.low && p.high) svg += line(x_of(i), y_of(*p.low), x_of(i), y_of(*p.high), kReached, 2);
    svg += "<circle cx=\"" + num(x_of(i)) + "\" cy=\"" + num(y_of(p.value)) +
           "\" r=\"3.5\" fill=\"" + (ahead ? kReached : kShort) + "\"/>";
    svg += text_at(x_of(i), kBottom + 16, "middle", "tick", p.label);
  }
  return svg + "</svg>";
}

}  // namespace tally::cli
