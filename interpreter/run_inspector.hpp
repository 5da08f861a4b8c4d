// An observer of one run, for the tools that need more than its outputs:
// `tally test` and explain read the state the stages built, and re-run the
// payee-period bytecode for one payee in exactly the environment the run
// used. An ordinary run has none (RunOptions::inspector is null).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "interpreter/run_state.hpp"
#include "interpreter/vm.hpp"

namespace tally {

class RunInspector {
 public:
  virtual ~RunInspector() = default;
  /// Called by the payouts stage after its chunk ran for payees [base,
  /// base + lanes) in run period `period`, with the environment it used.
  virtual void payouts_ran(RunState& state, std::size_t period, const VmEnv& env, std::size_t base,
                           std::size_t lanes) = 0;
  /// Called once the run has succeeded, before Engine::run returns.
  virtual void finished(RunState& state) = 0;
  /// The roster ids whose credits the inspector reads. A streamed run
  /// (streaming.hpp) keeps only their credits and the rows those credit;
  /// empty (the default): every payee's, and the run cannot stream.
  virtual std::vector<std::string> payees_read() const { return {}; }
};

}  // namespace tally
