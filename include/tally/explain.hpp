// Explaining a payee's pay, for people and tools (`tally explain`, the REPL,
// statements): the derivation of every payout a payee earned in a period,
// from one run, and the text rendering of an explain tree that stays
// readable when a measure took in thousands of credits.
//
// Part of the public API beside tally.hpp (the `tally` program uses nothing
// else of the library).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tally/tally.hpp"

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

namespace tally {

/// The derivation of a payee's pay in one period, and the run it came from.
struct PayExplanation {
  bool ok = false;
  /// Why there is none, when !ok: the run's errors, or a request that cannot
  /// be answered (an unknown payee, period or component), with a hint that
  /// names the nearest payee ids, the periods of the run or the plan's
  /// payouts, measures and lets, nearest first.
  std::vector<Message> messages;
  /// Without a component: `pay(ann, 2026-Q1) = 9200.00 USD`, whose children
  /// are the tree of every payout that applies to the payee in the period,
  /// in declaration order, then the rows the run adds (draws, recoveries,
  /// clawbacks); a payout whose amount the run changed after the period
  /// (a yearly cap, a payment plan) ends in a `paid after what carries over
  /// periods` step. With a component: that payout's, measure's or let's tree.
  ExplainNode root;
  /// The period as the plan's calendar labels it (`2026Q1` given → `2026-Q1`).
  std::string period;
  /// The run's summary: its stage timings (`load`, ..., `payouts`; the
  /// trees are built during `payouts`), totals and inputs.
  RunSummary summary;
};

/// Explains the pay of `payee` in `period` (a label of the plan's calendar,
/// "2026-Q1"), or only `component` (a payout, measure or let) when it is not
/// empty, from one run over `options`' data. The run builds no credits or
/// measures table (options.credits_table and measures_table are ignored).
PayExplanation explain_pay(const Engine& engine, const Plan& plan, const RunOptions& options,
                           const std::string& payee, const std::string& period,
                           const std::string& component = {});

/// The tree as indented text, `label = value  (note)`, two spaces a level.
/// A node with more than `max_credits` credit children (`credit ID`) shows
/// the `max_credits` largest, largest first, then one line `… and 1,234
/// more credits totalling X` with their exact sum; 0 shows every credit in
/// the order the run made them.
std::string render_explanation(const ExplainNode& root, std::size_t max_credits = 0);

/// Up to `limit` of `candidates` near `word` (a plausible typo of it, compared
/// case-insensitively), the nearest first; ties keep the candidates' order.
std::vector<std::string> nearest_names(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t limit);

}  // namespace tally

#pragma GCC visibility pop
