// The errors of one load: kept up to a limit, counted beyond it, so a file
// with a million bad rows reports the first few and "and N more errors".
#pragma once

#include <cstddef>
#include <string>

#include "interpreter/runtime/result.hpp"

namespace tally {

class LoadErrors {
 public:
  LoadErrors(std::string file, int max_errors) : file_(std::move(file)), max_(max_errors) {}

  /// An error in the file at `row` (spreadsheet numbering) and 1-based field
  /// `column`; zero means unknown.
  void add(int row, int column, std::string message, std::string hint = {});
  bool empty() const { return total_ == 0; }
  std::size_t total() const { return total_; }
  /// The kept errors, plus one "and N more errors" entry when some were not kept.
  Errors take();

 private:
  std::string file_;
  int max_;
  std::size_t total_ = 0;
  Errors kept_;
};

}  // namespace tally
