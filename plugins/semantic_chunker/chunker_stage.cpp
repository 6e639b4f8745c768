#include "chunker_stage.hpp"

#include <cstdio>

#include <flowdistill/errors.hpp>
#include <text_kit/text_block.hpp>

namespace semantic_chunker {

flowdistill::Record chunk_to_record(const Chunk& chunk, const std::string& parent_id) {
    char id[32];
    std::snprintf(id, sizeof id, "chunk_%06llu", static_cast<unsigned long long>(chunk.index));
    flowdistill::Record record;
    record.id = id;
    record.provenance.source = std::string(chunk.source);
    record.provenance.parent = parent_id;
    record.data = flowdistill::Json{{"text", std::string(chunk.text)},
                                    {"source", std::string(chunk.source)},
                                    {"byte_begin", chunk.byte_begin},
                                    {"byte_end", chunk.byte_end},
                                    {"heading_path", *chunk.heading_path},
                                    {"index", chunk.index},
                                    {"characters", chunk.characters},
                                    {"overlap_bytes", chunk.overlap_bytes}};
    return record;
}

ChunkerStage::ChunkerStage(ChunkerSettings settings, flowdistill::PluginContext& context)
    : context_(context), core_(settings, [this](const Chunk& chunk) {
          out_->emit(chunk_to_record(chunk, parent_id_));
      }) {}

void ChunkerStage::process(flowdistill::Record input, flowdistill::Emitter& out) {
    text_kit::TextBlock block = text_kit::block_from_record(std::move(input));
    out_ = &out;
    parent_id_ = text_kit::block_id(block.file_index, block.block_index);
    // A new file (also one whose predecessor was cut short by an error) flushes the previous tail.
    if (!has_file_ || block.file_index != file_index_ || !core_.file_open()) {
        core_.begin_file(block.source);
        has_file_ = true;
        file_index_ = block.file_index;
    }
    core_.feed(block.text, block.original_begin, block.anchors);
    if (block.last) core_.end_file();
    out_ = nullptr;
    report();
}

void ChunkerStage::finish(flowdistill::Emitter& out) {
    out_ = &out;
    core_.end_file();
    out_ = nullptr;
    report();
    const ChunkStats& stats = core_.stats();
    if (stats.chunks > 0) {
        context_.metrics().set_note("chunk_chars_min", std::to_string(stats.min_characters));
        context_.metrics().set_note("chunk_chars_max", std::to_string(stats.max_characters));
        context_.metrics().set_note("chunk_chars_avg", std::to_string(stats.characters / stats.chunks));
    }
}

void ChunkerStage::report() {
    const ChunkStats& stats = core_.stats();
    if (stats.chunks == reported_chunks_) return;
    context_.metrics().add("chunks", static_cast<double>(stats.chunks - reported_chunks_));
    reported_chunks_ = stats.chunks;
}

}  // namespace semantic_chunker
