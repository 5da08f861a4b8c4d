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
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/run_inspector.hpp"
#include "tally/tally.hpp"

namespace tally {

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

  const Plan& plan_;
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
