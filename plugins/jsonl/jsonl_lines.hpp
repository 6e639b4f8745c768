#pragma once
// One JSON line (no trailing new line) per record, in the two formats the jsonl sink writes.
// Non-ASCII text is written as UTF-8, never as \u escapes; invalid UTF-8 becomes U+FFFD.
#include <string>

#include <flowdistill/record.hpp>

namespace flowdistill::jsonl {

// {"instruction","input","output","reasoning","difficulty","source"}, in exactly that order, from a
// Q&A pair record (docs/record-contracts.md). Throws ItemError for a record without a question
// or an answer.
std::string golden_line(const Record& pair);

// {"id": ..., then the record's data fields}.
std::string record_line(const Record& record);

}  // namespace flowdistill::jsonl
