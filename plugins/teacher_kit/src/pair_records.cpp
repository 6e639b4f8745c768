#include <teacher_kit/pair_records.hpp>

#include <cstdio>

namespace flowdistill::teacher_kit {

std::string pair_id(const std::string& chunk_id, std::size_t index) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_q%02zu", index + 1);
    return chunk_id + suffix;
}

std::vector<Record> make_pair_records(const Record& chunk, const std::vector<QaPair>& pairs,
                                      const std::string& teacher, double request_cost_usd,
                                      const std::string& reasoning_fallback) {
    std::vector<Record> records;
    records.reserve(pairs.size());
    const double share = pairs.empty() ? 0.0 : request_cost_usd / static_cast<double>(pairs.size());
    const Json heading_path = chunk.data.value("heading_path", Json::array());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& pair = pairs[i];
        Record record;
        record.id = pair_id(chunk.id, i);
        record.provenance.source = chunk.provenance.source.empty() ? chunk.data.value("source", std::string{})
                                                                   : chunk.provenance.source;
        record.provenance.parent = chunk.id;
        record.data = Json{
            {"question", pair.question},
            {"answer", pair.answer},
            {"reasoning", pair.reasoning.empty() ? reasoning_fallback : pair.reasoning},
            {"difficulty", pair.difficulty},
            {"source_chunk", chunk.id},
            {"heading_path", heading_path},
            {"teacher", teacher},
            {"cost_usd", share},
        };
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace flowdistill::teacher_kit
