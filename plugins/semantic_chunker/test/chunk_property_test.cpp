#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "chunk_checks.hpp"

using semantic_chunker::ChunkerSettings;

namespace {

// Random documents: a mix of headings of every style, lists, tables, sentences with abbreviations
// and decimals, multibyte words, CJK sentences, blank lines, CRLF, BOMs and invalid bytes. No word
// is longer than 12 code points, so every chunk must start and end at a word boundary.
class DocumentGenerator {
public:
    explicit DocumentGenerator(std::uint32_t seed) : random_(seed) {}

    std::string document() {
        std::string doc = chance(10) ? "\xEF\xBB\xBF" : "";
        const bool crlf = chance(15);
        const int blocks = pick(0, 25);
        for (int b = 0; b < blocks; ++b) {
            switch (pick(0, 9)) {
                case 0: doc += std::string(static_cast<std::size_t>(pick(1, 4)), '#') + " " + words(1, 5) + "\n\n"; break;
                case 1: doc += std::to_string(pick(1, 9)) + "." + std::to_string(pick(1, 9)) + " " + title() + "\n\n"; break;
                case 2: {
                    const std::string t = title();
                    doc += t + "\n" + std::string(t.size(), chance(50) ? '=' : '-') + "\n\n";
                    break;
                }
                case 3: doc += "Section " + std::to_string(pick(1, 20)) + "\n\n"; break;
                case 4:
                    for (int i = pick(1, 6); i > 0; --i) doc += (chance(50) ? "- " : std::to_string(i) + ". ") + sentence() + "\n";
                    doc += "\n";
                    break;
                case 5:
                    for (int i = pick(1, 5); i > 0; --i) doc += "| " + words(1, 3) + " | " + words(1, 3) + " |\n";
                    doc += "\n";
                    break;
                case 6:
                    for (int i = pick(1, 6); i > 0; --i) doc += cjk_sentence();
                    doc += "\n\n";
                    break;
                default: {
                    std::string paragraph;
                    for (int i = pick(1, 12); i > 0; --i) paragraph += sentence() + (chance(20) ? "\n" : " ");
                    doc += paragraph + "\n\n";
                }
            }
        }
        if (chance(30) && !doc.empty()) doc.pop_back();  // no final newline
        if (chance(5)) doc += "\xC3 bad \xFF bytes";
        if (crlf) {
            std::string converted;
            for (char c : doc) {
                if (c == '\n') converted += "\r\n";
                else converted += c;
            }
            doc = converted;
        }
        return doc;
    }

    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    bool chance(int percent) { return pick(1, 100) <= percent; }

private:
    std::string word() {
        static const std::vector<std::string> pool = {"the", "patient", "dose", "café", "déjà", "naïve", "Straße", "日本",
                                                      "данные", "مرحبا", "😀", "👍🏽", "e.g.", "Dr.", "Fig.", "4.1", "3.14",
                                                      "x", "(see", "it)", "\"quoted\"", "well-known", "U.S.", "mg/kg"};
        return pool[static_cast<std::size_t>(pick(0, static_cast<int>(pool.size()) - 1))];
    }
    std::string words(int low, int high) {
        std::string text;
        for (int i = pick(low, high); i > 0; --i) text += (text.empty() ? "" : " ") + word();
        return text;
    }
    std::string title() { return "Title " + words(1, 3); }
    std::string sentence() {
        static const char* ends[] = {".", ".", ".", "!", "?", ".\"", ")."};
        return "Word " + words(2, 14) + ends[pick(0, 6)];
    }
    std::string cjk_sentence() {
        static const std::vector<std::string> pool = {"日", "本", "語", "の", "文", "で", "す", "、", "雨"};
        std::string text;
        for (int i = pick(1, 10); i > 0; --i) text += pool[static_cast<std::size_t>(pick(0, 8))];
        static const char* ends[] = {"。", "！", "？"};
        return text + ends[pick(0, 2)];
    }

    std::mt19937 random_;
};

}  // namespace

TEST_CASE("property: random documents keep every invariant (seeded, 3000 cases)") {
    DocumentGenerator generator(20261125);
    for (int round = 0; round < 3000; ++round) {
        const std::string doc = generator.document();
        ChunkerSettings settings;
        settings.chunk_size = static_cast<std::size_t>(generator.pick(40, 400));
        settings.overlap = static_cast<std::size_t>(generator.pick(0, static_cast<int>(settings.chunk_size / 2)));
        settings.min_chunk = static_cast<std::size_t>(generator.pick(0, static_cast<int>(settings.chunk_size / 4)));
        const std::size_t block_bytes = static_cast<std::size_t>(generator.pick(5, 300));
        INFO("round " << round << ", chunk_size " << settings.chunk_size << ", overlap " << settings.overlap
                      << ", min_chunk " << settings.min_chunk << ", block " << block_bytes << ", document:\n" << doc);
        const auto chunks = semantic_chunker::testing::chunk_raw(doc, settings, block_bytes);
        semantic_chunker::testing::check_invariants(doc, chunks, settings, true);
    }
}
