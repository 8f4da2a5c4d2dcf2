/// @file
/// The whole viewer through `vigil view --screenshot` (under Xvfb): running it, reading its PNG
/// back, and comparing two pictures — for the golden-image tests of the desk and the wall.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace vigil::viewer::test_fixtures {

/// An RGB picture read from a PNG.
struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;

    /// REQUIREs a PNG it can decode.
    static Image load(const std::filesystem::path& path);
    /// Averages `factor` x `factor` blocks (a 4K picture compared at 960x540: the references stay
    /// small, antialiasing noise averages out, a lost symbol or label still shows).
    Image shrunk(int factor) const;
    const unsigned char* at(int x, int y) const {
        return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
    }
    /// REQUIREs the PNG written.
    void save(const std::filesystem::path& path) const;
};

/// How far two renderings are apart: the share of pixels where some channel differs by more
/// than `k_channel_tolerance` (antialiasing and rounding differences stay below it).
constexpr int k_channel_tolerance = 40;
/// A golden comparison passes when at most this share of pixels differs: room for a driver's
/// rounding along edges, far below what a lost layer, label set or basemap changes (see the
/// "disappear" test for the margins).
constexpr double k_golden_tolerance = 0.004;

struct Diff {
    double share = 1; ///< of all pixels
    std::size_t pixels = 0;
};

/// REQUIREs equal sizes; with `diff_png`, writes the differing pixels in magenta over a faded `b`.
Diff compare(const Image& a, const Image& b, const std::filesystem::path& diff_png = {});

struct RunResult {
    int code = -1;
    std::string output; ///< stdout and stderr
};

RunResult shell(const std::string& cmd);

/// The vigil program with the source tree's layer catalogue, quiet.
std::string vigil_cmd();

/// Runs a `vigil view` command, retrying when the X server refused the window (Xvfb drops a
/// share of connections opened right after another client closed one).
RunResult run_viewer(const std::string& args);

} // namespace vigil::viewer::test_fixtures
