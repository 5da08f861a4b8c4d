// The progress line `tally run` draws on stderr during a long run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "tally/tally.hpp"

namespace tally::cli {

/// A one-line progress display: the stage, its number of all, a bar and the
/// time so far. It appears only when stderr is a terminal, so never in pipes
/// or CI logs, and only once the run has lasted a second (the environment
/// variable TALLY_PROGRESS_AFTER_MS changes that, for tests); a thread of its
/// own redraws it while a stage runs, and finish() erases it.
class ProgressLine {
 public:
  /// `wanted` false (e.g. --quiet) or stderr not a terminal: does nothing.
  explicit ProgressLine(bool wanted);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Steps the command adds around Engine::run: `compile` before it and
  /// `write` after it.
  static constexpr int kStepsBefore = 1;
  static constexpr int kStepsAfter = 1;

  /// A stage of the command itself (`compile`, `write`).
  void command_stage(const std::string& name, int step);
  /// A report from Engine::run (RunOptions::progress), numbered after the
  /// command's own steps before it.
  void run_progress(const RunProgress& progress);
  /// Erases the line and stops redrawing; before anything else is printed.
  void finish();

  bool active() const { return active_; }

 private:
  void draw_locked();
  void redraw_loop();

  bool active_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::milliseconds after_{1000};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::string stage_;
  int step_ = 0;
  /// Engine::run has ten stages today; its first report sets the true count.
  int steps_ = kStepsBefore + 10 + kStepsAfter;
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
  std::thread redraw_;
};

}  // namespace tally::cli
