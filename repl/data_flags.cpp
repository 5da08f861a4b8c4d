#include "repl/data_flags.hpp"

namespace tally::cli {

void add_bind_option(CLI::App* cmd, std::vector<std::string>& binds) {
  cmd->add_option("--bind,-b", binds, "Bind a source to a file: NAME=PATH (repeatable)");
}

std::optional<std::string> add_bindings(const std::vector<std::string>& binds,
                                        std::map<std::string, std::string>& bindings) {
  for (const auto& bind : binds) {
    const auto eq = bind.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == bind.size())
      return "--bind expects NAME=PATH, found \"" + bind + "\"";
    bindings[bind.substr(0, eq)] = bind.substr(eq + 1);
  }
  return std::nullopt;
}

void StreamFlags::add_to(CLI::App* cmd, const std::string& what_it_does) {
  cmd->add_flag("--stream", stream,
                "Read the credited source in chunks, " + what_it_does +
                    " (docs/performance.md, \"Streaming\"); an error names what prevents it. "
                    "Default: automatic, when the data would not fit in memory");
  cmd->add_flag("--no-stream", no_stream, "Never stream: load every source whole");
  cmd->add_option("--stream-chunk-rows", chunk_rows,
                  "Rows per chunk when streaming (default 131072), and per slice when a "
                  "run loaded whole folds its credits while crediting (default: a twelfth "
                  "of the rows, within 8192 and 32768; a twenty-fourth from 4096, when "
                  "the credits are folded as they are made)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
}

std::optional<std::string> StreamFlags::apply(RunOptions& options) const {
  if (stream && no_stream) return "give either --stream or --no-stream";
  if (stream) options.stream = RunOptions::Stream::on;
  if (no_stream) options.stream = RunOptions::Stream::off;
  options.stream_chunk_rows = chunk_rows;
  return std::nullopt;
}

}  // namespace tally::cli
