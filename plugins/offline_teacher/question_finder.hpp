#pragma once
// Finds template questions in one chunk: definitions, numbered steps and lists, conditions,
// numeric facts (doses, times, limits, dates) and the purpose of a section from its heading.
// No model is involved; every answer is a verbatim span of the chunk's text.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "text_blocks.hpp"

namespace flowdistill::offline_teacher {

enum class QuestionKind { SectionPurpose, Definition, Steps, List, Condition, NumericFact };

const char* question_kind_name(QuestionKind kind);
// easy for what a reader finds by looking (purpose, definition), medium for collecting or
// locating (steps, lists, numeric facts), hard for conditions, which need the case to be matched.
const char* difficulty_of(QuestionKind kind);

struct FoundQuestion {
    QuestionKind kind = QuestionKind::Definition;
    std::string question;       // ends with '?'
    Span answer;                // into the chunk text
    Span evidence;              // the sentence (or list) the question was made from
    std::string section;        // the heading the evidence sits under, "" when none is known
};

struct ChunkText {
    std::string_view text;
    std::vector<std::string> heading_path;  // outermost first
};

// Every question the templates find, grouped by kind and in text order within a kind.
std::vector<FoundQuestion> find_questions(const ChunkText& chunk);

// At most `limit` questions, taking one of each kind in turn (purpose, definition, steps or list,
// condition, numeric fact) so that a small cap still gives a mix. Same input, same output.
std::vector<FoundQuestion> pick_questions(std::vector<FoundQuestion> found, std::size_t limit);

}  // namespace flowdistill::offline_teacher
