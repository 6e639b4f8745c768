#pragma once
// Anthropic's Messages API wire format.
#include <string>

#include <teacher_kit/wire_format.hpp>

namespace flowdistill::anthropic_messages {

class AnthropicWire final : public teacher_kit::WireFormat {
public:
    explicit AnthropicWire(std::string anthropic_version) : version_(std::move(anthropic_version)) {}

    std::string display_name() const override { return "Anthropic"; }
    // The Anthropic SDKs' convention: base_url is the host, the path carries the /v1.
    std::string endpoint_url(const std::string& base_url) const override { return base_url + "/v1/messages"; }
    Json request_body(const teacher_kit::Conversation& conversation,
                      const teacher_kit::GenerationSettings& settings) const override;
    HttpHeaders headers(const std::string& api_key) const override;
    std::vector<std::string> secret_header_names() const override { return {"x-api-key"}; }
    teacher_kit::ProviderReply parse_response(const std::string& body) const override;

private:
    std::string version_;
};

}  // namespace flowdistill::anthropic_messages
