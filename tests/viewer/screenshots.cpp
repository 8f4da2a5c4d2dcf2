#include "screenshots.hpp"

#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sys/wait.h>
#include <thread>

namespace vigil::viewer::test_fixtures {

Image Image::load(const std::filesystem::path& path) {
    Image img;
    int n = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px(stbi_load(path.c_str(), &img.width, &img.height, &n, 3), stbi_image_free);
    INFO("cannot decode " << path << ": " << (stbi_failure_reason() ? stbi_failure_reason() : "?"));
    REQUIRE(px);
    img.rgb.assign(px.get(), px.get() + static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 3);
    return img;
}

Image Image::shrunk(int factor) const {
    Image out;
    out.width = width / factor;
    out.height = height / factor;
    out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x)
            for (int c = 0; c < 3; ++c) {
                int sum = 0;
                for (int dy = 0; dy < factor; ++dy)
                    for (int dx = 0; dx < factor; ++dx) sum += at(x * factor + dx, y * factor + dy)[c];
                out.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)) * 3 +
                        static_cast<std::size_t>(c)] = static_cast<unsigned char>(sum / (factor * factor));
            }
    return out;
}

void Image::save(const std::filesystem::path& path) const {
    std::filesystem::create_directories(path.parent_path());
    REQUIRE(stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3));
}

Diff compare(const Image& a, const Image& b, const std::filesystem::path& diff_png) {
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    Diff d;
    std::vector<unsigned char> vis(a.rgb.size());
    for (std::size_t i = 0; i < a.rgb.size(); i += 3) {
        int worst = 0;
        for (std::size_t c = 0; c < 3; ++c) worst = std::max(worst, std::abs(int(a.rgb[i + c]) - int(b.rgb[i + c])));
        const bool differs = worst > k_channel_tolerance;
        d.pixels += differs;
        for (std::size_t c = 0; c < 3; ++c)
            vis[i + c] = differs ? (c == 1 ? 0 : 255) : static_cast<unsigned char>(255 - (255 - b.rgb[i + c]) / 4);
    }
    d.share = static_cast<double>(d.pixels) / (static_cast<double>(a.rgb.size()) / 3);
    if (!diff_png.empty()) stbi_write_png(diff_png.c_str(), a.width, a.height, 3, vis.data(), a.width * 3);
    return d;
}

RunResult shell(const std::string& cmd) {
    RunResult r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p);
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) r.output += buf;
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string vigil_cmd() { return std::string("VIGIL_LAYERS='") + test::layers_dir().string() + "' '" + VIGIL_EXECUTABLE + "' -q"; }

RunResult run_viewer(const std::string& args) {
    RunResult r;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
        r = shell(vigil_cmd() + " view " + args);
        if (r.code == 0 || r.output.find("cannot") == std::string::npos || r.output.find("window") == std::string::npos) break;
    }
    return r;
}

} // namespace vigil::viewer::test_fixtures
