/// @file
/// The overlay built from the app state: selection highlight, nearest lines, measure path.

#include "overlay.hpp"

#include "app_state.hpp"

namespace vigil::viewer {

namespace {

constexpr Rgba k_highlight{0, 229, 255, 255};
constexpr Rgba k_query{213, 0, 249, 255};
constexpr Rgba k_measure{255, 87, 34, 255};

} // namespace

Overlay build_overlay(const AppState& state) {
    Overlay o;
    if (const auto& sel = state.selection()) {
        if (const LayerView* l = state.layer(sel->kind)) {
            const geo::Geometry& g = l->layer->geometry(sel->row);
            if (geo::geometry_family(g.type) == geo::GeometryType::Point) {
                FeatureStyle ring;
                ring.fill = Rgba{0, 0, 0, 0};
                ring.stroke = k_highlight;
                ring.stroke_width = 3;
                ring.size = l->styles.style(*l->layer, sel->row).size + 10;
                for (auto c : g.coords) o.points.push_back({c, ring});
            } else {
                auto add = [&](std::span<const geo::Coord> pts) {
                    for (std::size_t i = 1; i < pts.size(); ++i) o.segments.push_back({pts[i - 1], pts[i], k_highlight, 4});
                };
                if (g.ring_starts.empty()) add(g.coords);
                else
                    for (std::size_t r = 0; r < g.ring_count(); ++r) add(g.ring(r));
            }
        }
    }
    if (const auto& q = state.nearest()) {
        FeatureStyle pin;
        pin.fill = k_query;
        pin.stroke = Rgba{255, 255, 255, 255};
        pin.size = 12;
        pin.stroke_width = 2;
        pin.marker = Marker::Cross;
        o.points.push_back({q->at, pin});
        if (const LayerView* l = state.layer(q->kind))
            for (const auto& h : q->results) {
                const geo::Geometry& g = l->layer->geometry(h.row);
                if (g.is_empty()) continue;
                geo::Coord c = g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g);
                o.segments.push_back({q->at, c, k_query.with_alpha(200), 2});
            }
    }
    // The measure path: a solid line through the points, and with three or more points a fainter
    // closing edge back to the first (the polygon whose area is shown).
    const auto& pts = state.measurement().points;
    if (!pts.empty()) {
        for (std::size_t i = 1; i < pts.size(); ++i) o.segments.push_back({pts[i - 1], pts[i], k_measure, 3});
        if (pts.size() >= 3) o.segments.push_back({pts.back(), pts.front(), k_measure.with_alpha(110), 2});
        FeatureStyle vertex;
        vertex.fill = Rgba{255, 255, 255, 255};
        vertex.stroke = k_measure;
        vertex.stroke_width = 2;
        vertex.size = 8;
        for (auto p : pts) o.points.push_back({p, vertex});
    }
    return o;
}

} // namespace vigil::viewer
