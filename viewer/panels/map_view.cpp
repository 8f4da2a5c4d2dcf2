/// @file
/// What happens on the map canvas itself: clicks, labels, cluster counts, scale bar, north
/// arrow, coordinates.

#include "map_view.hpp"

#include <vigil/geo/chinese_datums.hpp>

#include <imgui.h>
#include <imgui_internal.h> // the panel windows' rectangles, which labels keep clear of

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace vigil::viewer {

void handle_map_click(AppState& state, PanelState& panels, geo::Coord fb) {
    switch (panels.click_mode) {
    case ClickMode::Select: state.select_at(fb, 8 * state.camera().pixel_ratio()); break;
    case ClickMode::Nearest: {
        NearestQuery q = panels.nearest_form;
        q.at = state.camera().screen_to_lonlat(fb);
        state.run_nearest(q);
        break;
    }
    case ClickMode::Measure: break;
    case ClickMode::Dispatch: ask_incident_at(state, panels, state.camera().screen_to_lonlat(fb)); break; // the flow, placed by a click
    case ClickMode::Hazard: ask_hazard(state, panels, state.camera().screen_to_lonlat(fb), "点击地图 map click"); break;
    case ClickMode::Planning: ask_isochrones(state, panels, state.camera().screen_to_lonlat(fb)); break;
    }
}

namespace {

/// Where the map furniture (scale bar, north arrow, coordinates, menu bar) sits, in logical
/// pixels: labels keep clear of it. Must follow draw_map_furniture().
std::vector<geo::BBox> furniture_boxes(double w, double h) {
    return {
        {0, 0, w, ImGui::GetFrameHeight() + 2},      // main menu bar
        {std::max(0.0, w - 196), h - 78, w, h - 36}, // scale bar
        {w - 58, 30, w - 14, 92},                    // north arrow
        {std::max(0.0, w - 520), h - 36, w, h},      // pointer coordinates
    };
}

ImU32 luminance_text(Rgba fill) {
    const double y = (0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b) / 255;
    return y > 0.62 ? IM_COL32(33, 33, 33, 255) : IM_COL32(255, 255, 255, 255);
}

void halo_text(ImDrawList* dl, ImFont* font, float size, ImVec2 at, ImU32 colour, ImU32 halo, const char* text) {
    // Eight offset copies under the text: a 1-pixel halo keeps labels readable on any map.
    for (float dx : {-1.f, 0.f, 1.f})
        for (float dy : {-1.f, 0.f, 1.f})
            if (dx != 0 || dy != 0) dl->AddText(font, size, ImVec2(at.x + dx, at.y + dy), halo, text);
    dl->AddText(font, size, at, colour, text);
}

} // namespace

std::string cluster_count_text(std::uint32_t count) {
    char buf[32];
    if (count < 10000) std::snprintf(buf, sizeof buf, "%u", count);
    else if (count < 100000) std::snprintf(buf, sizeof buf, "%.1f万", count / 10000.0);
    else std::snprintf(buf, sizeof buf, "%u万", (count + 5000) / 10000);
    return buf;
}

void draw_cluster_counts(const AppState& state, const MapCanvas& canvas) {
    const Camera& cam = state.camera();
    const double ratio = cam.pixel_ratio();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float font_px = ImGui::GetFontSize();
    const double w = cam.width(), h = cam.height();
    for (const auto& cl : canvas.clustered) {
        const LayerView& l = *cl.layer;
        for (const auto& c : cl.clustering->clusters) {
            const geo::Coord s = cam.lonlat_to_screen(c.lonlat);
            const double r = cluster_symbol_size(c.count) / 2 * ratio;
            if (s.x < -r || s.y < -r || s.x > w + r || s.y > h + r) continue;
            const std::string text = cluster_count_text(c.count);
            const float size = c.count >= 1000 ? font_px * 0.85f : font_px * 0.9f;
            const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0, text.c_str());
            const ImVec2 at(static_cast<float>(s.x / ratio) - ts.x / 2, static_cast<float>(s.y / ratio) - ts.y / 2);
            const Rgba fill = l.styles.style(*l.layer, c.top_row).fill;
            const ImU32 ink = luminance_text(fill);
            // A faint outline of the opposite tone, and the text twice (offset by a pixel) for weight.
            const ImU32 halo = ink == IM_COL32(255, 255, 255, 255) ? IM_COL32(0, 0, 0, 90) : IM_COL32(255, 255, 255, 120);
            dl->AddText(font, size, ImVec2(at.x, at.y + 1), halo, text.c_str());
            dl->AddText(font, size, at, ink, text.c_str());
            dl->AddText(font, size, ImVec2(at.x + 0.5f, at.y), ink, text.c_str());
        }
    }
}

void draw_map_labels(const AppState& state, const PanelState& panels, MapCanvas& canvas) {
    if (!panels.show_labels) return;
    const Camera& cam = state.camera();
    const double ratio = cam.pixel_ratio();
    const double w = cam.width() / ratio, h = cam.height() / ratio;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float font_px = ImGui::GetFontSize();

    std::vector<LabelLayer> layers;
    for (const auto& l : state.layers()) {
        LabelLayer in{&l, nullptr};
        for (const auto& c : canvas.clustered)
            if (c.layer == &l) in.clustering = c.clustering;
        layers.push_back(in);
    }
    // Labels keep clear of the furniture and of cluster circles.
    std::vector<geo::BBox> blocked = furniture_boxes(w, h);
    // ... and of the panels (where the last frame put them): a label half under a window reads
    // as a different name.
    for (const ImGuiWindow* win : ImGui::GetCurrentContext()->Windows)
        if (win->WasActive && !win->Hidden && !(win->Flags & ImGuiWindowFlags_ChildWindow) && win->Size.x > 0)
            blocked.push_back({win->Pos.x, win->Pos.y, win->Pos.x + win->Size.x, win->Pos.y + win->Size.y});
    for (const auto& c : canvas.clustered)
        for (const auto& k : c.clustering->clusters) {
            const geo::Coord s = cam.lonlat_to_screen(k.lonlat);
            const double r = cluster_symbol_size(k.count) / 2 + 4;
            const geo::BBox b{s.x / ratio - r, s.y / ratio - r, s.x / ratio + r, s.y / ratio + r};
            if (b.max_x >= 0 && b.max_y >= 0 && b.min_x <= w && b.min_y <= h) blocked.push_back(b);
        }
    auto measure = [&](const std::string& text) {
        const ImVec2 size = font->CalcTextSizeA(font_px, 1e9f, 0, text.c_str());
        return geo::Coord{size.x, size.y};
    };
    const auto& labels = canvas.labeler.update(cam, layers, blocked, font_px, measure);
    for (const auto& label : labels) {
        const ImVec2 at(static_cast<float>(label.box.min_x + 1), static_cast<float>(label.box.min_y + 1));
        ImU32 ink = IM_COL32(33, 33, 33, 255);
        if (label.family == geo::GeometryType::LineString) ink = IM_COL32(38, 70, 110, 255); // rivers, roads: cool and quiet
        if (label.family == geo::GeometryType::Polygon) ink = IM_COL32(105, 85, 70, 255);    // areas: the boundary's brown
        halo_text(dl, font, font_px, at, ink, IM_COL32(255, 255, 255, 230), label.text.c_str());
    }
}

void draw_labels(const AppState& state, const PanelState& panels) {
    // Without a canvas (no clusters, nothing kept between frames): for callers other than the
    // frame function.
    MapCanvas canvas;
    draw_map_labels(state, panels, canvas);
}

void draw_map_furniture(const AppState& state, const PanelState& panels) {
    const Camera& cam = state.camera();
    const double ratio = cam.pixel_ratio();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float w = static_cast<float>(cam.width() / ratio), h = static_cast<float>(cam.height() / ratio);

    // Scale bar: the largest 1-2-5 length that fits in 150 logical pixels.
    double m_per_px = cam.ground_metres_per_pixel() * ratio;
    double target = m_per_px * 150;
    double pow10 = std::pow(10.0, std::floor(std::log10(target)));
    double nice = pow10;
    for (double f : {1.0, 2.0, 5.0})
        if (f * pow10 <= target) nice = f * pow10;
    float bar = static_cast<float>(nice / m_per_px);
    // Bottom right, above the pointer coordinates: the left side belongs to the panels.
    ImVec2 base(w - 18 - bar, h - 50);
    dl->AddRectFilled(ImVec2(base.x - 6, base.y - 22), ImVec2(base.x + bar + 6, base.y + 8), IM_COL32(255, 255, 255, 200), 3);
    dl->AddLine(base, ImVec2(base.x + bar, base.y), IM_COL32(33, 33, 33, 255), 3);
    dl->AddLine(base, ImVec2(base.x, base.y - 6), IM_COL32(33, 33, 33, 255), 2);
    dl->AddLine(ImVec2(base.x + bar, base.y), ImVec2(base.x + bar, base.y - 6), IM_COL32(33, 33, 33, 255), 2);
    char label[32];
    if (nice >= 1000) std::snprintf(label, sizeof label, "%g km", nice / 1000);
    else std::snprintf(label, sizeof label, "%g m", nice);
    dl->AddText(ImVec2(base.x + 2, base.y - 21), IM_COL32(33, 33, 33, 255), label);

    // North arrow (Web Mercator: north is always up).
    ImVec2 n(w - 36, 70);
    dl->AddCircleFilled(n, 18, IM_COL32(255, 255, 255, 200));
    dl->AddTriangleFilled(ImVec2(n.x, n.y - 14), ImVec2(n.x - 7, n.y + 8), ImVec2(n.x, n.y + 3), IM_COL32(198, 40, 40, 255));
    dl->AddTriangleFilled(ImVec2(n.x, n.y - 14), ImVec2(n.x, n.y + 3), ImVec2(n.x + 7, n.y + 8), IM_COL32(120, 20, 20, 255));
    dl->AddText(ImVec2(n.x - 4, n.y - 34), IM_COL32(33, 33, 33, 255), "N");

    // Pointer coordinates, WGS84 and (on request) GCJ-02, zoom.
    char text[160];
    geo::Coord p = panels.pointer_lonlat;
    int len = std::snprintf(text, sizeof text, "WGS84 %.6f, %.6f   z %.1f", p.x, p.y, cam.zoom());
    if (panels.show_gcj02 && len > 0) {
        geo::Coord g = geo::wgs84_to_gcj02(p);
        std::snprintf(text + len, sizeof text - static_cast<std::size_t>(len), "   GCJ-02 %.6f, %.6f", g.x, g.y);
    }
    ImVec2 ts = ImGui::CalcTextSize(text);
    ImVec2 at(w - ts.x - 14, h - ts.y - 10);
    dl->AddRectFilled(ImVec2(at.x - 6, at.y - 4), ImVec2(w - 6, h - 4), IM_COL32(255, 255, 255, 210), 3);
    dl->AddText(at, IM_COL32(33, 33, 33, 255), text);
}

} // namespace vigil::viewer
