#include "openai_wire.hpp"

#include <algorithm>
#include <stdexcept>

namespace flowdistill::openai_chat {
namespace {

std::int64_t count(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string text_of(const Json& message, const char* key) {
    const auto it = message.find(key);
    return it != message.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

std::string OpenAiWire::display_name() const {
    if (provider_ == "deepseek") return "DeepSeek";
    if (provider_ == "openai") return "OpenAI";
    if (provider_ == "openrouter") return "OpenRouter";
    if (provider_ == "together") return "Together";
    if (provider_ == "local") return "The local OpenAI-compatible server";
    return provider_;
}

Json OpenAiWire::request_body(const teacher_kit::Conversation& conversation,
                              const teacher_kit::GenerationSettings& settings) const {
    Json messages = Json::array();
    if (!conversation.system.empty()) messages.push_back({{"role", "system"}, {"content", conversation.system}});
    for (const auto& turn : conversation.turns) messages.push_back({{"role", turn.role}, {"content", turn.content}});
    Json body{{"model", settings.model},
              {"messages", std::move(messages)},
              {"max_tokens", settings.max_tokens},
              {"temperature", settings.temperature},
              {"stream", false}};
    if (settings.extra_body.is_object()) body.merge_patch(settings.extra_body);
    return body;
}

HttpHeaders OpenAiWire::headers(const std::string& api_key) const {
    HttpHeaders headers{{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!api_key.empty()) headers.emplace_back("Authorization", "Bearer " + api_key);
    return headers;
}

teacher_kit::ProviderReply OpenAiWire::parse_response(const std::string& body) const {
    const Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) throw std::runtime_error("the body is not a JSON object");
    const auto choices = parsed.find("choices");
    if (choices == parsed.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
        const auto error = parsed.find("error");
        if (error != parsed.end() && error->is_object() && error->contains("message"))
            throw std::runtime_error("an error instead of choices: " + (*error)["message"].dump());
        throw std::runtime_error("no choices in the response");
    }
    const Json& choice = (*choices)[0];
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object()) throw std::runtime_error("the first choice has no message");

    teacher_kit::ProviderReply reply;
    reply.text = text_of(*message, "content");
    // DeepSeek-R1 calls it reasoning_content; OpenRouter and vLLM call it reasoning.
    reply.reasoning = text_of(*message, "reasoning_content");
    if (reply.reasoning.empty()) reply.reasoning = text_of(*message, "reasoning");
    reply.stop_reason = text_of(choice, "finish_reason");

    const auto usage = parsed.find("usage");
    if (usage != parsed.end() && usage->is_object()) {
        reply.raw_usage = *usage;
        const std::int64_t prompt = count(*usage, "prompt_tokens");
        // DeepSeek reports prompt_cache_hit_tokens; OpenAI, prompt_tokens_details.cached_tokens.
        std::int64_t cached = count(*usage, "prompt_cache_hit_tokens");
        if (cached == 0) {
            const auto details = usage->find("prompt_tokens_details");
            if (details != usage->end() && details->is_object()) cached = count(*details, "cached_tokens");
        }
        cached = std::clamp<std::int64_t>(cached, 0, prompt);
        reply.usage.cached_input_tokens = cached;
        reply.usage.input_tokens = prompt - cached;
        reply.usage.output_tokens = count(*usage, "completion_tokens");
    }
    return reply;
}

}  // namespace flowdistill::openai_chat
