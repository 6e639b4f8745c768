// openai_chat: descriptor, spec and factory.
#include <flowdistill/plugin.hpp>

#include <teacher_kit/generation_settings.hpp>
#include <teacher_kit/teacher_stage.hpp>

#include "openai_wire.hpp"

namespace {

using namespace flowdistill;

constexpr const char* kName = "openai_chat";

ConfigSpec openai_chat_spec() {
    ConfigSpec spec;
    spec.summary = "Asks an OpenAI-compatible /chat/completions endpoint for question-answer pairs per chunk.";
    spec.description =
        "Works with DeepSeek, OpenAI, Together, OpenRouter, vLLM, Ollama and llama.cpp's server: set `base_url` "
        "(including any `/v1`) and `model`. Every paid response is stored before its pairs move on, so a rerun "
        "replays it free. DeepSeek-R1's `reasoning_content` becomes a pair's `reasoning` when the reply's JSON has "
        "none. A reply with no usable pair is retried once with a short repair prompt, then written to "
        "rejects.jsonl with its raw text. See docs/providers.md.";
    spec.stability = Stability::Beta;
    teacher_kit::add_generation_fields(
        spec, {"https://api.deepseek.com", "deepseek-reasoner", "DEEPSEEK_API_KEY",
               "Default: taken from base_url's host (api.deepseek.com -> deepseek; localhost or an IP -> local)."});
    spec.example =
        "base_url: ${DEEPSEEK_BASE_URL:-https://api.deepseek.com}\n"
        "model: deepseek-reasoner\n"
        "api_key_env: DEEPSEEK_API_KEY\n"
        "domain: medical\n"
        "questions_per_chunk: 5\n"
        "max_tokens: 8192\n";
    return spec;
}

std::unique_ptr<Stage> create_openai_chat(const ParsedConfig& config, PluginContext& context) {
    teacher_kit::GenerationSettings settings;
    try {
        settings = teacher_kit::read_generation_settings(config, "");
    } catch (const std::invalid_argument& e) {
        throw FatalError(e.what());  // the engine names the stage and plugin
    }
    auto wire = std::make_unique<openai_chat::OpenAiWire>(settings.provider);
    return std::make_unique<teacher_kit::TeacherStage>(kName, std::move(settings), std::move(wire), context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN(kName, flowdistill::PluginKind::Teacher, kVersion, openai_chat_spec, create_openai_chat)
