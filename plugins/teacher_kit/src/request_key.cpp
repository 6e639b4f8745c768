#include <teacher_kit/request_key.hpp>

#include <cstdio>

#include <xxhash.h>

namespace flowdistill::teacher_kit {

std::string canonical_json(const Json& value) {
    // nlohmann::json keeps object members in a std::map, so dump() is already key-sorted; replace
    // invalid UTF-8 rather than throw, so a broken chunk still gets a stable key.
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                        const Json& body) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    const Json keyed{{"provider", provider}, {"base_url", base_url}, {"model", model}, {"body", body}};
    const std::string text = canonical_json(keyed);
    const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                  static_cast<unsigned long long>(hash.low64));
    return hex;
}

}  // namespace flowdistill::teacher_kit
