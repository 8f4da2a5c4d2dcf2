/// @file
/// Label candidates from the layers in view, placed by LabelPlacer; see map_labels.hpp.

#include "map_labels.hpp"

#include <vigil/geo/mercator.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::viewer {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

/// Liang-Barsky: the parameters [t0, t1] of segment a-b inside the box, if any.
bool clip(geo::Coord a, geo::Coord b, double w, double h, double& t0, double& t1) {
    t0 = 0;
    t1 = 1;
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {a.x, w - a.x, a.y, h - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0) t0 = std::max(t0, t);
        else t1 = std::min(t1, t);
        if (t0 > t1) return false;
    }
    return true;
}

geo::Coord lerp(geo::Coord a, geo::Coord b, double t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

/// A kept area label waiting for its place.
struct KeptLabel {
    LabelCandidate candidate;
    const geo::Geometry* area = nullptr;
    int catalogue_priority = 0;
};

/// Where a kept label goes: spots on a grid over the area's visible part, nearest to its inner
/// point first, in four rounds — wholly inside the area and free of everything, its centre
/// inside and free of everything, then the same two free only of `hard` (the furniture, panels
/// and other kept labels: clusters and markers give way). The box is in LabelPlacer's form
/// (text at min + 1).
std::optional<geo::BBox> place_kept(const KeptLabel& k, const Camera& cam, double w, double h, const LabelPlacer& all,
                                    const LabelPlacer& hard) {
    const LabelCandidate& c = k.candidate;
    const double ratio = cam.pixel_ratio();
    auto to_screen = [&](geo::Coord ll) {
        const geo::Coord s = cam.lonlat_to_screen(ll);
        return geo::Coord{s.x / ratio, s.y / ratio};
    };
    const geo::BBox bb = k.area->bbox();
    const geo::Coord p0 = to_screen({bb.min_x, bb.min_y}), p1 = to_screen({bb.max_x, bb.max_y});
    const double x0 = std::max(0.0, std::min(p0.x, p1.x)), x1 = std::min(w, std::max(p0.x, p1.x));
    const double y0 = std::max(0.0, std::min(p0.y, p1.y)), y1 = std::min(h, std::max(p0.y, p1.y));
    if (x0 >= x1 || y0 >= y1) return std::nullopt;
    const geo::Coord anchor{std::clamp(c.anchor.x, x0, x1), std::clamp(c.anchor.y, y0, y1)};
    // The grid: steps of a third of the text's width and half its height, coarser for a big area
    // (at most ~600 spots).
    double sx = std::max(6.0, c.width / 3), sy = std::max(6.0, c.height / 2);
    const double cells = ((x1 - x0) / sx + 1) * ((y1 - y0) / sy + 1);
    if (cells > 600) {
        const double f = std::sqrt(cells / 600);
        sx *= f;
        sy *= f;
    }
    std::vector<geo::Coord> spots{anchor};
    for (double y = y0 + sy / 2; y < y1; y += sy)
        for (double x = x0 + sx / 2; x < x1; x += sx) spots.push_back({x, y});
    std::stable_sort(spots.begin() + 1, spots.end(), [&](geo::Coord a, geo::Coord b) {
        return std::hypot(a.x - anchor.x, a.y - anchor.y) < std::hypot(b.x - anchor.x, b.y - anchor.y);
    });
    auto box_at = [&](geo::Coord s) {
        return geo::BBox{s.x - c.width / 2 - 1, s.y - c.height / 2 - 1, s.x + c.width / 2 + 1, s.y + c.height / 2 + 1};
    };
    auto inside = [&](double x, double y) { return geo::contains(*k.area, cam.screen_to_lonlat({x * ratio, y * ratio})); };
    std::vector<std::int8_t> centre_in(spots.size(), -1), whole_in(spots.size(), -1); // -1: not yet known
    for (int round = 0; round < 4; ++round) {
        const LabelPlacer& placer = round < 2 ? all : hard;
        const bool whole = round % 2 == 0;
        for (std::size_t i = 0; i < spots.size(); ++i) {
            const geo::BBox b = box_at(spots[i]);
            if (!placer.fits(b)) continue;
            if (centre_in[i] < 0) centre_in[i] = inside(spots[i].x, spots[i].y);
            if (!centre_in[i]) continue;
            if (whole) {
                if (whole_in[i] < 0)
                    whole_in[i] = inside(b.min_x + 1, b.min_y + 1) && inside(b.max_x - 1, b.min_y + 1) &&
                                  inside(b.min_x + 1, b.max_y - 1) && inside(b.max_x - 1, b.max_y - 1);
                if (!whole_in[i]) continue;
            }
            return b;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<VisibleRun> longest_visible_run(const std::vector<geo::Coord>& pts, double width, double height) {
    // Runs of consecutive visible pieces; a piece that leaves the box ends its run.
    struct Piece {
        geo::Coord a, b;
        double length;
    };
    std::vector<Piece> pieces;
    std::vector<std::size_t> run_starts;
    bool open = false;
    for (std::size_t i = 1; i < pts.size(); ++i) {
        double t0 = 0, t1 = 0;
        if (!clip(pts[i - 1], pts[i], width, height, t0, t1)) {
            open = false;
            continue;
        }
        const geo::Coord a = lerp(pts[i - 1], pts[i], t0), b = lerp(pts[i - 1], pts[i], t1);
        if (!open || t0 > 0) run_starts.push_back(pieces.size());
        pieces.push_back({a, b, std::hypot(b.x - a.x, b.y - a.y)});
        open = t1 >= 1;
    }
    if (pieces.empty()) return std::nullopt;
    run_starts.push_back(pieces.size());
    std::size_t best = 0;
    double best_len = -1;
    for (std::size_t r = 0; r + 1 < run_starts.size(); ++r) {
        double len = 0;
        for (std::size_t i = run_starts[r]; i < run_starts[r + 1]; ++i) len += pieces[i].length;
        if (len > best_len) {
            best_len = len;
            best = r;
        }
    }
    double half = best_len / 2;
    for (std::size_t i = run_starts[best]; i < run_starts[best + 1]; ++i) {
        const Piece& p = pieces[i];
        if (half <= p.length || i + 1 == run_starts[best + 1])
            return VisibleRun{p.length > 0 ? lerp(p.a, p.b, std::min(1.0, half / p.length)) : p.a, best_len};
        half -= p.length;
    }
    return std::nullopt; // unreachable: the loop returns on the run's last piece
}

geo::Coord MapLabeler::text_size(const std::string& text, const Measure& measure) {
    auto it = m_sizes.find(text);
    if (it != m_sizes.end()) return it->second;
    // Bounded: a long pan over a big database must not grow this without end.
    if (m_sizes.size() > 20000) m_sizes.clear();
    return m_sizes.emplace(text, measure(text)).first->second;
}

std::vector<geo::Coord>& MapLabeler::anchors(const std::shared_ptr<const model::Layer>& layer) {
    auto& v = m_anchors[layer];
    if (v.size() != layer->size()) v.assign(layer->size(), geo::Coord{k_nan, k_nan});
    return v;
}

const std::vector<MapLabel>& MapLabeler::update(const Camera& cam, const std::vector<LabelLayer>& layers,
                                                const std::vector<geo::BBox>& blocked, double font_key, const Measure& measure,
                                                const std::vector<geo::BBox>& symbols) {
    Key key;
    key.centre = cam.center_world();
    key.zoom = cam.zoom();
    key.width = cam.width();
    key.height = cam.height();
    key.ratio = cam.pixel_ratio();
    key.font = font_key;
    for (const auto& in : layers) {
        key.layers.push_back(reinterpret_cast<std::uintptr_t>(in.layer->layer.get()));
        key.layers.push_back(in.layer->revision);
        key.layers.push_back(in.layer->visible ? 1 : 0);
        key.layers.push_back(reinterpret_cast<std::uintptr_t>(in.clustering));
        key.layers.push_back(in.clustering ? static_cast<std::uint64_t>(in.clustering->zoom_level) : 0);
    }
    key.blocked = blocked;
    key.symbols = symbols;
    if (m_key && *m_key == key) return m_labels;
    m_key = std::move(key);
    if (font_key != m_sizes_font) {
        m_sizes.clear();
        m_sizes_font = font_key;
    }
    // Forget the inner points of layers no longer shown (a reloaded project frees its layers).
    for (auto it = m_anchors.begin(); it != m_anchors.end();) {
        const bool used = std::any_of(layers.begin(), layers.end(), [&](const LabelLayer& in) { return in.layer->layer == it->first; });
        it = used ? std::next(it) : m_anchors.erase(it);
    }

    const double ratio = cam.pixel_ratio();
    const double w = cam.width() / ratio, h = cam.height() / ratio;
    const geo::BBox view = cam.visible_lonlat();
    auto to_screen = [&](geo::Coord lonlat) {
        geo::Coord s = cam.lonlat_to_screen(lonlat);
        return geo::Coord{s.x / ratio, s.y / ratio};
    };

    // Important layers first, so that the budget goes to them.
    std::vector<std::size_t> layer_order(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) layer_order[i] = i;
    std::stable_sort(layer_order.begin(), layer_order.end(), [&](std::size_t a, std::size_t b) {
        return layers[a].layer->kind().symbology.label_priority > layers[b].layer->kind().symbology.label_priority;
    });

    LabelPlacer placer(w, h), hard(w, h);
    for (const auto& b : blocked) {
        placer.block(b);
        hard.block(b);
    }
    std::vector<LabelCandidate> candidates;
    std::vector<KeptLabel> kept;
    std::vector<std::pair<int, geo::GeometryType>> info; // per candidate: catalogue priority, family
    std::vector<geo::BBox> markers;
    Stats stats;
    stats.recomputations = m_stats.recomputations + 1;
    std::vector<std::uint32_t> rows;
    std::vector<geo::Coord> screen_pts;
    for (std::size_t li : layer_order) {
        const LayerView& l = *layers[li].layer;
        const Clustering* clustering = layers[li].clustering;
        const auto& sym = l.kind().symbology;
        if (!l.visible || sym.label_field.empty() || cam.zoom() < sym.label_min_zoom) continue;
        const auto field = l.kind().field_index(sym.label_field);
        if (!field) continue;
        rows.clear();
        const bool quiet = l.styles.quiet_on();
        l.layer->index().search(view, [&](std::uint32_t row) {
            if (!l.row_shown(row) || (clustering && clustering->clustered(row))) return true;
            if (quiet && l.styles.quiet_value(*l.layer, row)) return true; // drawn quietly: not named either
            const auto* text = std::get_if<std::string>(&l.layer->value(row, *field));
            if (text && !text->empty()) rows.push_back(row);
            return true;
        });
        const bool keep = sym.label_keep && l.kind().geometry == catalog::GeometryKind::Polygon;
        if (!keep && candidates.size() + rows.size() > m_settings.max_candidates) {
            ++stats.layers_skipped;
            continue;
        }
        // Rows in the index's order differ from frame to frame only by what enters or leaves
        // the view; sorting makes the order independent of the search altogether.
        std::sort(rows.begin(), rows.end());
        const FeatureRanks ranks(*l.layer);
        std::vector<geo::Coord>* inner = nullptr;
        for (std::uint32_t row : rows) {
            const std::string& text = std::get<std::string>(l.layer->value(row, *field));
            const geo::Geometry& g = l.layer->geometry(row);
            if (g.is_empty()) continue;
            LabelCandidate c;
            const geo::Coord size = text_size(text, measure);
            c.width = size.x;
            c.height = size.y;
            switch (geo::geometry_family(g.type)) {
            case geo::GeometryType::Point: {
                c.anchor = to_screen(g.coords.front());
                const double r = l.styles.style(*l.layer, row).size / 2.0;
                c.offset = r + m_settings.point_gap;
                markers.push_back({c.anchor.x - r, c.anchor.y - r, c.anchor.x + r, c.anchor.y + r});
                break;
            }
            case geo::GeometryType::LineString: {
                std::optional<VisibleRun> best;
                const std::size_t parts = std::max<std::size_t>(g.ring_count(), 1);
                for (std::size_t p = 0; p < parts; ++p) {
                    auto pts = g.ring_starts.empty() ? std::span<const geo::Coord>(g.coords) : g.ring(p);
                    screen_pts.clear();
                    for (auto q : pts) screen_pts.push_back(to_screen(q));
                    auto run = longest_visible_run(screen_pts, w, h);
                    if (run && (!best || run->length > best->length)) best = run;
                }
                // A label longer than the line it names would hang in the air.
                if (!best || best->length < c.width + 8) continue;
                c.anchor = best->middle;
                c.centred = true;
                c.group = text;
                c.repeat_px = m_settings.repeat_px;
                break;
            }
            case geo::GeometryType::Polygon: {
                if (!inner) inner = &anchors(l.layer);
                geo::Coord& at = (*inner)[row];
                if (std::isnan(at.x)) at = geo::representative_point(g);
                if (std::isnan(at.x)) continue;
                c.anchor = to_screen(at);
                c.centred = true;
                c.group = text;
                c.repeat_px = m_settings.repeat_px;
                break;
            }
            default: continue;
            }
            c.text = text;
            // Catalogue priority first, then the feature's class (red before blue).
            c.priority = sym.label_priority * 64 + (63 - std::min(ranks.rank(row), 63));
            c.order = (static_cast<std::uint64_t>(li) << 40) | row;
            if (keep && geo::geometry_family(g.type) == geo::GeometryType::Polygon) {
                kept.push_back({std::move(c), &g, sym.label_priority});
                continue;
            }
            candidates.push_back(std::move(c));
            info.emplace_back(sym.label_priority, geo::geometry_family(g.type));
        }
    }
    // Markers and cluster badges are not to be covered by other features' labels.
    for (const auto& m : markers) placer.block(m);
    for (const auto& b : symbols) placer.block(b);
    m_labels.clear();
    // Kept names first, by priority then the stable order; each then blocks all the others.
    std::stable_sort(kept.begin(), kept.end(), [](const KeptLabel& a, const KeptLabel& b) {
        if (a.candidate.priority != b.candidate.priority) return a.candidate.priority > b.candidate.priority;
        return a.candidate.order < b.candidate.order;
    });
    for (auto& k : kept)
        if (auto box = place_kept(k, cam, w, h, placer, hard)) {
            placer.take(*box);
            hard.take(*box);
            m_labels.push_back({std::move(k.candidate.text), *box, k.catalogue_priority, geo::GeometryType::Polygon, true});
            ++stats.kept_placed;
        }
    stats.kept = kept.size();
    for (const auto& p : placer.place(candidates)) {
        auto& c = candidates[p.candidate];
        m_labels.push_back({std::move(c.text), p.box, info[p.candidate].first, info[p.candidate].second});
    }
    stats.candidates = candidates.size() + kept.size();
    stats.placed = m_labels.size();
    m_stats = stats;
    return m_labels;
}

} // namespace vigil::viewer
