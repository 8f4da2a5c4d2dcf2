/// @file
/// Finding the Chinese UI and label font: Noto Sans CJK, Simplified Chinese face. The .ttc file
/// holds several faces (JP, KR, SC, TC, HK ...); the face is chosen by reading each face's
/// family name from its OpenType 'name' table rather than by a hard-coded index.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

struct FontFace {
    std::filesystem::path file;
    int index = 0; ///< face index inside a .ttc collection
    std::string family;
};

/// $VIGIL_FONT (a .ttf/.otf, or FILE.ttc:INDEX) if set, else Noto Sans CJK SC in the usual Debian
/// places (fonts-noto-cjk). nullopt if none is found (the viewer then falls back to ImGui's
/// built-in font and says so).
std::optional<FontFace> find_cjk_font();

/// The family names of the faces in a font file ("Noto Sans CJK SC", ...), by face index.
std::vector<std::string> font_family_names(const std::filesystem::path& file);

} // namespace vigil::viewer
