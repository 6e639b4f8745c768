#pragma once
// The unit that flows along every edge: a JSON object with an id and where it came from.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace flowdistill {

using Json = nlohmann::json;

struct Provenance {
    std::string source;  // the input the record ultimately came from (a file path), if any
    std::string parent;  // id of the record this one was made from; empty for source records
    std::string stage;   // id of the stage that made it; the engine fills it in
};

struct Record {
    std::string id;          // stable across runs of the same input, e.g. "chunk_000042"
    Provenance provenance;
    Json data = Json::object();
};

}  // namespace flowdistill
