// The flags that say where a command's data comes from and how it is read,
// shared by every command that runs a plan over data (run, explain, diff,
// statements, report, territories, forecast, repl): `--bind NAME=PATH` and
// the streaming switches.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// Declares `--bind,-b NAME=PATH` (repeatable), collected into `binds`.
void add_bind_option(CLI::App* cmd, std::vector<std::string>& binds);

/// Adds each `NAME=PATH` of `binds` to `bindings`. Returns the message for
/// the first entry that is not NAME=PATH (no name, no path or no `=`).
std::optional<std::string> add_bindings(const std::vector<std::string>& binds,
                                        std::map<std::string, std::string>& bindings);

/// `--stream`, `--no-stream` and `--stream-chunk-rows` (docs/performance.md,
/// "Streaming").
struct StreamFlags {
  bool stream = false;
  bool no_stream = false;
  std::size_t chunk_rows = 0;  ///< 0: the engine's default

  /// Declares the three flags; `what_it_does` ends the help of `--stream`.
  void add_to(CLI::App* cmd, const std::string& what_it_does);
  /// Sets RunOptions::stream and stream_chunk_rows. Returns the message when
  /// both --stream and --no-stream are given.
  std::optional<std::string> apply(RunOptions& options) const;
};

}  // namespace tally::cli
