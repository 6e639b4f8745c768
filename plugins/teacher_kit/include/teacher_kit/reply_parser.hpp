#pragma once
// Forgiving, honest parsing of a model's reply into question-answer pairs.
#include <string>
#include <string_view>
#include <vector>

namespace flowdistill::teacher_kit {

struct QaPair {
    std::string question;
    std::string answer;
    std::string reasoning;   // empty when the model gave none
    std::string difficulty;  // easy, medium or hard
};

struct ParsedReply {
    std::vector<QaPair> pairs;
    std::string thinking;     // text of <think> blocks, kept as a reasoning fallback
    int dropped = 0;          // objects that looked like pairs but lacked a question or an answer
    bool salvaged = false;    // the reply was not valid JSON as a whole; pairs were cut out of it
    std::string problem;      // why nothing usable was found, when pairs is empty
};

// Accepts a bare list of pairs, an object holding such a list under any key, or a single pair;
// strips <think> blocks and Markdown code fences; salvages the complete pairs of a truncated or
// partly broken reply. Unknown or missing difficulties become "medium".
ParsedReply parse_reply_text(std::string_view text);

}  // namespace flowdistill::teacher_kit
