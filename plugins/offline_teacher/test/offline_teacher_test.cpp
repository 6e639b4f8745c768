#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <stage_harness.hpp>

#include "offline_teacher.hpp"

using namespace flowdistill;
using flowdistill::offline_teacher::OfflineTeacher;
using flowdistill::offline_teacher::OfflineTeacherSettings;

namespace {

Record make_chunk(std::string id, std::string text, std::vector<std::string> heading_path = {}) {
    Record chunk;
    chunk.id = std::move(id);
    chunk.provenance.source = "samples/clinical_protocol.md";
    chunk.data = Json{{"text", std::move(text)},
                      {"source", "samples/clinical_protocol.md"},
                      {"heading_path", std::move(heading_path)},
                      {"byte_begin", 0},
                      {"byte_end", 0},
                      {"index", 0}};
    return chunk;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// Cuts a Markdown document at blank lines into pieces of about `size` bytes, each under the last
// heading seen: a stand-in for semantic_chunker, which these tests must not depend on.
std::vector<Record> chunk_document(const std::string& text, std::size_t size = 800) {
    std::vector<Record> chunks;
    std::string current, heading, current_heading;
    auto flush = [&] {
        if (current.empty()) return;
        char id[32];
        std::snprintf(id, sizeof id, "chunk_%06zu", chunks.size());
        chunks.push_back(make_chunk(id, current, current_heading.empty() ? std::vector<std::string>{}
                                                                          : std::vector<std::string>{current_heading}));
        current.clear();
    };
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find("\n\n", begin);
        end = end == std::string::npos ? text.size() : end + 2;
        const std::string paragraph = text.substr(begin, end - begin);
        if (current.size() + paragraph.size() > size) flush();
        if (current.empty()) current_heading = heading;
        current += paragraph;
        if (paragraph.rfind("#", 0) == 0) heading = paragraph.substr(paragraph.find(' ') + 1, paragraph.find('\n') - paragraph.find(' ') - 1);
        begin = end;
    }
    flush();
    return chunks;
}

std::vector<Record> run_teacher(const std::vector<Record>& chunks, std::size_t per_chunk, testing::TestContext& context) {
    OfflineTeacher teacher(OfflineTeacherSettings{per_chunk}, context);
    testing::VectorEmitter out;
    for (const auto& chunk : chunks) teacher.process(chunk, out);
    return out.records;
}

bool is_valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + length > s.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        i += length;
    }
    return true;
}

// chunk_NNNNNN_qNN (two digits or more), without <regex>: GCC 12 warns inside it under ASan.
bool is_pair_id(const std::string& id) {
    auto digits = [&](std::size_t from, std::size_t to) {
        if (to > id.size() || from >= to) return false;
        return std::all_of(id.begin() + static_cast<long>(from), id.begin() + static_cast<long>(to),
                           [](char c) { return c >= '0' && c <= '9'; });
    };
    return id.rfind("chunk_", 0) == 0 && digits(6, 12) && id.compare(12, 2, "_q") == 0 && id.size() >= 16 &&
           digits(14, id.size());
}

// The properties issue 6 asks of every pair, checked against the chunk it came from.
void check_pairs_against_chunks(const std::vector<Record>& chunks, const std::vector<Record>& pairs) {
    std::map<std::string, const Record*> by_id;
    for (const auto& chunk : chunks) by_id[chunk.id] = &chunk;
    for (const auto& pair : pairs) {
        INFO(pair.id << ": " << pair.data.dump());
        REQUIRE(is_pair_id(pair.id));
        const Record& chunk = *by_id.at(pair.data.at("source_chunk").get<std::string>());
        const std::string text = chunk.data.at("text");
        const std::string question = pair.data.at("question");
        const std::string answer = pair.data.at("answer");
        const std::string reasoning = pair.data.at("reasoning");
        CHECK(pair.provenance.parent == chunk.id);
        CHECK(pair.id.rfind(chunk.id + "_q", 0) == 0);
        CHECK(!question.empty());
        CHECK(question.back() == '?');
        CHECK(question.find('\n') == std::string::npos);
        CHECK(!answer.empty());
        CHECK(text.find(answer) != std::string::npos);
        CHECK(is_valid_utf8(question));
        CHECK(is_valid_utf8(answer));
        CHECK(std::set<std::string>{"easy", "medium", "hard"}.count(pair.data.at("difficulty")) == 1);
        CHECK(reasoning.find("Sentence used: \"") != std::string::npos);
        CHECK(pair.data.at("teacher") == "offline_teacher");
        CHECK(pair.data.at("cost_usd") == 0.0);
        CHECK(pair.data.at("heading_path") == chunk.data.at("heading_path"));
        for (const auto& heading : chunk.data.at("heading_path")) CHECK(reasoning.find(heading.get<std::string>()) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("every pair from the sample protocol is grounded in its chunk") {
    const auto chunks = chunk_document(read_file(FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md"));
    REQUIRE(chunks.size() >= 8);
    testing::TestContext context;
    const auto pairs = run_teacher(chunks, 5, context);
    CHECK(pairs.size() >= 4 * chunks.size());
    check_pairs_against_chunks(chunks, pairs);

    std::set<std::string> kinds;
    for (const auto& pair : pairs) kinds.insert(pair.data.at("question_kind").get<std::string>());
    CHECK(kinds == std::set<std::string>{"section_purpose", "definition", "steps", "list", "condition", "numeric_fact"});
}

TEST_CASE("the same chunks give the same pairs, run after run") {
    const auto chunks = chunk_document(read_file(FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md"));
    testing::TestContext first_context, second_context;
    const auto first = run_teacher(chunks, 5, first_context);
    const auto second = run_teacher(chunks, 5, second_context);
    REQUIRE(first.size() == second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].id == second[i].id);
        CHECK(first[i].data == second[i].data);
    }
}

TEST_CASE("concurrent calls on one instance give what serial calls give") {
    const auto chunks = chunk_document(read_file(FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md"));
    testing::TestContext context;
    const auto serial = run_teacher(chunks, 5, context);

    OfflineTeacher teacher(OfflineTeacherSettings{5}, context);
    testing::VectorEmitter out;
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = t; i < chunks.size(); i += 4) teacher.process(chunks[i], out);
        });
    for (auto& thread : threads) thread.join();
    auto parallel = out.records;
    std::sort(parallel.begin(), parallel.end(), [](const Record& a, const Record& b) { return a.id < b.id; });
    REQUIRE(parallel.size() == serial.size());
    for (std::size_t i = 0; i < serial.size(); ++i) CHECK(parallel[i].data == serial[i].data);
}

TEST_CASE("questions_per_chunk caps the pairs of each chunk and numbers them from _q01") {
    const auto chunks = chunk_document(read_file(FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md"));
    for (std::size_t cap : {1u, 2u, 5u, 20u}) {
        testing::TestContext context;
        const auto pairs = run_teacher(chunks, cap, context);
        std::map<std::string, std::size_t> per_chunk;
        for (const auto& pair : pairs) ++per_chunk[pair.data.at("source_chunk").get<std::string>()];
        for (const auto& [chunk, count] : per_chunk) CHECK(count <= cap);
        if (cap <= 2) CHECK(pairs.size() == cap * chunks.size());
    }
    testing::TestContext context;
    const auto one = run_teacher({chunks.at(3)}, 3, context);
    REQUIRE(one.size() == 3);
    CHECK(one[0].id == chunks.at(3).id + "_q01");
    CHECK(one[2].id == chunks.at(3).id + "_q03");
}

TEST_CASE("a chunk with nothing to ask about yields no pair and is counted") {
    testing::TestContext context;
    const auto pairs = run_teacher({make_chunk("chunk_000000", ""), make_chunk("chunk_000001", "  \n\n "),
                                    make_chunk("chunk_000002", "lowercase words without any fact")},
                                   5, context);
    CHECK(pairs.empty());
    CHECK(context.stage_metrics.get("empty_inputs") == 3);
}

TEST_CASE("a record without text is rejected with a reason, not turned into pairs") {
    testing::TestContext context;
    OfflineTeacher teacher(OfflineTeacherSettings{}, context);
    testing::VectorEmitter out;
    Record not_a_chunk;
    not_a_chunk.id = "doc_1";
    not_a_chunk.data = Json{{"content", "Obtain EKG within 10 minutes."}};
    try {
        teacher.process(not_a_chunk, out);
        FAIL("expected an ItemError");
    } catch (const ItemError& e) {
        CHECK(e.reason() == "not_a_chunk");
        CHECK(std::string(e.what()).find("doc_1") != std::string::npos);
    }
    CHECK(out.records.empty());
}

TEST_CASE("multibyte text: answers are exact spans and stay valid UTF-8") {
    const std::vector<Record> chunks = {
        make_chunk("chunk_000000",
                   "## Traitement de la fièvre\n\nCe protocole décrit la prise en charge de la fièvre. "
                   "Donner 500 mg de paracétamol toutes les 6 heures. Température cible : 38,5 °C au plus.\n",
                   {"Protocole pédiatrique"}),
        make_chunk("chunk_000001", "Ωmega-3 dosing: give 2 g daily. If the patient weighs under 40 kg, give 1 g. 日本語 10 mg 錠。\n",
                   {"Ernährung — Übersicht"}),
    };
    testing::TestContext context;
    const auto pairs = run_teacher(chunks, 10, context);
    check_pairs_against_chunks(chunks, pairs);
    std::set<std::string> answers;
    for (const auto& pair : pairs) answers.insert(pair.data.at("answer").get<std::string>());
    CHECK(answers.count("500 mg") == 1);
    CHECK(answers.count("38,5 °C") == 1);
    CHECK(answers.count("Ce protocole décrit la prise en charge de la fièvre.") == 1);
    CHECK(answers.count("give 1 g") == 1);
    CHECK(answers.count("10 mg") == 1);
    for (const auto& pair : pairs) CHECK_NOTHROW(pair.data.dump());
}

TEST_CASE("corpus documents in several languages give only grounded pairs") {
    for (const char* path : {FLOWDISTILL_SOURCE_DIR "/../shared/corpus/medical/nci_pdq_osteosarcoma_treatment_patient.md",
                             FLOWDISTILL_SOURCE_DIR "/../shared/corpus/multilingual/udhr_french.md",
                             FLOWDISTILL_SOURCE_DIR "/../shared/corpus/multilingual/udhr_russian.md",
                             FLOWDISTILL_SOURCE_DIR "/../shared/corpus/legal/us_constitution.txt"}) {
        INFO(path);
        const auto chunks = chunk_document(read_file(path));
        REQUIRE(!chunks.empty());
        testing::TestContext context;
        const auto pairs = run_teacher(chunks, 5, context);
        check_pairs_against_chunks(chunks, pairs);
        std::set<std::string> chunks_with_pairs;
        for (const auto& pair : pairs) chunks_with_pairs.insert(pair.data.at("source_chunk").get<std::string>());
        CHECK(chunks_with_pairs.size() + static_cast<std::size_t>(context.stage_metrics.get("empty_inputs")) ==
              chunks.size());
    }
}
