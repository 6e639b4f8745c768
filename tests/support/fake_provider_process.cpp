#include "fake_provider_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace flowdistill::testing {
namespace {

constexpr int announce_timeout_ms = 20000;

std::string read_announcement(int fd) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, announce_timeout_ms);
        if (ready <= 0) throw std::runtime_error("fake provider did not announce its port within 20 s");
        char buffer[256];
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got <= 0)
            throw std::runtime_error("fake provider exited before listening; run " FAKE_PROVIDER_SCRIPT
                                     " by hand to see why");
        line.append(buffer, static_cast<std::size_t>(got));
    }
    return line.substr(0, line.find('\n'));
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

}  // namespace

FakeProviderProcess::FakeProviderProcess(const FakeProviderOptions& options) {
    char pattern[] = "/tmp/fd_fake_provider_XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    directory_ = pattern;
    log_path_ = directory_ / "requests.jsonl";

    std::vector<std::string> args = {"/usr/bin/python3", FAKE_PROVIDER_SCRIPT, "--port", "0", "--port-file",
                                     (directory_ / "port").string(), "--log", log_path_.string(),
                                     "--workers", std::to_string(options.workers)};
    if (!options.api_key.empty()) args.insert(args.end(), {"--api-key", options.api_key});
    if (options.latency_ms > 0) args.insert(args.end(), {"--latency-ms", std::to_string(options.latency_ms)});
    if (options.rpm > 0) args.insert(args.end(), {"--rpm", std::to_string(options.rpm)});
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // a test killed mid-way must not leave the fake running
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    try {
        const std::string line = read_announcement(pipe_fds[0]);
        port_ = std::stoi(line.substr(line.rfind(' ') + 1));
    } catch (...) {
        ::close(pipe_fds[0]);
        stop();
        throw;
    }
    ::close(pipe_fds[0]);
}

FakeProviderProcess::~FakeProviderProcess() { stop(); }

void FakeProviderProcess::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    if (!directory_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
        directory_.clear();
    }
}

std::string FakeProviderProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<nlohmann::json> FakeProviderProcess::log_entries() const {
    std::vector<nlohmann::json> entries;
    std::ifstream in(log_path_);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) entries.push_back(nlohmann::json::parse(line));
    return entries;
}

nlohmann::json FakeProviderProcess::control(const std::string& method, const std::string& path,
                                            const std::string& body) const {
    CURL* easy = curl_easy_init();
    if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
    std::string answer;
    const std::string url = base_url() + path;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &answer);
    if (method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    const CURLcode code = curl_easy_perform(easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(easy);
    if (code != CURLE_OK || status != 200)
        throw std::runtime_error("fake provider control " + path + " failed: " +
                                 (code != CURLE_OK ? curl_easy_strerror(code) : answer));
    return nlohmann::json::parse(answer);
}

nlohmann::json FakeProviderProcess::stats() const { return control("GET", "/_stats", ""); }
void FakeProviderProcess::script(const nlohmann::json& items) { control("POST", "/_control/script", items.dump()); }
void FakeProviderProcess::configure(const nlohmann::json& settings) {
    control("POST", "/_control/config", settings.dump());
}

}  // namespace flowdistill::testing
