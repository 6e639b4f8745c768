#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "chunk_checks.hpp"

using semantic_chunker::ChunkerSettings;
using semantic_chunker::testing::CollectedChunk;

namespace {

std::string corpus(const std::string& relative) {
    std::ifstream in(FLOWDISTILL_SOURCE_DIR "/../shared/corpus/" + relative, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool has_path(const std::vector<CollectedChunk>& chunks, const std::vector<std::string>& path) {
    for (const auto& chunk : chunks)
        if (chunk.heading_path == path) return true;
    return false;
}

}  // namespace

TEST_CASE("every corpus document keeps the invariants") {
    const char* files[] = {"financial/fdic_deposit_insurance_at_a_glance_layout.txt",
                           "financial/irs_pub17_2024_your_federal_income_tax.txt",
                           "financial/sec_investor_gov_mutual_funds.txt",
                           "legal/ecfr_title1_general_provisions.txt",
                           "legal/gnu_gpl_v3.txt",
                           "legal/us_bill_119_hr9010_reported.txt",
                           "legal/us_constitution.txt",
                           "medical/fda_guidance_nonclinical_safety_pharmaceutical_excipients.txt",
                           "medical/fda_guidance_target_product_profile_draft_layout.txt",
                           "medical/nci_pdq_breast_cancer_treatment_hp.md",
                           "medical/nci_pdq_osteosarcoma_treatment_patient.md",
                           "multilingual/debian_reference_ja.txt",
                           "multilingual/udhr_arabic.md",
                           "multilingual/udhr_french.md",
                           "multilingual/udhr_russian.md",
                           "multilingual/unicode_emoji_test.txt",
                           "technical/bash_manpage.txt",
                           "technical/debian_policy_manual.txt",
                           "technical/debian_reference_en.txt",
                           "technical/gpo_ecfr_xml_user_guide.md",
                           "technical/rfc3986_uri_generic_syntax.txt"};
    for (const char* file : files) {
        INFO(file);
        const std::string raw = corpus(file);
        const ChunkerSettings settings;  // the defaults: 800 / 100 / 50
        const auto chunks = semantic_chunker::testing::chunk_raw(raw, settings, 65536);
        // Words in these documents can be longer than 800 characters (base64, URLs, tables), so
        // the word rule is checked by the property test instead.
        semantic_chunker::testing::check_invariants(raw, chunks, settings, false);
        CHECK(chunks.size() > 3);
    }
}

TEST_CASE("heading paths found in real documents") {
    const ChunkerSettings settings;
    const auto pdq = semantic_chunker::testing::chunk_raw(corpus("medical/nci_pdq_breast_cancer_treatment_hp.md"), settings);
    CHECK(has_path(pdq, {"Breast Cancer Treatment (PDQ®)–Health Professional Version", "General Information About Breast Cancer",
                         "Incidence and Mortality"}));

    // Underlined (reStructuredText) headings.
    const auto policy = semantic_chunker::testing::chunk_raw(corpus("technical/debian_policy_manual.txt"), settings);
    CHECK(has_path(policy, {"4. Source packages", "4.1. Standards conformance"}));

    // Numbered headings with two spaces after the number, in a paginated RFC.
    const auto rfc = semantic_chunker::testing::chunk_raw(corpus("technical/rfc3986_uri_generic_syntax.txt"), settings);
    CHECK(has_path(rfc, {"3. Syntax Components", "3.2. Authority", "3.2.1. User Information"}));

    // "Chapter N." and numbers separated by no-break spaces; a numbered table of contents before it.
    const auto reference = semantic_chunker::testing::chunk_raw(corpus("technical/debian_reference_en.txt"), settings);
    CHECK(has_path(reference, {"Chapter 1. GNU/Linux tutorials", "1.2. Unix-like filesystem", "1.2.8. Named pipes (FIFOs)"}));

    // Keyword headings, one that runs on into its text.
    const auto constitution = semantic_chunker::testing::chunk_raw(corpus("legal/us_constitution.txt"), settings);
    CHECK(has_path(constitution, {"ARTICLE I", "SECTION. 2."}));
    CHECK(has_path(constitution, {"AMENDMENT XIV", "SECTION. 1."}));

    // All-capitals headings of a manual page, some of one word over indented text.
    const auto bash = semantic_chunker::testing::chunk_raw(corpus("technical/bash_manpage.txt"), settings);
    CHECK(has_path(bash, {"SHELL GRAMMAR"}));
    CHECK(has_path(bash, {"DESCRIPTION"}));

    // Bug: a table cell in capitals ("THEN" over "your") was taken for a heading, and a quarter
    // of this document's chunks sat under it.
    const auto tax_guide = semantic_chunker::testing::chunk_raw(corpus("financial/irs_pub17_2024_your_federal_income_tax.txt"), settings);
    for (const auto& chunk : tax_guide)
        REQUIRE(std::find(chunk.heading_path.begin(), chunk.heading_path.end(), "THEN") == chunk.heading_path.end());
    // Its parts start pages ("\fPart One."), its chapters' numbers and titles stand on lines of
    // their own; before they were found, none of its 1,442 chunks had a heading path.
    CHECK(has_path(tax_guide, {"Part One.", "1. Filing Information"}));
    CHECK(has_path(tax_guide, {"Part Two.", "9. Individual Retirement Arrangements (IRAs)"}));
    const auto with_path = std::count_if(tax_guide.begin(), tax_guide.end(), [](const auto& chunk) { return !chunk.heading_path.empty(); });
    CHECK(with_path * 10 > static_cast<std::ptrdiff_t>(tax_guide.size() * 9));

    // Sections numbered under a centred title, indented two spaces.
    const auto gpl = semantic_chunker::testing::chunk_raw(corpus("legal/gnu_gpl_v3.txt"), settings);
    CHECK(has_path(gpl, {"0. Definitions."}));
    CHECK(has_path(gpl, {"3. Protecting Users' Legal Rights From Anti-Circumvention Law."}));
    CHECK(has_path(gpl, {"17. Interpretation of Sections 15 and 16."}));

    // Non-Latin scripts.
    const auto udhr = semantic_chunker::testing::chunk_raw(corpus("multilingual/udhr_russian.md"), settings);
    CHECK(has_path(udhr, {"Всеобщая декларация прав человека", "Статья 1"}));
}
