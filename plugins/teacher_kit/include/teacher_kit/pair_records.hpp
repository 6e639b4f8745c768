#pragma once
// Q&A pair records as docs/record-contracts.md defines them.
#include <cstddef>
#include <string>
#include <vector>

#include <flowdistill/record.hpp>
#include <teacher_kit/reply_parser.hpp>

namespace flowdistill::teacher_kit {

// "<chunk id>_q01", "_q02", ...: sorting by id gives the teacher's order.
std::string pair_id(const std::string& chunk_id, std::size_t index);

// One record per pair. `request_cost_usd` (0 when replayed) is shared equally between the pairs;
// `reasoning_fallback` (the provider's reasoning content or <think> text) fills pairs without
// reasoning of their own.
std::vector<Record> make_pair_records(const Record& chunk, const std::vector<QaPair>& pairs,
                                      const std::string& teacher, double request_cost_usd,
                                      const std::string& reasoning_fallback);

}  // namespace flowdistill::teacher_kit
