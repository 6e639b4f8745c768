#include "heading_stack.hpp"

namespace semantic_chunker {

void HeadingStack::reset() {
    levels_.clear();
    numbered_.clear();
    titles_.clear();
    style_levels_.clear();
    path_ = std::make_shared<const std::vector<std::string>>();
}

int HeadingStack::level_for(const HeadingMatch& heading) {
    if (heading.markdown_level > 0) return heading.markdown_level;
    // The closest heading that is not numbered ("Chapter 4", an underlined title), or 0.
    int base = 0;
    for (std::size_t i = levels_.size(); i-- > 0;)
        if (!numbered_[i]) {
            base = levels_[i];
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
    while (!levels_.empty() && levels_.back() >= level) {
        levels_.pop_back();
        numbered_.pop_back();
        titles_.pop_back();
    }
    levels_.push_back(level);
    numbered_.push_back(heading.number_depth > 0);
    titles_.push_back(heading.title);
    path_ = std::make_shared<const std::vector<std::string>>(titles_);
}

}  // namespace semantic_chunker
