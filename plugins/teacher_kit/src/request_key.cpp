#include <teacher_kit/request_key.hpp>

#include <cstdint>
#include <cstdio>
#include <new>

#include <xxhash.h>

namespace flowdistill::teacher_kit {

std::string canonical_json(const Json& value) {
    // nlohmann::json keeps object members in a std::map, so dump() is already key-sorted; replace
    // invalid UTF-8 rather than throw, so a broken chunk still gets a stable key.
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                        const Json& body) {
    return request_key_for_text(provider, base_url, model, canonical_json(body));
}

std::string request_key_for_text(std::string_view provider, std::string_view base_url, std::string_view model,
                                 std::string_view canonical_body) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    // Each field is length-prefixed, so no two different tuples hash the same bytes.
    XXH3_state_t* state = XXH3_createState();
    if (state == nullptr) throw std::bad_alloc();
    XXH3_128bits_reset(state);
    for (const std::string_view part : {provider, base_url, model, canonical_body}) {
        const std::uint64_t size = part.size();
        XXH3_128bits_update(state, &size, sizeof size);
        XXH3_128bits_update(state, part.data(), part.size());
    }
    const XXH128_hash_t hash = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                  static_cast<unsigned long long>(hash.low64));
    return hex;
}

}  // namespace flowdistill::teacher_kit
