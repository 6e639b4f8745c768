#pragma once
// The semantic_chunker stage: text blocks in, chunk records out (docs/record-contracts.md).
#include <flowdistill/context.hpp>
#include <flowdistill/stage.hpp>

#include "chunker_core.hpp"

namespace semantic_chunker {

flowdistill::Record chunk_to_record(const Chunk& chunk, const std::string& parent_id);

class ChunkerStage final : public flowdistill::Transform {
public:
    ChunkerStage(ChunkerSettings settings, flowdistill::PluginContext& context);
    // Blocks must arrive in order, one at a time: the chunker carries text across them.
    bool serial() const override { return true; }
    void process(flowdistill::Record input, flowdistill::Emitter& out) override;
    void finish(flowdistill::Emitter& out) override;

private:
    void report();

    flowdistill::PluginContext& context_;
    ChunkerCore core_;
    flowdistill::Emitter* out_ = nullptr;  // the emitter of the call in progress
    std::string parent_id_;
    bool has_file_ = false;
    std::uint64_t file_index_ = 0;
    std::uint64_t reported_chunks_ = 0;
};

}  // namespace semantic_chunker
