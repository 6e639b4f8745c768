#include "anthropic_wire.hpp"

#include <stdexcept>

namespace flowdistill::anthropic_messages {
namespace {

std::int64_t count(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string text_of(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

Json AnthropicWire::request_body(const teacher_kit::Conversation& conversation,
                                 const teacher_kit::GenerationSettings& settings) const {
    Json messages = Json::array();
    for (const auto& turn : conversation.turns) messages.push_back({{"role", turn.role}, {"content", turn.content}});
    Json body{{"model", settings.model},
              {"max_tokens", settings.max_tokens},
              {"temperature", settings.temperature},
              {"messages", std::move(messages)}};
    if (!conversation.system.empty()) body["system"] = conversation.system;
    if (settings.extra_body.is_object()) body.merge_patch(settings.extra_body);
    return body;
}

HttpHeaders AnthropicWire::headers(const std::string& api_key) const {
    HttpHeaders headers{{"content-type", "application/json"},
                        {"accept", "application/json"},
                        {"anthropic-version", version_}};
    if (!api_key.empty()) headers.emplace_back("x-api-key", api_key);
    return headers;
}

teacher_kit::ProviderReply AnthropicWire::parse_response(const std::string& body) const {
    const Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) throw std::runtime_error("the body is not a JSON object");
    if (text_of(parsed, "type") == "error") {
        const auto error = parsed.find("error");
        throw std::runtime_error("an error instead of a message: " +
                                 (error != parsed.end() && error->is_object() ? text_of(*error, "message")
                                                                               : std::string("(no details)")));
    }
    const auto content = parsed.find("content");
    if (content == parsed.end() || !content->is_array()) throw std::runtime_error("no content blocks in the response");

    teacher_kit::ProviderReply reply;
    for (const auto& block : *content) {
        if (!block.is_object()) continue;
        const std::string type = text_of(block, "type");
        if (type == "text") reply.text += text_of(block, "text");
        else if (type == "thinking") reply.reasoning += text_of(block, "thinking");
    }
    reply.stop_reason = text_of(parsed, "stop_reason");
    const auto usage = parsed.find("usage");
    if (usage != parsed.end() && usage->is_object()) {
        reply.raw_usage = *usage;
        // Anthropic's input_tokens already excludes the cached and cache-written prompt tokens.
        reply.usage.input_tokens = count(*usage, "input_tokens");
        reply.usage.cached_input_tokens = count(*usage, "cache_read_input_tokens");
        reply.usage.cache_write_tokens = count(*usage, "cache_creation_input_tokens");
        reply.usage.output_tokens = count(*usage, "output_tokens");
    }
    return reply;
}

}  // namespace flowdistill::anthropic_messages
