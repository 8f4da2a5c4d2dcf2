/// @file
/// The overlay built from the app state: selection highlight, nearest lines, measure path.

#include "overlay.hpp"

#include "app_state.hpp"

namespace vigil::viewer {

namespace {

constexpr Rgba k_highlight{0, 229, 255, 255};
constexpr Rgba k_query{213, 0, 249, 255};
constexpr Rgba k_measure{255, 87, 34, 255};
constexpr Rgba k_white{255, 255, 255, 255};

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
                // A quietly drawn feature (a hazard source below the threshold) shows in its
                // full look while selected.
                const FeatureStyle loud = l->styles.loud_style(*l->layer, sel->row);
                const bool quiet = l->styles.quiet_on() && l->styles.quiet_value(*l->layer, sel->row);
                ring.size = loud.size + 10;
                for (auto c : g.coords) {
                    if (quiet) o.points.push_back({c, loud});
                    o.points.push_back({c, ring});
                }
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
    // Dispatch: isochrone and closure outlines under the routes, routes by rank (the top ones
    // last, on top), the incident and the chosen warehouses. The fills are drawn by the panels.
    if (const auto& d = state.dispatch()) {
        auto outline = [&](const geo::Geometry& g, Rgba colour, float width) {
            for (std::size_t r = 0; r < g.ring_count(); ++r) {
                auto ring = g.ring(r);
                for (std::size_t i = 1; i < ring.size(); ++i) o.segments.push_back({ring[i - 1], ring[i], colour, width});
            }
        };
        for (const auto& iso : d->isochrones) outline(iso.area, Rgba{21, 101, 192, 230}, 2.0f);
        for (const auto& rings : d->query.closures)
            for (const auto& ring : rings)
                for (std::size_t i = 1; i < ring.size(); ++i) o.segments.push_back({ring[i - 1], ring[i], Rgba{198, 40, 40, 255}, 2.5f});
        std::vector<std::size_t> order;
        std::size_t rank = 0;
        std::vector<std::size_t> ranks(d->teams.size(), 0);
        for (std::size_t i = 0; i < d->teams.size(); ++i)
            if (d->teams[i].reachable) ranks[i] = ++rank;
        for (std::size_t i = d->teams.size(); i-- > 0;) order.push_back(i);
        for (std::size_t i : order) {
            const auto& t = d->teams[i];
            const RouteStyle st = route_style(ranks[i], d->query.top_n);
            // The ranked routes on a white casing: they stand out from the roads under them.
            if (st.highlighted)
                for (std::size_t k = 1; k < t.route.size(); ++k)
                    o.segments.push_back({t.route[k - 1], t.route[k], Rgba{255, 255, 255, 220}, st.width + 3});
            for (std::size_t k = 1; k < t.route.size(); ++k) o.segments.push_back({t.route[k - 1], t.route[k], st.colour, st.width});
        }
        for (const auto& w : d->supply.depots) {
            for (std::size_t k = 1; k < w.route.size(); ++k) o.segments.push_back({w.route[k - 1], w.route[k], Rgba{0, 137, 123, 200}, 3});
            o.points.push_back({w.at, FeatureStyle{Rgba{0, 137, 123, 255}, k_white, 14, 2, Marker::Square}});
        }
        o.points.push_back({d->query.at, FeatureStyle{Rgba{211, 47, 47, 255}, k_white, 18, 3, Marker::Star}});
        if (d->staging.point)
            o.points.push_back({*d->staging.point, FeatureStyle{Rgba{25, 118, 210, 255}, k_white, 14, 3, Marker::Diamond}});
    }
    if (const auto& h = state.hazard()) {
        for (const auto& z : h->zones)
            for (std::size_t r = 0; r < z.polygon.ring_count(); ++r) {
                auto ring = z.polygon.ring(r);
                const float w = z.kind == "uncertainty" ? 1.0f : 2.0f;
                for (std::size_t i = 1; i < ring.size(); ++i) o.segments.push_back({ring[i - 1], ring[i], zone_outline(z.tier), w});
            }
        o.points.push_back({h->inputs.at, FeatureStyle{Rgba{33, 33, 33, 255}, Rgba{255, 235, 59, 255}, 14, 2, Marker::Triangle}});
    }
    // Planning layers (the Planning panel): risk contours and isochrone bands as outlines (their
    // fills are drawn by the panels), the coverage gaps as markers on top.
    const Planner& plan = state.planner();
    auto ring_segments = [&](std::span<const geo::Coord> ring, Rgba colour, float width) {
        for (std::size_t i = 1; i < ring.size(); ++i) o.segments.push_back({ring[i - 1], ring[i], colour, width});
    };
    if (const PlanAnswer* a = plan.answer(PlanKind::risk); a && a->risk && plan.shown(PlanKind::risk))
        for (const auto& level : a->risk->levels)
            for (const auto& ring : contour_rings(level.contour)) ring_segments(ring, risk_outline(level.limit_per_year), 2);
    if (const PlanAnswer* a = plan.answer(PlanKind::isochrones); a && a->isochrones && plan.shown(PlanKind::isochrones)) {
        for (const auto& band : a->isochrones->bands)
            for (std::size_t r = 0; r < band.area.ring_count(); ++r)
                ring_segments(band.area.ring(r), isochrone_outline(band.minutes), k_isochrone_outline_px);
        if (const PlanQuestion* q = plan.question(PlanKind::isochrones))
            if (const auto& at = std::get<app::IsochroneQuery>(*q).at)
                o.points.push_back({*at, FeatureStyle{Rgba{27, 94, 32, 255}, k_white, 14, 2, Marker::Cross}});
    }
    if (const PlanAnswer* a = plan.answer(PlanKind::coverage); a && a->coverage && plan.shown(PlanKind::coverage))
        for (const auto& g : a->coverage->gaps)
            o.points.push_back(
                {g.at, FeatureStyle{gap_colour(g.reachable), k_white, 11, 1.5f, g.reachable ? Marker::Circle : Marker::Cross}});

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
