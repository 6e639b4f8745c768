#pragma once
// The configuration both teachers share: declared once for their specs, read once by factories.
#include <optional>
#include <string>

#include <flowdistill/config_spec.hpp>
#include <flowdistill/services.hpp>
#include <teacher_kit/prices.hpp>
#include <teacher_kit/prompts.hpp>

namespace flowdistill::teacher_kit {

// Config key names, shared by both specs and by read_generation_settings.
namespace keys {
inline constexpr const char* base_url = "base_url";
inline constexpr const char* model = "model";
inline constexpr const char* api_key_env = "api_key_env";
inline constexpr const char* provider = "provider";
inline constexpr const char* temperature = "temperature";
inline constexpr const char* max_tokens = "max_tokens";
inline constexpr const char* extra_body = "extra_body";
inline constexpr const char* questions_per_chunk = "questions_per_chunk";
inline constexpr const char* domain = "domain";
inline constexpr const char* prompt = "prompt";
inline constexpr const char* system_prompt = "system_prompt";
inline constexpr const char* timeout_s = "timeout_s";
inline constexpr const char* max_attempts = "max_attempts";
inline constexpr const char* requests_per_minute = "requests_per_minute";
inline constexpr const char* tokens_per_minute = "tokens_per_minute";
inline constexpr const char* max_concurrency = "max_concurrency";
inline constexpr const char* price = "price";
}  // namespace keys

struct TeacherDefaults {
    std::string base_url;
    std::string model;
    std::string api_key_env;
    std::string provider_doc;  // how the provider name is chosen, for the spec
};

// Appends the shared fields to a teacher's spec.
void add_generation_fields(ConfigSpec& spec, const TeacherDefaults& defaults);

struct GenerationSettings {
    std::string base_url;       // without trailing slashes
    std::string model;
    std::string api_key_env;    // the variable's name; empty = the endpoint needs no key
    std::string provider;       // "deepseek", "anthropic", ... first half of a pair's `teacher`
    double temperature = 0.7;
    int max_tokens = 8192;
    Json extra_body;            // null or an object merged (JSON merge patch) into each body
    int questions_per_chunk = 5;
    std::string domain = "general";
    PromptTemplate prompt;      // the domain template with any custom prompt/system_prompt applied
    double timeout_s = 600;
    int max_attempts = 6;
    EndpointLimits limits;
    Price price;
    bool price_known = false;   // false: neither the table nor the YAML priced this model
};

// Throws std::invalid_argument with a message that says what to change.
GenerationSettings read_generation_settings(const ParsedConfig& config, const std::string& fixed_provider);

// "api.deepseek.com" -> "deepseek", "openrouter.ai" -> "openrouter", "127.0.0.1" -> "local".
std::string provider_from_base_url(const std::string& base_url);

}  // namespace flowdistill::teacher_kit
