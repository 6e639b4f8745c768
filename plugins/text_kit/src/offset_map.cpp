#include <text_kit/offset_map.hpp>

#include <algorithm>

namespace text_kit {

void OffsetMap::add(OffsetAnchor anchor) {
    if (size() > 0 && anchors_.back().normalized == anchor.normalized) {
        anchors_.back() = anchor;  // a later anchor at the same place supersedes the earlier one
        return;
    }
    anchors_.push_back(anchor);
}

std::uint64_t OffsetMap::to_original(std::uint64_t normalized) const {
    if (size() == 0) return normalized;  // no anchor yet: callers always add one first
    // The chunker asks about positions that mostly grow by a little (a chunk's end, the next
    // chunk's start a little before it), and a CRLF file has an anchor on every line: the answer
    // is searched for from the anchor found last, in steps that double, then by halves between.
    const auto by_offset = [](std::uint64_t value, const OffsetAnchor& a) { return value < a.normalized; };
    const std::size_t last = anchors_.size() - 1;
    std::size_t low = std::clamp(hint_, first_, last), high = low;  // then: the answer is in [low, high)
    if (anchors_[low].normalized <= normalized) {
        // Mostly the same anchor as last time (a file with LF line ends has one per block).
        if (low == last || normalized < anchors_[low + 1].normalized)
            return anchors_[low].original + (normalized - anchors_[low].normalized);
        for (std::size_t step = 1;; step *= 2) {
            high = low + step;
            if (high > last || anchors_[high].normalized > normalized) break;
            low = high;
        }
        high = std::min(high, last + 1);
    } else {
        for (std::size_t step = 1;; step *= 2) {
            if (high - first_ <= step) {
                low = first_;
                if (anchors_[low].normalized > normalized) return normalized;  // before every anchor
                break;
            }
            low = high - step;
            if (anchors_[low].normalized <= normalized) break;
            high = low;
        }
    }
    const auto found = std::upper_bound(anchors_.begin() + static_cast<std::ptrdiff_t>(low) + 1,
                                        anchors_.begin() + static_cast<std::ptrdiff_t>(high), normalized, by_offset) - 1;
    hint_ = static_cast<std::size_t>(found - anchors_.begin());
    return found->original + (normalized - found->normalized);
}

void OffsetMap::drop_before(std::uint64_t normalized) {
    // Keep the last anchor at or below `normalized`: it still maps the offsets after it.
    while (first_ + 1 < anchors_.size() && anchors_[first_ + 1].normalized <= normalized) ++first_;
    if (first_ > 1024 && first_ * 2 > anchors_.size()) {
        anchors_.erase(anchors_.begin(), anchors_.begin() + static_cast<std::ptrdiff_t>(first_));
        first_ = 0;
        hint_ = 0;
    }
}

}  // namespace text_kit
