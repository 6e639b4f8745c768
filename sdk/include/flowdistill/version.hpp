#pragma once
// The plugin ABI version. Bump the minor for additions that old plugins can live with (new virtual
// functions appended at the end of a class, new fields at the end of a struct); bump the major for
// anything else. tests/sdk/abi_hash_test.cpp fails when a header changes without a bump.
#include <cstdint>

namespace flowdistill {

inline constexpr std::uint32_t kSdkAbiMajor = 1;
inline constexpr std::uint32_t kSdkAbiMinor = 2;  // 1.1: AsyncTransform::estimate; 1.2: InPlaceTransform
inline constexpr const char* kVersion = "0.1.0";

}  // namespace flowdistill
