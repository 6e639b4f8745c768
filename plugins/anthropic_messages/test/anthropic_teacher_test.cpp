// The shared teacher flow driven through the Anthropic wire format, with an in-memory HTTP client.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <stage_harness.hpp>
#include <teacher_kit/teacher_stage.hpp>
#include <teacher_test_support.hpp>

#include "anthropic_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_test;
using flowdistill::teacher_kit::TeacherStage;

namespace {

constexpr const char* kKeyEnv = "FD_TEST_ANTHROPIC_KEY";
constexpr const char* kKey = "test-anthropic-key-never-in-output";

std::string message_body(const std::string& text, const std::string& thinking = "") {
    Json content = Json::array();
    if (!thinking.empty()) content.push_back({{"type", "thinking"}, {"thinking", thinking}, {"signature", "sig"}});
    content.push_back({{"type", "text"}, {"text", text}});
    return Json{{"id", "msg_1"},
                {"type", "message"},
                {"role", "assistant"},
                {"model", "claude-sonnet-4-5"},
                {"content", content},
                {"stop_reason", "end_turn"},
                {"usage",
                 {{"input_tokens", 200},
                  {"output_tokens", 400},
                  {"cache_creation_input_tokens", 0},
                  {"cache_read_input_tokens", 1000}}}}
        .dump();
}

std::unique_ptr<TeacherStage> make_teacher(testing::TestContext& context) {
    ConfigSpec spec;
    teacher_kit::add_generation_fields(spec, {"https://api.anthropic.com", "claude-sonnet-4-5", kKeyEnv, ""});
    auto settings = teacher_kit::read_generation_settings(config_with_defaults(spec, Json{{"domain", "legal"}}),
                                                          "anthropic");
    return std::make_unique<TeacherStage>("anthropic_messages", std::move(settings),
                                          std::make_unique<anthropic_messages::AnthropicWire>("2023-06-01"), context);
}

struct Fixture {
    Fixture() { ::setenv(kKeyEnv, kKey, 1); }
    testing::TestContext context;
};

const std::string kPairs = R"([{"question": "Does clause 4 apply?", "answer": "Yes.", "difficulty": "hard"}])";

}  // namespace

TEST_CASE_METHOD(Fixture, "anthropic teacher: thinking blocks fill reasoning, cache reads are priced") {
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, message_body(kPairs, "Weigh clause 4.")); });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000009", "Clause 4: ..."), completion);

    REQUIRE(completion->events == std::vector<std::string>{"emit chunk_000009_q01", "done"});
    const auto& pair = completion->records[0].data;
    CHECK(pair["reasoning"] == "Weigh clause 4.");
    CHECK(pair["teacher"] == "anthropic/claude-sonnet-4-5");
    const double cost = (200 * 3.0 + 1000 * 0.30 + 400 * 15.0) / 1e6;
    CHECK(pair["cost_usd"].get<double>() == Approx(cost));
    CHECK(context.ledger.spent_usd() == Approx(cost));

    REQUIRE(http.requests.size() == 1);
    const auto& request = http.requests[0];
    CHECK(request.url == "https://api.anthropic.com/v1/messages");
    CHECK(request.secret_headers == std::vector<std::string>{"x-api-key"});
    CHECK(request.body.find(kKey) == std::string::npos);
    const Json body = Json::parse(request.body);
    CHECK_THAT(body["system"].get<std::string>(), Catch::Contains("lawyer"));
    CHECK(body["messages"].size() == 1);
}

TEST_CASE_METHOD(Fixture, "anthropic teacher: 529 overloaded after retries is rejected, not fatal") {
    ScriptedHttp http([](const HttpRequest&) {
        auto response = reply_with(529, R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})");
        response.attempts = 6;
        return response;
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(completion->events == std::vector<std::string>{"reject"});
    CHECK(completion->reject_reason == "overloaded");
    CHECK_THAT(completion->reject_cause, Catch::Contains("Anthropic answered HTTP 529 after 6 attempts: Overloaded"));
}

TEST_CASE_METHOD(Fixture, "anthropic teacher: 403 names Anthropic and the variable, never the key") {
    ScriptedHttp http([](const HttpRequest&) {
        return reply_with(403, R"({"type": "error", "error": {"type": "permission_error", "message": "no"}})");
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(completion->events == std::vector<std::string>{"fatal"});
    CHECK_THAT(completion->fatal_cause,
               Catch::StartsWith("Anthropic rejected the API key in $FD_TEST_ANTHROPIC_KEY (HTTP 403)"));
    CHECK(completion->fatal_cause.find(kKey) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "anthropic teacher: an error body with status 200 is rejected with its text") {
    ScriptedHttp http([](const HttpRequest&) {
        return reply_with(200, R"({"type": "error", "error": {"type": "api_error", "message": "Internal"}})");
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(completion->reject_reason == "malformed_response");
    CHECK_THAT(completion->reject_cause, Catch::Contains("Internal"));
}
