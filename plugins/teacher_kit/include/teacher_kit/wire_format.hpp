#pragma once
// What differs between provider APIs: URL, headers, request body and response shape.
#include <string>
#include <vector>

#include <flowdistill/record.hpp>
#include <flowdistill/services.hpp>
#include <teacher_kit/generation_settings.hpp>
#include <teacher_kit/prices.hpp>

namespace flowdistill::teacher_kit {

struct ChatTurn {
    std::string role;  // "user" or "assistant"
    std::string content;
};

struct Conversation {
    std::string system;
    std::vector<ChatTurn> turns;
};

// A successful response, reduced to what a teacher needs.
struct ProviderReply {
    std::string text;        // the answer's text content
    std::string reasoning;   // reasoning_content / thinking blocks, if the provider sent any
    std::string stop_reason; // "stop", "length", "end_turn", "max_tokens", ...
    TokenUsage usage;
    Json raw_usage;          // usage exactly as the provider reported it
};

class WireFormat {
public:
    virtual ~WireFormat() = default;
    virtual std::string display_name() const = 0;  // for messages: "DeepSeek", "Anthropic"
    virtual std::string endpoint_url(const std::string& base_url) const = 0;
    virtual Json request_body(const Conversation& conversation, const GenerationSettings& settings) const = 0;
    // Every header of a request, the credential included when `api_key` is not empty.
    virtual HttpHeaders headers(const std::string& api_key) const = 0;
    virtual std::vector<std::string> secret_header_names() const = 0;
    // Throws std::runtime_error saying what is wrong when the body is not a valid response.
    virtual ProviderReply parse_response(const std::string& body) const = 0;
};

}  // namespace flowdistill::teacher_kit
