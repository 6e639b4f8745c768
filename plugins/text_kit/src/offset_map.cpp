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
    // The chunker asks about positions that mostly grow: first try the anchor found last time.
    if (hint_ >= first_ && hint_ < anchors_.size() && anchors_[hint_].normalized <= normalized &&
        (hint_ + 1 == anchors_.size() || normalized < anchors_[hint_ + 1].normalized))
        return anchors_[hint_].original + (normalized - anchors_[hint_].normalized);
    const auto begin = anchors_.begin() + static_cast<std::ptrdiff_t>(first_);
    auto it = std::upper_bound(begin, anchors_.end(), normalized,
                               [](std::uint64_t value, const OffsetAnchor& a) { return value < a.normalized; });
    if (it == begin) return normalized;  // no anchor yet: callers always add one first
    --it;
    hint_ = static_cast<std::size_t>(it - anchors_.begin());
    return it->original + (normalized - it->normalized);
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
