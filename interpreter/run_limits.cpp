#include "interpreter/run_limits.hpp"

#include <exception>
#include <new>

#include "interpreter/credits.hpp"

namespace tally {

namespace {

/// 1000000 as "1,000,000": budgets are read by people.
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

/// A byte count as people read it: "512 bytes", "64 KB", "1.5 MB".
std::string byte_size(std::size_t bytes) {
  if (bytes < 1024) return grouped(bytes) + " bytes";
  const char* units[] = {"KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (value >= 1024.0 && unit < 3) {
    value /= 1024.0;
    ++unit;
  }
  std::string text = std::to_string(value);
  text = text.substr(0, text.find('.') + 2);  // one decimal
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text + " " + units[unit] + " (" + grouped(bytes) + " bytes)";
}

}  // namespace

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::ok:
      return "ok";
    case RunStatus::failed:
      return "failed";
    case RunStatus::instruction_limit:
      return "instruction_limit";
    case RunStatus::memory_limit:
      return "memory_limit";
    case RunStatus::timeout:
      return "timeout";
    case RunStatus::cancelled:
      return "cancelled";
    case RunStatus::internal_error:
      return "internal_error";
  }
  return "internal_error";  // not a RunStatus: a caller's cast
}

RunBudget::RunBudget(const RunLimits& limits)
    : max_instructions_(limits.max_instructions),
      max_memory_(limits.max_memory_bytes),
      timeout_(limits.timeout),
      has_deadline_(limits.timeout.count() > 0),
      cancel_(limits.cancel),
      watched_(limits.timeout.count() > 0 || limits.cancel != nullptr) {
  if (has_deadline_) deadline_ = std::chrono::steady_clock::now() + limits.timeout;
}

bool RunBudget::check_time_and_token() const {
  if (cancel_ && cancel_->cancelled()) {
    stop(RunStatus::cancelled);
    return true;
  }
  if (has_deadline_ && std::chrono::steady_clock::now() >= deadline_) {
    stop(RunStatus::timeout);
    return true;
  }
  return false;
}

bool RunBudget::charge_memory(std::size_t bytes) const {
  const std::size_t total = memory_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (max_memory_ == 0 || total <= max_memory_) return !stopped();
  stop(RunStatus::memory_limit);
  return false;
}

bool RunBudget::charge_instructions(std::uint64_t executed) const {
  const std::uint64_t total =
      instructions_.fetch_add(executed, std::memory_order_relaxed) + executed;
  if (max_instructions_ == 0 || total <= max_instructions_) return true;
  stop(RunStatus::instruction_limit);
  return false;
}

void RunBudget::stop(RunStatus status, std::string detail) const {
  int running = kRunning;
  if (!status_.compare_exchange_strong(running, static_cast<int>(status),
                                       std::memory_order_acq_rel))
    return;  // an earlier limit stands
  stopped_in_ = stage_.load(std::memory_order_relaxed);
  detail_ = std::move(detail);
}

void RunBudget::stop_for_exception() const noexcept {
  RunStatus status = RunStatus::internal_error;
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      status = RunStatus::memory_limit;
      stop(status, "the system could not allocate the memory it needed");
    } catch (const std::exception& e) {
      stop(status, e.what());
    } catch (...) {
      stop(status, "an unknown exception");
    }
  } catch (...) {  // no memory left even for the message: the status alone
    stop(status);
  }
}

RunStatus RunBudget::status() const {
  const int s = status_.load(std::memory_order_acquire);
  return s == kRunning ? RunStatus::ok : static_cast<RunStatus>(s);
}

std::string RunBudget::message() const {
  const std::string where = std::string(" during `") + stopped_in_ + "`";
  switch (status()) {
    case RunStatus::instruction_limit:
      return "the run exceeded its instruction budget of " + grouped(max_instructions_) + where;
    case RunStatus::memory_limit:
      if (max_memory_ == 0 || !detail_.empty())  // the system ran out, not the budget
        return "the run ran out of memory" + where + (detail_.empty() ? "" : ": " + detail_);
      return "the run exceeded its memory budget of " + byte_size(max_memory_) + where;
    case RunStatus::timeout:
      return "the run exceeded its time limit of " +
             grouped(static_cast<std::uint64_t>(timeout_.count())) + " ms" + where;
    case RunStatus::cancelled:
      return "the run was cancelled" + where;
    case RunStatus::internal_error:
      return "internal error" + where + ": " + detail_ +
             " (a bug in Tally; please report it with the plan)";
    case RunStatus::ok:
    case RunStatus::failed:
      break;
  }
  return detail_;
}

std::size_t credit_bytes() {
  return sizeof(std::uint32_t) + 2 * sizeof(std::uint16_t) + 2 * sizeof(std::int32_t) +
         sizeof(Date) + sizeof(ast::CreditKind) + 2 * sizeof(std::int64_t) +
         2 * sizeof(std::uint8_t);
}

std::size_t result_row_bytes(const std::vector<std::string>& cells) {
  std::size_t bytes = sizeof(cells) + cells.capacity() * sizeof(std::string);
  for (const std::string& cell : cells)
    if (cell.capacity() > 15) bytes += cell.capacity() + 1;  // beyond the short-string buffer
  return bytes;
}

}  // namespace tally
