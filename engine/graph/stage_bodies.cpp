#include "stage_bodies.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <flowdistill/errors.hpp>

namespace flowdistill::engine {
namespace {

// A consumer finished `input`: free its room on the edge and tell the producer.
void finish_input(StageRuntime& consumer, const StageTable& stages, const RecordBatch& input, std::size_t records) {
    if (input.producer == kNoProducer) return;
    auto edge = consumer.inputs_by_producer.find(input.producer);
    if (edge == consumer.inputs_by_producer.end()) return;
    edge->second->remove(static_cast<std::int64_t>(records));
    stages[input.producer]->gate.on_room_made();
}

void note_started(StageRuntime& stage, RunHooks& hooks) {
    if (!stage.counters.started.exchange(true)) hooks.stage_started(stage.index);
}

// Collects what a stage emits into batches of output_batch_size and puts each one as it fills.
class BatchEmitter final : public Emitter {
public:
    BatchEmitter(StageRuntime& stage, const PutBatch& put) : stage_(stage), put_(put) {}

    void set_input(const Record* input) { input_ = input; }

    void emit(Record record) override {
        record.provenance.stage = stage_.plan->id;
        if (input_ != nullptr) {
            if (record.provenance.parent.empty() && record.id != input_->id) record.provenance.parent = input_->id;
            if (record.provenance.source.empty()) record.provenance.source = input_->provenance.source;
        }
        if (!pending_) {
            pending_ = std::make_shared<RecordBatch>();
            pending_->producer = stage_.index;
            pending_->records.reserve(stage_.output_batch_size);
        }
        pending_->records.push_back(std::move(record));
        if (pending_->records.size() >= stage_.output_batch_size) flush();
    }

    void flush() {
        if (!pending_ || pending_->records.empty()) return;
        stage_.counters.emitted.fetch_add(pending_->records.size(), std::memory_order_relaxed);
        if (!stage_.outputs.empty()) {
            account_output(stage_, pending_);
            put_(std::move(pending_));
        }
        pending_.reset();
    }

private:
    StageRuntime& stage_;
    const PutBatch& put_;
    const Record* input_ = nullptr;
    Batch pending_;
};

void reject_unexpected(StageRuntime& stage, RunHooks& hooks, const Record& item, const std::exception& error) {
    stage.counters.rejected.fetch_add(1, std::memory_order_relaxed);
    hooks.reject(stage.index, item, "unexpected_error", error.what(), Json());
}

// Runs `work` for one record, turning what it throws into a reject or a fatal stop.
template <typename Work>
void guarded(StageRuntime& stage, RunHooks& hooks, const Record& item, Work&& work) {
    try {
        work();
    } catch (const ItemError& error) {
        stage.counters.rejected.fetch_add(1, std::memory_order_relaxed);
        hooks.reject(stage.index, item, error.reason(), error.what(), Json());
    } catch (const FatalError& error) {
        hooks.fatal(stage.index, error.what());
    } catch (const std::exception& error) {
        reject_unexpected(stage, hooks, item, error);
    }
}

}  // namespace

void account_output(StageRuntime& producer, const Batch& batch) {
    batch->readers_left.store(std::max<std::size_t>(1, producer.outputs.size()), std::memory_order_relaxed);
    for (EdgeState* edge : producer.outputs) edge->add(static_cast<std::int64_t>(batch->records.size()));
}

namespace {

enum class Pull { Record, End, Rejected, Failed };

// The source's next record. Returned straight from next(), so it is not moved on the way.
std::optional<Record> next_record(StageRuntime& stage, RunHooks& hooks, Pull& outcome) {
    try {
        std::optional<Record> record = stage.stage->as_source()->next();
        outcome = record ? Pull::Record : Pull::End;
        return record;
    } catch (const ItemError& error) {
        Record item;
        item.id = "input";
        stage.counters.rejected.fetch_add(1, std::memory_order_relaxed);
        hooks.reject(stage.index, item, error.reason(), error.what(), Json());
        outcome = Pull::Rejected;
    } catch (const std::exception& error) {
        hooks.fatal(stage.index, error.what());
        outcome = Pull::Failed;
    }
    return std::nullopt;
}

}  // namespace

std::optional<Batch> pull_source_batch(StageRuntime& stage, RunHooks& hooks) {
    auto batch = std::make_shared<RecordBatch>();
    batch->producer = stage.index;
    batch->records.reserve(stage.output_batch_size);
    while (batch->records.size() < stage.output_batch_size && !hooks.stopping()) {
        Pull outcome = Pull::End;
        std::optional<Record> record = next_record(stage, hooks, outcome);
        if (outcome == Pull::Rejected) continue;
        if (outcome == Pull::Failed) break;
        if (outcome == Pull::End) {
            stage.counters.source_done.store(true);
            break;
        }
        note_started(stage, hooks);
        record->provenance.stage = stage.plan->id;
        batch->records.push_back(std::move(*record));
    }
    if (batch->records.empty()) return std::nullopt;
    stage.counters.emitted.fetch_add(batch->records.size(), std::memory_order_relaxed);
    return batch;
}

namespace {

void process_each(StageRuntime& stage, RunHooks& hooks, std::vector<Record>& records, BatchEmitter& emitter) {
    Transform& transform = *stage.stage->as_transform();
    for (Record& record : records) {
        if (hooks.stopping()) {
            stage.counters.skipped.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        emitter.set_input(&record);
        guarded(stage, hooks, record, [&] { transform.process(std::move(record), emitter); });
    }
    emitter.set_input(nullptr);
}

// The InPlaceTransform fast path: update each record where it lies, close the gaps the dropped
// ones leave, and pass the same vector on.
void update_each(StageRuntime& stage, RunHooks& hooks, std::vector<Record>& records) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        Record& record = records[i];
        bool keep = false;
        if (hooks.stopping()) {
            stage.counters.skipped.fetch_add(1, std::memory_order_relaxed);
        } else {
            guarded(stage, hooks, record, [&] { keep = stage.in_place->update(record); });
        }
        if (!keep) continue;
        record.provenance.stage = stage.plan->id;
        if (kept != i) records[kept] = std::move(record);
        ++kept;
    }
    records.erase(records.begin() + static_cast<std::ptrdiff_t>(kept), records.end());
}

void put_records(StageRuntime& stage, std::vector<Record> records, const PutBatch& put) {
    auto batch = std::make_shared<RecordBatch>();
    batch->producer = stage.index;
    batch->records = std::move(records);
    account_output(stage, batch);
    put(std::move(batch));
}

// Passes updated records on, in messages no larger than the stage's output batch size; the usual
// case is one message holding the input's own vector.
void put_updated(StageRuntime& stage, std::vector<Record> records, const PutBatch& put) {
    stage.counters.emitted.fetch_add(records.size(), std::memory_order_relaxed);
    if (stage.outputs.empty() || records.empty()) return;
    const std::size_t size = stage.output_batch_size;
    if (records.size() <= size) return put_records(stage, std::move(records), put);
    for (std::size_t begin = 0; begin < records.size(); begin += size) {
        const auto first = records.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = first + static_cast<std::ptrdiff_t>(std::min(size, records.size() - begin));
        put_records(stage, {std::make_move_iterator(first), std::make_move_iterator(last)}, put);
    }
}

}  // namespace

void run_transform(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input,
                   const PutBatch& put) {
    note_started(stage, hooks);
    const std::size_t count = input->records.size();
    const bool end_of_stream = input->end_of_stream;
    const RecordBatch& header = *input;
    std::vector<Record> records = take_records(*input);
    stage.counters.received.fetch_add(count, std::memory_order_relaxed);
    BatchEmitter emitter(stage, put);
    if (stage.in_place != nullptr) {
        update_each(stage, hooks, records);
        put_updated(stage, std::move(records), put);
    } else {
        process_each(stage, hooks, records, emitter);
    }
    if (end_of_stream) {
        Record marker;
        marker.id = "(end of stream)";
        guarded(stage, hooks, marker, [&] { stage.stage->as_transform()->finish(emitter); });
    }
    emitter.flush();
    finish_input(stage, stages, header, count);
}

void run_sink(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input) {
    Sink& sink = *stage.stage->as_sink();
    note_started(stage, hooks);
    const std::size_t count = input->records.size();
    const RecordBatch& header = *input;
    std::vector<Record> records = take_records(*input);
    stage.counters.received.fetch_add(count, std::memory_order_relaxed);
    for (Record& record : records) guarded(stage, hooks, record, [&] { sink.consume(std::move(record)); });
    finish_input(stage, stages, header, count);
}

namespace {

// The outcome of one batch in an asynchronous stage: outputs are put as each record completes,
// and `finished` runs when the last one does.
class AsyncBatch : public std::enable_shared_from_this<AsyncBatch> {
public:
    AsyncBatch(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input, PutBatch put,
               std::function<void()> finished)
        : stage_(stage), stages_(stages), hooks_(hooks), producer_(input->producer), count_(input->records.size()),
          remaining_(input->records.size()), put_(std::move(put)), finished_(std::move(finished)) {
        header_.producer = producer_;
    }

    void record_done(std::vector<Record> outputs) {
        if (!outputs.empty()) {
            std::lock_guard lock(mutex_);
            BatchEmitter emitter(stage_, put_);
            for (auto& record : outputs) emitter.emit(std::move(record));
            emitter.flush();
        }
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) complete();
    }

    void complete_now_if_empty() {
        if (count_ == 0) complete();
    }

    StageRuntime& stage() { return stage_; }
    RunHooks& hooks() { return hooks_; }

private:
    void complete() {
        finish_input(stage_, stages_, header_, count_);
        finished_();
    }

    StageRuntime& stage_;
    const StageTable& stages_;
    RunHooks& hooks_;
    std::size_t producer_;
    std::size_t count_;
    std::atomic<std::size_t> remaining_;
    PutBatch put_;
    std::function<void()> finished_;
    RecordBatch header_;
    std::mutex mutex_;
};

class RecordCompletion final : public AsyncCompletion {
public:
    RecordCompletion(std::shared_ptr<AsyncBatch> batch, Record input)
        : batch_(std::move(batch)), input_(std::move(input)) {}

    ~RecordCompletion() override {
        if (!finished_.exchange(true)) {
            batch_->stage().counters.rejected.fetch_add(1, std::memory_order_relaxed);
            batch_->hooks().reject(batch_->stage().index, input_, "dropped",
                                   "the stage let go of the item without finishing it (a plugin bug)", Json());
            batch_->record_done({});
        }
    }

    void emit(Record record) override {
        record.provenance.stage = batch_->stage().plan->id;
        if (record.provenance.parent.empty()) record.provenance.parent = input_.id;
        if (record.provenance.source.empty()) record.provenance.source = input_.provenance.source;
        std::lock_guard lock(mutex_);
        outputs_.push_back(std::move(record));
    }

    void done() override { finish(); }

    void reject(const std::string& cause, const std::string& reason, const Json& detail) override {
        batch_->stage().counters.rejected.fetch_add(1, std::memory_order_relaxed);
        batch_->hooks().reject(batch_->stage().index, input_, reason, cause, detail);
        finish();
    }

    void fatal(const std::string& cause) override {
        batch_->hooks().fatal(batch_->stage().index, cause);
        finish();
    }

private:
    void finish() {
        if (finished_.exchange(true)) return;
        std::vector<Record> outputs;
        {
            std::lock_guard lock(mutex_);
            outputs.swap(outputs_);
        }
        batch_->record_done(std::move(outputs));
    }

    std::shared_ptr<AsyncBatch> batch_;
    Record input_;
    std::mutex mutex_;
    std::vector<Record> outputs_;
    std::atomic<bool> finished_{false};
};

}  // namespace

void start_async(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input, PutBatch put,
                 std::function<void()> finished) {
    AsyncTransform& transform = *stage.stage->as_async_transform();
    note_started(stage, hooks);
    auto batch = std::make_shared<AsyncBatch>(stage, stages, hooks, input, std::move(put), std::move(finished));
    std::vector<Record> records = take_records(*input);
    stage.counters.received.fetch_add(records.size(), std::memory_order_relaxed);
    batch->complete_now_if_empty();
    for (Record& record : records) {
        if (hooks.stopping()) {
            stage.counters.skipped.fetch_add(1, std::memory_order_relaxed);
            batch->record_done({});
            continue;
        }
        Record copy_for_errors;
        copy_for_errors.id = record.id;
        copy_for_errors.provenance = record.provenance;
        auto completion = std::make_shared<RecordCompletion>(batch, std::move(copy_for_errors));
        // A throw from submit() finishes the item through its completion, so it is counted once.
        try {
            transform.submit(std::move(record), completion);
        } catch (const ItemError& error) {
            completion->reject(error.what(), error.reason(), Json());
        } catch (const FatalError& error) {
            completion->fatal(error.what());
        } catch (const std::exception& error) {
            completion->reject(error.what(), "unexpected_error", Json());
        }
    }
}

}  // namespace flowdistill::engine
