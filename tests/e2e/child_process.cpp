#include "child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <pty.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace flowdistill::testing {

std::string flowdistill_binary() { return FLOWDISTILL_BINARY_DIR "/bin/flowdistill"; }
std::string test_plugin_dir() { return FLOWDISTILL_BINARY_DIR "/tests/plugins"; }

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fd-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

Child::Child(const std::vector<std::string>& argv, const ChildOptions& options) {
    static int counter = 0;
    const auto base = std::filesystem::temp_directory_path() /
                      ("fd-child-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    out_file_ = base.string() + ".out";
    err_file_ = base.string() + ".err";
    int err_pipe[2] = {-1, -1};
    if (options.stderr_to_pipe && ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int out = ::open(out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = options.stderr_to_pipe ? err_pipe[1] : ::open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        // Close everything else but the descriptors the test hands over.
        for (int fd = 3; fd < 1024; ++fd) {
            bool keep = false;
            for (int k : options.keep_fds) keep = keep || k == fd;
            if (!keep) ::close(fd);
        }
        for (const auto& [key, value] : options.env) ::setenv(key.c_str(), value.c_str(), 1);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(126);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    if (options.stderr_to_pipe) {
        ::close(err_pipe[1]);
        err_pipe_ = err_pipe[0];
    }
}

bool Child::read_stderr_until(const std::string& text, std::size_t occurrences) {
    auto count = [&] {
        std::size_t n = 0;
        for (auto at = err_seen_.find(text); at != std::string::npos; at = err_seen_.find(text, at + text.size())) ++n;
        return n;
    };
    char buffer[4096];
    while (count() < occurrences) {
        const ssize_t n = ::read(err_pipe_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        err_seen_.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

Child::~Child() {
    if (!waited_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait();
    }
}

void Child::signal(int number) const { ::kill(pid_, number); }

ChildResult Child::wait() {
    ChildResult result;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    waited_ = true;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out_file_);
    if (err_pipe_ >= 0) {
        while (read_stderr_until("\x01never printed\x01")) {
        }
        ::close(err_pipe_);
        err_pipe_ = -1;
        result.err = err_seen_;
    } else {
        result.err = read_file(err_file_);
    }
    std::error_code ec;
    std::filesystem::remove(out_file_, ec);
    std::filesystem::remove(err_file_, ec);
    return result;
}

ChildResult run_child(const std::vector<std::string>& argv, const ChildOptions& options) {
    Child child(argv, options);
    return child.wait();
}

}  // namespace flowdistill::testing

namespace flowdistill::testing {

ChildResult run_in_terminal(const std::vector<std::string>& argv, const ChildOptions& options) {
    int master = -1;
    struct winsize size{};
    size.ws_row = 40;
    size.ws_col = 120;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
    if (pid < 0) throw std::runtime_error("forkpty failed");
    if (pid == 0) {
        for (const auto& [key, value] : options.env) ::setenv(key.c_str(), value.c_str(), 1);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(126);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ChildResult result;
    char buffer[4096];
    while (true) {
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EIO once the child has exited and closed the terminal
        result.out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(master);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace flowdistill::testing
