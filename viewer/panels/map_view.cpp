/// @file
/// What happens on the map canvas itself: clicks, labels, cluster counts, scale bar, north
/// arrow, coordinates.

#include "map_view.hpp"

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/util/i18n.hpp>

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
    case ClickMode::Hazard: ask_hazard(state, panels, state.camera().screen_to_lonlat(fb), tr("map click")); break;
    case ClickMode::Planning: ask_isochrones(state, panels, state.camera().screen_to_lonlat(fb)); break;
    }
}

namespace {

/// Where the map furniture (scale bar, north arrow, coordinates, menu bar) sits, in logical
/// pixels: labels keep clear of it. Must follow draw_map_furniture().
std::vector<geo::BBox> furniture_boxes(double screen_w, double h, const PanelState& panels) {
    const double top = panels.map_top_inset, bottom = panels.map_bottom_inset, w = screen_w - panels.map_right_inset;
    return {
        {0, 0, w, std::max<double>(ImGui::GetFrameHeight() + 2, top)}, // main menu bar (the wall's band)
        {std::max(0.0, w - 196), h - bottom - 78, w, h - bottom - 36}, // scale bar
        {w - 58, top + 30, w - 14, top + 92},                          // north arrow
        {std::max(0.0, w - 520), h - std::max(36.0, bottom), w, h},    // pointer coordinates (the wall's ticker)
    };
}

void halo_text(ImDrawList* dl, ImFont* font, float size, ImVec2 at, ImU32 colour, ImU32 halo, const char* text) {
    // Eight offset copies under the text: a 1-pixel halo keeps labels readable on any map.
    for (float dx : {-1.f, 0.f, 1.f})
        for (float dy : {-1.f, 0.f, 1.f})
            if (dx != 0 || dy != 0) dl->AddText(font, size, ImVec2(at.x + dx, at.y + dy), halo, text);
    dl->AddText(font, size, at, colour, text);
}

ImU32 imgui_colour(Rgba c, float opacity = 1) {
    return IM_COL32(c.r, c.g, c.b, static_cast<int>(std::lround(c.a * std::clamp(opacity, 0.0f, 1.0f))));
}

} // namespace

void draw_cluster_badges(const AppState& state, MapCanvas& canvas) {
    const Camera& cam = state.camera();
    const double ratio = cam.pixel_ratio();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    canvas.badges = ClusterBadges(ImGui::GetFontSize(), [font](const std::string& text, double px) {
        const ImVec2 size = font->CalcTextSizeA(static_cast<float>(px), 1e9f, 0, text.c_str());
        return geo::Coord{size.x, size.y};
    });
    const double w = cam.width() / ratio, h = cam.height() / ratio;
    constexpr double k_two_pi = 6.283185307179586;
    for (const auto& cl : canvas.clustered) {
        const LayerView& l = *cl.layer;
        const float opacity = l.opacity;
        for (const auto& c : cl.clustering->clusters) {
            const geo::Coord s = cam.lonlat_to_screen(c.lonlat);
            const BadgeShape b = canvas.badges.shape(c.count);
            const double r = b.diameter / 2;
            const ImVec2 at(static_cast<float>(s.x / ratio), static_cast<float>(s.y / ratio));
            if (at.x < -r || at.y < -r || at.x > w + r || at.y > h + r) continue;
            const float rf = static_cast<float>(r);
            // A soft halo in the most severe member's colour, a white disc, then the ring: one
            // arc per colour class, clockwise from twelve o'clock in the catalogue's order (red
            // first), each at least a few degrees so a lone red member still shows.
            dl->AddCircleFilled(at, rf + 3, imgui_colour(l.styles.style(*l.layer, c.top_row).fill.with_alpha(70), opacity));
            dl->AddCircleFilled(at, rf, imgui_colour(Rgba{255, 255, 255, 245}, opacity));
            const float ring = static_cast<float>(b.ring), mid = rf - 1 - ring / 2;
            const std::size_t n = c.composition.size();
            const double min_angle = n > 1 ? 0.12 : 0, gap = n > 1 ? std::min(0.06, 0.5 / std::max(1.0, r)) * 2 : 0;
            const double spread = k_two_pi - static_cast<double>(n) * min_angle;
            double a0 = -k_two_pi / 4;
            for (const auto& share : c.composition) {
                const double span = min_angle + spread * share.count / std::max<std::uint32_t>(c.count, 1);
                const ImU32 colour = imgui_colour(l.styles.style(*l.layer, share.row).fill.with_alpha(255), opacity);
                if (n == 1) {
                    dl->AddCircle(at, mid, colour, 0, ring);
                } else {
                    dl->PathArcTo(at, mid, static_cast<float>(a0 + gap / 2), static_cast<float>(a0 + span - gap / 2));
                    dl->PathStroke(colour, 0, ring);
                }
                a0 += span;
            }
            dl->AddCircle(at, rf, imgui_colour(Rgba{255, 255, 255, 255}, opacity), 0, 1.5f);
            const float size = static_cast<float>(b.font_px);
            const ImVec2 ts(static_cast<float>(b.text_size.x), static_cast<float>(b.text_size.y));
            const ImVec2 text_at(at.x - ts.x / 2, at.y - ts.y / 2);
            const ImU32 ink = imgui_colour(Rgba{33, 33, 33, 255}, opacity);
            dl->AddText(font, size, text_at, ink, b.text.c_str());
            dl->AddText(font, size, ImVec2(text_at.x + 0.5f, text_at.y), ink, b.text.c_str()); // a touch of weight
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
    // Labels keep clear of the furniture (the wall's boxes too), and (but for kept area names) of
    // cluster badges.
    std::vector<geo::BBox> blocked = furniture_boxes(w, h, panels), symbols;
    blocked.insert(blocked.end(), panels.map_covered.begin(), panels.map_covered.end());
    // ... and of the panels (where the last frame put them): a label half under a window reads
    // as a different name.
    for (const ImGuiWindow* win : ImGui::GetCurrentContext()->Windows)
        if (win->WasActive && !win->Hidden && !(win->Flags & ImGuiWindowFlags_ChildWindow) && win->Size.x > 0)
            blocked.push_back({win->Pos.x, win->Pos.y, win->Pos.x + win->Size.x, win->Pos.y + win->Size.y});
    for (const auto& c : canvas.clustered)
        for (const auto& k : c.clustering->clusters) {
            const geo::Coord s = cam.lonlat_to_screen(k.lonlat);
            const double r = canvas.badges.diameter(k.count) / 2 + 4; // the badge and its halo
            const geo::BBox b{s.x / ratio - r, s.y / ratio - r, s.x / ratio + r, s.y / ratio + r};
            if (b.max_x >= 0 && b.max_y >= 0 && b.min_x <= w && b.min_y <= h) symbols.push_back(b);
        }
    auto measure = [&](const std::string& text) {
        const ImVec2 size = font->CalcTextSizeA(font_px, 1e9f, 0, text.c_str());
        return geo::Coord{size.x, size.y};
    };
    const auto& labels = canvas.labeler.update(cam, layers, blocked, font_px, measure, symbols);
    for (const auto& label : labels) {
        const ImVec2 at(static_cast<float>(label.box.min_x + 1), static_cast<float>(label.box.min_y + 1));
        ImU32 ink = IM_COL32(33, 33, 33, 255);
        if (label.family == geo::GeometryType::LineString) ink = IM_COL32(38, 70, 110, 255); // rivers, roads: cool and quiet
        if (label.family == geo::GeometryType::Polygon) ink = IM_COL32(105, 85, 70, 255);    // areas: the boundary's brown
        if (label.kept) ink = IM_COL32(78, 58, 44, 255);                                     // county names: darker, and bold
        halo_text(dl, font, font_px, at, ink, IM_COL32(255, 255, 255, 230), label.text.c_str());
        if (label.kept) dl->AddText(font, font_px, ImVec2(at.x + 0.6f, at.y), ink, label.text.c_str());
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
    const float w = static_cast<float>(cam.width() / ratio) - panels.map_right_inset;
    const float h = static_cast<float>(cam.height() / ratio) - panels.map_bottom_inset;
    const float top = panels.map_top_inset;

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
    ImVec2 n(w - 36, top + 70);
    dl->AddCircleFilled(n, 18, IM_COL32(255, 255, 255, 200));
    dl->AddTriangleFilled(ImVec2(n.x, n.y - 14), ImVec2(n.x - 7, n.y + 8), ImVec2(n.x, n.y + 3), IM_COL32(198, 40, 40, 255));
    dl->AddTriangleFilled(ImVec2(n.x, n.y - 14), ImVec2(n.x, n.y + 3), ImVec2(n.x + 7, n.y + 8), IM_COL32(120, 20, 20, 255));
    dl->AddText(ImVec2(n.x - 4, n.y - 34), IM_COL32(33, 33, 33, 255), "N");

    // Pointer coordinates, WGS84 and (on request) GCJ-02, zoom.
    if (!panels.show_pointer_readout) return;
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
