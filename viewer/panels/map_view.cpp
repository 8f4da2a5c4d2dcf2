// What happens on the map canvas itself: clicks, labels, scale bar, north arrow, coordinates.

#include "panels.hpp"

#include "../app/label_placer.hpp"

#include <vigil/geo/chinese_datums.hpp>

#include <imgui.h>

#include <cmath>
#include <cstdio>

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
    }
}

void draw_labels(const AppState& state, const PanelState&) {
    const Camera& cam = state.camera();
    const double ratio = cam.pixel_ratio();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float font_px = ImGui::GetFontSize();
    std::vector<LabelCandidate> candidates;
    std::vector<std::pair<const LayerView*, std::size_t>> source;
    const geo::BBox view = cam.visible_lonlat();
    std::size_t order = 0;
    for (const auto& l : state.layers()) {
        const auto& sym = l.kind().symbology;
        if (!l.visible || sym.label_field.empty() || cam.zoom() < sym.label_min_zoom) continue;
        auto field = l.kind().field_index(sym.label_field);
        if (!field) continue;
        l.layer->index().search(view, [&](std::uint32_t row) {
            if (!l.row_shown(row)) return true;
            const auto* text = std::get_if<std::string>(&l.layer->value(row, *field));
            if (!text || text->empty()) return true;
            const geo::Geometry& g = l.layer->geometry(row);
            geo::Coord anchor = cam.lonlat_to_screen(geo::representative_point(g));
            ImVec2 size = font->CalcTextSizeA(font_px, 1e9f, 0, text->c_str());
            LabelCandidate c;
            c.text = *text;
            c.anchor = {anchor.x / ratio, anchor.y / ratio};
            c.width = size.x;
            c.height = size.y;
            c.offset = geo::geometry_family(g.type) == geo::GeometryType::Point ? l.styles.style(*l.layer, row).size / 2 + 3 : -size.x / 2; // centred on lines and areas
            c.priority = sym.label_priority;
            c.order = order++;
            candidates.push_back(std::move(c));
            source.emplace_back(&l, row);
            return true;
        });
    }
    LabelPlacer placer(cam.width() / ratio, cam.height() / ratio);
    for (const auto& p : placer.place(candidates)) {
        const auto& c = candidates[p.candidate];
        ImVec2 at(static_cast<float>(p.box.min_x + 1), static_cast<float>(p.box.min_y + 1));
        // A white halo keeps labels readable on any background.
        for (float dx : {-1.f, 0.f, 1.f})
            for (float dy : {-1.f, 0.f, 1.f})
                if (dx != 0 || dy != 0) dl->AddText(font, font_px, ImVec2(at.x + dx, at.y + dy), IM_COL32(255, 255, 255, 230), c.text.c_str());
        dl->AddText(font, font_px, at, IM_COL32(33, 33, 33, 255), c.text.c_str());
    }
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
    ImVec2 base(16, h - 36);
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
