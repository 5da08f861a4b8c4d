// The bounds of one run (RunOptions::limits): its instruction, memory and
// time budgets and its cancellation token, kept in one place. The stages ask
// it, at their boundaries and inside their long loops, whether to stop; the
// first limit reached is recorded (with the stage it was reached in) and
// every later check says stop, so the run unwinds to Engine::run, which
// reports that limit and no results.
//
// Stages that run on two threads share one RunBudget: every member is
// safe to call from several threads at once.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "tally/tally.hpp"

namespace tally {

class RunBudget {
 public:
  /// No limit at all: every check is a load of one flag.
  RunBudget() = default;
  /// Starts the run's clock for `limits.timeout`.
  explicit RunBudget(const RunLimits& limits);
  RunBudget(const RunBudget&) = delete;
  RunBudget& operator=(const RunBudget&) = delete;

  /// The stage the run is in, named in the message ("credit"). Called from
  /// the run's own thread between stages.
  void enter(const char* stage) { stage_.store(stage, std::memory_order_relaxed); }

  /// Whether a limit was reached (or an exception stopped the run).
  bool stopped() const { return status_.load(std::memory_order_relaxed) != kRunning; }

  /// The check of long loops: cancelled, or past the deadline? Records the
  /// limit and returns true when the run must stop. Cheap: a flag, the
  /// token's flag and, with a timeout, the steady clock.
  bool should_stop() const {
    if (stopped()) return true;
    if (!watched_) return false;
    return check_time_and_token();
  }

  /// Counts `bytes` of the run's data (columns, credits, accumulators,
  /// result rows) about to be allocated; false (and the limit recorded) when
  /// they would pass the memory budget, and the caller must not allocate.
  bool charge_memory(std::size_t bytes) const;

  /// How many more instructions the run may execute (the VM stops a batch
  /// when its count passes this); the maximum when there is no limit.
  std::uint64_t instructions_left() const {
    if (max_instructions_ == 0) return std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t used = instructions_.load(std::memory_order_relaxed);
    return used >= max_instructions_ ? 0 : max_instructions_ - used;
  }
  /// Whether instructions are counted at all.
  bool counts_instructions() const { return max_instructions_ != 0; }
  /// Adds instructions executed; false (and the limit recorded) when the
  /// total passes the budget.
  bool charge_instructions(std::uint64_t executed) const;

  /// Records that the run stopped for `status` (a limit, or internal_error
  /// for an exception) with `detail` as the message; the first call wins.
  void stop(RunStatus status, std::string detail = {}) const;

  /// How the run stopped (RunStatus::ok while it has not).
  RunStatus status() const;
  /// The message of the limit reached: what limit, its value, and the stage.
  std::string message() const;

  /// The guard of a source's load (LoadOptions::keep_going): charges what
  /// the columns grew by and says whether to go on. Valid while this lives.
  std::function<bool(std::uint64_t more_bytes)> load_guard() const {
    return [this](std::uint64_t more_bytes) {
      return charge_memory(static_cast<std::size_t>(more_bytes)) && !should_stop();
    };
  }

  /// Runs `work`, turning an exception that escapes it into a stop: a
  /// std::bad_alloc into memory_limit, anything else into internal_error.
  /// For the helper threads of a stage, where an exception would end the
  /// process; returns false when `work` threw.
  template <class Work>
  bool run_guarded(Work&& work) const noexcept {
    try {
      work();
      return true;
    } catch (...) {
      stop_for_exception();
      return false;
    }
  }
  /// Records the exception being handled (inside a catch) as the stop.
  void stop_for_exception() const noexcept;

  /// Memory charged so far, in bytes.
  std::size_t memory_charged() const { return memory_.load(std::memory_order_relaxed); }
  /// Hands back `bytes` charged earlier and since freed (the chunks of a
  /// streamed run: each chunk's rows and credits are dropped once folded).
  void release_memory(std::size_t bytes) const {
    memory_.fetch_sub(std::min(bytes, memory_charged()), std::memory_order_relaxed);
  }

 private:
  static constexpr int kRunning = -1;
  bool check_time_and_token() const;

  std::uint64_t max_instructions_ = 0;
  std::size_t max_memory_ = 0;
  std::chrono::milliseconds timeout_{0};
  bool has_deadline_ = false;
  std::chrono::steady_clock::time_point deadline_{};
  std::shared_ptr<const CancelToken> cancel_;
  bool watched_ = false;  ///< a deadline or a token: should_stop looks further

  mutable std::atomic<std::uint64_t> instructions_{0};
  mutable std::atomic<std::size_t> memory_{0};
  mutable std::atomic<int> status_{kRunning};
  std::atomic<const char*> stage_{"start"};
  // Written once, by the thread whose stop() won, before status_ is
  // published; read only after the stages' threads are joined.
  mutable const char* stopped_in_ = "start";
  mutable std::string detail_;
};

/// The bytes one credit takes in the credit table.
std::size_t credit_bytes();

/// The bytes a result row of `cells` takes, roughly (strings and vectors).
std::size_t result_row_bytes(const std::vector<std::string>& cells);

}  // namespace tally
