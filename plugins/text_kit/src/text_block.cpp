#include <text_kit/text_block.hpp>

#include <cstdio>

#include <flowdistill/errors.hpp>

namespace text_kit {

std::string block_id(std::uint64_t file_index, std::uint64_t block_index) {
    char id[64];
    std::snprintf(id, sizeof id, "block_%06llu_%06llu", static_cast<unsigned long long>(file_index),
                  static_cast<unsigned long long>(block_index));
    return id;
}

flowdistill::Record block_to_record(TextBlock block) {
    flowdistill::Record record;
    record.id = block_id(block.file_index, block.block_index);
    record.provenance.source = block.source;
    flowdistill::Json anchors = flowdistill::Json::array();
    for (const auto& a : block.anchors) anchors.push_back({a.normalized, a.original});
    record.data = flowdistill::Json{{"source", std::move(block.source)},
                                    {"file_index", block.file_index},
                                    {"block_index", block.block_index},
                                    {"byte_begin", block.original_begin},
                                    {"offset_map", std::move(anchors)},
                                    {"last", block.last},
                                    {"text", std::move(block.text)}};
    return record;
}

TextBlock block_from_record(flowdistill::Record record) {
    auto& data = record.data;
    if (!data.is_object() || !data.contains("text") || !data["text"].is_string() || !data.contains("file_index") ||
        !data.contains("byte_begin"))
        throw flowdistill::ItemError("record '" + record.id +
                                         "' is not a text block: semantic_chunker reads the blocks that "
                                         "text_source emits; put text_source directly before it",
                                     "not_a_text_block");
    TextBlock block;
    block.source = data.value("source", record.provenance.source);
    block.file_index = data["file_index"].get<std::uint64_t>();
    block.block_index = data.value("block_index", std::uint64_t{0});
    block.original_begin = data["byte_begin"].get<std::uint64_t>();
    block.last = data.value("last", false);
    if (data.contains("offset_map"))
        for (const auto& pair : data["offset_map"])
            block.anchors.push_back({pair.at(0).get<std::uint64_t>(), pair.at(1).get<std::uint64_t>()});
    block.text = std::move(data["text"].get_ref<std::string&>());
    return block;
}

}  // namespace text_kit
