#include "offline_teacher.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "question_finder.hpp"

namespace flowdistill::offline_teacher {
namespace {

std::string pair_id(const std::string& chunk_id, std::size_t index) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_q%02zu", index + 1);
    return chunk_id + suffix;
}

std::string join_path(const std::vector<std::string>& heading_path, const std::string& section) {
    std::string path;
    for (const auto& heading : heading_path) path += (path.empty() ? "" : " > ") + heading;
    // A heading inside the chunk's own text is deeper than the path the chunk starts under.
    if (!section.empty() && (heading_path.empty() || section != heading_path.back()))
        path += (path.empty() ? "" : " > ") + section;
    return path.empty() ? "(no heading)" : path;
}

const char* kind_description(QuestionKind kind) {
    switch (kind) {
        case QuestionKind::SectionPurpose: return "the purpose of a section, answered with the first sentence under its heading";
        case QuestionKind::Definition: return "a definition";
        case QuestionKind::Steps: return "numbered steps, answered with the whole list";
        case QuestionKind::List: return "a list, answered with all of its items";
        case QuestionKind::Condition: return "a condition, answered with what the text says to do in that case";
        case QuestionKind::NumericFact: return "a numeric fact, asked as a fill-in-the-blank";
    }
    return "?";
}

std::string reasoning_for(const FoundQuestion& q, const std::vector<std::string>& heading_path, std::string_view text) {
    return std::string("Template question (offline_teacher, no model): ") + kind_description(q.kind) +
           ". Section: " + join_path(heading_path, q.section) + ". Sentence used: \"" +
           collapse_whitespace(q.evidence.of(text)) + "\". The answer is copied verbatim from the chunk.";
}

std::vector<std::string> heading_path_of(const Record& chunk) {
    std::vector<std::string> path;
    const auto it = chunk.data.find("heading_path");
    if (it == chunk.data.end() || !it->is_array()) return path;
    for (const auto& heading : *it)
        if (heading.is_string()) path.push_back(heading.get<std::string>());
    return path;
}

}  // namespace

OfflineTeacher::OfflineTeacher(OfflineTeacherSettings settings, PluginContext& context)
    : settings_(settings), context_(context) {}

void OfflineTeacher::process(Record chunk, Emitter& out) {
    const auto text_field = chunk.data.find("text");
    if (text_field == chunk.data.end() || !text_field->is_string())
        throw ItemError("record '" + chunk.id +
                            "' has no string field 'text'; offline_teacher reads chunk records such as "
                            "semantic_chunker makes (see docs/record-contracts.md)",
                        "not_a_chunk");
    const std::string& text = text_field->get_ref<const std::string&>();
    const auto heading_path = heading_path_of(chunk);

    const auto questions = pick_questions(find_questions({text, heading_path}), settings_.questions_per_chunk);
    if (questions.empty()) {
        context_.metrics().add("empty_inputs", 1);
        return;
    }
    const std::string source = chunk.provenance.source.empty() ? chunk.data.value("source", std::string{})
                                                               : chunk.provenance.source;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const auto& q = questions[i];
        Record pair;
        pair.id = pair_id(chunk.id, i);
        pair.provenance.source = source;
        pair.provenance.parent = chunk.id;
        pair.data = Json{
            {"question", q.question},
            {"answer", std::string(q.answer.of(text))},
            {"reasoning", reasoning_for(q, heading_path, text)},
            {"difficulty", difficulty_of(q.kind)},
            {"source_chunk", chunk.id},
            {"heading_path", heading_path},
            {"teacher", "offline_teacher"},
            {"cost_usd", 0.0},
            {"question_kind", question_kind_name(q.kind)},
        };
        out.emit(std::move(pair));
    }
}

}  // namespace flowdistill::offline_teacher
