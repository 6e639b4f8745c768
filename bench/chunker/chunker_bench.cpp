// Measures the chunker on real files: read + UTF-8 normalisation + chunking, single thread, next
// to a plain memchr newline scan of the same bytes read the same way. `--mode stage` times the
// chunker alone, as the engine runs it: text_source reads and normalises on another thread, so
// the semantic_chunker stage gets its text from memory (here, the whole file read beforehand).
// `--dump` prints the chunks as JSON lines instead, for inspection. `--digest` adds an XXH3 digest
// of all chunks, so a change meant only to be faster can show that the output stayed the same; it
// is off by default because hashing the chunks is not chunking (it costs about 7% of the chunker's
// time), and the timed runs keep the trivial sink the bench always had.
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "chunker_core.hpp"
#include "file_block_reader.hpp"

namespace {

struct Options {
    std::vector<std::string> files;
    semantic_chunker::ChunkerSettings settings;
    std::string mode = "both";  // chunk | memchr | both | read (reading and normalisation only) | stage
    bool dump = false;
    bool digest = false;
    int repeat = 1;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this process: on a shared machine it shows the work done, whatever else runs.
double cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// XXH3 over every chunk's fields, text and heading path, in order: equal digests mean equal
// output. Each chunk is reduced to one fixed-size record first, because many small streaming
// updates would cost more than the one-shot hashes.
class ChunkDigest {
public:
    ChunkDigest() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
    ~ChunkDigest() { XXH3_freeState(state_); }
    ChunkDigest(const ChunkDigest&) = delete;
    ChunkDigest& operator=(const ChunkDigest&) = delete;

    void add(const semantic_chunker::Chunk& chunk) {
        // (Not cached by the path's address: a freed path's memory is reused for a later one.)
        std::uint64_t path_hash = chunk.heading_path->size();
        for (const auto& title : *chunk.heading_path) path_hash = XXH3_64bits_withSeed(title.data(), title.size(), path_hash);
        const std::uint64_t record[] = {chunk.index,
                                        chunk.byte_begin,
                                        chunk.byte_end,
                                        chunk.overlap_bytes,
                                        chunk.characters,
                                        XXH3_64bits(chunk.source.data(), chunk.source.size()),
                                        XXH3_64bits(chunk.text.data(), chunk.text.size()),
                                        path_hash};
        XXH3_64bits_update(state_, record, sizeof record);
    }
    std::uint64_t value() const { return XXH3_64bits_digest(state_); }

private:
    XXH3_state_t* state_;
};

// Wall and CPU seconds that `work` took.
struct Timing {
    double wall = 0, cpu = 0;
};

template <typename Work>
Timing timed(Work&& work) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    work();
    return {seconds_since(start), cpu_seconds() - cpu_start};
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

struct ReadFile {
    std::string path;
    std::vector<text_kit::NormalizedPiece> pieces;
    std::uint64_t bytes = 0;
};

// The files read and normalised whole, in the pieces text_source would hand on.
std::vector<ReadFile> read_whole(const std::vector<std::string>& files) {
    std::vector<ReadFile> read;
    for (const auto& file : files) {
        text_source::FileBlockReader reader(file, 64 * 1024, text_kit::InvalidUtf8Policy::Replace);
        ReadFile& out = read.emplace_back();
        out.path = file;
        for (text_kit::NormalizedPiece piece; reader.next(piece);) out.pieces.push_back(piece);
        out.bytes = reader.bytes_read();
    }
    return read;
}

std::uint64_t memchr_scan(const std::string& path, std::uint64_t& newlines) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) { std::perror(path.c_str()); std::exit(2); }
    std::vector<char> buffer(64 * 1024);
    std::uint64_t bytes = 0;
    for (ssize_t got; (got = ::read(fd, buffer.data(), buffer.size())) > 0;) {
        bytes += static_cast<std::uint64_t>(got);
        const char* p = buffer.data();
        const char* end = p + got;
        while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
            ++newlines;
            ++p;
        }
    }
    ::close(fd);
    return bytes;
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", arg.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (arg == "--chunk-size") options.settings.chunk_size = std::stoul(value());
        else if (arg == "--overlap") options.settings.overlap = std::stoul(value());
        else if (arg == "--min-chunk") options.settings.min_chunk = std::stoul(value());
        else if (arg == "--mode") options.mode = value();
        else if (arg == "--repeat") options.repeat = std::stoi(value());
        else if (arg == "--dump") options.dump = true;
        else if (arg == "--digest") options.digest = true;
        else if (arg == "--help") {
            std::printf("usage: chunker_bench [--chunk-size N] [--overlap N] [--min-chunk N] [--mode chunk|memchr|both|read|stage] "
                        "[--repeat N] [--dump] [--digest] FILE...\n");
            std::exit(0);
        } else options.files.push_back(arg);
    }
    if (options.files.empty()) { std::fprintf(stderr, "no input files (see --help)\n"); std::exit(2); }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    if (const auto problem = semantic_chunker::validate_settings(options.settings); !problem.empty()) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        return 2;
    }
    ChunkDigest digest;
    std::uint64_t sink_bytes = 0;  // keeps the chunk texts observable so nothing is optimised away
    semantic_chunker::ChunkerCore core(options.settings, [&](const semantic_chunker::Chunk& chunk) {
        sink_bytes += chunk.text.size();
        if (options.digest) digest.add(chunk);
        if (options.dump) {
            nlohmann::json line{{"index", chunk.index}, {"source", chunk.source}, {"byte_begin", chunk.byte_begin},
                                {"byte_end", chunk.byte_end}, {"heading_path", *chunk.heading_path},
                                {"characters", chunk.characters}, {"overlap_bytes", chunk.overlap_bytes},
                                {"text", chunk.text}};
            std::puts(line.dump().c_str());
        }
    });

    const std::vector<ReadFile> read_before = options.mode == "stage" ? read_whole(options.files) : std::vector<ReadFile>{};
    for (int round = 0; round < options.repeat; ++round) {
        std::uint64_t bytes = 0, newlines = 0;
        Timing memchr_time, chunk_time;
        if (options.mode == "memchr" || options.mode == "both") {
            memchr_time = timed([&] {
                for (const auto& file : options.files) bytes += memchr_scan(file, newlines);
            });
        }
        if (options.mode == "chunk" || options.mode == "both" || options.mode == "read") {
            const bool chunking = options.mode != "read";
            bytes = 0;
            chunk_time = timed([&] {
                text_kit::NormalizedPiece piece;
                for (const auto& file : options.files) {
                    text_source::FileBlockReader reader(file, 64 * 1024, text_kit::InvalidUtf8Policy::Replace);
                    if (chunking) core.begin_file(file);
                    while (reader.next(piece))
                        if (chunking) core.feed(piece.text, piece.original_begin, piece.anchors);
                    if (chunking) core.end_file();
                    bytes += reader.bytes_read();
                }
            });
        }
        if (options.mode == "stage") {
            bytes = 0;
            chunk_time = timed([&] {
                for (const auto& file : read_before) {
                    core.begin_file(file.path);
                    for (const auto& piece : file.pieces) core.feed(piece.text, piece.original_begin, piece.anchors);
                    core.end_file();
                    bytes += file.bytes;
                }
            });
        }
        const double memchr_s = memchr_time.wall, memchr_cpu = memchr_time.cpu;
        const double chunk_s = chunk_time.wall, chunk_cpu = chunk_time.cpu;
        if (options.dump) continue;
        const double gb = static_cast<double>(bytes) / 1e9;
        const auto& stats = core.stats();
        std::printf("bytes=%llu", static_cast<unsigned long long>(bytes));
        // The newline count is printed so the scan is observable: unused, the loop of pure memchr
        // calls was deleted by the optimiser and the "scan" timed only the reads.
        if (memchr_s > 0)
            std::printf(" memchr_s=%.3f memchr_GBps=%.2f memchr_cpu_s=%.3f memchr_cpu_GBps=%.2f newlines=%llu", memchr_s,
                        gb / memchr_s, memchr_cpu, gb / memchr_cpu, static_cast<unsigned long long>(newlines));
        if (chunk_s > 0)
            std::printf(" chunk_s=%.3f chunk_GBps=%.2f chunk_cpu_s=%.3f chunk_cpu_GBps=%.2f chunks=%llu avg_chars=%llu "
                        "min_chars=%llu max_chars=%llu",
                        chunk_s, gb / chunk_s, chunk_cpu, gb / chunk_cpu, static_cast<unsigned long long>(stats.chunks),
                        static_cast<unsigned long long>(stats.chunks ? stats.characters / stats.chunks : 0),
                        static_cast<unsigned long long>(stats.min_characters),
                        static_cast<unsigned long long>(stats.max_characters));
        if (memchr_s > 0 && chunk_s > 0) std::printf(" ratio_wall=%.2f ratio_cpu=%.2f", chunk_s / memchr_s, chunk_cpu / memchr_cpu);
        std::printf(" peak_rss_kib=%ld sink=%llu", peak_rss_kib(), static_cast<unsigned long long>(sink_bytes % 10));
        if (options.digest) std::printf(" digest=%016llx", static_cast<unsigned long long>(digest.value()));
        std::printf("\n");
    }
    return 0;
}
