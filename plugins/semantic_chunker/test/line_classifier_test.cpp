#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "line_classifier.hpp"

using semantic_chunker::LineClassifier;
using semantic_chunker::LineKind;

namespace {

// Classifies `line` after a blank line, with `next` after it.
semantic_chunker::LineFacts after_blank(const std::string& line, std::optional<std::string_view> next = std::string_view("")) {
    LineClassifier classifier;
    classifier.classify("intro", std::string_view(""));
    classifier.classify("", std::string_view(line));
    return classifier.classify(line, next);
}

std::string title_of(const semantic_chunker::LineFacts& facts) { return facts.heading ? facts.heading->title : "<none>"; }

}  // namespace

TEST_CASE("Markdown headings, with closing hashes, and not inside fenced code") {
    LineClassifier classifier;
    auto facts = classifier.classify("## Risk Factors ##", std::string_view("text"));
    REQUIRE(facts.kind == LineKind::Heading);
    CHECK(facts.heading->markdown_level == 2);
    CHECK(facts.heading->title == "Risk Factors");
    classifier.classify("```bash", std::string_view("# a comment"));
    CHECK(classifier.classify("# a comment", std::string_view("```")).kind != LineKind::Heading);
    classifier.classify("```", std::string_view("# After"));
    CHECK(classifier.classify("# After", std::nullopt).kind == LineKind::Heading);
    CHECK(classifier.classify("#hashtag is not a heading", std::nullopt).kind != LineKind::Heading);
}

TEST_CASE("numbered headings need a capitalised title, single numbers must stand alone") {
    CHECK(title_of(after_blank("4.1 Cardiovascular Management")) == "4.1 Cardiovascular Management");
    CHECK(title_of(after_blank("5.1.1. The hostname resolution")) == "5.1.1. The hostname resolution");
    CHECK(title_of(after_blank("3.5 million people were counted")) == "<none>");
    CHECK(title_of(after_blank("2. Scope", std::string_view(""))) == "2. Scope");
    CHECK(title_of(after_blank("2. Take the pills", std::string_view("3. Drink water"))) == "<none>");
    CHECK(after_blank("2. Take the pills", std::string_view("3. Drink water")).kind == LineKind::ListItem);
    CHECK(title_of(after_blank("  4.1 Indented Is A Table Of Contents")) == "<none>");
}

TEST_CASE("keyword headings: ARTICLE, SECTION, Sec., CHAPTER, PART, §") {
    CHECK(title_of(after_blank("ARTICLE I")) == "ARTICLE I");
    CHECK(title_of(after_blank("SECTION. 1. All legislative Powers herein granted shall be vested in a",
                               std::string_view("Congress of the United States"))) == "SECTION. 1.");
    CHECK(title_of(after_blank("Sec. 110. (a) Notwithstanding any other provision of law, any amounts",
                               std::string_view("made available"))) == "Sec. 110.");
    CHECK(title_of(after_blank("PART 1—DEFINITIONS")) == "PART 1—DEFINITIONS");
    CHECK(title_of(after_blank("§ 1.1 Definitions.")) == "§ 1.1 Definitions.");
    CHECK(title_of(after_blank("Section 4")) == "Section 4");
    CHECK(title_of(after_blank("Part of the reason is cost")) == "<none>");
    CHECK(title_of(after_blank("Chapter and verse")) == "<none>");
}

TEST_CASE("underlined titles take the line above, rules alone are not headings") {
    auto facts = after_blank("4.1. Standards conformance", std::string_view("=========================="));
    REQUIRE(facts.kind == LineKind::Heading);
    CHECK(facts.heading->consumes_next_line);
    CHECK(facts.heading->title == "4.1. Standards conformance");
    CHECK(title_of(after_blank("Overview", std::string_view("━━━━━━━━"))) == "Overview");
    CHECK(title_of(after_blank("Overview", std::string_view("--"))) == "<none>");  // too short for a rule
    CHECK(after_blank("----------").kind == LineKind::Rule);
    // YAML front matter is not a setext heading.
    LineClassifier classifier;
    classifier.classify("---", std::string_view("title: x"));
    CHECK(classifier.classify("title: x", std::string_view("---")).kind != LineKind::Heading);
}

TEST_CASE("list items and table rows") {
    CHECK(after_blank("- item").kind == LineKind::ListItem);
    CHECK(after_blank("  * nested item").kind == LineKind::ListItem);
    CHECK(after_blank("(a) Definitions apply").kind == LineKind::ListItem);
    CHECK(after_blank("• bullet").kind == LineKind::ListItem);
    CHECK(after_blank("| cell | cell |").kind == LineKind::TableRow);
    CHECK(after_blank("plain words").kind == LineKind::Plain);
    CHECK(after_blank("   \t ").kind == LineKind::Blank);
}

TEST_CASE("indentation is measured across the 16-byte steps as a byte loop would") {
    for (std::size_t indent = 0; indent < 40; ++indent) {
        for (std::size_t text = 0; text < 20; text += 3) {
            std::string line;
            for (std::size_t i = 0; i < indent; ++i) line += i % 3 == 0 ? '\t' : ' ';
            line += std::string(text, 'x');
            INFO("indent " << indent << " text " << text);
            REQUIRE(semantic_chunker::indent_length(line) == indent);
        }
    }
    CHECK(semantic_chunker::indent_length("                \xC2\xA0 x") == 16);  // a no-break space is not indentation
}

TEST_CASE("the shortcut for common lines decides as the full classification would (seeded)") {
    // Lines of every kind, in random order, so each meets every kind of line before and after it.
    const std::vector<std::string> lines = {"",          "   ",          "plain prose line",   "Capitalised line",
                                            "lower after", "| a | b |",  "|---|---|",          "  | indented | row |",
                                            "=====",     "-----",        "- item",             "* item",
                                            "1. Scope",  "4.1 Title",    "ARTICLE I",          "SHELL GRAMMAR",
                                            "# Heading", "```",          "~~~",                "(a) item",
                                            "\xE2\x80\xA2 bullet", "\xC2\xA0\xC2\xA0 nbsp text", "\xC3\xA9t\xC3\xA9", "---",
                                            "____",      "~~~~~",        "+ plus",             "\ttabbed line",
                                            "^^^^^",     "2024 was a year", "Section 3",       "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80",
                                            "Many words in a long line of prose that runs well past sixty bytes.",
                                            "Chapter headings may run on: Chapter 5. The text goes on past sixty bytes",
                                            "CAPITALS THAT RUN ON AND ON, WELL PAST THE SIXTY BYTES OF A TITLE",
                                            "DESCRIPTION", "EXIT STATUS                                                                ",
                                            "  INDENTED CAPITALS", "\xD0\x9F\xD1\x80\xD0\xB8 text", "\xE6\x97\xA5\xE6\x9C\xAC"};
    std::mt19937 random(77);
    std::uniform_int_distribution<std::size_t> pick(0, lines.size() - 1);
    for (int document = 0; document < 300; ++document) {
        std::vector<std::string> doc;
        for (int i = 0; i < 40; ++i) doc.push_back(lines[pick(random)]);
        semantic_chunker::LineClassifier history;
        for (std::size_t i = 0; i < doc.size(); ++i) {
            const std::optional<std::string_view> next =
                i + 1 < doc.size() ? std::optional<std::string_view>(doc[i + 1]) : std::nullopt;
            semantic_chunker::LineClassifier shortcut = history, full = history;
            const LineKind decided = shortcut.take_common_line(doc[i], next && !next->empty() ? next->front() : '\0');
            const LineKind kind = full.classify(doc[i], next).kind;
            INFO("document " << document << " line " << i << ": '" << doc[i] << "'");
            if (decided != LineKind::Heading) {
                REQUIRE(kind == decided);
                // Both leave the classifier in the same state: the next line is judged alike.
                if (next) REQUIRE(shortcut.classify(*next, std::nullopt).kind == full.classify(*next, std::nullopt).kind);
            }
            history.classify(doc[i], next);
        }
    }
}

TEST_CASE("titles: runs of spaces, tabs and no-break spaces become one space, and clean titles stay as they are") {
    CHECK(title_of(after_blank("## Risk  Factors\tand\xC2\xA0More ##")) == "Risk Factors and More");
    CHECK(title_of(after_blank("4.1\xC2\xA0\xC2\xA0" "Cardiovascular   Management")) == "4.1 Cardiovascular Management");
    CHECK(title_of(after_blank("# A \tB")) == "A B");
    CHECK(title_of(after_blank("# A B C")) == "A B C");
    CHECK(title_of(after_blank("# Double  Space")) == "Double Space");
    CHECK(title_of(after_blank("# \xC3\x89tude \xC2\xBB caf\xC3\xA9")) == "\xC3\x89tude \xC2\xBB caf\xC3\xA9");  // C2 without A0 is no space
}
