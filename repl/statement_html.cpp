#include "repl/statement_html.hpp"

#include <cstdio>

#include "repl/svg_chart.hpp"

namespace tally::cli {

namespace {

// One stylesheet for every page: system fonts, tabular figures right-aligned,
// and a print layout that fits A4 and letter (no fixed page size) and keeps
// charts and short tables whole.
constexpr const char* kStyle = R"(
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee4; --soft: #f5f7fa; --accent: #3e6fa8;
  --good: #2f7d57; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 820px; margin: 24px auto; background: #fff; padding: 32px 40px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.page.wide { max-width: 1100px; }
nav { font-size: 13px; margin-bottom: 12px; }
nav a, table a { color: var(--accent); text-decoration: none; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
.plan { font-size: 13px; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
h1 { font-size: 24px; margin: 4px 0 10px; font-weight: 600; }
h2 { font-size: 15px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line);
  font-weight: 600; }
h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px;
  margin: 0; font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.id { color: var(--muted); font-size: 12px; }
.summary { display: flex; gap: 28px; align-items: baseline; flex-wrap: wrap; background: var(--soft);
  border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: 14px 18px; }
.summary .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.summary .total { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.summary .fact { font-size: 15px; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px;
  border-bottom: 1px solid var(--ink); padding: 4px 8px; }
td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { border-top: 1px solid var(--ink); border-bottom: 0; font-weight: 600; }
tr.current td { background: #eaf1f9; }
td.neg { color: var(--bad); }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px;
  background: var(--soft); border: 1px solid var(--line); color: var(--muted); margin-left: 6px; }
.tag.neg { color: var(--bad); border-color: #f3c5c0; background: #fdf1f0; }
.tag.here { color: #fff; background: var(--accent); border-color: var(--accent); }
.note { color: var(--muted); font-size: 12px; }
table.compact { font-size: 12px; }
table.compact td, table.compact th { padding: 2px 6px; }
svg.chart { width: 100%; height: auto; display: block; margin: 6px 0; }
svg .tick { font-size: 11px; fill: #616e7c; }
svg .mark { font-size: 12px; fill: #1f2933; font-weight: 600; }
svg .figure { font-size: 16px; fill: #1f2933; font-weight: 600; }
svg .rate { font-size: 12px; fill: #1f2933; }
svg .rate.paid { fill: #ffffff; font-weight: 600; }
.chart-box { max-width: 640px; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted);
  font-size: 12px; }
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  .page, .page.wide { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  nav { display: none; }
  section.pay, section.attainment, .chart-box, svg.chart, .summary, table.tiers {
    break-inside: avoid; }
  table.long { break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
)";

std::string e(const std::string& text) {
  return escape_markup(text);
}

/// `text` escaped, each `name` in backticks set as code.
std::string with_code(const std::string& text) {
  std::string out;
  bool code = false;
  std::size_t from = 0;
  for (std::size_t tick = text.find('`'); tick != std::string::npos; tick = text.find('`', from)) {
    out += e(text.substr(from, tick - from)) + (code ? "</code>" : "<code>");
    code = !code;
    from = tick + 1;
  }
  return out + e(text.substr(from)) + (code ? "</code>" : "");
}

/// A value as explain or the run prints it, with thousands separators.
std::string figure(const std::string& value) {
  return group_thousands(value);
}

std::string money(const Amount& amount) {
  return amount.grouped(2);
}

std::string amount_cell(const Amount& amount) {
  return std::string("<td class=\"num") + (amount.negative() ? " neg" : "") + "\">" +
         e(money(amount)) + "</td>";
}

std::string percent_text(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", percent);
  return buffer;
}

std::string page_head(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         e(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
}

std::string payee_label(const StatementPayee& payee) {
  return payee.name.empty() ? payee.id : payee.name;
}

std::string kind_tag(const PayLine& line) {
  if (line.kind == "payout") return {};
  const bool negative =
      line.kind == "clawback" || line.kind == "recovery" || line.amount.negative();
  return std::string(" <span class=\"tag") + (negative ? " neg" : "") + "\">" + e(line.kind) +
         "</span>";
}

std::string limit_note(const PayoutLimit& limit) {
  if (limit.carried)
    return "The " + limit.kind + " (" + figure(limit.value) +
           ") carries over the year; the run applies it across periods.";
  if (!limit.bound) return {};
  if (limit.kind == "cap")
    return "Capped at " + figure(limit.value) + "; before the cap: " + figure(limit.before) + ".";
  return "Raised to the floor of " + figure(limit.value) +
         "; before the floor: " + figure(limit.before) + ".";
}

std::string pay_section(const StatementBook& book, const Statement& s) {
  std::string html = "<section class=\"pay\">\n<h2>Pay</h2>\n";
  if (s.lines.empty())
    return html + "<p>No payout applies to this payee in " + e(s.period) + ".</p>\n</section>\n";
  html += "<table class=\"lines\">\n<thead><tr><th>Component</th><th class=\"num\">Amount (" +
          e(book.currency) + ")</th></tr></thead>\n<tbody>\n";
  for (const auto& line : s.lines) {
    html += "<tr><td>" + e(line.component) + kind_tag(line);
    for (const auto& limit : line.limits) {
      const std::string note = limit_note(limit);
      if (!note.empty()) html += "<div class=\"note\">" + e(note) + "</div>";
    }
    html += "</td>" + amount_cell(line.amount) + "</tr>\n";
  }
  html += "</tbody>\n<tfoot><tr class=\"total\"><td>Total</td>" + amount_cell(s.total) +
          "</tr></tfoot>\n</table>\n";
  return html + "</section>\n";
}

std::string attainment_section(const Statement& s) {
  std::string html = "<section class=\"attainment\">\n<h2>Attainment against quota</h2>\n";
  const auto& a = s.attainment;
  if (!a || (!a->percent && a->quota.empty()))
    return html +
           "<p class=\"none\">The plan sets no quota for this payee in this period: there is "
           "no attainment to show.</p>\n</section>\n";
  if (a->percent) {
    html += "<div class=\"chart-box\">" +
            attainment_chart(*a->percent, "Attainment " + percent_text(*a->percent) + " of quota") +
            "</div>\n";
  }
  html += "<table class=\"facts\"><tbody>\n";
  if (!a->achieved.empty())
    html += "<tr><td>Achieved <span class=\"id\">" + e(a->achieved_label) +
            "</span></td><td class=\"num\">" + e(figure(a->achieved)) + "</td></tr>\n";
  if (!a->quota.empty())
    html += "<tr><td>Quota <span class=\"id\">" + e(a->quota_label) +
            "</span></td><td class=\"num\">" + e(figure(a->quota)) + "</td></tr>\n";
  if (a->percent)
    html += "<tr class=\"total\"><td>Attainment</td><td class=\"num\">" +
            e(percent_text(*a->percent)) + "</td></tr>\n";
  html += "</tbody></table>\n";
  if (!a->percent)
    html += "<p class=\"note\">The plan does not measure achievement against this quota.</p>\n";
  html += "<p class=\"note\">Found as " + with_code(a->source) + ".</p>\n";
  return html + "</section>\n";
}

std::string ladder_block(const TierLadder& ladder) {
  const auto unit = parse_number(ladder.steps.front().lower);
  const bool percent_scale = unit && unit->unit == "%";
  std::string position_label;
  if (ladder.position)
    position_label = percent_scale ? "You: " + percent_text(*ladder.position)
                                   : "You: " + figure(ladder.applied_value);
  std::vector<LadderBand> bands;
  for (const auto& step : ladder.steps) {
    LadderBand band;
    if (const auto low = parse_number(step.lower)) band.lower = low->number;
    if (const auto high = parse_number(step.upper)) band.upper = high->number;
    band.lower_text = figure(step.lower);
    band.rate = step.rate;
    band.paid = step.paid;
    bands.push_back(band);
  }
  std::string html =
      "<h3>" + e(ladder.payout) + ": tiers of <code>" + e(ladder.call.rates) + "</code> on " +
      e(ladder.call.applied) + (ladder.call.base.empty() ? "" : " against " + e(ladder.call.base)) +
      (ladder.marginal ? " (marginal)" : " (the tier reached applies to all)") + "</h3>\n";
  html += "<div class=\"chart-box\">" +
          ladder_chart(bands, ladder.position, position_label,
                       "Tiers of " + ladder.call.rates + " for " + ladder.payout) +
          "</div>\n";
  html +=
      "<table class=\"tiers\">\n<thead><tr><th>From</th><th>To</th><th "
      "class=\"num\">Rate</th><th class=\"num\">" +
      std::string(ladder.marginal ? "Slice" : "Applied to") +
      "</th><th class=\"num\">Paid</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < ladder.steps.size(); ++i) {
    const TierStep& step = ladder.steps[i];
    const bool current = static_cast<int>(i) == ladder.current;
    html += std::string("<tr") + (current ? " class=\"current\"" : "") + "><td>" +
            e(figure(step.lower)) + "</td><td>" +
            (step.upper.empty() ? "and above" : e(figure(step.upper))) +
            (current ? " <span class=\"tag here\">your tier</span>" : "") +
            "</td><td class=\"num\">" + e(step.rate) + "</td><td class=\"num\">" +
            (step.paid ? e(figure(step.slice)) : "&ndash;") + "</td><td class=\"num\">" +
            (step.paid ? e(figure(step.amount)) : "&ndash;") + "</td></tr>\n";
  }
  html += "</tbody></table>\n";
  html += "<p class=\"note\">Applied to " + e(ladder.call.applied) + " = " +
          e(figure(ladder.applied_value)) +
          (ladder.call.base.empty() ? std::string()
                                    : "; each tier's bounds are a share of " + e(ladder.call.base) +
                                          " = " + e(figure(ladder.base_value))) +
          ". Amounts before the cap, floor and rounding.</p>\n";
  return html;
}

std::string tiers_section(const Statement& s) {
  std::string html = "<section class=\"tiers\">\n<h2>Tier ladder</h2>\n";
  if (s.ladders.empty())
    return html + "<p>No tiered rates apply to this payee's pay in this period.</p>\n</section>\n";
  for (const auto& ladder : s.ladders) html += ladder_block(ladder);
  return html + "</section>\n";
}

std::string measure_value(const MeasureLine& m, const std::string& currency) {
  if (m.type.rfind("money", 0) == 0) {
    if (const auto amount = Amount::parse(m.value)) return money(*amount) + " " + currency;
  }
  if (m.type == "int" || m.type == "decimal") return group_thousands(m.value);
  return m.value;
}

std::string measures_section(const StatementBook& book, const Statement& s) {
  std::string html = "<section class=\"measures\">\n<h2>Measures</h2>\n";
  if (s.measures.empty()) return html + "<p>No measures for this period.</p>\n</section>\n";
  html +=
      "<table class=\"measures\"><thead><tr><th>Measure</th><th "
      "class=\"num\">Value</th></tr></thead>\n<tbody>\n";
  for (const auto& m : s.measures)
    html += "<tr><td>" + e(m.name) + "</td><td class=\"num\">" +
            e(measure_value(m, book.currency)) + "</td></tr>\n";
  return html + "</tbody></table>\n</section>\n";
}

std::string credits_section(const StatementBook& book, const Statement& s) {
  std::string html = "<section class=\"credits\">\n<h2>Credited deals</h2>\n";
  if (s.credits.empty())
    return html + "<p>No deal was credited to this payee in " + e(s.period) + ".</p>\n</section>\n";
  Amount sum;
  for (const auto& c : s.credits) sum += c.amount;
  html += "<p class=\"note\">" + std::to_string(s.credits.size()) +
          (s.credits.size() == 1 ? " credit" : " credits") +
          ", the largest first. Amount is what was credited (the deal's amount times the "
          "share).</p>\n";
  html +=
      "<table class=\"compact long\">\n<thead><tr><th class=\"num\">#</th><th>Transaction</th>"
      "<th>Rule</th><th>Kind</th><th class=\"num\">Share</th><th class=\"num\">Amount (" +
      e(book.currency) + ")</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < s.credits.size(); ++i) {
    const CreditLine& c = s.credits[i];
    html += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td>" + e(c.transaction) +
            "</td><td>" + e(c.rule) + "</td><td>" + e(c.kind) + "</td><td class=\"num\">" +
            e(c.share) + "</td>" + amount_cell(c.amount) + "</tr>\n";
  }
  html += "</tbody>\n<tfoot><tr class=\"total\"><td></td><td colspan=\"4\">Total credited</td>" +
          amount_cell(sum) + "</tr></tfoot>\n</table>\n";
  return html + "</section>\n";
}

}  // namespace

std::string statement_page(const StatementBook& book, const StatementPayee& payee,
                           const Statement& s) {
  std::string html =
      page_head("Statement " + s.period + " - " + payee_label(payee) + " - " + book.plan_name);
  html +=
      "<main class=\"page statement\">\n<nav><a href=\"../index.html\">&larr; All "
      "statements</a></nav>\n";
  html += "<header>\n<div class=\"plan\">" + e(book.plan_name) +
          "</div>\n<h1>Compensation statement</h1>\n<dl class=\"meta\">\n";
  html += "<dt>Payee</dt><dd>" + e(payee_label(payee)) +
          (payee.name.empty() ? "" : " <span class=\"id\">" + e(payee.id) + "</span>") + "</dd>\n";
  html += "<dt>Period</dt><dd>" + e(s.period) + "</dd>\n";
  html += "<dt>Role</dt><dd>" + (payee.role.empty() ? "&ndash;" : e(payee.role)) + "</dd>\n";
  html += "<dt>Currency</dt><dd>" + e(book.currency) + "</dd>\n";
  html += "<dt>Generated</dt><dd>" + e(book.generated) + "</dd>\n</dl>\n</header>\n";

  html += "<section class=\"summary\">\n<div><div class=\"label\">Total pay, " + e(s.period) +
          "</div><div class=\"total\" id=\"total\">" + e(money(s.total)) + " " + e(book.currency) +
          "</div></div>\n";
  if (s.attainment && s.attainment->percent)
    html += "<div><div class=\"label\">Attainment</div><div class=\"fact\">" +
            e(percent_text(*s.attainment->percent)) + "</div></div>\n";
  html += "<div><div class=\"label\">Credited deals</div><div class=\"fact\">" +
          std::to_string(s.credits.size()) + "</div></div>\n</section>\n";

  html += pay_section(book, s);
  html += attainment_section(s);
  html += tiers_section(s);
  html += measures_section(book, s);
  html += credits_section(book, s);
  html += "<footer>\n";
  for (const auto& note : s.notes) html += "<p>" + e(note) + "</p>\n";
  html += "<p>" + e(book.plan_name) + " &middot; " + e(payee.id) + " &middot; " + e(s.period) +
          " &middot; generated " + e(book.generated) +
          " by tally. Amounts are exact and rounded as the plan states.</p>\n</footer>\n";
  return html + "</main>\n</body>\n</html>\n";
}

std::string index_page(const StatementBook& book) {
  const std::size_t periods = book.periods.size();
  std::vector<Amount> by_period(periods);
  Amount grand;
  for (std::size_t i = 0; i < book.statements.size(); ++i) {
    by_period[i % periods] += book.statements[i].total;
    grand += book.statements[i].total;
  }
  std::string html = page_head("Statements - " + book.plan_name);
  html += "<main class=\"page wide index\">\n<header>\n<div class=\"plan\">" + e(book.plan_name) +
          "</div>\n<h1>Compensation statements</h1>\n<dl class=\"meta\">\n<dt>Payees</dt><dd>" +
          std::to_string(book.payees.size()) + "</dd>\n<dt>Currency</dt><dd>" + e(book.currency) +
          "</dd>\n<dt>Periods</dt><dd>" +
          (periods ? e(book.periods.front()) +
                         (periods > 1 ? " &ndash; " + e(book.periods.back()) : std::string())
                   : std::string("&ndash;")) +
          "</dd>\n<dt>Generated</dt><dd>" + e(book.generated) + "</dd>\n</dl>\n</header>\n";
  html +=
      "<section class=\"summary\">\n<div><div class=\"label\">Total paid</div><div "
      "class=\"total\" id=\"total\">" +
      e(money(grand)) + " " + e(book.currency) +
      "</div></div>\n<div><div class=\"label\">Statements</div><div class=\"fact\">" +
      std::to_string(book.statements.size()) + "</div></div>\n</section>\n";
  html +=
      "<section>\n<h2>Pay by payee and period (" + e(book.currency) +
      ")</h2>\n<table class=\"index long\">\n<thead><tr><th>Payee</th><th>Name</th><th>Role</th>";
  for (const auto& period : book.periods) html += "<th class=\"num\">" + e(period) + "</th>";
  html += "<th class=\"num\">Total</th></tr></thead>\n<tbody>\n";
  for (std::size_t p = 0; p < book.payees.size(); ++p) {
    const StatementPayee& payee = book.payees[p];
    Amount total;
    html += "<tr><td>" + e(payee.id) + "</td><td>" + e(payee.name) + "</td><td>" + e(payee.role) +
            "</td>";
    for (std::size_t q = 0; q < periods; ++q) {
      const Statement& s = book.statements[p * periods + q];
      total += s.total;
      html += std::string("<td class=\"num") + (s.total.negative() ? " neg" : "") +
              "\"><a href=\"" + e(s.file) + "\">" + e(money(s.total)) + "</a></td>";
    }
    html += amount_cell(total) + "</tr>\n";
  }
  html += "</tbody>\n<tfoot><tr class=\"total\"><td colspan=\"3\">Total</td>";
  for (const auto& amount : by_period) html += amount_cell(amount);
  html += amount_cell(grand) + "</tr></tfoot>\n</table>\n</section>\n";
  html += "<footer><p>" + e(book.plan_name) + " &middot; generated " + e(book.generated) +
          " by tally.</p></footer>\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace tally::cli
