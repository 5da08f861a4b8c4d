#include "repl/command.hpp"

#include <iostream>

namespace tally::cli {

void print_messages(const std::vector<Message>& messages) {
  for (const auto& m : messages)
    std::cerr << m.rendered << (m.rendered.ends_with('\n') ? "" : "\n");
}

}  // namespace tally::cli
