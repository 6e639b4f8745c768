// Who may move a batch's records: the rule that lets a one-consumer edge pass records on without
// copying them, even while TBB still holds pointers to the batch.
#include <catch2/catch.hpp>

#include "graph/record_batch.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;

namespace {

Batch batch_of(std::size_t records, std::size_t readers) {
    auto batch = std::make_shared<RecordBatch>();
    for (std::size_t i = 0; i < records; ++i) {
        Record record;
        record.id = "r" + std::to_string(i);
        record.data["text"] = std::string(100, 'x');  // too long to live inside the string object
        batch->records.push_back(std::move(record));
    }
    batch->readers_left.store(readers);
    return batch;
}

}  // namespace

TEST_CASE("the only reader of a batch moves its records out even while other pointers to it exist") {
    Batch batch = batch_of(3, 1);
    const Batch held_by_the_graph = batch;
    const auto* text_before = batch->records[1].data["text"].get_ptr<const std::string*>()->data();

    std::vector<Record> taken = take_records(*batch);

    REQUIRE(taken.size() == 3);
    CHECK(taken[1].id == "r1");
    CHECK(batch->records.empty());
    // Moved, not copied: the string's heap buffer is the same one.
    CHECK(taken[1].data["text"].get_ptr<const std::string*>()->data() == text_before);
}

TEST_CASE("with two readers the first copies and the last moves, and both see every record") {
    Batch batch = batch_of(4, 2);

    std::vector<Record> first = take_records(*batch);
    CHECK(batch->records.size() == 4);
    CHECK(batch->readers_left.load() == 1);
    std::vector<Record> second = take_records(*batch);

    REQUIRE(first.size() == 4);
    REQUIRE(second.size() == 4);
    CHECK(batch->records.empty());
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(first[i].id == second[i].id);
        CHECK(first[i].data == second[i].data);
    }
}
