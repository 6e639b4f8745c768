#pragma once
#include <string>
#include <vector>

namespace flowdistill::engine {

// The closest candidate to `word` by edit distance, or "" when none is close enough to suggest.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// "did you mean 'x'? " when there is a close match, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace flowdistill::engine
