// openai_chat's stage against the fake provider over real loopback HTTP, through the engine's
// CurlHttpClient: the wire format as a server reads it, retries, billing and the budget.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <random>

#include <fake_provider_process.hpp>
#include <http/curl_http_client.hpp>
#include <stage_harness.hpp>
#include <teacher_kit/teacher_stage.hpp>
#include <teacher_test_support.hpp>

#include "openai_wire.hpp"

using namespace flowdistill;
using namespace flowdistill::teacher_test;
using flowdistill::teacher_kit::TeacherStage;

namespace {

constexpr const char* kKeyEnv = "FD_LOOPBACK_OPENAI_KEY";
constexpr const char* kKey = "sk-loopback-secret-0123456789";

engine::CurlHttpClientOptions fast_retries() {
    engine::CurlHttpClientOptions options;
    options.retry.backoff_base_s = 0.01;
    options.retry.backoff_cap_s = 0.05;
    options.jitter_seed = 7;
    return options;
}

std::unique_ptr<TeacherStage> make_teacher(testing::TestContext& context, const testing::FakeProviderProcess& fake,
                                           Json values = Json::object()) {
    ConfigSpec spec;
    teacher_kit::add_generation_fields(spec, {"https://api.deepseek.com", "deepseek-reasoner", kKeyEnv, ""});
    values["base_url"] = fake.base_url() + "/v1";
    if (!values.contains("model")) values["model"] = "deepseek-chat";
    auto settings = teacher_kit::read_generation_settings(config_with_defaults(spec, values), "");
    auto wire = std::make_unique<openai_chat::OpenAiWire>(settings.provider);
    auto teacher = std::make_unique<TeacherStage>("openai_chat", std::move(settings), std::move(wire), context);
    teacher->start();
    return teacher;
}

Record passage(int index) {
    return chunk_record("chunk_" + std::to_string(100000 + index).substr(0, 6),
                        "Passage " + std::to_string(index) +
                            ": when the infusion pump alarms, clamp the line, check the filter, and restart at "
                            "half the previous rate before calling the pharmacist about compatibility.");
}

// Submits every chunk and waits until each completion has finished.
std::vector<std::shared_ptr<RecordingCompletion>> run_chunks(TeacherStage& teacher, int count, int first_index = 0) {
    auto latch = std::make_shared<CompletionLatch>(count);
    std::vector<std::shared_ptr<RecordingCompletion>> completions;
    for (int i = 0; i < count; ++i) {
        completions.push_back(std::make_shared<RecordingCompletion>(latch));
        teacher.submit(passage(first_index + i), completions.back());
    }
    REQUIRE(latch->wait());
    return completions;
}

double billed_usd(const testing::FakeProviderProcess& fake, double input_per_mtok, double output_per_mtok) {
    double usd = 0;
    for (const auto& entry : fake.log_entries())
        if (entry.value("success", false))
            usd += (entry.value("prompt_tokens", 0.0) * input_per_mtok + entry.value("completion_tokens", 0.0) * output_per_mtok) / 1e6;
    return usd;
}

// A stage context whose HTTP is a real CurlHttpClient and whose budget is a ledger with `limit_usd`.
struct BudgetedContext {
    explicit BudgetedContext(double limit_usd) : ledger(limit_usd), http(context.log, fast_retries()) {
        context.http_override = &http;
        context.ledger_override = &ledger;
    }
    testing::TestContext context;
    testing::SimpleLedger ledger;
    engine::CurlHttpClient http;
};

struct Fixture {
    Fixture() { ::setenv(kKeyEnv, kKey, 1); }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "openai loopback: every reply shape the fake sends yields pairs") {
    for (const std::string mode : {"json", "fenced", "think", "broken"}) {
        INFO("reply mode " << mode);
        testing::FakeProviderProcess fake({kKey, 0, 0, 1, {"--reply-mode", mode}});
        testing::TestContext context;
        engine::CurlHttpClient http(context.log, fast_retries());
        context.http_override = &http;
        auto teacher = make_teacher(context, fake, Json{{"questions_per_chunk", 4}});
        const auto completions = run_chunks(*teacher, 3);
        for (const auto& completion : completions) {
            REQUIRE(completion->events.back() == "done");
            // "broken" cuts the reply inside its last pair, which has no answer: it is dropped.
            CHECK(completion->records.size() == (mode == "broken" ? 3u : 4u));
            for (const auto& record : completion->records) {
                CHECK_FALSE(record.data["question"].get<std::string>().empty());
                CHECK_FALSE(record.data["answer"].get<std::string>().empty());
                CHECK(record.data["teacher"] == "local/deepseek-chat");
            }
        }
        const auto log = fake.log_entries();
        REQUIRE(log.size() == 3);
        for (const auto& entry : log) {
            CHECK(entry["path"] == "/v1/chat/completions");
            CHECK(entry["auth_valid"] == true);
            CHECK(entry["model"] == "deepseek-chat");
        }
    }
}

TEST_CASE_METHOD(Fixture, "openai loopback: a reasoner model's reply is read and labelled") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake, Json{{"model", "deepseek-reasoner"}});
    const auto completions = run_chunks(*teacher, 1);
    REQUIRE(completions[0]->events.back() == "done");
    CHECK_FALSE(completions[0]->records.at(0).data["reasoning"].get<std::string>().empty());
    CHECK(completions[0]->records.at(0).data["teacher"] == "local/deepseek-reasoner");
}

TEST_CASE_METHOD(Fixture, "openai loopback: empty replies get one repair, then land in rejects with the raw text") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {"--reply-mode", "empty"}});
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    const auto completions = run_chunks(*teacher, 2);
    for (const auto& completion : completions) {
        CHECK(completion->events == std::vector<std::string>{"reject"});
        CHECK(completion->reject_reason == "no_valid_pairs");
        CHECK(completion->reject_detail["raw_text"].get<std::string>().find("\"pairs\"") != std::string::npos);
    }
    CHECK(fake.log_entries().size() == 4);  // each chunk: the request and its repair
    CHECK(context.memory_store.entries.size() == 4);  // paid for, so kept: a rerun pays for none again
}

TEST_CASE_METHOD(Fixture, "openai loopback: a wrong key stops the run with one message and never leaks") {
    testing::FakeProviderProcess fake({"sk-the-right-key", 0, 0, 1, {}});
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    const auto first = run_chunks(*teacher, 1);
    CHECK(first[0]->events == std::vector<std::string>{"fatal"});
    CHECK_THAT(first[0]->fatal_cause, Catch::StartsWith("The local OpenAI-compatible server rejected the API key in $" +
                                                        std::string(kKeyEnv) + " (HTTP 401)"));
    const auto later = run_chunks(*teacher, 3, 1);
    for (const auto& completion : later) CHECK(completion->fatal_cause == first[0]->fatal_cause);
    CHECK(fake.log_entries().size() == 1);  // not one 401 per chunk
    for (const auto& [level, line] : context.log.lines) CHECK(line.find(kKey) == std::string::npos);
    CHECK(context.ledger.spent_usd() == 0);
}

TEST_CASE_METHOD(Fixture, "openai loopback: 500 and 529 are retried by the HTTP engine, then the pairs arrive") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    fake.script(Json::array({{{"status", 500}}, {{"status", 529}, {"retry_after", "0"}}}));
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    const auto completions = run_chunks(*teacher, 1);
    CHECK(completions[0]->events.back() == "done");
    CHECK(completions[0]->records.size() == 5);
    const auto log = fake.log_entries();
    REQUIRE(log.size() == 3);
    CHECK(log[0]["status"] == 500);
    CHECK(log[1]["status"] == 529);
    CHECK(log[2]["success"] == true);
    CHECK(context.stage_metrics.get("paid") == 1);
}

TEST_CASE_METHOD(Fixture, "openai loopback: a truncated body is rejected with its raw text") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    fake.script(Json::array({{{"reply", "truncated"}}}));
    testing::TestContext context;
    engine::CurlHttpClient http(context.log, fast_retries());
    context.http_override = &http;
    auto teacher = make_teacher(context, fake);
    const auto completions = run_chunks(*teacher, 1);
    CHECK(completions[0]->reject_reason == "malformed_response");
    CHECK(completions[0]->reject_detail["raw_text"].get<std::string>().find("chatcmpl") != std::string::npos);
    CHECK(context.memory_store.entries.empty());
}

TEST_CASE_METHOD(Fixture, "openai loopback: a rerun replays every stored response and sends nothing") {
    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    testing::TestContext first_context;
    engine::CurlHttpClient http(first_context.log, fast_retries());
    first_context.http_override = &http;
    auto first = make_teacher(first_context, fake);
    const auto paid = run_chunks(*first, 4);
    REQUIRE(fake.log_entries().size() == 4);

    testing::TestContext second_context;
    second_context.http_override = &http;
    second_context.store_override = &first_context.memory_store;
    auto second = make_teacher(second_context, fake);
    const auto replayed = run_chunks(*second, 4);
    CHECK(fake.log_entries().size() == 4);
    CHECK(second_context.stage_metrics.get("cached") == 4);
    CHECK(second_context.ledger.spent_usd() == 0);
    for (std::size_t i = 0; i < paid.size(); ++i) {
        REQUIRE(replayed[i]->records.size() == paid[i]->records.size());
        for (std::size_t j = 0; j < paid[i]->records.size(); ++j)
            CHECK(replayed[i]->records[j].data["answer"] == paid[i]->records[j].data["answer"]);
    }
    for (const auto& [key, stored] : first_context.memory_store.entries) CHECK(stored.body.find(kKey) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "openai loopback: the budget is never exceeded, checked against the fake's billing") {
    std::mt19937 rng(20261125);
    int trials_that_ran_out = 0;
    for (int trial = 0; trial < 5; ++trial) {
        const double limit = std::uniform_real_distribution<double>(0.001, 0.012)(rng);
        INFO("trial " << trial << ", limit $" << limit);
        testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
        BudgetedContext budgeted(limit);
        auto teacher = make_teacher(budgeted.context, fake, Json{{"max_tokens", 1024}});
        const auto completions = run_chunks(*teacher, 24);
        int done = 0, refused = 0;
        for (const auto& completion : completions) {
            if (completion->events.back() == "done") ++done;
            if (completion->reject_reason == "budget_exhausted") ++refused;
        }
        CHECK(done + refused == 24);
        const double billed = billed_usd(fake, 0.28, 0.42);
        CHECK(billed <= limit);
        CHECK(budgeted.ledger.spent_usd() <= limit);
        CHECK(budgeted.ledger.spent_usd() == Approx(billed).epsilon(1e-9));
        CHECK(done >= 1);
        if (refused > 0) ++trials_that_ran_out;
    }
    CHECK(trials_that_ran_out >= 3);  // the limits are small enough that the budget really binds
}

TEST_CASE_METHOD(Fixture, "openai loopback: a request that does not fit beside those in flight waits for them to settle instead of being refused") {
    // What one request costs at worst (the reservation) and really, from a run without a limit.
    double worst = 0, actual = 0;
    {
        testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
        BudgetedContext unlimited(std::numeric_limits<double>::infinity());
        auto teacher = make_teacher(unlimited.context, fake, Json{{"max_tokens", 1024}});
        worst = teacher->estimate(passage(0))->cost_usd;
        run_chunks(*teacher, 1);
        actual = unlimited.ledger.spent_usd();
    }
    REQUIRE(actual > 0);
    // Room for three worst cases at once, and enough money for every request's real cost.
    const double limit = 3.5 * worst;
    const int requests = std::min(8, static_cast<int>(2.5 * worst / (1.2 * actual)));
    INFO("worst case $" << worst << ", real cost $" << actual << ", limit $" << limit << ", requests " << requests);
    REQUIRE(requests >= 6);

    testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    BudgetedContext budgeted(limit);
    auto teacher = make_teacher(budgeted.context, fake, Json{{"max_tokens", 1024}});
    const auto completions = run_chunks(*teacher, requests);  // all submitted at once

    for (const auto& completion : completions) {
        CHECK(completion->reject_reason.empty());
        CHECK(completion->events.back() == "done");
    }
    CHECK(budgeted.ledger.spent_usd() <= limit);
    CHECK(billed_usd(fake, 0.28, 0.42) <= limit);
    CHECK(fake.log_entries().size() == static_cast<std::size_t>(requests));
}
