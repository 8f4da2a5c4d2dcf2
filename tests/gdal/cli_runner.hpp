/// @file
/// Running the vigil program from a test as a user would (through the shell), for the CLI tests.
#pragma once

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace vigil::test {

struct Run {
    int code = -1;
    std::string out; ///< stdout and stderr together
};

/// Runs `vigil ARGS` (with the source tree's catalogue) through the shell, capturing both streams.
/// `env` goes before it, as the shell takes it ("VIGIL_LANG=zh", "env -u VIGIL_LANG").
inline Run run_vigil(const std::string& args, const std::string& env = "") {
    std::string cmd = env + " VIGIL_LAYERS='" + layers_dir().string() + "' '" + VIGIL_EXECUTABLE + "' " + args + " 2>&1";
    Run r;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// A path quoted for the shell.
inline std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

} // namespace vigil::test
