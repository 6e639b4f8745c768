#include "heading_stack.hpp"

namespace semantic_chunker {

void HeadingStack::reset() {
    levels_.clear();
    numbers_.clear();
    anchors_.clear();
    titles_.clear();
    style_levels_.clear();
    path_ = std::make_shared<const std::vector<std::string>>();
}

int HeadingStack::level_for(const HeadingMatch& heading) {
    if (heading.markdown_level > 0) return heading.markdown_level;
    // The closest heading that others nest under ("Chapter 4", an underlined title), or 0.
    int base = 0;
    for (std::size_t i = levels_.size(); i-- > 0;)
        if (anchors_[i]) {
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
    // "8.1" closes "5." even when their levels would nest: it is not a part of it.
    auto encloses = [&heading](const std::string& number) {
        return heading.number.size() > number.size() && heading.number.compare(0, number.size(), number) == 0 &&
               heading.number[number.size()] == '.';
    };
    while (!levels_.empty() &&
           (levels_.back() >= level || (!heading.number.empty() && !numbers_.back().empty() && !encloses(numbers_.back())))) {
        levels_.pop_back();
        numbers_.pop_back();
        anchors_.pop_back();
        titles_.pop_back();
    }
    levels_.push_back(level);
    numbers_.push_back(heading.number);
    // Numbered and all-capitals headings are too common to order other styles: "PREAMBLE" must
    // not make "ARTICLE I" its child.
    anchors_.push_back(heading.number.empty() && heading.style != "caps");
    titles_.push_back(heading.title);
    path_ = std::make_shared<const std::vector<std::string>>(titles_);
}

}  // namespace semantic_chunker
