// anthropic_messages' stage against the fake provider over real loopback HTTP, through the
// engine's CurlHttpClient.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <fake_provider_process.hpp>
#include <http/curl_http_client.hpp>
#include <stage_harness.hpp>
#include <teacher_kit/teacher_stage.hpp>
#include <teacher_test_support.hpp>

#include "anthropic_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_test;
using flowdistill::teacher_kit::TeacherStage;

namespace {

constexpr const char* kKeyEnv = "FD_LOOPBACK_ANTHROPIC_KEY";
constexpr const char* kKey = "sk-ant-loopback-secret-42";

engine::CurlHttpClientOptions fast_retries() {
    engine::CurlHttpClientOptions options;
    options.retry.backoff_base_s = 0.01;
    options.retry.backoff_cap_s = 0.05;
    options.jitter_seed = 11;
    return options;
}

std::unique_ptr<TeacherStage> make_teacher(testing::TestContext& context, const testing::FakeProviderProcess& fake) {
    ConfigSpec spec;
    teacher_kit::add_generation_fields(spec, {"https://api.anthropic.com", "claude-sonnet-4-5", kKeyEnv, ""});
    auto settings = teacher_kit::read_generation_settings(
        config_with_defaults(spec, Json{{"base_url", fake.base_url()}, {"max_tokens", 2048}}), "anthropic");
    auto teacher = std::make_unique<TeacherStage>("anthropic_messages", std::move(settings),
                                                  std::make_unique<anthropic_messages::AnthropicWire>("2023-06-01"),
                                                  context);
    teacher->start();
    return teacher;
}

std::vector<std::shared_ptr<RecordingCompletion>> run_chunks(TeacherStage& teacher, int count, int first = 0) {
    auto latch = std::make_shared<CompletionLatch>(count);
    std::vector<std::shared_ptr<RecordingCompletion>> completions;
    for (int i = first; i < first + count; ++i) {
        completions.push_back(std::make_shared<RecordingCompletion>(latch));
        teacher.submit(chunk_record("chunk_00000" + std::to_string(i),
                                    "Clause " + std::to_string(i) +
                                        ": the tenant must give written notice sixty days before the term ends, "
                                        "unless the landlord has waived notice in writing."),
                       completions.back());
    }
    REQUIRE(latch->wait());
    return completions;
}

struct Fixture {
    Fixture() { ::setenv(kKeyEnv, kKey, 1); }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "anthropic loopback: x-api-key and anthropic-version reach the server, pairs come back") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {"--reply-mode", "fenced"}});
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    const auto completions = run_chunks(*teacher, 3);
    for (const auto& completion : completions) {
        REQUIRE(completion->events.back() == "done");
        CHECK(completion->records.size() == 5);
        CHECK(completion->records[0].data["teacher"] == "anthropic/claude-sonnet-4-5");
    }
    const auto log = fake.log_entries();
    REQUIRE(log.size() == 3);
    for (const auto& entry : log) {
        CHECK(entry["path"] == "/v1/messages");
        CHECK(entry["auth_valid"] == true);  // the fake answers 400 without anthropic-version
        CHECK(entry["success"] == true);
    }
    double stored_cost = 0;
    for (const auto& [key, stored] : context.memory_store.entries) {
        stored_cost += stored.cost_usd;
        CHECK(stored.body.find(kKey) == std::string::npos);
    }
    CHECK(context.ledger.spent_usd() == Approx(stored_cost));
    for (const auto& [level, line] : context.log.lines) CHECK(line.find(kKey) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "anthropic loopback: prompt-cache reads are billed at the cached price") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {"--prompt-cache"}});
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    run_chunks(*teacher, 1, 0);
    run_chunks(*teacher, 1, 1);  // another chunk, the same system prompt: the fake reports a cache read
    int cached_replies = 0;
    const auto price = teacher_kit::shipped_price("claude-sonnet-4-5");
    REQUIRE(price);
    for (const auto& [key, stored] : context.memory_store.entries) {
        const auto read = stored.usage.value("cache_read_input_tokens", 0);
        if (read == 0) continue;
        ++cached_replies;
        const double uncached = (stored.usage.value("input_tokens", 0) + read) * price->input_per_mtok / 1e6 +
                                stored.usage.value("output_tokens", 0) * price->output_per_mtok / 1e6;
        CHECK(stored.cost_usd < uncached);
    }
    CHECK(cached_replies == 1);
}

TEST_CASE_METHOD(Fixture, "anthropic loopback: 529 overloaded is retried, a wrong key is fatal once") {
    SECTION("529 then success") {
        testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
        fake.script(Json::array({{{"status", 529}}, {{"status", 529}}}));
        testing::TestContext context;
        engine::CurlHttpClient http(context.log, fast_retries());
        context.http_override = &http;
        auto teacher = make_teacher(context, fake);
        const auto completions = run_chunks(*teacher, 1);
        CHECK(completions[0]->events.back() == "done");
        CHECK(fake.log_entries().size() == 3);
    }
    SECTION("wrong key") {
        testing::FakeProviderProcess fake({"sk-ant-the-right-one", 0, 0, 1, {}});
        testing::TestContext context;
        engine::CurlHttpClient http(context.log, fast_retries());
        context.http_override = &http;
        auto teacher = make_teacher(context, fake);
        const auto completions = run_chunks(*teacher, 1);
        CHECK(completions[0]->events == std::vector<std::string>{"fatal"});
        CHECK_THAT(completions[0]->fatal_cause,
                   Catch::StartsWith("Anthropic rejected the API key in $FD_LOOPBACK_ANTHROPIC_KEY (HTTP 401)"));
        CHECK(completions[0]->fatal_cause.find(kKey) == std::string::npos);
    }
}
