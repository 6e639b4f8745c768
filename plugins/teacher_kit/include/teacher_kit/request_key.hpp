#pragma once
// The response store's key for one provider request.
#include <string>
#include <string_view>

#include <flowdistill/record.hpp>

namespace flowdistill::teacher_kit {

// Objects with sorted keys and no whitespace, so equal requests serialise to equal bytes.
std::string canonical_json(const Json& value);

// A 128-bit hash (hex) of (provider, base URL without trailing slashes, model, canonical body).
// The body never holds a secret: keys travel in headers, which are not part of the key.
std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                        const Json& body);

// The same key from a body already serialised with canonical_json (saves a copy and a dump per request).
std::string request_key_for_text(std::string_view provider, std::string_view base_url, std::string_view model,
                                 std::string_view canonical_body);

}  // namespace flowdistill::teacher_kit
