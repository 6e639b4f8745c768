#pragma once
// Runs tests/fake_provider/fake_provider.py as a child process on a free loopback port, for tests
// that need a real HTTP provider. The constructor returns once the fake is listening (it blocks on
// the child's announcement on a pipe, never on a sleep); the destructor stops it.
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowdistill::testing {

struct FakeProviderOptions {
    std::string api_key;                 // empty: any key is accepted
    double latency_ms = 0;
    double rpm = 0;                      // 0: no limit
    int workers = 1;
    std::vector<std::string> extra_args;  // any other fake_provider.py flag, e.g. {"--reply-mode", "fenced"}
};

class FakeProviderProcess {
public:
    explicit FakeProviderProcess(const FakeProviderOptions& options = {});
    ~FakeProviderProcess();
    FakeProviderProcess(const FakeProviderProcess&) = delete;
    FakeProviderProcess& operator=(const FakeProviderProcess&) = delete;

    int port() const { return port_; }
    std::string base_url() const;  // "http://127.0.0.1:PORT"
    const std::filesystem::path& log_path() const { return log_path_; }

    // The request log, one object per API request, in arrival order (see fake_provider.py).
    std::vector<nlohmann::json> log_entries() const;
    nlohmann::json stats() const;               // GET /_stats
    void script(const nlohmann::json& items);   // POST /_control/script
    void configure(const nlohmann::json& settings);  // POST /_control/config
    void stop();                                // SIGTERM and wait; the destructor calls it

private:
    nlohmann::json control(const std::string& method, const std::string& path, const std::string& body) const;

    std::filesystem::path directory_;
    std::filesystem::path log_path_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace flowdistill::testing
