#pragma once
// The response store's key for one provider request.
#include <string>
#include <string_view>

#include <flowdistill/record.hpp>

namespace flowdistill::engine {

// 32 hex digits naming one request: a hash of (provider, base URL without trailing slashes, model,
// request body). The caller must pass a body with no secret in it: API keys travel in headers,
// which are not part of the key, and a body field holding a key must be removed first, or the
// key would decide the hash (and a rotated key would miss every stored response).
//
// XXH3-128 rather than SHA-256: the key guards against accidents, not an adversary (whoever can
// craft colliding requests can already write the store file), 128 bits make an accidental
// collision among billions of requests negligible, and it matches the key the teacher plugins
// compute, so the engine and a plugin name the same request alike without linking OpenSSL.
std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                        const Json& body_without_secrets);

}  // namespace flowdistill::engine
