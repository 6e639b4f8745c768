// semantic_chunker: descriptor, config spec and factory. The work is in chunker_core.cpp.
#include <flowdistill/plugin.hpp>

#include "chunker_stage.hpp"

namespace {

constexpr const char* kChunkSize = "chunk_size";
constexpr const char* kOverlap = "overlap";
constexpr const char* kMinChunk = "min_chunk";

flowdistill::ConfigSpec semantic_chunker_spec() {
    using namespace flowdistill;
    ConfigSpec spec;
    spec.summary = "Splits text blocks into chunks at headings, paragraphs, list items, sentences, then words";
    spec.description =
        "Reads the text blocks of `text_source` in order and emits chunk records (docs/record-contracts.md): "
        "`text`, `source`, `byte_begin`/`byte_end` into the original file, `heading_path` and `index`. Every "
        "heading (Markdown `#`, numbered `4.1 Title`, `Section 4`, `ARTICLE I`, underlined with `===`, `---`, "
        "`━━━`) starts a new chunk; a longer section is cut at the best boundary in the second half of the room "
        "left: a blank line, a list item or table row, a sentence end (not after `e.g.`, `Dr.`, nor inside `4.1`; "
        "`。！？` count), a line end, then a space. A word is split only when it alone is longer than "
        "`chunk_size`, and never inside a UTF-8 sequence. Each chunk after a size cut repeats whole sentences (or "
        "words) from the end of the previous one, up to `overlap`, within `chunk_size`. See docs/chunking.md.";
    spec.stability = Stability::Beta;
    spec.field(integer_field(kChunkSize)
                   .describe("Longest chunk, overlap included; counted in code points, not bytes")
                   .defaults_to(800)
                   .range(16, 1000000)
                   .in_unit("characters"));
    spec.field(integer_field(kOverlap)
                   .describe("Most text repeated from the end of the previous chunk (whole sentences or words); at most chunk_size/2")
                   .defaults_to(100)
                   .range(0, 500000)
                   .in_unit("characters"));
    spec.field(integer_field(kMinChunk)
                   .describe("A section tail shorter than this joins the chunk before it (or the next section); at most chunk_size/2")
                   .defaults_to(50)
                   .range(0, 500000)
                   .in_unit("characters"));
    spec.example =
        "chunk_size: 800\n"
        "overlap: 100\n"
        "min_chunk: 50\n";
    return spec;
}

std::unique_ptr<flowdistill::Stage> create_semantic_chunker(const flowdistill::ParsedConfig& config,
                                                            flowdistill::PluginContext& context) {
    semantic_chunker::ChunkerSettings settings;
    if (config.has(kChunkSize)) settings.chunk_size = static_cast<std::size_t>(config.get_int(kChunkSize));
    if (config.has(kOverlap)) settings.overlap = static_cast<std::size_t>(config.get_int(kOverlap));
    if (config.has(kMinChunk)) settings.min_chunk = static_cast<std::size_t>(config.get_int(kMinChunk));
    if (const std::string problem = semantic_chunker::validate_settings(settings); !problem.empty())
        throw flowdistill::FatalError("semantic_chunker (stage '" + context.stage_id() + "'): " + problem);
    return std::make_unique<semantic_chunker::ChunkerStage>(settings, context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("semantic_chunker", flowdistill::PluginKind::Transform, "0.1.0", semantic_chunker_spec, create_semantic_chunker)
