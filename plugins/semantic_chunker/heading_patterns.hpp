#pragma once
// The heading patterns a line is tried against (docs/chunking.md, rule 1), for LineClassifier.
// Each match_ function takes a line with no trailing '\n' and, when it is a heading of its kind,
// fills `match` and returns true.
#include <optional>
#include <string_view>

#include "line_classifier.hpp"

namespace semantic_chunker {

// Starts `match` afresh as a heading of `style` titled `title` (cleaned).
void fill_heading(HeadingMatch& match, HeadingStyle style, std::string_view title);

// `#`..`######` then a space.
bool match_markdown(std::string_view line, HeadingMatch& match);
// "4.1 Cardiovascular Management", "5.1.1. The hostname resolution", "2. Scope" (only a short line
// before a blank `next` or none, as "1. Something" is usually a list item), "2. Grant of Copyright
// License. Subject to…" (the number and the title that runs on into its text). `indented`: the
// line had a few spaces before it, which only a one-level number written as a title may
// ("0. Definitions.").
bool match_numbered(std::string_view line, const std::optional<std::string_view>& next, HeadingMatch& match,
                    bool indented = false);
// "1." on its own over a title at column 0 ("Filing Information"): the heading "1. Filing
// Information", which takes the next line.
bool match_number_over_title(std::string_view line, const std::optional<std::string_view>& next, HeadingMatch& match);
// "ARTICLE I", "SECTION. 1.", "Sec. 110.", "Chapter 5", "Part One.", "PART 1—DEFINITIONS", "§ 1.1 Definitions."
bool match_keyword(std::string_view line, bool next_blank, HeadingMatch& match);
// "DESCRIPTION", "SHELL GRAMMAR", "PREAMBLE": a short line in capitals; one word only when
// `next_apart`: the next line is blank or indented, or there is none (the end of the input).
bool match_capitals(std::string_view line, bool next_apart, HeadingMatch& match);

// Whether the line starts with a heading keyword; match_keyword() decides the rest.
bool starts_with_keyword(std::string_view line);
// The title of a heading in capitals, or an empty view when the line is none.
std::string_view capitals_title(std::string_view line);

}  // namespace semantic_chunker
