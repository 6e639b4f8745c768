#include <teacher_kit/reply_parser.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <flowdistill/record.hpp>

namespace flowdistill::teacher_kit {
namespace {

std::string trim(std::string_view text) {
    auto begin = text.begin();
    auto end = text.end();
    while (begin != end && std::isspace(static_cast<unsigned char>(*begin))) ++begin;
    while (end != begin && std::isspace(static_cast<unsigned char>(*(end - 1)))) --end;
    return std::string(begin, end);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Removes <think>...</think> blocks, collecting their text. Reasoning models served through
// llama.cpp or Ollama sometimes drop the opening tag, so a lone closing tag ends a block too.
std::string strip_think_blocks(std::string_view text, std::string& thinking) {
    constexpr std::string_view open_tag = "<think>", close_tag = "</think>";
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find(open_tag, pos);
        const auto close = text.find(close_tag, pos);
        if (close != std::string_view::npos && (open == std::string_view::npos || close < open)) {
            thinking += trim(text.substr(pos, close - pos));
            pos = close + close_tag.size();
            continue;
        }
        if (open == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        const auto inner = open + open_tag.size();
        const auto end = text.find(close_tag, inner);
        if (end == std::string_view::npos) {  // truncated inside the block: no answer follows
            thinking += trim(text.substr(inner));
            return out;
        }
        if (!thinking.empty()) thinking += "\n";
        thinking += trim(text.substr(inner, end - inner));
        pos = end + close_tag.size();
    }
    out.append(text.substr(pos));
    return out;
}

// Contents of ``` fenced blocks, in order; an unclosed fence runs to the end of the text.
std::vector<std::string> fenced_blocks(std::string_view text) {
    std::vector<std::string> blocks;
    std::size_t pos = 0;
    while (true) {
        const auto open = text.find("```", pos);
        if (open == std::string_view::npos) break;
        auto content = text.find('\n', open + 3);
        if (content == std::string_view::npos) break;
        ++content;
        const auto close = text.find("```", content);
        blocks.push_back(std::string(text.substr(content, close == std::string_view::npos ? std::string_view::npos
                                                                                          : close - content)));
        if (close == std::string_view::npos) break;
        pos = close + 3;
    }
    return blocks;
}

std::optional<Json> try_parse(std::string_view text) {
    Json value = Json::parse(text.begin(), text.end(), nullptr, false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

std::string field_text(const Json& value) {
    if (value.is_string()) return trim(value.get<std::string>());
    if (value.is_null()) return {};
    if (value.is_array()) {
        std::string joined;
        for (const auto& item : value) {
            const auto part = field_text(item);
            if (!part.empty()) joined += (joined.empty() ? "" : "\n") + part;
        }
        return joined;
    }
    return value.dump();
}

// The first of `names` (in that order of preference) the object has, matched case-insensitively.
std::string first_field(const Json& object, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (auto it = object.begin(); it != object.end(); ++it)
            if (lower(it.key()) == name) return field_text(it.value());
    return {};
}

bool looks_like_pair(const Json& object) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto key = lower(it.key());
        if (key == "question" || key == "answer" || key == "q" || key == "a") return true;
    }
    return false;
}

class PairCollector {
public:
    explicit PairCollector(ParsedReply& reply) : reply_(reply) {}

    void add_object(const Json& object) {
        QaPair pair;
        pair.question = first_field(object, {"question", "q", "instruction", "prompt"});
        pair.answer = first_field(object, {"answer", "a", "response", "output"});
        pair.reasoning = first_field(object, {"reasoning", "rationale", "explanation", "reason"});
        pair.difficulty = lower(first_field(object, {"difficulty", "level"}));
        if (pair.difficulty != "easy" && pair.difficulty != "medium" && pair.difficulty != "hard")
            pair.difficulty = "medium";
        if (pair.question.empty() || pair.answer.empty() || !seen_.insert(pair.question).second) {
            ++reply_.dropped;
            return;
        }
        reply_.pairs.push_back(std::move(pair));
    }

    // A list of pairs, an object holding one (at any depth), or a single pair.
    bool collect(const Json& value) {
        if (value.is_array()) {
            bool any = false;
            for (const auto& item : value) {
                if (item.is_object() && looks_like_pair(item)) {
                    add_object(item);
                    any = true;
                } else if (item.is_object() || item.is_array()) {
                    any = collect(item) || any;
                }
            }
            return any;
        }
        if (!value.is_object()) return false;
        if (looks_like_pair(value)) {
            add_object(value);
            return true;
        }
        for (const auto& member : value)
            if ((member.is_array() || member.is_object()) && collect(member)) return true;
        return false;
    }

private:
    ParsedReply& reply_;
    std::set<std::string> seen_;
};

// The end of the JSON object opening at `open`, skipping braces inside strings.
std::optional<std::size_t> matching_brace(std::string_view text, std::size_t open) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return i;
        }
    }
    return std::nullopt;
}

// Cuts every complete pair object out of text that is not valid JSON as a whole.
void salvage_objects(std::string_view text, PairCollector& collector) {
    std::size_t pos = 0;
    while ((pos = text.find('{', pos)) != std::string_view::npos) {
        const auto end = matching_brace(text, pos);
        if (end) {
            auto object = try_parse(text.substr(pos, *end - pos + 1));
            if (object && object->is_object() && looks_like_pair(*object)) {
                collector.add_object(*object);
                pos = *end + 1;
                continue;
            }
        }
        ++pos;  // a wrapper or a broken object: look inside it
    }
}

}  // namespace

ParsedReply parse_reply_text(std::string_view text) {
    ParsedReply reply;
    const std::string body = strip_think_blocks(text, reply.thinking);
    if (trim(body).empty()) {
        reply.problem = "the reply held no text outside <think> blocks";
        return reply;
    }
    PairCollector collector(reply);

    std::vector<std::string> candidates = fenced_blocks(body);
    candidates.push_back(body);
    bool found_json = false;
    for (const auto& candidate : candidates) {
        auto value = try_parse(trim(candidate));
        if (!value) {
            // Prose around the JSON: try from the first bracket to the last.
            const auto first = candidate.find_first_of("[{");
            const auto last = candidate.find_last_of("]}");
            if (first != std::string::npos && last != std::string::npos && last > first)
                value = try_parse(std::string_view(candidate).substr(first, last - first + 1));
        }
        if (!value) continue;
        found_json = true;
        if (collector.collect(*value) && !reply.pairs.empty()) return reply;
    }
    if (!found_json) {
        salvage_objects(body, collector);
        reply.salvaged = !reply.pairs.empty();
    }
    if (reply.pairs.empty()) {
        if (reply.dropped > 0)
            reply.problem = std::to_string(reply.dropped) + " pair(s) lacked a question or an answer";
        else if (found_json)
            reply.problem = "the JSON held no question-answer pairs";
        else
            reply.problem = "no JSON found in the reply";
    }
    return reply;
}

}  // namespace flowdistill::teacher_kit
