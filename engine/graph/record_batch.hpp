#pragma once
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

#include <flowdistill/record.hpp>

namespace flowdistill::engine {

inline constexpr std::size_t kNoProducer = std::numeric_limits<std::size_t>::max();

// The message on every edge: records travel in batches so the per-message cost of the graph is
// paid once per batch, not once per record.
struct RecordBatch {
    std::vector<Record> records;
    std::size_t producer = kNoProducer;  // stage index that emitted it, for edge accounting
    bool end_of_stream = false;          // ask a transform to flush (Transform::finish)
};

// Broadcast to every consumer of the producer; a consumer moves the records out only when it
// holds the last reference, and copies them otherwise.
using Batch = std::shared_ptr<RecordBatch>;

}  // namespace flowdistill::engine
