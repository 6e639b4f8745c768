#pragma once
#include <atomic>
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
    // Consumers that have not taken the records yet. TBB nodes hold their own copies of the
    // pointer, so its use_count cannot say who may move the records; this count can.
    std::atomic<std::size_t> readers_left{1};
};

// Broadcast to every consumer of the producer.
using Batch = std::shared_ptr<RecordBatch>;

// Each consumer calls this once per batch: the last one to take the records moves them, the
// others copy. A reader counts itself out only after its copy is made, so the mover never
// races a copier; two readers that both see others waiting both copy, which is only slower.
inline std::vector<Record> take_records(RecordBatch& batch) {
    if (batch.readers_left.load(std::memory_order_acquire) == 1) return std::move(batch.records);
    std::vector<Record> copy = batch.records;
    batch.readers_left.fetch_sub(1, std::memory_order_acq_rel);
    return copy;
}

}  // namespace flowdistill::engine
