/// @file
/// The compact layout: one panel as a bottom sheet, a bar of large buttons, touch-sized widgets.

#include "compact_layout.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>
#include <imgui_internal.h> // the sheet's window, placed by its pointer; the title bar's close button

#include <array>
#include <cmath>
#include <iterator>
#include <string>

namespace vigil::viewer {

namespace {

struct SheetPanel {
    const char* name;  ///< open_panel's
    const char* label; ///< the bar's button (nullptr: not on the bar, opened from the View menu)
    bool PanelState::*flag;
};

// The bar's panels first, in the bar's order; the others open from the View and Tools menus and
// are sheets all the same.
constexpr SheetPanel k_panels[] = {
    {"layers", N_("Layers"), &PanelState::show_layers},
    {"legend", N_("Legend"), &PanelState::show_legend},
    {"nearest", N_("Nearest"), &PanelState::show_nearest},
    {"dispatch", N_("Dispatch"), &PanelState::show_dispatch},
    {"inspector", N_("Inspector"), &PanelState::show_inspector},
    {"planning", N_("Planning"), &PanelState::show_planning},
    {"table", nullptr, &PanelState::show_table},
    {"measure", nullptr, &PanelState::show_measure},
    {"settings", nullptr, &PanelState::show_settings},
    {"hazard", nullptr, &PanelState::show_hazard},
    {"check", nullptr, &PanelState::show_check},
    {"replay", nullptr, &PanelState::show_replay},
    {"stats", nullptr, &PanelState::show_stats},
};
constexpr int k_count = static_cast<int>(std::size(k_panels));
constexpr const char* k_bar_window = "##vigil_compact_bar";

struct Compact {
    bool active = false;
    int sheet = -1;                      ///< index into k_panels, -1 = none
    std::array<bool, k_count> seen{};    ///< the panels' flags as this code left them
    std::array<bool, k_count> desktop{}; ///< the desktop's open panels, put back above the threshold
    bool style_applied = false;
    ImGuiStyle desktop_style;
    float applied_pad = 0;
    ImGuiID sheet_window = 0;  ///< the ImGui window the sheet's panel drew last frame ...
    int sheet_window_for = -1; ///< ... for this panel
    CompactInfo info;
};
Compact g_compact;

LayoutBox box_of(ImVec2 min, ImVec2 size) { return {min.x, min.y, size.x, size.y}; }

float menu_bar_height() {
    const ImGuiWindow* w = ImGui::FindWindowByName("##MainMenuBar");
    return w && (w->Active || w->WasActive) ? w->Size.y : ImGui::GetFrameHeight();
}

/// The frame padding that makes a button, a checkbox, a menu and the title bar's close button
/// k_touch_target high (and the close button as wide).
float touch_padding(const ImGuiStyle& desktop) {
    return std::max(desktop.FramePadding.y, std::ceil((k_touch_target - ImGui::GetFontSize()) / 2));
}

void apply_compact_style() {
    ImGuiStyle& s = ImGui::GetStyle();
    Compact& c = g_compact;
    if (c.style_applied && s.FramePadding.y == c.applied_pad) {
        if (touch_padding(c.desktop_style) == c.applied_pad) return; // ours, and still right for the font
        s = c.desktop_style;                                         // the font size changed: again from the desktop's
    } else {
        c.desktop_style = s; // first time, or the Settings' UI scale replaced the style: that is the desktop's now
    }
    const float pad = touch_padding(s);
    s.FramePadding = ImVec2(std::max(s.FramePadding.x, pad), pad);
    s.ItemSpacing = ImVec2(std::max(s.ItemSpacing.x, 10.0f), std::max(s.ItemSpacing.y, 10.0f));
    s.ItemInnerSpacing.x = std::max(s.ItemInnerSpacing.x, 8.0f);
    s.ScrollbarSize = std::max(s.ScrollbarSize, 18.0f);
    s.GrabMinSize = std::max(s.GrabMinSize, 28.0f);
    s.WindowRounding = 0;
    c.applied_pad = pad;
    c.style_applied = true;
}

void restore_desktop_style() {
    if (!g_compact.style_applied) return;
    ImGui::GetStyle() = g_compact.desktop_style;
    g_compact.style_applied = false;
}

void show_only(PanelState& panels, int sheet) {
    Compact& c = g_compact;
    c.sheet = sheet;
    for (int i = 0; i < k_count; ++i) c.seen[i] = panels.*k_panels[i].flag = i == sheet;
}

void place(ImGuiWindow* w, const LayoutBox& b) {
    ImGui::SetWindowPos(w, ImVec2(b.x, b.y), ImGuiCond_Always);
    ImGui::SetWindowSize(w, ImVec2(b.w, b.h), ImGuiCond_Always);
    ImGui::SetWindowCollapsed(w, false, ImGuiCond_Always);
}

} // namespace

const CompactInfo& compact_info() { return g_compact.info; }

void compact_before_panels(AppState&, PanelState& panels) {
    Compact& c = g_compact;
    const ImGuiIO& io = ImGui::GetIO();
    const bool compact = is_compact(io.DisplaySize.x);
    if (compact != c.active) {
        if (compact) {
            // The map first: no panel open until one is asked for (the bar, the menus, a selection).
            for (int i = 0; i < k_count; ++i) c.desktop[i] = panels.*k_panels[i].flag;
            show_only(panels, -1);
        } else {
            restore_desktop_style();
            for (int i = 0; i < k_count; ++i) panels.*k_panels[i].flag = c.desktop[i] || i == c.sheet;
            c.sheet = -1;
            c.sheet_window = 0;
            panels.map_bottom_inset = 0;
        }
        c.active = compact;
    }
    c.info.compact = compact;
    if (!compact) {
        c.info = CompactInfo{};
        c.info.frame_height = ImGui::GetFrameHeight();
        return;
    }
    apply_compact_style();
    // The panel opened last (the bar, a menu, a selection opening the Inspector, the page's
    // console) becomes the sheet; its close button closes it.
    int opened = -1;
    for (int i = 0; i < k_count; ++i)
        if (panels.*k_panels[i].flag && !c.seen[i]) opened = i;
    if (opened >= 0) show_only(panels, opened);
    else if (c.sheet >= 0 && !(panels.*k_panels[c.sheet].flag)) show_only(panels, -1);
    else show_only(panels, c.sheet);
    const CompactGeometry geo = compact_geometry(io.DisplaySize.x, io.DisplaySize.y, menu_bar_height());
    // The scale bar and the coordinates stay above the sheet (or the bar).
    panels.map_bottom_inset = io.DisplaySize.y - (c.sheet >= 0 ? geo.sheet.y : geo.bar.y);
    if (c.sheet >= 0 && c.sheet_window_for == c.sheet)
        if (ImGuiWindow* w = ImGui::FindWindowByID(c.sheet_window)) place(w, geo.sheet);
}

void compact_after_panels(AppState&, PanelState& panels) {
    Compact& c = g_compact;
    if (!c.active) return;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiIO& io = ImGui::GetIO();
    const CompactGeometry geo = compact_geometry(io.DisplaySize.x, io.DisplaySize.y, menu_bar_height());
    CompactInfo& info = c.info;
    info.geometry = geo;
    info.frame_height = ImGui::GetFrameHeight();
    info.sheet = c.sheet >= 0 ? k_panels[c.sheet].name : "";
    info.sheet_window = {};
    info.sheet_close = {};

    // The sheet is the window its panel drew this frame (whatever its title, in whichever language).
    const ImGuiWindow* menu = ImGui::FindWindowByName("##MainMenuBar");
    const ImGuiWindow* bar = ImGui::FindWindowByName(k_bar_window);
    ImGuiWindow* sheet = nullptr;
    if (c.sheet >= 0)
        for (ImGuiWindow* w : g.Windows)
            if (w->Active && !w->IsFallbackWindow && w != menu && w != bar &&
                !(w->Flags &
                  (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_ChildMenu)))
                sheet = w;
    if (sheet) {
        info.sheet_window = box_of(sheet->Pos, sheet->Size);
        info.sheet_scroll = sheet->Scroll.y;
        info.sheet_scroll_max = sheet->ScrollMax.y;
        const ImGuiStyle& s = ImGui::GetStyle();
        const ImRect title = sheet->TitleBarRect();
        const float font = ImGui::GetFontSize();
        // Where ImGui puts the close button (RenderWindowTitleBarContents): right-aligned in the title bar.
        info.sheet_close = {title.Max.x - 2 * s.FramePadding.x - font, title.Min.y, font + 2 * s.FramePadding.x,
                            font + 2 * s.FramePadding.y};
        place(sheet, geo.sheet); // from the next frame (before_panels keeps it there)
        c.sheet_window = sheet->ID;
        c.sheet_window_for = c.sheet;
    }

    // The bar: a button per panel, and one that closes the sheet.
    info.buttons.clear();
    ImGui::SetNextWindowPos(ImVec2(geo.bar.x, geo.bar.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(geo.bar.w, geo.bar.h), ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(k_bar_padding, k_bar_padding));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4, 4));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
    if (ImGui::Begin(k_bar_window, nullptr, flags)) {
        int on_bar = 1; // the close button
        for (const auto& p : k_panels) on_bar += p.label ? 1 : 0;
        const float w = std::floor((geo.bar.w - 2 * k_bar_padding - 4 * static_cast<float>(on_bar - 1)) / static_cast<float>(on_bar));
        const ImVec2 size(std::max(k_touch_target, w), k_touch_target);
        const ImVec4 open_colour = ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive);
        for (int i = 0; i < k_count; ++i) {
            if (!k_panels[i].label) continue;
            if (i > 0) ImGui::SameLine();
            const bool open = c.sheet == i;
            if (open) ImGui::PushStyleColor(ImGuiCol_Button, open_colour);
            const std::string label = std::string(tr(k_panels[i].label)) + "##bar_" + k_panels[i].name;
            if (ImGui::Button(label.c_str(), size)) show_only(panels, open ? -1 : i);
            if (open) ImGui::PopStyleColor();
            info.buttons.push_back({k_panels[i].name, box_of(ImGui::GetItemRectMin(), ImGui::GetItemRectSize())});
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(c.sheet < 0);
        const std::string close = std::string("× ") + tr("Close") + "##bar_close";
        if (ImGui::Button(close.c_str(), size)) show_only(panels, -1);
        ImGui::EndDisabled();
        info.buttons.push_back({"close", box_of(ImGui::GetItemRectMin(), ImGui::GetItemRectSize())});
    }
    ImGui::End();
    ImGui::PopStyleVar(3);
}

} // namespace vigil::viewer
