#include "interpreter/runtime/large_buffers.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tally {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t rounded(std::size_t bytes) {
  return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

}  // namespace

void* allocate_large_buffer(std::size_t bytes) {
  if (bytes < kLargeBufferBytes) return ::operator new(bytes);
  const std::size_t size = rounded(bytes);
  void* buffer = std::aligned_alloc(kHugePage, size);
  if (buffer == nullptr) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
  // Advice only: where huge pages are off, the pages stay small.
  madvise(buffer, size, MADV_HUGEPAGE);
#endif
  // One write per 2 MiB faults each huge page in, here, once.
  for (std::size_t at = 0; at < size; at += kHugePage) static_cast<volatile char*>(buffer)[at] = 0;
  return buffer;
}

void release_large_buffer(void* buffer, std::size_t bytes) noexcept {
  if (bytes < kLargeBufferBytes) {
    ::operator delete(buffer);
    return;
  }
  std::free(buffer);
}

}  // namespace tally
