#pragma once
// Maps offsets in normalised text back to byte offsets in the original file. Normalisation
// (BOM dropped, CRLF -> LF, invalid bytes -> U+FFFD) shifts offsets only at a few places, so the
// map stores just those places: from `normalized` on, offsets grow in step with `original`.
#include <cstdint>
#include <vector>

namespace text_kit {

struct OffsetAnchor {
    std::uint64_t normalized = 0;
    std::uint64_t original = 0;
};

class OffsetMap {
public:
    // Anchors must arrive in increasing `normalized` order.
    void add(OffsetAnchor anchor);
    // The original offset of normalised offset `normalized` (which must be >= the first anchor).
    std::uint64_t to_original(std::uint64_t normalized) const;
    // Forget anchors that only matter for offsets below `normalized`.
    void drop_before(std::uint64_t normalized);
    void clear() { anchors_.clear(); first_ = 0; hint_ = 0; }
    std::size_t size() const { return anchors_.size() - first_; }

private:
    std::vector<OffsetAnchor> anchors_;
    std::size_t first_ = 0;  // anchors before this index are dropped lazily, to avoid shifting
    mutable std::size_t hint_ = 0;  // the anchor to_original() found last
};

}  // namespace text_kit
