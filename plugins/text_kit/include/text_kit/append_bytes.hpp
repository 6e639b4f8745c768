#pragma once
// Appends bytes to a string in slices of at most 2 KiB. glibc's memcpy switches to `rep movsb`
// from about 4 KiB on, and on the AMD EPYC machines this project is built and measured on
// (g++ 12, glibc 2.36) that runs at under 3 GB/s against over 40 GB/s for its vector loop
// (bench/chunker/RESULTS.md). Every block of text is copied twice on its way into the chunker,
// so this alone was a tenth of the chunker's time.
#include <cstddef>
#include <string>

namespace text_kit {

inline constexpr std::size_t kAppendSliceBytes = 2048;

inline void append_bytes(std::string& out, const char* data, std::size_t size) {
    if (size > kAppendSliceBytes && out.capacity() - out.size() < size) out.reserve(out.size() + size);
    while (size > kAppendSliceBytes) {
        out.append(data, kAppendSliceBytes);
        data += kAppendSliceBytes;
        size -= kAppendSliceBytes;
    }
    out.append(data, size);
}

}  // namespace text_kit
