// A compiled plan as the public API hands it out: the source text, the
// checked model and the bytecode. Immutable after compile.
#pragma once

#include <memory>

#include "grammar/source.hpp"
#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

class Plan {
 public:
  std::shared_ptr<const SourceFile> file;
  std::unique_ptr<PlanModel> model;
  Program program;
};

}  // namespace tally
