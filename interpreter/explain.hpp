// Explain: the derivation of one payout or value for one payee and period,
// as a tree of every sub-expression's value (measures with the credits that
// fed them, lets, table lookups, the tier slices of `apply`, the cap or
// floor that bound, the rounding). There is no tree-walking evaluator: the
// payee-period expressions are compiled once more with the register of each
// sub-expression recorded, that chunk runs for the one payee in the
// environment of the real run (RunInspector), and the tree reads the
// registers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/credit_runs.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/run_inspector.hpp"
#include "tally/tally.hpp"

namespace tally {

/// The run's credits as explain lists them under a measure: those of each
/// payee-period asked about, indexed once per run, so that N requests cost
/// one pass over the credits rather than N.
class ExplainCredits {
 public:
  /// Forgets everything: the next run will be indexed afresh.
  void reset();
  /// Whether want() was called since the last reset().
  bool prepared() const { return prepared_; }
  /// Marks (payee, period) — a roster index and an index into the run's
  /// periods — to be indexed; call before the first of().
  void want(const RunState& state, std::int32_t payee, std::size_t period);
  /// Declares that every want() has been made.
  void prepare() { prepared_ = true; }
  /// Indices into `state.credits` of the credits of (payee, period),
  /// ascending; null when that payee-period was not wanted (or the run
  /// holds more credits than 32-bit indices reach): the caller scans. The
  /// first call indexes every wanted payee-period in one pass.
  std::optional<std::span<const std::uint32_t>> of(const RunState& state, std::int32_t payee,
                                                   std::size_t period);
  /// The credit ranges aggregate `a` runs over (credit_runs), computed once.
  const std::vector<CreditRun>& runs(const RunState& state, std::size_t a);

 private:
  void build(const RunState& state);

  bool prepared_ = false;
  bool built_ = false;
  std::size_t periods_ = 0;
  // bucket of each payee-period slot (payee × periods + period), or -1
  std::vector<std::int32_t> bucket_of_slot_;
  // the credits of bucket b are indices_[offsets_[b] .. offsets_[b + 1])
  std::vector<std::size_t> offsets_;
  std::vector<std::uint32_t> indices_;
  std::vector<std::optional<std::vector<CreditRun>>> runs_;
};

/// A RunInspector that explains the (payee, period, payout or value)
/// requests made before the run.
class ExplainInspector : public RunInspector {
 public:
  explicit ExplainInspector(const Plan& plan);

  /// Asks for payout `index` (or value `index` when !payout) of the payee
  /// whose roster id is `payee`, in `period`; returns the request's slot.
  std::size_t request(std::string payee, Period period, bool payout, int index);
  /// Asks for the value of `expr` (a table lookup written in a test) with
  /// the subexpressions in `given` fixed, computed in the context of payee
  /// `payee` (empty: the first payee) in `period` (none: the first period).
  std::size_t request_expression(std::string payee, std::optional<Period> period,
                                 const ast::Expr* expr,
                                 std::unordered_map<const ast::Expr*, Constant> given);
  /// After the run: the derivation, or null with why_not() saying why.
  const ExplainNode* tree(std::size_t slot) const;
  /// After the run: the exact value of the request (a payout's amount is 0
  /// when it does not apply to the payee).
  const std::optional<Constant>& value(std::size_t slot) const;
  const std::string& why_not(std::size_t slot) const;
  /// After the run: a suggestion that goes with why_not() (the nearest payee
  /// ids, or the periods of the run), or empty.
  const std::string& hint(std::size_t slot) const;

  void payouts_ran(RunState& state, std::size_t period, const VmEnv& env, std::size_t base,
                   std::size_t lanes) override;
  /// The payees of the requests; empty when one has none (the first payee).
  std::vector<std::string> payees_read() const override;
  void finished(RunState& state) override;

  /// The registers of one payout in the explain chunk.
  struct PayoutRegs {
    std::optional<std::uint16_t> guard;
    std::uint16_t value = 0;
    std::uint16_t before_cap = 0;
    std::optional<std::uint16_t> cap;
    std::uint16_t before_floor = 0;
    std::optional<std::uint16_t> floor;
    std::uint16_t before_round = 0;
    std::uint16_t amount = 0;
  };

 private:
  struct Request {
    std::string payee;
    Period period;
    bool payout = false;
    int index = -1;
    bool seen = false;
    std::optional<ExplainNode> tree;
    std::optional<Constant> value;
    std::string why_not;
    std::string hint;
    bool any_period = false;
    const ast::Expr* expr = nullptr;  // for request_expression
    std::unordered_map<const ast::Expr*, Constant> given;
  };
  void explain_expression(Request& r, RunState& state, std::size_t period, const VmEnv& env,
                          std::int32_t payee);
  /// Wants, in credits_, the payee-period of every request.
  void want_credits(const RunState& state);

  std::unordered_map<int, Constant> known_;  // constant lets, folded
  Chunk chunk_;
  std::unordered_map<const ast::Expr*, std::uint16_t> trace_;
  std::unordered_map<int, std::uint16_t> value_regs_;
  std::vector<PayoutRegs> payout_regs_;
  // each payout computes its lets under its own selection, so
  // each has the trace of its own compilation.
  std::vector<std::unordered_map<const ast::Expr*, std::uint16_t>> payout_traces_;
  bool compiled_ = false;
  std::vector<Request> requests_;
  ExplainCredits credits_;
};

/// The tree as indented text: `label = value  (note)`, two spaces a level.
std::string render_explain(const ExplainNode& root);

/// Explanations of `requests` from one run over `options`; `run`, when not
/// null, receives that run's result (payouts, roster, stage timings).
std::vector<Explanation> explain_in_one_run(const Engine& engine, const Plan& plan,
                                            const RunOptions& options,
                                            const std::vector<ExplainRequest>& requests,
                                            RunResult* run);

}  // namespace tally
