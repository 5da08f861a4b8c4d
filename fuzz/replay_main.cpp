// The main of a fuzz target outside libFuzzer: runs LLVMFuzzerTestOneInput
// once over every file of the folders (or files) given, so that the
// regression inputs and seeds of each target replay in every build as a
// ctest. A finding fails the way it did under the fuzzer: the target aborts,
// or a sanitizer reports it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  // Named first, so that the log of a failure says which input it was.
  std::fprintf(stderr, "%s\n", file.string().c_str());
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  // A copy of exactly the input's size, so ASan sees a read past its end.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    std::error_code error;
    if (std::filesystem::is_regular_file(root, error)) {
      replay(root);
      ++count;
      continue;
    }
    if (!std::filesystem::is_directory(root, error)) continue;  // no findings yet
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root, error))
      if (entry.is_regular_file() && entry.path().filename() != "README.md")
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // the same order every time
    for (const auto& file : files) {
      replay(file);
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return 0;
}
