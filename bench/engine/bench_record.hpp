#pragma once
// The record both the engine run and the hand-written baseline make: the same work on each side.
#include <flowdistill/record.hpp>

inline flowdistill::Record make_bench_record(long long n) {
    flowdistill::Record r;
    r.id = "r" + std::to_string(n);
    r.data["n"] = n;
    return r;
}
