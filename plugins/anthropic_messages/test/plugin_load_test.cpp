// The built fd_anthropic_messages.so, loaded through the engine's registry like `flowdistill run` does.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <plugins/plugin_registry.hpp>
#include <stage_harness.hpp>
#include <teacher_test_support.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_test;

TEST_CASE("anthropic_messages.so: descriptor, spec and a working stage") {
    engine::PluginRegistry registry;
    REQUIRE(registry.load_file(FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins/fd_anthropic_messages.so"));
    const auto* plugin = registry.find("anthropic_messages");
    REQUIRE(plugin);
    CHECK(plugin->kind() == PluginKind::Teacher);
    const ConfigSpec& spec = plugin->spec;
    CHECK(spec.find("model")->default_value == "claude-sonnet-4-5");
    CHECK(spec.find("api_key_env")->default_value == "ANTHROPIC_API_KEY");
    CHECK(spec.find("anthropic_version")->default_value == "2023-06-01");
    for (const auto& field : spec.fields) {
        INFO(field.name);
        CHECK_FALSE(field.doc.empty());
    }

    ::setenv("FD_TEST_PLUGIN_KEY", "sk-ant-plugin-test", 1);
    testing::TestContext context;
    ScriptedHttp http([](const HttpRequest&) {
        return reply_with(200, R"({"type": "message", "content": [{"type": "text", "text": "[{\"question\": \"Q\", \"answer\": \"A\"}]"}],
                                   "usage": {"input_tokens": 10, "output_tokens": 5}})");
    });
    context.http_override = &http;
    auto stage = plugin->descriptor->create(config_with_defaults(spec, Json{{"api_key_env", "FD_TEST_PLUGIN_KEY"}}),
                                            context);
    REQUIRE(stage);
    AsyncTransform* teacher = stage->as_async_transform();
    REQUIRE(teacher);
    stage->start();
    auto completion = std::make_shared<RecordingCompletion>();
    teacher->submit(chunk_record("chunk_000000", "Some text."), completion);
    CHECK(completion->events == std::vector<std::string>{"emit chunk_000000_q01", "done"});
    REQUIRE(http.requests.size() == 1);
    bool version_sent = false;
    for (const auto& [name, value] : http.requests[0].headers)
        if (name == "anthropic-version") version_sent = value == "2023-06-01";
    CHECK(version_sent);
    CHECK(completion->records[0].data["teacher"] == "anthropic/claude-sonnet-4-5");
}
