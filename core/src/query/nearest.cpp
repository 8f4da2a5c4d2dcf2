#include <vigil/query/nearest.hpp>

#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>
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
    for (const auto& v : f.values) out += (out.empty() ? "" : ", ") + v.value + " (" + v.label.zh + ")";
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
                if (!v) throw UsageError("'" + w + "' is not a value of " + kind.kind + "." + f.name + " (" + allowed(f) + ")");
                c.values.push_back(v->value);
            } else if (f.type == FieldType::Bool) {
                c.values.push_back(w == "1" || w == "true" || w == "yes" || w == "是" ? "1" : "0");
            } else {
                c.values.push_back(std::string(vigil::text::trim(w)));
            }
        }
        if (!c.values.empty()) filter.m_conditions.push_back(std::move(c));
    };
    if (!spec.need.empty()) {
        const catalog::Field* f = kind.field_with_role(FieldRole::Capabilities);
        if (!f) throw UsageError("layer " + kind.kind + " has no capabilities field, so --need cannot be used");
        add(*f, spec.need);
    }
    if (!spec.status.empty()) {
        const catalog::Field* f = kind.field_with_role(FieldRole::Status);
        if (!f) throw UsageError("layer " + kind.kind + " has no status field, so --status cannot be used");
        // Several statuses mean "any of them": one condition with all values.
        add(*f, spec.status);
    }
    for (const auto& [name, words] : spec.where) {
        const catalog::Field* f = kind.field(name);
        if (!f) {
            std::string names;
            for (const auto& fld : kind.fields) names += (names.empty() ? "" : ", ") + fld.name;
            throw UsageError("layer " + kind.kind + " has no field '" + name + "' (fields: " + names + ")");
        }
        if (f->type == FieldType::List) throw UsageError("cannot filter on list field '" + name + "'");
        add(*f, words);
    }
    return filter;
}

bool Filter::accept(const model::Layer& layer, std::size_t row) const {
    for (const auto& c : m_conditions) {
        const model::Value& v = layer.value(row, c.field);
        std::string text = model::to_text(v);
        if (c.is_set) {
            // Stored as a JSON array of canonical identifiers: a quoted match is exact.
            for (const auto& want : c.values)
                if (text.find("\"" + want + "\"") == std::string::npos) return false;
        } else {
            if (std::find(c.values.begin(), c.values.end(), text) == c.values.end()) return false;
        }
    }
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

std::vector<Hit> nearest(const model::Layer& layer, geo::Coord at, std::size_t k, const Filter& filter, double max_distance_m) {
    std::vector<Hit> out;
    if (k == 0 || layer.empty()) return out;
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
    std::sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) {
        return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.row < b.row;
    });
    return out;
}

} // namespace vigil::query
