// anthropic_messages: descriptor, spec and factory.
#include <flowdistill/plugin.hpp>

#include <teacher_kit/generation_settings.hpp>
#include <teacher_kit/teacher_stage.hpp>

#include "anthropic_wire.hpp"

namespace {

using namespace flowdistill;

constexpr const char* kName = "anthropic_messages";
constexpr const char* kAnthropicVersion = "anthropic_version";

ConfigSpec anthropic_messages_spec() {
    ConfigSpec spec;
    spec.summary = "Asks Anthropic's /v1/messages API for question-answer pairs per chunk.";
    spec.description =
        "Sends `x-api-key` and `anthropic-version`, reads text and thinking content blocks, and prices usage "
        "including prompt-cache reads and writes. 529 overloaded_error is retried by the HTTP engine. Every paid "
        "response is stored before its pairs move on, so a rerun replays it free. A reply with no usable pair is "
        "retried once with a short repair prompt, then written to rejects.jsonl with its raw text. See "
        "docs/providers.md.";
    spec.stability = Stability::Beta;
    teacher_kit::add_generation_fields(spec, {"https://api.anthropic.com", "claude-sonnet-4-5", "ANTHROPIC_API_KEY",
                                              "Default: anthropic."});
    spec.field(string_field(kAnthropicVersion)
                   .describe("The anthropic-version header sent with every request.")
                   .defaults_to("2023-06-01"));
    spec.example =
        "model: claude-sonnet-4-5\n"
        "api_key_env: ANTHROPIC_API_KEY\n"
        "domain: legal\n"
        "questions_per_chunk: 5\n"
        "max_tokens: 4096\n";
    return spec;
}

std::unique_ptr<Stage> create_anthropic_messages(const ParsedConfig& config, PluginContext& context) {
    teacher_kit::GenerationSettings settings;
    try {
        settings = teacher_kit::read_generation_settings(config, "anthropic");
    } catch (const std::invalid_argument& e) {
        throw FatalError(e.what());  // the engine names the stage and plugin
    }
    const std::string version = config.has(kAnthropicVersion) ? config.get_string(kAnthropicVersion) : "2023-06-01";
    auto wire = std::make_unique<anthropic_messages::AnthropicWire>(version);
    return std::make_unique<teacher_kit::TeacherStage>(kName, std::move(settings), std::move(wire), context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN(kName, flowdistill::PluginKind::Teacher, kVersion, anthropic_messages_spec, create_anthropic_messages)
