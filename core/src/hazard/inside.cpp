/// @file
/// Features of point layers inside hazard zones (see inside.hpp).

#include <vigil/hazard/inside.hpp>

#include <vigil/geo/geodesic.hpp>

#include <algorithm>
#include <tuple>

namespace vigil::hazard {

std::vector<ZoneContents> features_inside(const std::vector<Zone>& zones, geo::Coord source,
                                          const std::vector<std::shared_ptr<const model::Layer>>& layers) {
    std::vector<ZoneContents> out;
    for (std::size_t zi = 0; zi < zones.size(); ++zi) {
        const Zone& zone = zones[zi];
        ZoneContents contents;
        contents.zone = zi;
        const geo::BBox box = zone.polygon.bbox();
        for (const auto& layer : layers) {
            if (!layer || layer->kind().geometry != catalog::GeometryKind::Point) continue;
            const bool teams = layer->kind().kind == k_rescue_teams_layer;
            auto f_name = layer->kind().index_of_role(catalog::FieldRole::Name);
            layer->index().search(box, [&](std::uint32_t row) {
                const geo::Geometry& g = layer->geometry(row);
                // The nearest of a MultiPoint's points inside the zone.
                std::optional<double> best;
                for (const geo::Coord& c : g.coords)
                    if (geo::contains(zone.polygon, c)) {
                        double d = geo::geodesic_distance_m(source, c);
                        if (!best || d < *best) best = d;
                    }
                if (best) {
                    InsideFeature f;
                    f.layer = layer->kind().kind;
                    f.id = layer->id(row);
                    f.name = f_name ? model::to_text(layer->value(row, *f_name)) : std::string();
                    f.row = row;
                    f.distance_m = *best;
                    f.unable_to_respond = teams && zone.tier >= 3;
                    contents.features.push_back(std::move(f));
                }
                return true;
            });
        }
        std::sort(contents.features.begin(), contents.features.end(), [](const InsideFeature& a, const InsideFeature& b) {
            return std::tie(a.distance_m, a.layer, a.id) < std::tie(b.distance_m, b.layer, b.id);
        });
        out.push_back(std::move(contents));
    }
    return out;
}

} // namespace vigil::hazard
