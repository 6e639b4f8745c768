#pragma once
// The headings in effect at the current position, outermost first.
#include <cstdint>
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
    // Shared and immutable while anyone else holds it, so every chunk can keep the path it was
    // made under at no cost. Made when first asked for after a change (headings often follow one
    // another with no chunk cut between them), in the storage of an earlier path no one holds any
    // more, so that paths are not allocated afresh. Copies of a path are to be dropped in the
    // thread that uses the stack: a path is rewritten once its count says no one else holds it.
    const std::shared_ptr<const std::vector<std::string>>& path() const {
        if (path_stale_) make_path();
        return path_;
    }

private:
    struct Entry {
        std::uint64_t serial = 0;  // which push made it: a path that holds it need not copy its title again
        int level = 0;
        bool anchor = false;  // new styles and numbers nest under it
        std::string number;   // a numbered heading's number, empty for other styles
        std::string title;
    };

    int level_for(const HeadingMatch& heading);
    void make_path() const;
    struct MadePath;
    void fill_path(MadePath& made) const;

    // entries_[0, depth_) are in effect; the rest keep their strings' storage for later headings.
    std::vector<Entry> entries_;
    std::size_t depth_ = 0;
    std::vector<std::pair<HeadingStyle, int>> style_levels_;  // few styles per file: a vector beats a map
    std::uint64_t pushes_ = 0;
    mutable std::shared_ptr<const std::vector<std::string>> path_;
    mutable bool path_stale_ = false;
    // Paths made so far (a few: one for the chunk held back, one for the current chunk...), reused
    // once this is their only holder, with the serials of the entries their titles come from.
    struct MadePath {
        std::shared_ptr<std::vector<std::string>> titles;
        std::vector<std::uint64_t> serials;
    };
    mutable std::vector<MadePath> made_paths_;
    mutable std::vector<std::string> spare_titles_;  // the storage of titles taken off reused paths
};

}  // namespace semantic_chunker
