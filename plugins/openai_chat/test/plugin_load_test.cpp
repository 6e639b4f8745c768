// The built fd_openai_chat.so, loaded through the engine's registry like `flowdistill run` does.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <plugins/plugin_registry.hpp>
#include <stage_harness.hpp>
#include <teacher_test_support.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_test;

TEST_CASE("openai_chat.so: descriptor, spec and a working stage") {
    engine::PluginRegistry registry;
    const std::filesystem::path library = FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins/fd_openai_chat.so";
    REQUIRE(registry.load_file(library));
    const auto* plugin = registry.find("openai_chat");
    REQUIRE(plugin);
    CHECK(plugin->kind() == PluginKind::Teacher);
    const ConfigSpec& spec = plugin->spec;
    CHECK_FALSE(spec.summary.empty());
    CHECK_FALSE(spec.example.empty());
    REQUIRE(spec.find("base_url"));
    CHECK(spec.find("base_url")->default_value == "https://api.deepseek.com");
    CHECK(spec.find("model")->default_value == "deepseek-reasoner");
    CHECK(spec.find("api_key_env")->default_value == "DEEPSEEK_API_KEY");
    CHECK(spec.find("api_key_env")->secret);
    for (const auto& field : spec.fields) {
        INFO(field.name);
        CHECK_FALSE(field.doc.empty());
    }

    ::setenv("FD_TEST_PLUGIN_KEY", "sk-plugin-test", 1);
    testing::TestContext context;
    ScriptedHttp http([](const HttpRequest&) {
        return reply_with(200, R"({"choices": [{"message": {"content": "[{\"question\": \"Q\", \"answer\": \"A\"}]"}}],
                                   "usage": {"prompt_tokens": 10, "completion_tokens": 5}})");
    });
    context.http_override = &http;
    auto stage = plugin->descriptor->create(
        config_with_defaults(spec, Json{{"api_key_env", "FD_TEST_PLUGIN_KEY"}, {"domain", "technical"}}), context);
    REQUIRE(stage);
    AsyncTransform* teacher = stage->as_async_transform();
    REQUIRE(teacher);
    stage->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000000", "Restart the daemon after editing the config."), completion);
    CHECK(completion->events == std::vector<std::string>{"emit chunk_000000_q01", "done"});
    REQUIRE(http.requests.size() == 1);
    CHECK(Json::parse(http.requests[0].body)["messages"][0]["content"].get<std::string>().find("engineer") !=
          std::string::npos);
}

TEST_CASE("openai_chat.so: a bad domain or prompt fails at creation with the stage named") {
    engine::PluginRegistry registry;
    REQUIRE(registry.load_file(FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins/fd_openai_chat.so"));
    const auto* plugin = registry.find("openai_chat");
    REQUIRE(plugin);
    testing::TestContext context({}, {}, "generate");
    CHECK_THROWS_WITH(plugin->descriptor->create(config_with_defaults(plugin->spec, Json{{"prompt", "no chunk"}}), context),
                      Catch::Contains("prompt has no {chunk}"));
}
