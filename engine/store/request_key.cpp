#include "store/request_key.hpp"

#include <cstdio>

#include <xxhash.h>

namespace flowdistill::engine {

std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                        const Json& body_without_secrets) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    // One JSON object, so no field can bleed into the next; nlohmann::json keeps members sorted,
    // so equal requests dump to equal bytes. Invalid UTF-8 is replaced rather than thrown on.
    const Json keyed{{"provider", provider}, {"base_url", base_url}, {"model", model}, {"body", body_without_secrets}};
    const std::string text = keyed.dump(-1, ' ', false, Json::error_handler_t::replace);
    const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                  static_cast<unsigned long long>(hash.low64));
    return hex;
}

}  // namespace flowdistill::engine
