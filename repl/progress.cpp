#include "repl/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tally::cli {

namespace {

int terminal_width() {
  struct winsize size {};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace

ProgressLine::ProgressLine(bool wanted) : started_(std::chrono::steady_clock::now()) {
  active_ = wanted && isatty(STDERR_FILENO);
  if (!active_) return;
  if (const char* after = std::getenv("TALLY_PROGRESS_AFTER_MS")) {
    char* end = nullptr;
    const long ms = std::strtol(after, &end, 10);
    if (end != after && *end == '\0' && ms >= 0) after_ = std::chrono::milliseconds(ms);
  }
  redraw_ = std::thread([this] { redraw_loop(); });
}

ProgressLine::~ProgressLine() {
  finish();
}

void ProgressLine::command_stage(const std::string& name, int step) {
  if (!active_) return;
  std::lock_guard lock(mutex_);
  stage_ = name;
  step_ = step;
  done_ = total_ = 0;
  draw_locked();
}

void ProgressLine::run_progress(const RunProgress& progress) {
  if (!active_) return;
  std::lock_guard lock(mutex_);
  stage_ = progress.stage;
  step_ = kStepsBefore + progress.step;
  steps_ = kStepsBefore + progress.steps + kStepsAfter;
  done_ = progress.done;
  total_ = progress.total;
  draw_locked();
}

void ProgressLine::finish() {
  if (!active_) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (drawn_) std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
  wake_.notify_all();
  redraw_.join();
  active_ = false;
}

void ProgressLine::redraw_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (!stopping_) draw_locked();
  }
}

/// `tally run [ 4/12] credit  [=======>        ]  2.3 s`: the bar counts
/// whole stages, plus the part of the stage done when it is known.
void ProgressLine::draw_locked() {
  const auto elapsed = std::chrono::steady_clock::now() - started_;
  if (stopping_ || stage_.empty() || elapsed < after_) return;
  const int steps = std::max(steps_, 1);
  double fraction = (step_ - 1.0) / steps;
  if (total_ > 0) fraction += static_cast<double>(done_) / static_cast<double>(total_) / steps;
  constexpr int kBar = 20;
  const int filled = std::min(kBar, static_cast<int>(fraction * kBar));
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < kBar) bar += '>';
  bar.resize(kBar, ' ');
  char detail[64] = "";
  if (total_ > 0)
    std::snprintf(detail, sizeof detail, " %.0f of %.0f MB", static_cast<double>(done_) / 1e6,
                  static_cast<double>(total_) / 1e6);
  char line[512];
  std::snprintf(line, sizeof line, "tally run [%2d/%d] %-12s [%s] %5.1f s%s", step_, steps,
                stage_.c_str(), bar.c_str(), std::chrono::duration<double>(elapsed).count(),
                detail);
  std::string text = line;
  const auto width = static_cast<std::size_t>(terminal_width() - 1);
  if (text.size() > width) text.resize(width);
  std::fputs(("\r" + text + "\033[K").c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace tally::cli
