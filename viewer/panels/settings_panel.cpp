/// @file
/// Settings: font size and UI scale (readable on any screen), the GCJ-02 readout, the click
/// mode, and "reset layout". Font size and UI scale are remembered in ImGui's ini file (the
/// same file as the panel layout) under [Vigil][Settings].
///
/// They apply at once, without a restart: the UI scale scales a copy of the style taken on the
/// first frame (ImGuiStyle::ScaleAllSizes), and the font size sets io.FontGlobalScale relative to
/// the size the font atlas was built at. A font enlarged this way is scaled from the atlas and
/// slightly soft; a platform that builds its atlas at read_saved_font_size() starts crisp.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>
#include <imgui_internal.h> // ImGuiSettingsHandler, MarkIniSettingsDirty: custom ini section

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace vigil::viewer {

namespace {

constexpr float k_min_font = 10, k_max_font = 32;

// The style as ViewerApp set it up, before any scaling; one ImGui context per process.
ImGuiStyle g_base_style;

void read_line(PanelState& p, const char* line) {
    float v = 0;
    if (std::sscanf(line, "FontSize=%f", &v) == 1 && v >= k_min_font && v <= k_max_font) p.font_size = v;
    else if (std::sscanf(line, "UiScale=%f", &v) == 1 && (v == 0 || (v >= 0.5f && v <= 4))) p.ui_scale = v;
    else if (std::string_view l(line); l.starts_with("Language=") && i18n::parse_language(l.substr(9))) p.language = l.substr(9);
}

void* settings_open(ImGuiContext*, ImGuiSettingsHandler* h, const char* name) {
    return std::string_view(name) == "Settings" ? h->UserData : nullptr;
}

void settings_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
    read_line(*static_cast<PanelState*>(entry), line);
}

void settings_write(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
    const auto& p = *static_cast<const PanelState*>(h->UserData);
    out->appendf("[Vigil][Settings]\nFontSize=%.1f\nUiScale=%.2f\n", p.font_size, p.ui_scale);
    if (!p.language.empty()) out->appendf("Language=%s\n", p.language.c_str());
    out->append("\n");
}

/// Registers the ini section and reads it: ImGui read the file in the first NewFrame, before
/// this handler existed, so the section is read here directly.
void load_settings(PanelState& panels) {
    ImGuiSettingsHandler h;
    h.TypeName = "Vigil";
    h.TypeHash = ImHashStr("Vigil");
    h.ReadOpenFn = settings_open;
    h.ReadLineFn = settings_line;
    h.WriteAllFn = settings_write;
    h.UserData = &panels;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
    if (const char* ini = ImGui::GetIO().IniFilename) {
        std::ifstream in(ini);
        bool mine = false;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line[0] == '[') mine = line.rfind("[Vigil][Settings]", 0) == 0;
            else if (mine) read_line(panels, line.c_str());
        }
    }
}

float auto_ui_scale(const AppState& state, const PanelState& panels) {
    // Where the platform reports a monitor scale above the framebuffer ratio (X11 and Windows
    // HiDPI: window coordinates are already pixels), the UI grows by the difference.
    return std::max(1.0f, panels.content_scale / static_cast<float>(state.camera().pixel_ratio()));
}

float effective_ui_scale(const AppState& state, const PanelState& panels) {
    return panels.ui_scale > 0 ? panels.ui_scale : auto_ui_scale(state, panels);
}

} // namespace

std::optional<float> read_saved_font_size(const std::filesystem::path& ini) {
    PanelState p;
    std::ifstream in(ini);
    bool mine = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] == '[') mine = line.rfind("[Vigil][Settings]", 0) == 0;
        else if (mine) read_line(p, line.c_str());
    }
    if (p.font_size > 0) return p.font_size;
    return std::nullopt;
}

void apply_settings(AppState& state, PanelState& panels) {
    ImGuiIO& io = ImGui::GetIO();
    if (!panels.settings_loaded) {
        panels.settings_loaded = true;
        g_base_style = ImGui::GetStyle();
        panels.applied_ui_scale = 1;
        panels.base_font_size = io.Fonts->Fonts.empty() ? 13.0f : io.Fonts->Fonts[0]->FontSize * io.FontGlobalScale;
        load_settings(panels);
        if (!panels.language_fixed && !panels.language.empty()) {
            if (auto lang = i18n::parse_language(panels.language)) i18n::set_language(*lang);
        }
    }
    const float scale = effective_ui_scale(state, panels);
    if (std::fabs(scale - panels.applied_ui_scale) > 1e-3f) {
        ImGuiStyle& style = ImGui::GetStyle();
        style = g_base_style;
        style.ScaleAllSizes(scale);
        panels.applied_ui_scale = scale;
    }
    if (!io.Fonts->Fonts.empty()) {
        const float want = (panels.font_size > 0 ? panels.font_size : panels.base_font_size) * scale;
        io.FontGlobalScale = want / io.Fonts->Fonts[0]->FontSize;
    }
}

void draw_settings_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(ImGui::GetIO().DisplaySize.x / 2 - 200, 120), ImVec2(400, 260));
    if (!ImGui::Begin(label_id(tr("Settings"), "settings").c_str(), &panels.show_settings)) {
        ImGui::End();
        return;
    }
    bool changed = false;
    float size = panels.font_size > 0 ? panels.font_size : panels.base_font_size;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::SliderFloat(tr("font size"), &size, k_min_font, k_max_font, "%.0f px")) {
        panels.font_size = std::round(size);
        changed = true;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(label_id(tr("default"), "font_default").c_str())) {
        panels.font_size = 0;
        changed = true;
    }

    static constexpr float k_scales[] = {0, 1.0f, 1.25f, 1.5f, 1.75f, 2.0f};
    char current[64];
    if (panels.ui_scale > 0) std::snprintf(current, sizeof current, "%.0f%%", panels.ui_scale * 100);
    else std::snprintf(current, sizeof current, tr("auto (%.0f%%)"), auto_ui_scale(state, panels) * 100);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::BeginCombo(tr("UI scale"), current)) {
        for (float s : k_scales) {
            char label[64];
            if (s == 0) std::snprintf(label, sizeof label, tr("auto (%.0f%%)"), auto_ui_scale(state, panels) * 100);
            else std::snprintf(label, sizeof label, "%.0f%%", s * 100);
            if (ImGui::Selectable(label, panels.ui_scale == s)) {
                panels.ui_scale = s;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    help_marker(tr("Auto follows the monitor's scale (HiDPI). Font size and scale are kept in imgui.ini with the panel layout."));
    if (changed) ImGui::MarkIniSettingsDirty();

    // Chinese first; the choice is kept with the layout and applies from the next frame.
    const i18n::Language now = i18n::language();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::BeginCombo(tr("Language"), std::string(i18n::language_name(now)).c_str())) {
        for (i18n::Language l : {i18n::Language::zh_CN, i18n::Language::en}) {
            if (ImGui::Selectable(std::string(i18n::language_name(l)).c_str(), l == now)) {
                i18n::set_language(l);
                panels.language = std::string(i18n::language_tag(l));
                ImGui::MarkIniSettingsDirty();
            }
        }
        ImGui::EndCombo();
    }

    ImGui::Separator();
    ImGui::Checkbox(tr("show GCJ-02 coordinates (AMap)"), &panels.show_gcj02);
    ImGui::TextUnformatted(tr("map click:"));
    int mode = static_cast<int>(panels.click_mode);
    ImGui::RadioButton(tr("select"), &mode, static_cast<int>(ClickMode::Select));
    ImGui::SameLine();
    ImGui::RadioButton(tr("nearest"), &mode, static_cast<int>(ClickMode::Nearest));
    ImGui::SameLine();
    ImGui::RadioButton(tr("measure"), &mode, static_cast<int>(ClickMode::Measure));
    panels.click_mode = static_cast<ClickMode>(mode);

    ImGui::Separator();
    if (ImGui::Button(tr("Reset panel layout"))) panels.reset_layout_requested = true;
    ImGui::TextDisabled(tr("font: %s"), panels.font_note.c_str());
    ImGui::TextDisabled(tr("pixel ratio %.2f · UI %.0f%%"), state.camera().pixel_ratio(), panels.applied_ui_scale * 100);
    ImGui::End();
}

} // namespace vigil::viewer
