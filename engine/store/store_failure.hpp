#pragma once
// Turns a SQLite failure on the run store into a FatalError that names the file and says what to do.
#include <filesystem>
#include <string_view>

#include <flowdistill/errors.hpp>

namespace flowdistill::engine {

// `sqlite_code` is SQLite's (extended) result code; `detail` is SQLite's own message, kept at the
// end for whoever has to dig further.
FatalError store_failure(const std::filesystem::path& file, int sqlite_code, std::string_view detail);

}  // namespace flowdistill::engine
