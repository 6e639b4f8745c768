#pragma once
// The headings in effect at the current position, outermost first.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "line_classifier.hpp"

namespace semantic_chunker {

class HeadingStack {
public:
    HeadingStack() { reset(); }
    void reset();
    void push(const HeadingMatch& heading);
    // Shared and immutable, so every chunk can keep the path it was made under at no cost.
    const std::shared_ptr<const std::vector<std::string>>& path() const { return path_; }

private:
    int level_for(const HeadingMatch& heading);

    std::vector<int> levels_;
    std::vector<std::string> numbers_;  // a numbered heading's number, empty for other styles
    std::vector<bool> anchors_;         // headings that new styles and numbers nest under
    std::vector<std::string> titles_;
    std::vector<std::pair<std::string, int>> style_levels_;  // few styles per file: a vector beats a map
    std::shared_ptr<const std::vector<std::string>> path_;
};

}  // namespace semantic_chunker
