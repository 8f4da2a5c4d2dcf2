#include <vigil/query/nearest.hpp>

#include <vigil/geo/angles.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::query {

using catalog::FieldRole;
using catalog::FieldType;

namespace {

std::string allowed(const catalog::Field& f) {
    std::string out;
    for (const auto& v : f.values) out += (out.empty() ? "" : tr(", ")) + trf("{} ({})", v.value, v.label.text());
    return out;
}

} // namespace

Filter Filter::compile(const catalog::LayerKind& kind, const FilterSpec& spec) {
    Filter filter;
    auto add = [&](const catalog::Field& f, const std::vector<std::string>& words) {
        Condition c;
        c.field = *kind.field_index(f.name);
        c.is_set = f.type == FieldType::Set;
        for (const auto& w : words) {
            if (f.type == FieldType::Enum || f.type == FieldType::Set) {
                const catalog::EnumValue* v = f.find_value(w);
                if (!v) throw UsageError(trf("'{}' is not a value of {}.{} ({})", w, kind.kind, f.name, allowed(f)));
                c.values.push_back(v->value);
            } else if (f.type == FieldType::Bool) {
                c.values.push_back(
                    w == "1" || w == "true" || w == "yes" || w == "是" ? "1" : "0"); // i18n: not shown: a yes word as typed (parsed)
            } else {
                c.values.push_back(std::string(vigil::text::trim(w)));
            }
        }
        if (!c.values.empty()) filter.m_conditions.push_back(std::move(c));
    };
    if (!spec.need.empty()) {
        const catalog::Field* f = kind.field_with_role(FieldRole::Capabilities);
        if (!f) throw UsageError(trf("layer {} has no capabilities field, so --need cannot be used", kind.kind));
        add(*f, spec.need);
    }
    if (!spec.status.empty()) {
        const catalog::Field* f = kind.field_with_role(FieldRole::Status);
        if (!f) throw UsageError(trf("layer {} has no status field, so --status cannot be used", kind.kind));
        // Several statuses mean "any of them": one condition with all values.
        add(*f, spec.status);
    }
    for (const auto& [name, words] : spec.where) {
        const catalog::Field* f = kind.field(name);
        if (!f) {
            std::string names;
            for (const auto& fld : kind.fields) names += (names.empty() ? "" : ", ") + fld.name;
            throw UsageError(trf("layer {} has no field '{}' (fields: {})", kind.kind, name, names));
        }
        if (f->type == FieldType::List) throw UsageError(trf("cannot filter on list field '{}'", name));
        add(*f, words);
    }
    return filter;
}

bool Filter::Condition::matches(const model::Value& v) const {
    std::string text = model::to_text(v);
    if (is_set) {
        // Stored as a JSON array of canonical identifiers: a quoted match is exact.
        for (const auto& want : values)
            if (text.find("\"" + want + "\"") == std::string::npos) return false;
        return true;
    }
    return std::find(values.begin(), values.end(), text) != values.end();
}

bool Filter::accept(const model::Layer& layer, std::size_t row) const {
    for (const auto& c : m_conditions)
        if (!c.matches(layer.value(row, c.field))) return false;
    return true;
}

bool Filter::accept(std::span<const model::Value> values) const {
    for (const auto& c : m_conditions)
        if (c.field >= values.size() || !c.matches(values[c.field])) return false;
    return true;
}

namespace {

// Closest point to `p` on segment a-b, found in a local equirectangular frame around p (exact
// enough at city scale to pick the point); its distance is then measured geodesically.
geo::Coord closest_on_segment(geo::Coord p, geo::Coord a, geo::Coord b) {
    const double k = std::cos(p.y * std::numbers::pi / 180.0);
    double ax = (a.x - p.x) * k, ay = a.y - p.y, bx = (b.x - p.x) * k, by = b.y - p.y;
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
    return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
}

double distance_to_lines(geo::Coord at, const geo::Geometry& g) {
    double best = std::numeric_limits<double>::infinity();
    auto scan = [&](std::span<const geo::Coord> pts) {
        if (pts.size() == 1) best = std::min(best, geo::geodesic_distance_m(at, pts[0]));
        for (std::size_t i = 1; i < pts.size(); ++i)
            best = std::min(best, geo::geodesic_distance_m(at, closest_on_segment(at, pts[i - 1], pts[i])));
    };
    if (g.ring_starts.empty()) scan(g.coords);
    else
        for (std::size_t r = 0; r < g.ring_count(); ++r) scan(g.ring(r));
    return best;
}

} // namespace

double distance_to_geometry_m(geo::Coord at, const geo::Geometry& g) {
    switch (g.type) {
    case geo::GeometryType::None: return std::numeric_limits<double>::infinity();
    case geo::GeometryType::Point: return geo::geodesic_distance_m(at, g.coords[0]);
    case geo::GeometryType::MultiPoint: {
        double best = std::numeric_limits<double>::infinity();
        for (auto c : g.coords) best = std::min(best, geo::geodesic_distance_m(at, c));
        return best;
    }
    case geo::GeometryType::LineString:
    case geo::GeometryType::MultiLineString: return distance_to_lines(at, g);
    case geo::GeometryType::Polygon:
    case geo::GeometryType::MultiPolygon:
        if (geo::contains(g, at)) return 0;
        return distance_to_lines(at, g);
    }
    return std::numeric_limits<double>::infinity();
}

namespace {

// Nearest points by geodesic distance, in two passes that keep the answer exact while paying
// for Vincenty only a few times:
//
//   1. search the tree on the unit sphere, ranking by h = hav(θ), the haversine of the central
//      angle θ (monotone in θ, so no asin):     h(p,q) = hav(Δφ) + cos φp · cos φq · hav(Δλ)
//      with a lower bound per box:               h ≥ hav(Δφ_min) + cos φp · cos φ_far · hav(Δλ_min)
//      (φ_far: the box latitude farthest from the equator) -> θ_k, the k-th smallest angle;
//   2. on WGS84, in geodetic coordinates, the ellipsoid's line element lies between the sphere's
//      scaled by the smallest and the largest radius of curvature:
//        M_min·dθ ≤ ds ≤ N_max·dθ   (M_min = 6,335,439 m at the equator, N_max = 6,399,594 m at
//      the poles), so every point within geodesic distance s_k of the k-th lies within
//      θ ≤ θ_k·N_max/M_min: collect those, measure them exactly (Vincenty), sort, keep k.
constexpr double k_m_min = 6335439.327;
constexpr double k_n_max = 6399593.626;

double hav(double angle) {
    double s = std::sin(angle * 0.5);
    return s * s;
}

struct SphereMetric {
    geo::Coord p;
    double cos_lat;

    double item(const geo::Coord& q) const {
        return hav((q.y - p.y) * geo::k_rad_per_deg) + cos_lat * std::cos(q.y * geo::k_rad_per_deg) * hav((q.x - p.x) * geo::k_rad_per_deg);
    }
    double box(const geo::BBox& b) const {
        double dlat = p.y < b.min_y ? b.min_y - p.y : p.y > b.max_y ? p.y - b.max_y : 0.0;
        double dlon = 0;
        if (p.x < b.min_x || p.x > b.max_x) {
            double d1 = std::fabs(b.min_x - p.x), d2 = std::fabs(p.x - b.max_x);
            d1 = std::min(d1, 360.0 - d1);
            d2 = std::min(d2, 360.0 - d2);
            dlon = std::min(d1, d2);
        }
        double far = std::max(std::fabs(b.min_y), std::fabs(b.max_y));
        double cos_far = far >= 90 ? 0.0 : std::cos(far * geo::k_rad_per_deg);
        return hav(dlat * geo::k_rad_per_deg) + cos_lat * cos_far * hav(dlon * geo::k_rad_per_deg);
    }
};

double angle_from_hav(double h) { return 2 * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0))); }

std::vector<Hit> nearest_points(const model::Layer& layer, geo::Coord at, std::size_t k, const Filter& filter, double max_distance_m) {
    const SphereMetric m{at, std::cos(at.y * geo::k_rad_per_deg)};
    auto box_bound = [&](const geo::BBox& b) { return m.box(b); };
    auto item_h = [&](std::uint32_t row) { return m.item(layer.geometry(row).coords[0]); };
    std::function<bool(std::uint32_t)> accept;
    if (!filter.empty()) accept = [&](std::uint32_t row) { return filter.accept(layer, row); };
    // No point farther than max_distance_m can be closer than this angle.
    double h_max = std::isfinite(max_distance_m) ? hav(std::min(max_distance_m / k_m_min, std::numbers::pi)) : 2.0;
    auto first = layer.index().nearest(k, h_max, box_bound, item_h, accept);
    std::vector<Hit> out;
    if (first.empty()) return out;
    if (first.size() < k) {
        // Fewer than k within reach: these are all the candidates there are.
        for (const auto& c : first) {
            double d = geo::geodesic_distance_m(at, layer.geometry(c.item).coords[0]);
            if (d <= max_distance_m) out.push_back({c.item, d});
        }
    } else {
        double theta_limit = std::min(angle_from_hav(first.back().distance) * k_n_max / k_m_min * (1 + 1e-9) + 1e-12, std::numbers::pi);
        double h_limit = std::min(h_max, hav(theta_limit));
        // Everything within θ_limit lies within N_max·θ_limit metres: a box search finds it all.
        layer.index().search(geo::bbox_around(at, k_n_max * theta_limit * (1 + 1e-9) + 1e-6), [&](std::uint32_t row) {
            if (item_h(row) > h_limit || (accept && !accept(row))) return true;
            double d = geo::geodesic_distance_m(at, layer.geometry(row).coords[0]);
            if (d <= max_distance_m) out.push_back({row, d});
            return true;
        });
    }
    std::sort(out.begin(), out.end(),
              [](const Hit& a, const Hit& b) { return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.row < b.row; });
    if (out.size() > k) out.resize(k);
    return out;
}

bool all_points(const model::Layer& layer) { return layer.kind().geometry == catalog::GeometryKind::Point; }

} // namespace

std::vector<Hit> nearest(const model::Layer& layer, geo::Coord at, std::size_t k, const Filter& filter, double max_distance_m) {
    std::vector<Hit> out;
    if (k == 0 || layer.empty()) return out;
    if (all_points(layer)) return nearest_points(layer, at, k, filter, max_distance_m);
    auto neighbours = layer.index().nearest(
        k, max_distance_m, [&](const geo::BBox& box) { return geo::geodesic_lower_bound_m(at, box); },
        [&](std::uint32_t row) { return distance_to_geometry_m(at, layer.geometry(row)); },
        filter.empty() ? std::function<bool(std::uint32_t)>{} : [&](std::uint32_t row) { return filter.accept(layer, row); });
    out.reserve(neighbours.size());
    for (const auto& n : neighbours) out.push_back({n.item, n.distance});
    return out;
}

std::vector<Hit> within(const model::Layer& layer, geo::Coord at, double radius_m, const Filter& filter) {
    std::vector<Hit> out;
    if (layer.empty() || !(radius_m >= 0)) return out;
    layer.index().search(geo::bbox_around(at, radius_m), [&](std::uint32_t row) {
        if (!filter.empty() && !filter.accept(layer, row)) return true;
        double d = distance_to_geometry_m(at, layer.geometry(row));
        if (d <= radius_m) out.push_back({row, d});
        return true;
    });
    std::sort(out.begin(), out.end(),
              [](const Hit& a, const Hit& b) { return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.row < b.row; });
    return out;
}

} // namespace vigil::query
