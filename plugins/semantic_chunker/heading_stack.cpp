#include "heading_stack.hpp"

namespace semantic_chunker {

void HeadingStack::reset() {
    depth_ = 0;
    style_levels_.clear();
    path_stale_ = true;
}

int HeadingStack::level_for(const HeadingMatch& heading) {
    if (heading.markdown_level > 0) return heading.markdown_level;
    // The closest heading that others nest under ("Chapter 4", an underlined title), or 0.
    int base = 0;
    for (std::size_t i = depth_; i-- > 0;)
        if (entries_[i].anchor) {
            base = entries_[i].level;
            break;
        }
    if (heading.number_depth > 0) return base + heading.number_depth;
    for (const auto& [style, level] : style_levels_)
        if (style == heading.style) return level;
    // A style seen for the first time nests under the current heading (the reStructuredText
    // rule); numbered headings do not count, so a numbered table of contents cannot push
    // "Chapter 1" down.
    const int level = base + 1;
    style_levels_.emplace_back(heading.style, level);
    return level;
}

void HeadingStack::push(const HeadingMatch& heading) {
    const int level = level_for(heading);
    // "8.1" closes "5." even when their levels would nest: it is not a part of it.
    auto encloses = [&heading](const std::string& number) {
        return heading.number.size() > number.size() && heading.number.compare(0, number.size(), number) == 0 &&
               heading.number[number.size()] == '.';
    };
    while (depth_ > 0) {
        const Entry& top = entries_[depth_ - 1];
        if (top.level < level && (heading.number.empty() || top.number.empty() || encloses(top.number))) break;
        --depth_;
    }
    if (depth_ == entries_.size()) entries_.emplace_back();
    Entry& entry = entries_[depth_++];
    entry.serial = ++pushes_;
    entry.level = level;
    // Numbered and all-capitals headings are too common to order other styles: "PREAMBLE" must
    // not make "ARTICLE I" its child.
    entry.anchor = heading.number.empty() && heading.style.markup != HeadingStyle::Markup::Capitals;
    entry.number = heading.number;
    entry.title = heading.title;
    path_stale_ = true;
}

void HeadingStack::make_path() const {
    // Two paths are usually held at once: the current one and the one of the chunk held back.
    constexpr std::size_t kMostKept = 4;
    path_.reset();  // if no chunk holds the current path, it is the one to rewrite
    MadePath* made = nullptr;
    for (MadePath& candidate : made_paths_)
        if (candidate.titles.use_count() == 1) {
            made = &candidate;
            break;
        }
    if (made == nullptr) {
        MadePath fresh{std::make_shared<std::vector<std::string>>(), {}};
        if (made_paths_.size() == kMostKept) {  // held elsewhere: a path of its own
            fill_path(fresh);
            path_ = std::move(fresh.titles);
            path_stale_ = false;
            return;
        }
        made = &made_paths_.emplace_back(std::move(fresh));
    }
    fill_path(*made);
    path_ = made->titles;
    path_stale_ = false;
}

void HeadingStack::fill_path(MadePath& made) const {
    std::vector<std::string>& titles = *made.titles;
    // The serials only grow (to the deepest path made here); a slot past the titles is stale.
    if (made.serials.size() < depth_) made.serials.resize(depth_);
    // Titles come and go with the depth: their storage is moved aside, not freed.
    while (titles.size() > depth_) {
        spare_titles_.push_back(std::move(titles.back()));
        titles.pop_back();
    }
    while (titles.size() < depth_) {
        made.serials[titles.size()] = 0;  // no entry has serial 0: the title is copied below
        if (spare_titles_.empty()) {
            titles.emplace_back();
        } else {
            titles.push_back(std::move(spare_titles_.back()));
            spare_titles_.pop_back();
        }
    }
    // Mostly the last title is new: the ones above it are where they were.
    for (std::size_t i = 0; i < depth_; ++i) {
        if (made.serials[i] == entries_[i].serial) continue;
        titles[i] = entries_[i].title;
        made.serials[i] = entries_[i].serial;
    }
}

}  // namespace semantic_chunker
