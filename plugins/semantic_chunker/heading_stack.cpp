#include "heading_stack.hpp"

namespace semantic_chunker {

void HeadingStack::reset() {
    levels_.clear();
    titles_.clear();
    style_levels_.clear();
    path_ = std::make_shared<const std::vector<std::string>>();
}

int HeadingStack::level_for(const HeadingMatch& heading) {
    if (heading.markdown_level > 0) return heading.markdown_level;
    for (const auto& [style, level] : style_levels_)
        if (style == heading.style) return level;
    // A style seen for the first time nests under the current heading (the reStructuredText rule).
    const int level = levels_.empty() ? 1 : levels_.back() + 1;
    style_levels_.emplace_back(heading.style, level);
    return level;
}

void HeadingStack::push(const HeadingMatch& heading) {
    const int level = level_for(heading);
    while (!levels_.empty() && levels_.back() >= level) {
        levels_.pop_back();
        titles_.pop_back();
    }
    levels_.push_back(level);
    titles_.push_back(heading.title);
    path_ = std::make_shared<const std::vector<std::string>>(titles_);
}

}  // namespace semantic_chunker
