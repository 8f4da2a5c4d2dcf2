/// @file
/// What every benchmark program here shares: settings from the environment, BENCH_ONLY, medians.
#pragma once

#include <vigil/util/text.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace vigil::bench {

/// $name, or `fallback` when it is unset or empty.
inline std::string env(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

/// BENCH_ONLY="task task ...": run only these (for profiling one phase); unset runs everything.
inline bool wanted(const std::string& task) {
    static const std::string only = env("BENCH_ONLY", "");
    if (only.empty()) return true;
    for (auto t : text::split(only, ' '))
        if (t == task) return true;
    return false;
}

inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace vigil::bench
