#include <catch2/catch.hpp>

#include <cctype>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "line_classifier.hpp"

using semantic_chunker::LineClassifier;
using semantic_chunker::LineKind;

namespace {

// What classify() found, kept: its heading lives in the classifier.
struct Classified {
    LineKind kind;
    std::optional<semantic_chunker::HeadingMatch> heading;
};

// Classifies `line` after a blank line, with `next` after it.
Classified after_blank(const std::string& line, std::optional<std::string_view> next = std::string_view("")) {
    LineClassifier classifier;
    classifier.classify("intro", std::string_view(""));
    classifier.classify("", std::string_view(line));
    const semantic_chunker::LineFacts facts = classifier.classify(line, next);
    return {facts.kind, facts.heading ? std::optional(*facts.heading) : std::nullopt};
}

std::string title_of(const Classified& facts) { return facts.heading ? facts.heading->title : "<none>"; }

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

TEST_CASE("a one-level number: a title may end in a dot, be longer and be indented a little, a sentence may not") {
    // Section titles of the GNU licences: indented two spaces, written as titles, with a final dot.
    CHECK(title_of(after_blank("  0. Definitions.")) == "0. Definitions.");
    CHECK(title_of(after_blank("  9. Acceptance Not Required for Having Copies.")) == "9. Acceptance Not Required for Having Copies.");
    CHECK(title_of(after_blank("3. Protecting Users' Legal Rights From Anti-Circumvention Law.")) ==
          "3. Protecting Users' Legal Rights From Anti-Circumvention Law.");
    // Sentences and list items stay what they are.
    CHECK(title_of(after_blank("2. Take the pills with a glass of water.")) == "<none>");
    CHECK(title_of(after_blank("  1. Take the pills.")) == "<none>");
    CHECK(after_blank("  1. Take the pills.").kind == LineKind::ListItem);
    CHECK(title_of(after_blank("   1. Call:")) == "<none>");  // a step of a list, in the Debian policy manual
    CHECK(title_of(after_blank("    2. Four Spaces Is A List.")) == "<none>");
    CHECK(title_of(after_blank("  2.1 Indented Subsection.")) == "<none>");
    CHECK(title_of(after_blank("   1. Download the Installer")) == "<none>");  // indented, a title ends in a dot
    CHECK(title_of(after_blank("   1. Introduction ......2")) == "<none>");    // a table of contents
    // Quotes and brackets before a word do not hide its case.
    CHECK(title_of(after_blank("  5. Run \"make\".")) == "<none>");
    CHECK(title_of(after_blank("3. Update `node_root_certs.h` from `certdata.txt`.")) == "<none>");
    CHECK(title_of(after_blank("  4. Read \"The Manual\".")) == "4. Read \"The Manual\".");
    // Case is not looked up outside ASCII: an indented number over Cyrillic text is a list item.
    CHECK(title_of(after_blank("  1. Каждый человек имеет право на гражданство.")) == "<none>");
    // Only a space or a tab after an indented number, as the running-text loop reads a list item.
    CHECK(title_of(after_blank("  1.\xC2\xA0" "Definitions.")) == "<none>");
}

TEST_CASE("a one-level number whose title runs on into its text, as licences number their sections") {
    CHECK(title_of(after_blank("   2. Grant of Copyright License. Subject to the terms and conditions of",
                               std::string_view("      this License, each Contributor hereby grants"))) == "2. Grant of Copyright License.");
    CHECK(title_of(after_blank("1. Scope. This part applies to every drug.", std::string_view(""))) == "1. Scope.");
    // A sentence, a title over more text in lower case, and the items of a list.
    CHECK(title_of(after_blank("1. Install the tool. Then run it.", std::string_view(""))) == "<none>");
    CHECK(title_of(after_blank("1. Install Node. then run it.", std::string_view(""))) == "<none>");
    CHECK(title_of(after_blank("1. Install Node. Then run it.", std::string_view("2. Open the Page. Then look."))) == "<none>");
    CHECK(title_of(after_blank("1. A Title With Far Too Many Words For One Run In. Then text.", std::string_view(""))) ==
          "<none>");
}

TEST_CASE("a number alone over a title, and a page's first line, as text from a PDF sets a chapter") {
    const Classified chapter = after_blank("1.", std::string_view("Filing Information"));
    REQUIRE(chapter.heading);
    CHECK(chapter.heading->title == "1. Filing Information");
    CHECK(chapter.heading->number == "1");
    CHECK(chapter.heading->consumes_next_line);
    CHECK(title_of(after_blank("\f12.", std::string_view("Other Itemized Deductions"))) == "12. Other Itemized Deductions");
    CHECK(title_of(after_blank("\fPart One.", std::string_view("The Income"))) == "Part One.");
    CHECK(title_of(after_blank("\fTABLE OF CONTENTS", std::string_view("I."))) == "TABLE OF CONTENTS");
    // Numbers over text that is not a title: the cells of a tax form, a year, a form's number.
    CHECK(title_of(after_blank("8.", std::string_view("See Publication 1212 and Form 1099-OID for information regarding"))) == "<none>");
    CHECK(title_of(after_blank("1.", std::string_view("your income"))) == "<none>");
    CHECK(title_of(after_blank("7.", std::string_view("8."))) == "<none>");
    CHECK(title_of(after_blank("1.", std::string_view(""))) == "<none>");
    CHECK(title_of(after_blank("2025.", std::string_view("Your Claim"))) == "<none>");
    CHECK(title_of(after_blank("1.", std::string_view("Income:"))) == "<none>");
    CHECK(title_of(after_blank("1.", std::string_view("   Indented Title"))) == "<none>");
    // Only form feeds start a page: other indentation before a title still rules it out.
    CHECK(title_of(after_blank("\f  Part One.", std::string_view("The Income"))) == "<none>");
    // The line after a title is no title position: numbers over the cells of a table are one heading at most.
    LineClassifier classifier;
    classifier.classify("", std::string_view("1."));
    REQUIRE(classifier.classify("1.", std::string_view("United States")).kind == LineKind::Heading);
    classifier.skip_line();
    CHECK(classifier.classify("2.", std::string_view("China")).kind != LineKind::Heading);
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
    CHECK(title_of(after_blank("Part One.", std::string_view("The Income"))) == "Part One.");
    CHECK(title_of(after_blank("CHAPTER TWELVE")) == "CHAPTER TWELVE");
    CHECK(title_of(after_blank("Part one of the plan", std::string_view("is"))) == "<none>");
    // A word in lower case after the number: a sentence of one line, not a heading.
    CHECK(title_of(after_blank("Part One of this series is free.")) == "<none>");
    CHECK(title_of(after_blank("Chapter 11 bankruptcy filings rose.")) == "<none>");
    CHECK(title_of(after_blank("Chapter 1. GNU/Linux tutorials")) == "Chapter 1. GNU/Linux tutorials");
}

TEST_CASE("a line in capitals is a heading, one word only apart from the text below it") {
    CHECK(title_of(after_blank("SHELL GRAMMAR", std::string_view("This section describes the grammar"))) == "SHELL GRAMMAR");
    CHECK(title_of(after_blank("PREAMBLE", std::string_view(""))) == "PREAMBLE");
    CHECK(title_of(after_blank("PREAMBLE", std::nullopt)) == "PREAMBLE");
    CHECK(title_of(after_blank("NAME", std::string_view("       bash - GNU Bourne-Again SHell"))) == "NAME");
    CHECK(title_of(after_blank("ASCII", std::string_view("\tThe character encoding"))) == "ASCII");
    // Table cells and labels of a converted PDF: a word over more text at column 0.
    CHECK(title_of(after_blank("THEN", std::string_view("your"))) == "<none>");
    CHECK(title_of(after_blank("THEN", std::string_view("OR send"))) == "<none>");
    CHECK(title_of(after_blank("NOTE", std::string_view("Keep this form."))) == "<none>");
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

namespace {

// What a classifier does with a line, all of it, for comparing two classifiers.
std::string outcome(LineClassifier& classifier, std::string_view line, std::optional<std::string_view> next) {
    const semantic_chunker::LineFacts facts = classifier.classify(line, next);
    std::string seen = std::to_string(static_cast<int>(facts.kind));
    if (facts.heading) {
        const auto& heading = *facts.heading;
        seen += "|" + heading.title + "|" + heading.number + "|" + std::to_string(heading.markdown_level) + "|" +
                std::to_string(heading.number_depth) + "|" + std::to_string(static_cast<int>(heading.style.markup)) + "|" +
                std::to_string(heading.style.detail) + "|" + std::to_string(heading.style.overlined) + "|" +
                std::to_string(heading.consumes_next_line);
    }
    return seen + (classifier.in_body() ? "|body" : "|") + (classifier.after_break() ? "|break" : "|");
}

}  // namespace

TEST_CASE("the shortcut for common lines decides as the full classification would (seeded)") {
    // Lines of every kind, in random order, so each meets every kind of line before and after it:
    // the shortcut's own decisions (structural leads that are prose after all, fenced code, titles
    // that are sentences) and their near misses.
    const std::vector<std::string> lines = {
        "", "   ", "plain prose line", "Capitalised line", "lower after", "| a | b |", "|---|---|", "  | indented | row |",
        "=====", "-----", "- item", "* item", "1. Scope", "4.1 Title", "ARTICLE I", "SHELL GRAMMAR", "# Heading", "```",
        "~~~", "(a) item", "\xE2\x80\xA2 bullet", "\xC2\xA0\xC2\xA0 nbsp text", "\xC3\xA9t\xC3\xA9", "---", "____", "~~~~~",
        "+ plus", "\ttabbed line", "^^^^^", "2024 was a year", "Section 3", "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80",
        "Many words in a long line of prose that runs well past sixty bytes.",
        "Chapter headings may run on: Chapter 5. The text goes on past sixty bytes",
        "CAPITALS THAT RUN ON AND ON, WELL PAST THE SIXTY BYTES OF A TITLE", "DESCRIPTION",
        "EXIT STATUS                                                                ", "  INDENTED CAPITALS",
        "\xD0\x9F\xD1\x80\xD0\xB8 text", "\xE6\x97\xA5\xE6\x9C\xAC", "(see below)", "- -", "-x", "*emphasis*", "+1 vote", "=x",
        "`code` here", "``", "#hashtag", "  # indented hash", "\xC2\xA0", "\xC2\xA0 ", "\xC2\xA7 1.1 Definitions.",
        "\xC2\xAB quoted \xC2\xBB", "\xE2\x80\x9CQuoted\xE2\x80\x9D", "\xE2\x94\x80 box", "\fNAME", "\f", "The quick brown fox",
        "THE END", "Part of it", "12345 numbers", "1) item", "12. Item", "1.2.3 Deep Title", "  - nested", "\t1. tabbed item",
        "(iv) roman", "(abcdef) not", "~~not a fence", "~~~~ longer fence", "SEC. 4.", "Title 5", "T", "A.", "9",
        "  0. Definitions.", "   1. Call:", "    2. Deep Item", "1.", "\f1.", "Filing Information", "\fPart One.", "Part Two.",
        "  1.\xC2\xA0" "Definitions.", "  5. Run \"make\".", "2. Grant of Copyright License. Subject to it.",
        "   3. Trademarks. This License", "  7)  Seven Dwarfs."};
    std::mt19937 random(77);
    std::uniform_int_distribution<std::size_t> pick(0, lines.size() - 1);
    for (int document = 0; document < 400; ++document) {
        std::vector<std::string> doc;
        for (int i = 0; i < 40; ++i) doc.push_back(lines[pick(random)]);
        LineClassifier history;
        for (std::size_t i = 0; i < doc.size(); ++i) {
            const std::optional<std::string_view> next =
                i + 1 < doc.size() ? std::optional<std::string_view>(doc[i + 1]) : std::nullopt;
            LineClassifier shortcut = history, full = history;
            const LineKind decided = shortcut.take_common_line(doc[i], next && !next->empty() ? next->front() : '\0');
            const LineKind kind = full.classify(doc[i], next).kind;
            INFO("document " << document << " line " << i << ": '" << doc[i] << "'");
            if (decided != LineKind::Heading) {
                REQUIRE(kind == decided);
                // Both leave the classifier in the same state: any line after is judged alike.
                for (const std::string& after : {doc[(i + 1) % doc.size()], std::string("====="), std::string("1. Scope")}) {
                    LineClassifier shortcut_after = shortcut, full_after = full;
                    REQUIRE(outcome(shortcut_after, after, std::string_view("")) == outcome(full_after, after, std::string_view("")));
                }
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

namespace {

// Titles cleaned the plain way, a byte at a time, to check the bit-mask cleaning against.
std::string cleaned_plainly(std::string_view text) {
    std::string title;
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t separator = 0;
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\f' || text[i] == '\v' || text[i] == '\r') separator = 1;
        else if (text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') separator = 2;
        if (separator > 0) {
            pending_space = !title.empty();
            i += separator;
            continue;
        }
        if (pending_space) title.push_back(' ');
        pending_space = false;
        title.push_back(text[i++]);
    }
    return title;
}

// The list items of docs/chunking.md, tested the plain way.
bool list_item_plainly(std::string_view line) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::string_view rest = line.substr(i);
    if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && space(rest[1])) return true;
    if (rest.substr(0, 3) == "\xE2\x80\xA2" || rest.substr(0, 3) == "\xE2\x97\x8F") return true;
    std::size_t digits = 0;
    while (digits < rest.size() && digits < 4 && digit(rest[digits])) ++digits;
    if (digits > 0 && digits + 1 < rest.size() && (rest[digits] == '.' || rest[digits] == ')') && space(rest[digits + 1])) return true;
    if (rest.size() >= 4 && rest[0] == '(') {
        const std::size_t close = rest.find(')');
        if (close != std::string_view::npos && close > 1 && close <= 5 && close + 1 < rest.size() && space(rest[close + 1])) {
            for (std::size_t k = 1; k < close; ++k)
                if (!std::isalnum(static_cast<unsigned char>(rest[k]))) return false;
            return true;
        }
    }
    return false;
}

std::string random_text(std::mt19937& random, const std::vector<std::string>& pieces, std::size_t bytes) {
    std::string text;
    while (text.size() < bytes) text += pieces[random() % pieces.size()];
    return text;
}

}  // namespace

TEST_CASE("titles of every length are cleaned as a byte-by-byte cleaning would (seeded)") {
    // Separators of every kind, and bytes that only look like them (C2 and A0 alone), around the
    // 16-, 64- and 256-byte steps of the bit masks.
    const std::vector<std::string> pieces = {" ", "  ", "\t", "\f", "\v", "\r", "\xC2\xA0", "\xC2", "\xA0", "\xC2\xC2\xA0",
                                             "a", "Word", "\xC3\xA9", "\xE2\x80\x94", "1.", "x"};
    std::mt19937 random(2024);
    int markdown_titles = 0;
    for (int round = 0; round < 3000; ++round) {
        const std::string title = "A" + random_text(random, pieces, random() % 300) + "Z";
        INFO("title '" << title << "'");
        // As a Markdown heading (at most 120 code points) and as a keyword heading that runs on,
        // titled by its number: the separators before the number are cleaned too.
        const auto markdown = after_blank("## " + title + " ##");
        if (title_of(markdown) != "<none>") {
            CHECK(title_of(markdown) == cleaned_plainly(title));
            ++markdown_titles;
        }
        const std::string separators = random_text(random, {" ", "\t", "\xC2\xA0"}, 1 + random() % 200);
        const auto keyword = after_blank("SECTION" + separators + "12. " + title + " and the text runs on", std::string_view("more"));
        REQUIRE(keyword.kind == LineKind::Heading);
        CHECK(keyword.heading->title == cleaned_plainly("SECTION" + separators + "12."));
    }
    CHECK(markdown_titles > 1000);  // most titles are short enough for a heading
}

TEST_CASE("list items are found as the plain rules find them, in lines of every length (seeded)") {
    const std::vector<std::string> pieces = {"1", "12", "1234", "12345", ".", ")", " ", "\t", "\f", "(", "a", "iv", "-", "*",
                                             "+", "\xE2\x80\xA2", "\xE2\x97\x8F", "\xE2", "x", "  ", "\xC3\xA9"};
    std::mt19937 random(7);
    std::size_t items = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::string line = random_text(random, pieces, 1 + random() % 14);
        INFO("line '" << line << "'");
        const bool expected = list_item_plainly(line);
        REQUIRE(semantic_chunker::is_list_item(line) == expected);
        items += expected;
    }
    CHECK(items > 1000);  // the pieces make items often enough to test both answers
}
