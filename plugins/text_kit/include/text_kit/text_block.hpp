#pragma once
// The "text block" record: the private contract between text_source and semantic_chunker
// (documented in docs/chunking.md). A block is a bounded piece of one file's normalised text,
// cut on a code point boundary, with what is needed to map it back to original byte offsets.
#include <cstdint>
#include <string>
#include <vector>

#include <flowdistill/record.hpp>
#include <text_kit/offset_map.hpp>

namespace text_kit {

struct TextBlock {
    std::string source;                 // the input file, as found
    std::uint64_t file_index = 0;       // position of the file in the run's input order
    std::uint64_t block_index = 0;      // position of the block within its file
    std::string text;                   // normalised UTF-8
    std::uint64_t original_begin = 0;   // original byte offset of text[0]
    std::vector<OffsetAnchor> anchors;  // normalised offsets relative to text[0] -> original offsets
    bool last = false;                  // the file's final block
};

// "block_000003_000012": file 3, block 12.
std::string block_id(std::uint64_t file_index, std::uint64_t block_index);
flowdistill::Record block_to_record(TextBlock block);
// Throws flowdistill::ItemError when the record is not a text block (e.g. a pipeline that feeds
// the chunker from another source).
TextBlock block_from_record(flowdistill::Record record);

}  // namespace text_kit
