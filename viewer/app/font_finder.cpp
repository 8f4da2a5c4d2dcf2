#include "font_finder.hpp"

#include <vigil/util/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace vigil::viewer {

namespace {

std::uint32_t be32(const std::vector<char>& b, std::size_t at) {
    if (at + 4 > b.size()) return 0;
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) | static_cast<unsigned char>(b[at + 3]);
}

std::uint16_t be16(const std::vector<char>& b, std::size_t at) {
    if (at + 2 > b.size()) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

// Reads the header and table directory only (a few kilobytes), then the 'name' table.
std::string family_at(std::ifstream& in, std::uint32_t offset) {
    std::vector<char> dir(12 + 16 * 64);
    in.seekg(offset);
    in.read(dir.data(), static_cast<std::streamsize>(dir.size()));
    std::uint16_t tables = be16(dir, 4);
    for (std::size_t t = 0; t < tables && 12 + 16 * t + 16 <= dir.size(); ++t) {
        std::size_t rec = 12 + 16 * t;
        if (std::string(dir.data() + rec, 4) != "name") continue;
        std::uint32_t off = be32(dir, rec + 8), len = be32(dir, rec + 12);
        if (len > (1u << 20)) return {};
        std::vector<char> name(len);
        in.seekg(off);
        in.read(name.data(), len);
        std::uint16_t count = be16(name, 2), strings = be16(name, 4);
        std::string first, english;
        for (std::uint16_t i = 0; i < count; ++i) {
            std::size_t r = 6 + 12u * i;
            std::uint16_t platform = be16(name, r), encoding = be16(name, r + 2), language = be16(name, r + 4);
            std::uint16_t id = be16(name, r + 6), slen = be16(name, r + 8), soff = be16(name, r + 10);
            // Family name (1) on the Windows platform, Unicode BMP: UTF-16BE text.
            if (id != 1 || platform != 3 || encoding != 1) continue;
            std::string out;
            for (std::size_t k = 0; k + 1 < slen; k += 2)
                vigil::text::append_utf8(out, be16(name, static_cast<std::size_t>(strings) + soff + k));
            if (first.empty()) first = out;
            if (language == 0x0409) english = out; // prefer the English name
        }
        return english.empty() ? first : english;
    }
    return {};
}

} // namespace

std::vector<std::string> font_family_names(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::vector<char> head(12);
    in.read(head.data(), 12);
    if (!in) return {};
    std::vector<std::string> names;
    if (std::string(head.data(), 4) == "ttcf") {
        std::uint32_t n = be32(head, 8);
        std::vector<char> offsets(4 * std::min<std::uint32_t>(n, 64));
        in.read(offsets.data(), static_cast<std::streamsize>(offsets.size()));
        for (std::uint32_t i = 0; i < std::min<std::uint32_t>(n, 64); ++i) names.push_back(family_at(in, be32(offsets, 4 * i)));
    } else {
        names.push_back(family_at(in, 0));
    }
    return names;
}

std::optional<FontFace> find_cjk_font() {
    if (const char* env = std::getenv("VIGIL_FONT"); env && *env) {
        std::string spec = env;
        int index = 0;
        if (auto colon = spec.rfind(':'); colon != std::string::npos && colon + 1 < spec.size()) {
            index = std::atoi(spec.c_str() + colon + 1);
            spec.resize(colon);
        }
        if (std::filesystem::exists(spec)) return FontFace{spec, index, {}};
    }
    for (const char* candidate :
         {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
          "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"}) {
        if (!std::filesystem::exists(candidate)) continue;
        auto names = font_family_names(candidate);
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == "Noto Sans CJK SC") // i18n: not shown: a font's name
                return FontFace{candidate, static_cast<int>(i), names[i]};
        if (!names.empty()) return FontFace{candidate, 0, names[0]};
    }
    return std::nullopt;
}

} // namespace vigil::viewer
