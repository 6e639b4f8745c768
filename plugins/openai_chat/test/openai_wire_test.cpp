#include <catch2/catch.hpp>

#include "openai_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_kit;
using flowdistill::openai_chat::OpenAiWire;

namespace {
GenerationSettings settings_for(const std::string& model) {
    GenerationSettings s;
    s.model = model;
    s.max_tokens = 1000;
    s.temperature = 0.3;
    return s;
}
const Conversation kConversation{"SYSTEM", {{"user", "USER"}}};
}  // namespace

TEST_CASE("openai request body: exact fields") {
    const Json body = OpenAiWire("deepseek").request_body(kConversation, settings_for("deepseek-chat"));
    const Json expected = Json::parse(R"({
        "model": "deepseek-chat",
        "messages": [{"role": "system", "content": "SYSTEM"}, {"role": "user", "content": "USER"}],
        "max_tokens": 1000,
        "temperature": 0.3,
        "stream": false})");
    CHECK(body == expected);
}

TEST_CASE("openai request body: extra_body is merged, null removes a field") {
    auto s = settings_for("m");
    s.extra_body = Json{{"top_p", 0.9}, {"temperature", nullptr}, {"response_format", {{"type", "json_object"}}}};
    const Json body = OpenAiWire("together").request_body(kConversation, s);
    CHECK(body["top_p"] == 0.9);
    CHECK_FALSE(body.contains("temperature"));
    CHECK(body["response_format"]["type"] == "json_object");
    CHECK(body["model"] == "m");
}

TEST_CASE("openai: the key travels only in a secret header, never in the body") {
    const OpenAiWire wire("deepseek");
    const std::string key = "sk-test-do-not-leak-1234";
    const auto headers = wire.headers(key);
    bool found = false;
    for (const auto& [name, value] : headers)
        if (name == "Authorization") found = value == "Bearer " + key;
    CHECK(found);
    CHECK(wire.secret_header_names() == std::vector<std::string>{"Authorization"});
    const std::string body = wire.request_body(kConversation, settings_for("m")).dump();
    CHECK(body.find(key) == std::string::npos);
    // No key configured (a local server): no Authorization header at all.
    for (const auto& [name, value] : wire.headers("")) CHECK(name != "Authorization");
}

TEST_CASE("openai: the endpoint path follows the OpenAI SDK convention") {
    CHECK(OpenAiWire("deepseek").endpoint_url("https://api.deepseek.com") == "https://api.deepseek.com/chat/completions");
    CHECK(OpenAiWire("local").endpoint_url("http://127.0.0.1:1234/v1") == "http://127.0.0.1:1234/v1/chat/completions");
}

TEST_CASE("openai: a DeepSeek-R1 reply keeps reasoning_content and prices cache hits") {
    const auto reply = OpenAiWire("deepseek").parse_response(R"({
        "id": "x", "object": "chat.completion", "model": "deepseek-reasoner",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "[]", "reasoning_content": "Let me think."}}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300,
                  "prompt_cache_hit_tokens": 800, "prompt_cache_miss_tokens": 200,
                  "completion_tokens_details": {"reasoning_tokens": 120}}})");
    CHECK(reply.text == "[]");
    CHECK(reply.reasoning == "Let me think.");
    CHECK(reply.stop_reason == "stop");
    CHECK(reply.usage.input_tokens == 200);
    CHECK(reply.usage.cached_input_tokens == 800);
    CHECK(reply.usage.output_tokens == 300);
    CHECK(reply.raw_usage["total_tokens"] == 1300);
    const Price deepseek{0.28, 0.42, 0.028, 0.28};
    CHECK(cost_usd(deepseek, reply.usage) == Approx((200 * 0.28 + 800 * 0.028 + 300 * 0.42) / 1e6));
}

TEST_CASE("openai: OpenAI's cached_tokens and OpenRouter's reasoning field") {
    const auto reply = OpenAiWire("openrouter").parse_response(R"({
        "choices": [{"message": {"content": "x", "reasoning": "why"}, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 50, "completion_tokens": 5, "prompt_tokens_details": {"cached_tokens": 20}}})");
    CHECK(reply.reasoning == "why");
    CHECK(reply.stop_reason == "length");
    CHECK(reply.usage.input_tokens == 30);
    CHECK(reply.usage.cached_input_tokens == 20);
}

TEST_CASE("openai: bodies that are not a completion are refused with the reason") {
    const OpenAiWire wire("deepseek");
    CHECK_THROWS_WITH(wire.parse_response(R"({"choices": [{"message": {"content": "trunc)"),
                      Catch::Contains("not a JSON object"));
    CHECK_THROWS_WITH(wire.parse_response(R"({"error": {"message": "context too long"}})"),
                      Catch::Contains("context too long"));
    CHECK_THROWS_WITH(wire.parse_response(R"({"choices": []})"), Catch::Contains("no choices"));
    // A server that sends no usage (some local ones) is not an error: it costs nothing.
    const auto reply = wire.parse_response(R"({"choices": [{"message": {"content": null}}]})");
    CHECK(reply.text.empty());
    CHECK(reply.usage.output_tokens == 0);
}
