#include <catch2/catch.hpp>

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
