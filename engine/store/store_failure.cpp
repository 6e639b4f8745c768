#include "store/store_failure.hpp"

#include <string>

#include <sqlite3.h>

namespace flowdistill::engine {

FatalError store_failure(const std::filesystem::path& file, int sqlite_code, std::string_view detail) {
    const std::string name = file.string();
    const std::string directory = file.has_parent_path() ? file.parent_path().string() : std::string(".");
    std::string message;
    switch (sqlite_code & 0xff) {
    case SQLITE_FULL:
        message = "the response store " + name +
                  " cannot grow: the disk is full (or the store reached its size cap). Every response stored "
                  "so far is kept. Free some disk space and rerun the same command to resume.";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        message = "the response store " + name +
                  " is damaged or is not a flowdistill store; it was left untouched. Move it aside (mv " + name +
                  " " + name + ".damaged) to keep it for inspection, or rerun with --fresh, which renames it to " +
                  name + ".<timestamp>.bak and starts an empty store (stored responses will be paid for again).";
        break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        message = "cannot write the response store " + name + ": the output directory " + directory +
                  " (or the file) is not writable. Make it writable, or choose another directory with --output-dir.";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        message = "the response store " + name +
                  " is locked by another process (another flowdistill run on the same output directory?). Wait "
                  "for it to finish, or use another --output-dir.";
        break;
    case SQLITE_IOERR:
        message = "reading or writing the response store " + name +
                  " failed with a disk error. Check the disk and the directory " + directory +
                  ", then rerun the same command; responses stored before the error are kept.";
        break;
    default:
        message = "the response store " + name + " failed. Rerun the same command to resume; if it fails again, "
                  "move the file aside or rerun with --fresh.";
        break;
    }
    return FatalError(message + " (sqlite: " + std::string(detail) + ")");
}

}  // namespace flowdistill::engine
