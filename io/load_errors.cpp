#include "io/load_errors.hpp"

namespace tally {

void LoadErrors::add(int row, int column, std::string message, std::string hint) {
  ++total_;
  if (kept_.size() >= static_cast<std::size_t>(max_ < 1 ? 1 : max_)) return;
  kept_.push_back(Error{Location{file_, row, column, 0}, std::move(message), std::move(hint)});
}

Errors LoadErrors::take() {
  Errors errors = std::move(kept_);
  if (total_ > errors.size()) {
    const std::size_t more = total_ - errors.size();
    errors.push_back(Error{Location{file_, 0, 0, 0},
                           "and " + std::to_string(more) + " more error" + (more == 1 ? "" : "s"),
                           {}});
  }
  kept_.clear();
  total_ = 0;
  return errors;
}

}  // namespace tally
