// Memory for the per-row buffers of millions of rows that a run allocates
// and writes once, row by row (a territory finding per row: 40 MB at 10M
// deals). Allocated the usual way, such a buffer costs a page fault per
// 4 KiB at its first write, 10,000 of them, which cost more than the
// writing (docs/performance.md, "Huge pages for per-row buffers"). A large
// buffer is instead aligned to 2 MiB, asked for in huge pages, and faulted
// in here at one fault per 2 MiB, on the allocating thread, before the
// threads that fill it start. Where the system gives no huge pages the
// buffer is ordinary memory.
#pragma once

#include <cstddef>

namespace tally {

/// From this size on a buffer is allocated as above.
inline constexpr std::size_t kLargeBufferBytes = std::size_t{4} << 20;

/// `bytes` of memory (at least kLargeBufferBytes: 2 MiB-aligned, faulted
/// in); throws std::bad_alloc when there is none. Its contents are
/// unspecified. Free it with release_large_buffer with the same size.
void* allocate_large_buffer(std::size_t bytes);
void release_large_buffer(void* buffer, std::size_t bytes) noexcept;

}  // namespace tally
