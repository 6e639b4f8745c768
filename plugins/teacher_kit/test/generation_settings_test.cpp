#include <catch2/catch.hpp>

#include <teacher_kit/generation_settings.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_kit;

namespace {
// What lint hands a factory: the spec's defaults filled in, then the YAML's values.
ParsedConfig with_defaults(const Json& values) {
    ConfigSpec spec;
    add_generation_fields(spec, {"https://api.deepseek.com", "deepseek-reasoner", "DEEPSEEK_API_KEY", ""});
    Json all = Json::object();
    for (const auto& field : spec.fields)
        if (!field.default_value.is_null()) all[field.name] = field.default_value;
    all.update(values);
    return ParsedConfig(all);
}
}  // namespace

TEST_CASE("the spec documents every generation key") {
    ConfigSpec spec;
    add_generation_fields(spec, {"https://x", "m", "K", ""});
    for (const char* key : {"base_url", "model", "api_key_env", "temperature", "max_tokens", "extra_body",
                            "questions_per_chunk", "domain", "prompt", "system_prompt", "timeout_s", "max_attempts",
                            "requests_per_minute", "tokens_per_minute", "max_concurrency", "price"}) {
        INFO(key);
        const auto* field = spec.find(key);
        REQUIRE(field);
        CHECK_FALSE(field->doc.empty());
    }
    CHECK(spec.find("api_key_env")->secret);
    CHECK(spec.find("questions_per_chunk")->default_value == 5);
    CHECK(spec.find("timeout_s")->unit == "seconds");
}

TEST_CASE("defaults give a DeepSeek-R1 teacher") {
    const auto s = read_generation_settings(with_defaults(Json::object()), "");
    CHECK(s.base_url == "https://api.deepseek.com");
    CHECK(s.model == "deepseek-reasoner");
    CHECK(s.provider == "deepseek");
    CHECK(s.questions_per_chunk == 5);
    CHECK(s.domain == "general");
    CHECK(s.price_known);
    CHECK(s.price.output_per_mtok > 0);
    CHECK(s.limits.max_concurrency == 64);
}

TEST_CASE("custom prompts, limits and prices are read") {
    const auto s = read_generation_settings(
        with_defaults(Json{{"base_url", "http://127.0.0.1:8080/v1/"},
                           {"model", "my-local-model"},
                           {"prompt", "Ask {n} things about {chunk}"},
                           {"system_prompt", "Be brief."},
                           {"requests_per_minute", 120},
                           {"max_concurrency", 8},
                           {"price", {{"input_per_mtok", 0}, {"output_per_mtok", 0}}}}),
        "");
    CHECK(s.base_url == "http://127.0.0.1:8080/v1");
    CHECK(s.provider == "local");
    CHECK(s.prompt.user == "Ask {n} things about {chunk}");
    CHECK(s.prompt.system == "Be brief.");
    CHECK(s.limits.requests_per_minute == 120);
    CHECK(s.limits.max_concurrency == 8);
    CHECK(s.price_known);
}

TEST_CASE("an unpriced model is flagged") {
    const auto s = read_generation_settings(with_defaults(Json{{"model", "mystery"}}), "");
    CHECK_FALSE(s.price_known);
}

TEST_CASE("a prompt without {chunk} is refused with the reason") {
    CHECK_THROWS_WITH(read_generation_settings(with_defaults(Json{{"prompt", "Ask {n} questions"}}), ""),
                      Catch::Contains("{chunk}"));
    CHECK_THROWS_WITH(read_generation_settings(with_defaults(Json{{"base_url", "api.deepseek.com"}}), ""),
                      Catch::Contains("http://"));
}

TEST_CASE("provider names come from the base URL's host") {
    CHECK(provider_from_base_url("https://api.deepseek.com") == "deepseek");
    CHECK(provider_from_base_url("https://openrouter.ai/api/v1") == "openrouter");
    CHECK(provider_from_base_url("https://api.together.xyz/v1") == "together");
    CHECK(provider_from_base_url("http://localhost:11434/v1") == "local");
    CHECK(provider_from_base_url("http://127.0.0.1:9000") == "local");
}
