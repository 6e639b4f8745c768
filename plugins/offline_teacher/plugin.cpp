// offline_teacher: descriptor, spec and factory.
#include <memory>

#include <flowdistill/flowdistill.hpp>

#include "offline_teacher.hpp"

namespace {

using namespace flowdistill;

constexpr const char* kQuestionsPerChunk = "questions_per_chunk";

ConfigSpec offline_teacher_spec() {
    ConfigSpec spec;
    spec.summary = "Template Q&A pairs from each chunk, without a model: free, offline, deterministic";
    spec.description =
        "Turns each chunk into question/answer pairs with fixed templates, not with a language model, "
        "and does no reasoning of its own. It looks for definitions (\"X is a ...\", \"X means ...\", "
        "\"Term: meaning\" in a glossary section), numbered steps and lists (answered with the whole "
        "list), conditions (\"If ..., ...\", \"... when ...\"), numeric facts such as doses, times, "
        "limits and dates (asked as fill-in-the-blank), and the purpose of a section (the first sentence "
        "under its heading).\n\n"
        "Every answer is a verbatim span of the chunk; `reasoning` names the template, the heading path "
        "and the sentence used; `difficulty` follows the template (definitions and purposes easy, steps, "
        "lists and numeric facts medium, conditions hard). The same chunk always gives the same pairs. "
        "A chunk in which no template matches yields no pair and is counted as `empty_inputs`.\n\n"
        "Use it for a zero-cost dry run of a whole pipeline and as a baseline to compare paid teachers "
        "against; its questions are mechanical and English-centred, so do not train on them expecting "
        "what a model would write.";
    spec.stability = Stability::Beta;
    spec.field(integer_field(kQuestionsPerChunk)
                   .describe("Most pairs made from one chunk; fewer when the chunk offers fewer")
                   .defaults_to(5)
                   .range(1, 100)
                   .in_unit("pairs"));
    spec.example = "questions_per_chunk: 5\n";
    return spec;
}

std::unique_ptr<Stage> create_offline_teacher(const ParsedConfig& config, PluginContext& context) {
    offline_teacher::OfflineTeacherSettings settings;
    if (config.has(kQuestionsPerChunk))
        settings.questions_per_chunk = static_cast<std::size_t>(config.get_int(kQuestionsPerChunk));
    return std::make_unique<offline_teacher::OfflineTeacher>(settings, context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("offline_teacher", flowdistill::PluginKind::Teacher, "0.1.0", offline_teacher_spec, create_offline_teacher)
