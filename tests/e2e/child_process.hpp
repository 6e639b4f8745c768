#pragma once
// Runs flowdistill as a real child process, as a user would, and reads back what it printed.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace flowdistill::testing {

struct ChildResult {
    int exit_code = -1;       // 128 + signal when killed by a signal
    std::string out;
    std::string err;
};

struct ChildOptions {
    std::map<std::string, std::string> env;  // added to (or replacing in) the test's environment
    std::vector<int> keep_fds;               // file descriptors the child inherits
    std::filesystem::path cwd;               // empty = the test's working directory
    bool stderr_to_pipe = false;             // read it live with Child::read_stderr_until
};

// A started child whose output goes to files; wait() collects it.
class Child {
public:
    Child(const std::vector<std::string>& argv, const ChildOptions& options = {});
    ~Child();
    pid_t pid() const { return pid_; }
    void signal(int number) const;
    // Blocks until the child's stderr (stderr_to_pipe) has printed `text`; false at end of output.
    bool read_stderr_until(const std::string& text, std::size_t occurrences = 1);
    ChildResult wait();

private:
    pid_t pid_ = -1;
    int err_pipe_ = -1;
    std::string err_seen_;
    std::filesystem::path out_file_, err_file_;
    bool waited_ = false;
};

ChildResult run_child(const std::vector<std::string>& argv, const ChildOptions& options = {});
// Runs the child on a pseudo-terminal, as in an interactive shell; `out` holds everything it
// printed there (stdout and stderr together, with terminal escape sequences).
ChildResult run_in_terminal(const std::vector<std::string>& argv, const ChildOptions& options = {});

// The built flowdistill and the test plugins.
std::string flowdistill_binary();
std::string test_plugin_dir();

// A fresh empty directory, removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
std::vector<std::string> read_lines(const std::filesystem::path& file);

}  // namespace flowdistill::testing
