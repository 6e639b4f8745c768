#include <teacher_kit/prompts.hpp>

#include <stdexcept>

#include <teacher_kit/embedded_data.hpp>

namespace flowdistill::teacher_kit {
namespace {

// A template file holds the system prompt, this line, then the user prompt.
constexpr std::string_view kUserMarker = "\n=== user ===\n";

std::string_view trim_newlines(std::string_view text) {
    while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

}  // namespace

const std::vector<std::string>& known_domains() {
    static const std::vector<std::string> domains{"medical", "legal", "technical", "financial", "general"};
    return domains;
}

PromptTemplate domain_template(const std::string& domain) {
    const std::string file_name = domain + ".txt";
    for (const auto& [name, text] : embedded::embedded_files) {
        if (name != file_name) continue;
        const auto marker = text.find(kUserMarker);
        if (marker == std::string_view::npos)
            throw std::logic_error("prompt template " + file_name + " lacks the '=== user ===' line");
        return PromptTemplate{std::string(trim_newlines(text.substr(0, marker))),
                              std::string(trim_newlines(text.substr(marker + kUserMarker.size())))};
    }
    std::string list;
    for (const auto& known : known_domains()) list += (list.empty() ? "" : ", ") + known;
    throw std::invalid_argument("unknown domain '" + domain + "': use one of " + list +
                                ", or write your own `prompt` and `system_prompt`");
}

std::string format_heading_path(const std::vector<std::string>& heading_path) {
    if (heading_path.empty()) return "(no heading)";
    std::string out;
    for (const auto& heading : heading_path) out += (out.empty() ? "" : " > ") + heading;
    return out;
}

std::string render_prompt(std::string_view text, const PromptValues& values) {
    std::string out;
    out.reserve(text.size() + values.chunk.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find('{', pos);
        if (open == std::string_view::npos) break;
        const auto close = text.find('}', open);
        if (close == std::string_view::npos) break;
        const auto name = text.substr(open + 1, close - open - 1);
        std::string replacement;
        bool known = true;
        if (name == "chunk") replacement = values.chunk;
        else if (name == "heading_path") replacement = format_heading_path(values.heading_path);
        else if (name == "n") replacement = std::to_string(values.n);
        else if (name == "domain") replacement = values.domain;
        else known = false;
        if (known) {
            out.append(text.substr(pos, open - pos));
            out += replacement;
            pos = close + 1;
        } else {
            out.append(text.substr(pos, open + 1 - pos));
            pos = open + 1;
        }
    }
    out.append(text.substr(pos));
    return out;
}

std::string repair_prompt(int n) {
    return "Your reply above could not be read: it held no complete question-and-answer pair. Write " +
           std::to_string(n) +
           " question-and-answer pairs again, as only one JSON object of this shape and nothing else, no prose "
           "and no code fences: {\"pairs\": [{\"question\": \"...\", \"answer\": \"...\", "
           "\"reasoning\": \"...\", \"difficulty\": \"easy|medium|hard\"}]}";
}

}  // namespace flowdistill::teacher_kit
