// Reading explain trees (Engine::explain_many) for statements: the tier
// slices of an `apply(...)`, the cap or floor that bound, the quota and the
// attainment. The tree is made for people (labels and notes as text,
// interpreter/explain.cpp), so each reader here parses one shape of label
// and gives up quietly on anything else: a statement then shows less, never
// something wrong.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// The arguments of a call as written, split at its top-level commas:
/// `apply(r, x, base: q(payee, period))` → {"r", "x", "base: q(payee, period)"}.
/// Nullopt when `text` is not one call `name(...)`.
std::optional<std::vector<std::string>> call_arguments(const std::string& text);

/// The name a label starts with: `quota` for `quota(payee, period)`,
/// `bookings` for `bookings`; empty when it does not start with a name.
std::string leading_name(const std::string& label);

/// A value as explain prints it, `125000.50 USD`, `120%`, `0.5`: the number
/// and its unit (`USD`, `%` or empty). Nullopt when it is not a number.
struct NumberWithUnit {
  double number = 0;
  std::string digits;  ///< the number as printed, `125000.50`
  std::string unit;
};
std::optional<NumberWithUnit> parse_number(const std::string& value);

/// `apply(RATES, X, base: B)`, as written in the plan.
struct ApplyCall {
  std::string rates;    ///< the rates table's name
  std::string applied;  ///< X as written
  std::string base;     ///< B as written; empty without `base:`
};
std::optional<ApplyCall> parse_apply(const std::string& label);

/// One tier of an `apply`: `tier 50%..100% at 8%` with its note.
struct TierStep {
  std::string lower;  ///< as printed, `50%`
  std::string upper;  ///< empty for the open top tier
  std::string rate;
  bool paid = false;   ///< the tier contributed (a marginal slice, or the retroactive tier reached)
  std::string slice;   ///< marginal: the part of X in this tier, `25000.00 USD`
  std::string amount;  ///< what the tier paid, `2000.00 USD`; empty when it paid nothing
};
std::optional<TierStep> parse_tier(const ExplainNode& node);

/// The tier ladder one `apply` node shows.
struct TierLadder {
  std::string payout;  ///< the payout it belongs to
  ApplyCall call;
  std::string applied_value;  ///< X's value, `125000.50 USD`
  std::string base_value;     ///< B's value, or empty
  bool marginal = false;      ///< tiers pay slices (else one rate applies to all of X)
  std::vector<TierStep> steps;
  int current = -1;  ///< the tier the payee stands in, or -1
  /// The payee's position on the tier bounds' scale (`125.0005` when the
  /// bounds are percents of the base), when it can be worked out.
  std::optional<double> position;
};
/// Every `apply(...)` in a payout's tree that shows its tiers, in tree order.
std::vector<TierLadder> tier_ladders(const ExplainNode& payout_root, const std::string& payout);

/// A cap or a floor of a payout (a child `cap ...` / `floor ...` of the root).
struct PayoutLimit {
  std::string kind;        ///< "cap" or "floor"
  std::string expression;  ///< as written, `30_000 USD`
  std::string value;       ///< its value, `30000.00 USD`
  bool bound = false;      ///< it changed the amount
  std::string before;      ///< the amount before it, when bound: `31234.00 USD`
  bool carried = false;    ///< yearly or deferred: the run applies it across periods
};
std::vector<PayoutLimit> payout_limits(const ExplainNode& payout_root);

/// Whether the payout's guard (`for role`, `when`) left it out.
bool payout_does_not_apply(const ExplainNode& payout_root);

/// True for names of quotas: the last `_`-separated word of the name is
/// `quota`, `target` or `goal` (`quota`, `team_quota`, `revenue_goal`; not
/// `target_incentive`).
bool is_quota_name(const std::string& name);
/// True for a name containing `attain` (`attainment`, `quota_attainment`).
bool is_attainment_name(const std::string& name);

/// The payee's attainment against quota, and where it was found.
struct Attainment {
  std::string quota;              ///< the quota's value, `100000.00 USD`
  std::string quota_label;        ///< as written, `quota(payee, period)`
  std::string achieved;           ///< what counts against it, `125000.50 USD`; may be empty
  std::string achieved_label;     ///< `bookings`
  std::optional<double> percent;  ///< achieved / quota × 100, or the plan's attainment
  std::string percent_text;       ///< the plan's own attainment value (`125.0005%`), if any
  std::string source;             ///< how it was found, for the statement's footnote
};

/// The rule (docs: statements): (1) the `base:` of an `apply(...)` in a
/// payout tree is the quota and the applied value what is achieved; else
/// (2) the tree of a let named like attainment (`attainment_let`, or such a
/// let where a payout tree reads it): its value is the percent,
/// and when its formula is `A / B` then B is the quota and A achieved; else
/// (3) the first node named like a quota (is_quota_name) with a number that
/// is not a percent in the payout trees: the quota, and when its parent is
/// `A - Q`, `A / Q` or a comparison `A >= Q` (`>`, `<=`, `<`) with A in the
/// same unit, A is achieved. Nullopt when none applies.
std::optional<Attainment> find_attainment(const std::vector<const ExplainNode*>& payout_roots,
                                          const ExplainNode* attainment_let);

}  // namespace tally::cli
