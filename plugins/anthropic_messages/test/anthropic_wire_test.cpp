#include <catch2/catch.hpp>

#include "anthropic_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_kit;
using flowdistill::anthropic_messages::AnthropicWire;

namespace {
GenerationSettings settings_for(const std::string& model) {
    GenerationSettings s;
    s.model = model;
    s.max_tokens = 2048;
    s.temperature = 0.5;
    return s;
}
const Conversation kConversation{"SYSTEM", {{"user", "USER"}, {"assistant", "BAD"}, {"user", "AGAIN"}}};
}  // namespace

TEST_CASE("anthropic request body: exact fields") {
    const Json body = AnthropicWire("2023-06-01").request_body(kConversation, settings_for("claude-sonnet-4-5"));
    const Json expected = Json::parse(R"({
        "model": "claude-sonnet-4-5",
        "max_tokens": 2048,
        "temperature": 0.5,
        "system": "SYSTEM",
        "messages": [{"role": "user", "content": "USER"},
                     {"role": "assistant", "content": "BAD"},
                     {"role": "user", "content": "AGAIN"}]})");
    CHECK(body == expected);
}

TEST_CASE("anthropic request body: extra_body is merged") {
    auto s = settings_for("claude-sonnet-4-5");
    s.extra_body = Json{{"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}}, {"temperature", 1}};
    const Json body = AnthropicWire("2023-06-01").request_body(kConversation, s);
    CHECK(body["thinking"]["budget_tokens"] == 1024);
    CHECK(body["temperature"] == 1);
}

TEST_CASE("anthropic headers: x-api-key is secret, anthropic-version is sent, the body has no key") {
    const AnthropicWire wire("2023-06-01");
    const std::string key = "sk-ant-test-do-not-leak";
    std::string version, sent_key;
    for (const auto& [name, value] : wire.headers(key)) {
        if (name == "anthropic-version") version = value;
        if (name == "x-api-key") sent_key = value;
    }
    CHECK(version == "2023-06-01");
    CHECK(sent_key == key);
    CHECK(wire.secret_header_names() == std::vector<std::string>{"x-api-key"});
    CHECK(wire.request_body(kConversation, settings_for("m")).dump().find(key) == std::string::npos);
    CHECK(wire.endpoint_url("https://api.anthropic.com") == "https://api.anthropic.com/v1/messages");
}

TEST_CASE("anthropic: content blocks, thinking and cache usage") {
    const auto reply = AnthropicWire("2023-06-01").parse_response(R"({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "thinking", "thinking": "Consider the clause.", "signature": "s"},
                    {"type": "text", "text": "{\"pairs\": "},
                    {"type": "text", "text": "[]}"}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 100, "output_tokens": 50,
                  "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000}})");
    CHECK(reply.text == "{\"pairs\": []}");
    CHECK(reply.reasoning == "Consider the clause.");
    CHECK(reply.stop_reason == "end_turn");
    CHECK(reply.usage.input_tokens == 100);
    CHECK(reply.usage.cache_write_tokens == 1000);
    CHECK(reply.usage.cached_input_tokens == 2000);
    CHECK(reply.usage.output_tokens == 50);
    const auto price = shipped_price("claude-sonnet-4-5");
    REQUIRE(price);
    CHECK(cost_usd(*price, reply.usage) == Approx((100 * 3.0 + 1000 * 3.75 + 2000 * 0.30 + 50 * 15.0) / 1e6));
}

TEST_CASE("anthropic: an error body or a truncated one is refused with the reason") {
    const AnthropicWire wire("2023-06-01");
    CHECK_THROWS_WITH(wire.parse_response(R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})"),
                      Catch::Contains("Overloaded"));
    CHECK_THROWS_WITH(wire.parse_response(R"({"type": "message", "content": [{"type": "te)"),
                      Catch::Contains("not a JSON object"));
    CHECK_THROWS_WITH(wire.parse_response(R"({"type": "message"})"), Catch::Contains("no content"));
}
