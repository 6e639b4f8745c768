#include "jsonl_lines.hpp"

#include <flowdistill/errors.hpp>

namespace flowdistill::jsonl {
namespace {

std::string dump_line(const nlohmann::ordered_json& line) {
    return line.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string string_field(const Record& record, const char* key) {
    const auto it = record.data.find(key);
    return it != record.data.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

std::string golden_line(const Record& pair) {
    for (const char* required : {"question", "answer"}) {
        const auto it = pair.data.find(required);
        if (it == pair.data.end() || !it->is_string())
            throw ItemError("record '" + pair.id + "' has no string field '" + required +
                                "'; the golden format takes Q&A pair records from a teacher (see "
                                "docs/record-contracts.md), or use format: records to write any record",
                            "not_a_pair");
    }
    std::string source = string_field(pair, "source_chunk");
    if (source.empty()) source = pair.provenance.parent;

    nlohmann::ordered_json line;
    line["instruction"] = string_field(pair, "question");
    line["input"] = "";
    line["output"] = string_field(pair, "answer");
    line["reasoning"] = string_field(pair, "reasoning");
    line["difficulty"] = string_field(pair, "difficulty");
    line["source"] = source;
    return dump_line(line);
}

std::string record_line(const Record& record) {
    nlohmann::ordered_json line;
    line["id"] = record.id;
    if (record.data.is_object()) {
        for (const auto& [key, value] : record.data.items())
            if (key != "id") line[key] = value;
    } else {
        line["data"] = record.data;
    }
    return dump_line(line);
}

}  // namespace flowdistill::jsonl
