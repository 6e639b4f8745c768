#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "question_finder.hpp"

using namespace flowdistill::offline_teacher;

namespace {

std::vector<FoundQuestion> of_kind(const std::vector<FoundQuestion>& all, QuestionKind kind) {
    std::vector<FoundQuestion> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const auto& q) { return q.kind == kind; });
    return out;
}

}  // namespace

TEST_CASE("definitions: 'X is a ...' and glossary lines, not statements of fact") {
    const std::string text =
        "Sepsis is a life-threatening organ dysfunction caused by infection. "
        "Aspirin is given to every patient. It is a rule.\n";
    const auto found = of_kind(find_questions({text, {"Definitions"}}), QuestionKind::Definition);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "What is sepsis?");
    CHECK(found[0].answer.of(text) == "Sepsis is a life-threatening organ dysfunction caused by infection.");

    const std::string glossary = "- **MAP**: mean arterial pressure, estimated from two readings.\n";
    const auto terms = of_kind(find_questions({glossary, {"Section 2: Definitions"}}), QuestionKind::Definition);
    REQUIRE(terms.size() == 1);
    CHECK(terms[0].question == "What does \"MAP\" mean?");
    CHECK(terms[0].answer.of(glossary) == "mean arterial pressure, estimated from two readings.");

    const auto outside_glossary = of_kind(find_questions({"- Aspirin: 325 mg chewed at once.\n", {"Drugs"}}),
                                          QuestionKind::Definition);
    CHECK(outside_glossary.empty());
}

TEST_CASE("numbered steps are answered with the whole list and named by their introduction") {
    const std::string text =
        "On arrival, complete these steps:\n"
        "1. Record vital signs.\n"
        "2. Assign an acuity level.\n"
        "3. Place a wrist band.\n";
    const auto found = of_kind(find_questions({text, {"Section 3.1: Triage"}}), QuestionKind::Steps);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "Under \"Section 3.1: Triage\", what are the steps after \"On arrival, complete these steps\"?");
    CHECK(found[0].answer.of(text) == "1. Record vital signs.\n2. Assign an acuity level.\n3. Place a wrist band.");
    CHECK(found[0].evidence.of(text) == "On arrival, complete these steps:");
}

TEST_CASE("bulleted lists become list questions, a single item is not a list") {
    const std::string text = "Call the team when:\n\n- low blood pressure;\n- fast heart rate.\n\nAlone:\n\n- one item\n";
    const auto found = of_kind(find_questions({text, {"Escalation"}}), QuestionKind::List);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "Under \"Escalation\", what does the list after \"Call the team when\" include?");
    CHECK(found[0].answer.of(text) == "- low blood pressure;\n- fast heart rate.");
}

TEST_CASE("conditions: leading 'If ..., ...' and trailing '... when ...'") {
    const std::string text =
        "If the oxygen saturation is below 92%, start supplemental oxygen. "
        "Withhold nitroglycerin when the systolic pressure is low.";
    const auto found = of_kind(find_questions({text, {}}), QuestionKind::Condition);
    REQUIRE(found.size() == 2);
    CHECK(found[0].question == "What should happen if the oxygen saturation is below 92%?");
    CHECK(found[0].answer.of(text) == "start supplemental oxygen");
    CHECK(found[1].question == "What should happen when the systolic pressure is low?");
    CHECK(found[1].answer.of(text) == "Withhold nitroglycerin");
}

TEST_CASE("conditions: a trailing condition stops at the next clause and vague ones are skipped") {
    const std::string text =
        "Give oxygen at 15 L/min if the saturation is low, and call the team. "
        "Remove the trigger if it is still present. Repeat the dose if needed. "
        "Drugs cause harm when used in error.";
    const auto found = of_kind(find_questions({text, {}}), QuestionKind::Condition);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "What should happen if the saturation is low?");
    CHECK(found[0].answer.of(text) == "Give oxygen at 15 L/min");
}

TEST_CASE("conditions: indirect questions ('checks if', 'ask when') are not conditions") {
    const std::string text =
        "A bone scan checks if there are rapidly dividing cells. The doctor will ask when the symptoms started.";
    CHECK(of_kind(find_questions({text, {}}), QuestionKind::Condition).empty());
}

TEST_CASE("quoted text drops Markdown links and emphasis while answers keep them verbatim") {
    const std::string text = "- **[X-ray](/popup?id=1)** within 10 minutes of [arrival](https://example.org/a).\n";
    const auto found = of_kind(find_questions({text, {"Imaging."}}), QuestionKind::NumericFact);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "Under \"Imaging\", what time or duration fills the blank in \"X-ray within ___ of arrival.\"?");
    CHECK(found[0].answer.of(text) == "10 minutes");
}

TEST_CASE("conditions: clauses cut inside brackets, lists and dangling words are rejected") {
    const std::string text =
        "If you still lack the form by May 1 (or by May 3, if mailed), call the office. "
        "If both of the following apply, you must pay. "
        "If you changed your name, and you paid, attach a note. "
        "You can file jointly even if one of you had no income. "
        "If bleeding occurs, stop the infusion.";
    const auto found = of_kind(find_questions({text, {}}), QuestionKind::Condition);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "What should happen if bleeding occurs?");
}

TEST_CASE("numeric facts: doses, times, limits and dates become fill-in-the-blank questions") {
    const std::string text =
        "Obtain EKG within 10 minutes of arrival. Give aspirin 324 mg chewed. "
        "Keep the MAP above 65 mmHg at all times. The protocol starts on March 1, 2025 for all. "
        "Use the 12-lead tracing in Section 4.1 only.";
    const auto found = of_kind(find_questions({text, {"Section 4.1: Cardiovascular Management"}}),
                               QuestionKind::NumericFact);
    REQUIRE(found.size() == 4);
    CHECK(found[0].answer.of(text) == "10 minutes");
    CHECK(found[0].question ==
          "Under \"Section 4.1: Cardiovascular Management\", what time or duration fills the blank in "
          "\"Obtain EKG within ___ of arrival.\"?");
    CHECK(found[1].answer.of(text) == "324 mg");
    CHECK(found[1].question.find("what dose fills the blank") != std::string::npos);
    CHECK(found[2].answer.of(text) == "65 mmHg");
    CHECK(found[2].question.find("what value fills") != std::string::npos);
    CHECK(found[3].answer.of(text) == "March 1, 2025");
    CHECK(found[3].question.find("what date fills") != std::string::npos);
}

TEST_CASE("numeric ranges and percentages keep the whole quantity") {
    const std::string text = "Repeat every 4\xE2\x80\x93" "6 hours as needed. Saturation under 92% needs oxygen.";
    const auto found = of_kind(find_questions({text, {}}), QuestionKind::NumericFact);
    REQUIRE(found.size() == 2);
    CHECK(found[0].answer.of(text) == "4\xE2\x80\x93" "6 hours");
    CHECK(found[1].answer.of(text) == "92%");
}

TEST_CASE("section purpose comes from the first sentence under a heading in the chunk") {
    const std::string text =
        "### Section 4.2: Sepsis Management\n\nThis pathway aims to treat sepsis within an hour. More text.\n";
    const auto found = of_kind(find_questions({text, {"Section 4: Clinical Pathways"}}), QuestionKind::SectionPurpose);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "What is the purpose of the section \"Section 4.2: Sepsis Management\"?");
    CHECK(found[0].answer.of(text) == "This pathway aims to treat sepsis within an hour.");
    CHECK(found[0].section == "Section 4.2: Sepsis Management");
}

TEST_CASE("a plain-text heading named in heading_path is a heading, not the purpose") {
    const std::string text = "2.7.8. Automatic upgrades\nThe system can download upgrades by itself. More.\n";
    const auto found = of_kind(find_questions({text, {"2. Packages", "2.7.8. Automatic upgrades"}}),
                               QuestionKind::SectionPurpose);
    REQUIRE(found.size() == 1);
    CHECK(found[0].question == "What is the purpose of the section \"2.7.8. Automatic upgrades\"?");
    CHECK(found[0].answer.of(text) == "The system can download upgrades by itself.");
}

TEST_CASE("listings and numbers are not a section's purpose") {
    CHECK(of_kind(find_questions({"## Disk\n\n652 cylinders of 16065 * 512 bytes\n", {}}), QuestionKind::SectionPurpose).empty());
    CHECK(of_kind(find_questions({"## Disk\n\nUnits = cylinders of 16065 * 512\n", {}}), QuestionKind::SectionPurpose).empty());
}

TEST_CASE("a chunk that starts mid-sentence gives no purpose question") {
    const std::string text = "the rest of a sentence cut by the chunker. Another sentence.";
    CHECK(of_kind(find_questions({text, {"Section 9"}}), QuestionKind::SectionPurpose).empty());
}

TEST_CASE("pick_questions takes one of each kind in turn, drops repeated questions, and caps") {
    std::vector<FoundQuestion> found;
    for (int i = 0; i < 3; ++i) found.push_back({QuestionKind::NumericFact, "n" + std::to_string(i) + "?", {}, {}, ""});
    found.push_back({QuestionKind::Condition, "c?", {}, {}, ""});
    found.push_back({QuestionKind::Condition, "c?", {}, {}, ""});
    found.push_back({QuestionKind::Definition, "d?", {}, {}, ""});

    const auto picked = pick_questions(found, 4);
    REQUIRE(picked.size() == 4);
    CHECK(picked[0].question == "d?");
    CHECK(picked[1].question == "c?");
    CHECK(picked[2].question == "n0?");
    CHECK(picked[3].question == "n1?");
    CHECK(pick_questions(found, 100).size() == 5);
}
