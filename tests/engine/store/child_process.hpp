#pragma once
// Runs a function in a forked child and hands its one-line answer back through a pipe, so a test
// can act as another user or be killed without taking the test runner down with it.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <string>

namespace flowdistill::testing {

// Root ignores file permissions, so a test of a read-only directory must drop to an ordinary user
// ("nobody") to see what a user would see. Returns what `body` returned, or throws when the child
// crashed.
inline std::string run_in_child_without_privileges(const std::function<std::string()>& body) {
    int answer[2];
    if (pipe(answer) != 0) throw std::runtime_error("pipe() failed");
    const pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork() failed");
    if (child == 0) {
        close(answer[0]);
        std::string text;
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
            text = "could not drop privileges";
        } else {
            try {
                text = body();
            } catch (const std::exception& error) {
                text = std::string("exception: ") + error.what();
            }
        }
        for (std::size_t written = 0; written < text.size();) {
            const ssize_t n = write(answer[1], text.data() + written, text.size() - written);
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        _exit(0);  // no atexit handlers: the test runner's state belongs to the parent
    }
    close(answer[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(answer[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    close(answer[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the child process crashed");
    return text;
}

}  // namespace flowdistill::testing
