#pragma once
// The OpenAI chat-completions wire format, as DeepSeek, Together, OpenRouter, vLLM, Ollama and
// llama.cpp's server speak it.
#include <string>

#include <teacher_kit/wire_format.hpp>

namespace flowdistill::openai_chat {

class OpenAiWire final : public teacher_kit::WireFormat {
public:
    explicit OpenAiWire(std::string provider) : provider_(std::move(provider)) {}

    std::string display_name() const override;
    // The OpenAI SDKs' convention: base_url includes any /v1, the path is appended to it.
    std::string endpoint_url(const std::string& base_url) const override { return base_url + "/chat/completions"; }
    Json request_body(const teacher_kit::Conversation& conversation,
                      const teacher_kit::GenerationSettings& settings) const override;
    HttpHeaders headers(const std::string& api_key) const override;
    std::vector<std::string> secret_header_names() const override { return {"Authorization"}; }
    teacher_kit::ProviderReply parse_response(const std::string& body) const override;

private:
    std::string provider_;
};

}  // namespace flowdistill::openai_chat
