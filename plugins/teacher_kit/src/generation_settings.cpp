#include <teacher_kit/generation_settings.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace flowdistill::teacher_kit {

void add_generation_fields(ConfigSpec& spec, const TeacherDefaults& defaults) {
    std::string domains;
    for (const auto& d : known_domains()) domains += (domains.empty() ? "" : ", ") + d;
    spec.field(string_field(keys::base_url)
                   .describe("The API's base URL; point it at any compatible endpoint (a local server, a proxy, "
                             "the test fake).")
                   .defaults_to(defaults.base_url))
        .field(string_field(keys::model).describe("The model to ask.").defaults_to(defaults.model))
        .field(string_field(keys::api_key_env)
                   .describe("The NAME of the environment variable holding the API key (never the key itself). "
                             "Empty for endpoints that need no key, such as a local Ollama or vLLM server.")
                   .defaults_to(defaults.api_key_env)
                   .is_secret())
        .field(string_field(keys::provider)
                   .describe("Provider name used in each pair's `teacher` (provider/model) and in the response "
                             "store's key. " + defaults.provider_doc))
        .field(number_field(keys::temperature).describe("Sampling temperature.").defaults_to(0.7).range(0, 2))
        .field(integer_field(keys::max_tokens)
                   .describe("Most tokens a reply may have, reasoning included; also the worst case reserved "
                             "against the budget before each request.")
                   .defaults_to(8192)
                   .range(1, 1000000)
                   .in_unit("tokens"))
        .field(object_field(keys::extra_body)
                   .describe("Fields merged into every request body (JSON merge patch: null removes a field), "
                             "e.g. {top_p: 0.9} or provider-specific options."))
        .field(integer_field(keys::questions_per_chunk)
                   .describe("How many question-answer pairs to ask for per chunk.")
                   .defaults_to(5)
                   .range(1, 99)
                   .in_unit("pairs"))
        .field(string_field(keys::domain)
                   .describe("Selects the shipped prompt template (" + domains + ").")
                   .defaults_to("general")
                   .allowed(known_domains()))
        .field(string_field(keys::prompt)
                   .describe("A custom user prompt replacing the domain template's; placeholders {chunk}, "
                             "{heading_path}, {n}, {domain}. Put {chunk} last so prompt caches can hit."))
        .field(string_field(keys::system_prompt)
                   .describe("A custom system prompt replacing the domain template's; same placeholders."))
        .field(number_field(keys::timeout_s)
                   .describe("Total time allowed for one HTTP attempt.")
                   .defaults_to(600)
                   .range(1, 86400)
                   .in_unit("seconds"))
        .field(integer_field(keys::max_attempts)
                   .describe("Attempts per request, for 408/409/429/5xx/529, timeouts and resets.")
                   .defaults_to(6)
                   .range(1, 100))
        .field(number_field(keys::requests_per_minute)
                   .describe("Request rate limit shared by every stage using this base_url; 0 = none.")
                   .defaults_to(0)
                   .range(0, std::nullopt)
                   .in_unit("requests per minute"))
        .field(number_field(keys::tokens_per_minute)
                   .describe("Token rate limit (estimated prompt tokens + max_tokens) shared per base_url; 0 = none.")
                   .defaults_to(0)
                   .range(0, std::nullopt)
                   .in_unit("tokens per minute"))
        .field(integer_field(keys::max_concurrency)
                   .describe("Most requests in flight to this base_url; shrinks on 429 and grows back.")
                   .defaults_to(64)
                   .range(1, 100000)
                   .in_unit("requests"))
        .field(object_field(keys::price)
                   .describe("Price override: {input_per_mtok, output_per_mtok, cached_input_per_mtok, "
                             "cache_write_per_mtok}, any subset, over the shipped table (prices as of " +
                             prices_as_of() + "). Needed for models the table lacks when a budget is set.")
                   .in_unit("USD per million tokens"));
}

std::string provider_from_base_url(const std::string& base_url) {
    std::string host = base_url;
    if (const auto scheme = host.find("://"); scheme != std::string::npos) host = host.substr(scheme + 3);
    host = host.substr(0, host.find_first_of("/:?#"));
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool numeric = !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isdigit(c) || c == '.';
    });
    if (host.empty() || numeric || host == "localhost" || host.front() == '[') return "local";
    // The label before the top-level domain: api.deepseek.com -> deepseek.
    const auto last_dot = host.rfind('.');
    if (last_dot == std::string::npos) return host;
    const auto prev_dot = host.rfind('.', last_dot - 1);
    return host.substr(prev_dot == std::string::npos ? 0 : prev_dot + 1,
                       last_dot - (prev_dot == std::string::npos ? 0 : prev_dot + 1));
}

GenerationSettings read_generation_settings(const ParsedConfig& config, const std::string& fixed_provider) {
    GenerationSettings s;
    s.base_url = config.get_string(keys::base_url);
    while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
    if (s.base_url.rfind("http://", 0) != 0 && s.base_url.rfind("https://", 0) != 0)
        throw std::invalid_argument("base_url '" + s.base_url + "' must start with http:// or https://");
    s.model = config.get_string(keys::model);
    if (s.model.empty()) throw std::invalid_argument("model is empty: name the model to ask, e.g. model: deepseek-chat");
    s.api_key_env = config.get_string(keys::api_key_env);
    s.provider = config.has(keys::provider) ? config.get_string(keys::provider)
                 : fixed_provider.empty()   ? provider_from_base_url(s.base_url)
                                            : fixed_provider;
    if (config.has(keys::temperature)) s.temperature = config.get_number(keys::temperature);
    if (config.has(keys::max_tokens)) s.max_tokens = static_cast<int>(config.get_int(keys::max_tokens));
    s.extra_body = config.get_json(keys::extra_body);
    if (!s.extra_body.is_null() && !s.extra_body.is_object())
        throw std::invalid_argument("extra_body must be a mapping of fields to merge into the request body");
    if (config.has(keys::questions_per_chunk))
        s.questions_per_chunk = static_cast<int>(config.get_int(keys::questions_per_chunk));
    if (config.has(keys::domain)) s.domain = config.get_string(keys::domain);
    s.prompt = domain_template(s.domain);
    if (config.has(keys::prompt)) s.prompt.user = config.get_string(keys::prompt);
    if (config.has(keys::system_prompt)) s.prompt.system = config.get_string(keys::system_prompt);
    if (s.prompt.user.find("{chunk}") == std::string::npos)
        throw std::invalid_argument("prompt has no {chunk} placeholder: the chunk's text would never reach the model");
    if (config.has(keys::timeout_s)) s.timeout_s = config.get_number(keys::timeout_s);
    if (config.has(keys::max_attempts)) s.max_attempts = static_cast<int>(config.get_int(keys::max_attempts));
    if (config.has(keys::requests_per_minute)) s.limits.requests_per_minute = config.get_number(keys::requests_per_minute);
    if (config.has(keys::tokens_per_minute)) s.limits.tokens_per_minute = config.get_number(keys::tokens_per_minute);
    if (config.has(keys::max_concurrency)) s.limits.max_concurrency = static_cast<int>(config.get_int(keys::max_concurrency));
    const auto shipped = shipped_price(s.model);
    const Json& override_json = config.get_json(keys::price);
    if (!override_json.is_null() && !override_json.is_object())
        throw std::invalid_argument("price must be a mapping: {input_per_mtok: 0.28, output_per_mtok: 0.42}");
    s.price_known = shipped.has_value() || override_json.is_object();
    s.price = price_with_override(shipped, override_json);
    return s;
}

}  // namespace flowdistill::teacher_kit
