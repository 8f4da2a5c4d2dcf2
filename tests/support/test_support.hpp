/// @file
/// Small helpers shared by the test suites: portable random numbers, hex bytes, the real
/// layer catalogue.
#pragma once

#include <vigil/catalog/catalog.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::test {

/// Uniform double in [lo, hi) from the top 53 bits of mt19937_64. Portable on purpose:
/// std::uniform_real_distribution differs between standard libraries, and the core suite also
/// runs under Emscripten, where the same seed must give the same numbers.
inline double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

/// A seeded generator with uniform().
struct Rng {
    std::mt19937_64 gen;
    explicit Rng(std::uint64_t seed) : gen(seed) {}
    double uniform(double lo, double hi) { return test::uniform(gen, lo, hi); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(gen() % n); }
};

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

inline std::string to_hex(const std::vector<std::uint8_t>& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string s;
    for (auto c : bytes) {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

/// The catalogue in layers/, read once.
const catalog::Catalog& real_catalog();

} // namespace vigil::test
