// Writes test inputs to files in a per-process temporary folder, so tests can
// load small hand-written fixtures through the real file path.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace tally::testing {

/// The per-process folder test files go to; removed when the tests exit.
inline const std::filesystem::path& temp_folder() {
  struct Folder {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("tally_io_test_" + std::to_string(::getpid()));
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.path;
}

/// Writes `content` byte for byte to `name` in the test folder and returns
/// the path.
inline std::string write_temp_file(const std::string& name, std::string_view content) {
  std::filesystem::create_directories(temp_folder());
  const auto path = temp_folder() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path.string();
}

}  // namespace tally::testing
