// The shared teacher flow driven through the OpenAI wire format, with an in-memory HTTP client.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <stage_harness.hpp>
#include <teacher_kit/teacher_stage.hpp>
#include <teacher_test_support.hpp>

#include "openai_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_test;
using flowdistill::teacher_kit::TeacherStage;

namespace {

constexpr const char* kKeyEnv = "FD_TEST_OPENAI_KEY";
constexpr const char* kKey = "sk-openai-test-never-in-output";

std::string completion_body(const std::string& content, const std::string& reasoning = "", int prompt_tokens = 1000,
                            int completion_tokens = 500) {
    Json message{{"role", "assistant"}, {"content", content}};
    if (!reasoning.empty()) message["reasoning_content"] = reasoning;
    return Json{{"id", "c1"},
                {"object", "chat.completion"},
                {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", prompt_tokens}, {"completion_tokens", completion_tokens}}}}
        .dump();
}

const std::string kPairs =
    R"({"pairs": [{"question": "Why?", "answer": "Because.", "difficulty": "hard"},
                  {"question": "How?", "answer": "Thus.", "reasoning": "own", "difficulty": "easy"}]})";

std::unique_ptr<TeacherStage> make_teacher(testing::TestContext& context, const Json& values = Json::object()) {
    ConfigSpec spec;
    teacher_kit::add_generation_fields(spec, {"https://api.deepseek.com", "deepseek-reasoner", kKeyEnv, ""});
    auto settings = teacher_kit::read_generation_settings(config_with_defaults(spec, values), "");
    auto wire = std::make_unique<openai_chat::OpenAiWire>(settings.provider);
    return std::make_unique<TeacherStage>("openai_chat", std::move(settings), std::move(wire), context);
}

struct Fixture {
    Fixture() { ::setenv(kKeyEnv, kKey, 1); }
    testing::TestContext context;
};

}  // namespace

TEST_CASE_METHOD(Fixture, "openai teacher: a reply becomes pair records, stored and paid for") {
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, completion_body(kPairs, "R1 thoughts")); });
    context.http_override = &http;
    auto teacher = make_teacher(context, Json{{"requests_per_minute", 60}, {"max_concurrency", 7}});
    teacher->start();
    CHECK(http.limits_key == "https://api.deepseek.com");
    CHECK(http.limits_set.requests_per_minute == 60);
    CHECK(http.limits_set.max_concurrency == 7);

    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000003", "Some passage."), completion);

    REQUIRE(completion->events == std::vector<std::string>{"emit chunk_000003_q01", "emit chunk_000003_q02", "done"});
    const auto& first = completion->records[0].data;
    CHECK(first["question"] == "Why?");
    CHECK(first["reasoning"] == "R1 thoughts");  // DeepSeek-R1's reasoning_content fills the gap
    CHECK(completion->records[1].data["reasoning"] == "own");
    CHECK(first["teacher"] == "deepseek/deepseek-reasoner");
    CHECK(first["source_chunk"] == "chunk_000003");
    CHECK(first["heading_path"] == Json::array({"Guide", "Section"}));

    const double expected_cost = (1000 * 0.28 + 500 * 0.42) / 1e6;
    CHECK(first["cost_usd"].get<double>() == Approx(expected_cost / 2));
    CHECK(context.stage_metrics.get("cost_usd") == Approx(expected_cost));
    CHECK(context.stage_metrics.get("paid") == 1);
    CHECK(context.ledger.spent_usd() == Approx(expected_cost));
    REQUIRE(context.memory_store.entries.size() == 1);
    CHECK(context.memory_store.entries.begin()->second.cost_usd == Approx(expected_cost));
    CHECK(context.memory_store.entries.begin()->second.model == "deepseek-reasoner");

    REQUIRE(http.requests.size() == 1);
    const auto& request = http.requests[0];
    CHECK(request.url == "https://api.deepseek.com/chat/completions");
    CHECK(request.endpoint_key == "https://api.deepseek.com");
    CHECK(request.secret_headers == std::vector<std::string>{"Authorization"});
    CHECK(request.body.find(kKey) == std::string::npos);
    CHECK(request.estimated_tokens > 8192);
    const Json body = Json::parse(request.body);
    CHECK(body["messages"][1]["content"].get<std::string>().find("Some passage.") != std::string::npos);
    CHECK(body["messages"][1]["content"].get<std::string>().find("Guide > Section") != std::string::npos);
    for (const auto& [key, stored] : context.memory_store.entries) CHECK(stored.body.find(kKey) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "openai teacher: a rerun replays the stored response without paying") {
    int calls = 0;
    ScriptedHttp http([&](const HttpRequest&) {
        ++calls;
        return reply_with(200, completion_body(kPairs));
    });
    context.http_override = &http;
    auto first_run = make_teacher(context);
    first_run->start();
    auto paid = std::make_shared<RecordingCompletion>();
    first_run->submit(chunk_record("chunk_000001", "Text."), paid);

    testing::TestContext second_context;
    second_context.http_override = &http;
    second_context.store_override = &context.memory_store;
    auto second_run = make_teacher(second_context);
    second_run->start();
    auto replayed = std::make_shared<RecordingCompletion>();
    second_run->submit(chunk_record("chunk_000001", "Text."), replayed);

    CHECK(calls == 1);
    CHECK(second_context.stage_metrics.get("cached") == 1);
    CHECK(second_context.stage_metrics.get("paid") == 0);
    CHECK(second_context.ledger.spent_usd() == 0);
    REQUIRE(replayed->records.size() == paid->records.size());
    for (std::size_t i = 0; i < paid->records.size(); ++i) {
        CHECK(replayed->records[i].id == paid->records[i].id);
        CHECK(replayed->records[i].data["question"] == paid->records[i].data["question"]);
        CHECK(replayed->records[i].data["cost_usd"] == 0.0);
    }
}

TEST_CASE_METHOD(Fixture, "openai teacher: the response is stored before any pair is emitted") {
    auto completion = std::make_shared<RecordingCompletion>();
    OrderedStore store(completion->events);
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, completion_body(kPairs)); });
    context.http_override = &http;
    context.store_override = &store;
    auto teacher = make_teacher(context);
    teacher->start();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    REQUIRE(completion->events.size() == 4);
    CHECK(completion->events.front() == "put");
    CHECK(completion->events.back() == "done");
}

TEST_CASE_METHOD(Fixture, "openai teacher: a refused reservation sends nothing and says the budget is spent once") {
    testing::SimpleLedger tiny(0.0001);
    int calls = 0;
    ScriptedHttp http([&](const HttpRequest&) {
        ++calls;
        return reply_with(200, completion_body(kPairs));
    });
    context.http_override = &http;
    context.ledger_override = &tiny;
    auto teacher = make_teacher(context);
    teacher->start();
    auto a = std::make_shared<RecordingCompletion>();
    auto b = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), a);
    teacher->submit(chunk_record("chunk_000002", "Text."), b);
    CHECK(calls == 0);
    CHECK(a->reject_reason == "budget_exhausted");
    CHECK(b->reject_reason == "budget_exhausted");
    CHECK(a->reject_cause.find("budget_usd") != std::string::npos);
    int budget_lines = 0;
    for (const auto& [level, text] : context.log.lines)
        if (text.find("budget is spent") != std::string::npos) ++budget_lines;
    CHECK(budget_lines == 1);
    CHECK(tiny.spent_usd() == 0);
}

TEST_CASE_METHOD(Fixture, "openai teacher: the worst case reserved covers the real cost") {
    // The largest reply max_tokens allows, and a prompt of one token per byte, still fit.
    double reserved_seen = 0;
    struct WatchingLedger final : public BudgetLedger {
        explicit WatchingLedger(double& seen) : seen_(seen) {}
        std::optional<BudgetReservation> reserve(double usd) override {
            seen_ = usd;
            return BudgetReservation{1, usd};
        }
        void settle(const BudgetReservation&, double actual) override { spent_ += actual; }
        void release(const BudgetReservation&) override {}
        double spent_usd() const override { return spent_; }
        double limit_usd() const override { return 1.0; }
        bool exhausted() const override { return false; }
        double& seen_;
        double spent_ = 0;
    } ledger(reserved_seen);
    std::size_t body_bytes = 0;
    ScriptedHttp http([&](const HttpRequest& request) {
        body_bytes = request.body.size();
        return reply_with(200, completion_body(kPairs, "", static_cast<int>(request.body.size()), 256));
    });
    context.http_override = &http;
    context.ledger_override = &ledger;
    auto teacher = make_teacher(context, Json{{"max_tokens", 256}});
    teacher->start();
    teacher->submit(chunk_record("chunk_000001", std::string(3000, 'x')), std::make_shared<RecordingCompletion>());
    CHECK(body_bytes > 3000);
    CHECK(ledger.spent_ > 0);
    CHECK(ledger.spent_ <= reserved_seen);
}

TEST_CASE_METHOD(Fixture, "openai teacher: 401 stops the run with one message naming provider and variable") {
    int calls = 0;
    ScriptedHttp http([&](const HttpRequest&) {
        ++calls;
        return reply_with(401, R"({"error": {"message": "Authentication Fails, Your api key is invalid"}})");
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto first = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), first);
    CHECK(first->events == std::vector<std::string>{"fatal"});
    CHECK_THAT(first->fatal_cause, Catch::StartsWith("DeepSeek rejected the API key in $FD_TEST_OPENAI_KEY (HTTP 401)"));
    CHECK(first->fatal_cause.find(kKey) == std::string::npos);
    // Later chunks fail the same way without another request.
    auto second = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000002", "Text."), second);
    CHECK(second->fatal_cause == first->fatal_cause);
    CHECK(calls == 1);
    CHECK(context.ledger.spent_usd() == 0);
}

TEST_CASE_METHOD(Fixture, "openai teacher: a server error is rejected with the raw text") {
    ScriptedHttp http([](const HttpRequest&) {
        auto response = reply_with(503, R"({"error": {"message": "Server busy"}})");
        response.attempts = 6;
        return response;
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(completion->events == std::vector<std::string>{"reject"});
    CHECK(completion->reject_reason == "server_error");
    CHECK_THAT(completion->reject_cause, Catch::Contains("HTTP 503 after 6 attempts: Server busy"));
    CHECK(completion->reject_detail["raw_text"].get<std::string>().find("Server busy") != std::string::npos);
    CHECK(context.memory_store.entries.empty());
    CHECK(context.ledger.spent_usd() == 0);
}

TEST_CASE_METHOD(Fixture, "openai teacher: a reply without pairs gets one repair prompt") {
    ScriptedHttp http([](const HttpRequest& request) {
        const Json body = Json::parse(request.body);
        const bool repair = body["messages"].size() == 4;
        return reply_with(200, completion_body(repair ? kPairs : "Sorry, here are some thoughts but no JSON."));
    });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    REQUIRE(http.requests.size() == 2);
    const Json repair = Json::parse(http.requests[1].body);
    CHECK(repair["messages"][2]["role"] == "assistant");
    CHECK(repair["messages"][2]["content"] == "Sorry, here are some thoughts but no JSON.");
    CHECK_THAT(repair["messages"][3]["content"].get<std::string>(), Catch::Contains("Write 5 question-and-answer pairs"));
    CHECK(completion->records.size() == 2);
    CHECK(completion->events.back() == "done");
    CHECK(context.stage_metrics.get("paid") == 2);
    // Both requests' cost is carried by the pairs that came out of them.
    const double per_request = (1000 * 0.28 + 500 * 0.42) / 1e6;
    CHECK(completion->records[0].data["cost_usd"].get<double>() == Approx(per_request));
}

TEST_CASE_METHOD(Fixture, "openai teacher: still no pair after the repair: rejected with the raw text") {
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, completion_body(R"({"pairs": [{"question": "only"}]})")); });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(http.requests.size() == 2);
    CHECK(completion->events == std::vector<std::string>{"reject"});
    CHECK(completion->reject_reason == "no_valid_pairs");
    CHECK_THAT(completion->reject_cause, Catch::Contains("lacked a question or an answer"));
    CHECK(completion->reject_detail["raw_text"] == R"({"pairs": [{"question": "only"}]})");
    CHECK(completion->reject_detail["first_raw_text"] == R"({"pairs": [{"question": "only"}]})");
    // Both replies were paid for, so both are kept: a rerun repeats none of them.
    CHECK(context.memory_store.entries.size() == 2);
}

TEST_CASE_METHOD(Fixture, "openai teacher: a truncated body is rejected and its worst case counted") {
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, R"({"choices": [{"message": {"content": "[{\"quest)"); });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", "Text."), completion);
    CHECK(completion->reject_reason == "malformed_response");
    CHECK(completion->reject_detail["raw_text"].get<std::string>().find("quest") != std::string::npos);
    CHECK(context.ledger.spent_usd() > 0);
    CHECK(context.memory_store.entries.empty());
}

TEST_CASE_METHOD(Fixture, "openai teacher: an empty chunk asks nothing") {
    ScriptedHttp http([](const HttpRequest&) { return reply_with(200, completion_body(kPairs)); });
    context.http_override = &http;
    auto teacher = make_teacher(context);
    teacher->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000001", " \n\t"), completion);
    CHECK(completion->events == std::vector<std::string>{"done"});
    CHECK(http.requests.empty());
    CHECK(context.stage_metrics.get("empty_inputs") == 1);
}

TEST_CASE("openai teacher: an unset key variable stops the run at start with what to do") {
    testing::TestContext context;
    ::unsetenv("FD_TEST_UNSET_KEY");
    ConfigSpec spec;
    teacher_kit::add_generation_fields(spec, {"https://api.deepseek.com", "deepseek-reasoner", "FD_TEST_UNSET_KEY", ""});
    auto settings = teacher_kit::read_generation_settings(config_with_defaults(spec, Json::object()), "");
    TeacherStage teacher("openai_chat", settings, std::make_unique<openai_chat::OpenAiWire>("deepseek"), context);
    try {
        teacher.start();
        FAIL("start() accepted a missing key");
    } catch (const FatalError& e) {
        const std::string message = e.what();
        CHECK(message.find("FD_TEST_UNSET_KEY is not set") != std::string::npos);
        CHECK(message.find("export FD_TEST_UNSET_KEY=") != std::string::npos);
        CHECK(message.find("pipelines/quickstart.yaml") != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE_METHOD(Fixture, "openai teacher: an unpriced model under a budget is refused at start") {
    testing::SimpleLedger limited(5.0);
    context.ledger_override = &limited;
    auto teacher = make_teacher(context, Json{{"model", "mystery-model"}});
    CHECK_THROWS_WITH(teacher->start(), Catch::Contains("price:"));

    testing::TestContext unlimited;
    auto free_teacher = make_teacher(unlimited, Json{{"model", "mystery-model"}});
    CHECK_NOTHROW(free_teacher->start());
    CHECK(unlimited.log.contains("no price is known"));
}
