/// @file
/// Zone polygons on the ellipsoid (see footprint.hpp for the uncertainty envelope).

#include <vigil/hazard/footprint.hpp>

#include <vigil/geo/angles.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::hazard {
namespace {


// A point `x` m downwind and `y` m to the right (looking downwind) of the source, the whole
// frame turned clockwise by `turn` degrees.
geo::Coord place(geo::Coord source, double toward, double turn, double x, double y) {
    double r = std::hypot(x, y);
    if (r == 0) return source;
    return geo::destination(source, toward + turn + std::atan2(y, x) * geo::k_deg_per_rad, r);
}

// Points of an arc of radius r from bearing a to bearing b (degrees, either direction), ~1° apart,
// both ends included.
void arc(std::vector<geo::Coord>& ring, geo::Coord centre, double r, double a, double b) {
    int n = std::max(2, static_cast<int>(std::ceil(std::abs(b - a))));
    for (int i = 0; i <= n; ++i) ring.push_back(geo::destination(centre, a + (b - a) * i / n, r));
}

geo::Geometry closed_polygon(std::vector<geo::Coord> ring) {
    ring.push_back(ring.front());
    return geo::Geometry::polygon({ring});
}

void check_source(geo::Coord c) {
    if (!std::isfinite(c.x) || !std::isfinite(c.y) || c.x < -180 || c.x > 180 || c.y < -90 || c.y > 90)
        throw UsageError(trf("release point {},{}: not a WGS84 longitude,latitude", text::format_double(c.x), text::format_double(c.y)));
}

Zone make_zone(const std::string& model, const std::string& kind, const ZoneLevel& l, double distance, geo::Geometry g) {
    Zone z;
    z.model = model;
    z.kind = kind;
    z.level = l.name;
    z.tier = l.tier;
    z.threshold = l.threshold;
    z.units = l.units;
    z.distance_m = distance;
    z.source = l.source;
    z.polygon = std::move(g);
    return z;
}

template <class Release, class FootprintFn>
std::vector<Zone> toxic_zones(const char* model, geo::Coord source, double wind_from, const Release& release,
                              const std::vector<ZoneLevel>& levels, double uncertainty_deg, FootprintFn&& footprint) {
    check_source(source);
    wind_toward_deg(wind_from);
    release.check();
    if (!std::isfinite(uncertainty_deg) || uncertainty_deg < 0 || uncertainty_deg >= 90)
        throw UsageError(trf("wind-direction uncertainty {} degrees: give 0 to 89", text::format_double(uncertainty_deg)));
    std::vector<Zone> out;
    for (const auto& l : levels) {
        Footprint fp = footprint(release, l.threshold);
        auto poly = footprint_polygon(source, wind_from, fp);
        if (!poly) continue;
        out.push_back(make_zone(model, "footprint", l, fp.max_distance_m, std::move(*poly)));
        out.back().cut = fp.cut;
        if (uncertainty_deg > 0)
            if (auto env = uncertainty_polygon(source, wind_from, fp, uncertainty_deg)) {
                out.push_back(make_zone(model, "uncertainty", l, fp.max_distance_m, std::move(*env)));
                out.back().cut = fp.cut;
            }
    }
    return out;
}

} // namespace

std::string zone_title(const Zone& z) {
    if (z.kind == "isolation") return tr("initial isolation zone");
    if (z.kind == "protective_action") return tr("protective action zone");
    if (z.kind == "uncertainty") return trf("{} wind-direction uncertainty area", z.level);
    return trf("{} zone", z.level);
}

std::vector<geo::Coord> circle_ring(geo::Coord centre, double radius_m, int segments) {
    check_source(centre);
    if (!std::isfinite(radius_m) || radius_m <= 0)
        throw UsageError(trf("circle radius {} m: must be a positive number", text::format_double(radius_m)));
    if (segments < 8) segments = 8;
    std::vector<geo::Coord> ring;
    for (int i = 0; i < segments; ++i) ring.push_back(geo::destination(centre, i * 360.0 / segments, radius_m));
    ring.push_back(ring.front());
    return ring;
}

double wind_toward_deg(double wind_from_deg) {
    if (!std::isfinite(wind_from_deg) || wind_from_deg < 0 || wind_from_deg > 360)
        throw UsageError(trf("wind direction {}: give the direction the wind blows FROM, 0 to 360 degrees clockwise from north",
                             text::format_double(wind_from_deg)));
    return std::fmod(wind_from_deg + 180, 360);
}

std::optional<geo::Geometry> footprint_polygon(geo::Coord source, double wind_from_deg, const Footprint& f) {
    check_source(source);
    double toward = wind_toward_deg(wind_from_deg);
    if (f.max_distance_m <= 0 || f.samples.size() < 2) return std::nullopt;
    std::vector<geo::Coord> ring;
    for (const auto& s : f.samples) ring.push_back(place(source, toward, 0, s.x_m, s.half_width_m));
    for (std::size_t i = f.samples.size() - 1; i-- > 1;)
        ring.push_back(place(source, toward, 0, f.samples[i].x_m, -f.samples[i].half_width_m));
    if (ring.size() < 3) return std::nullopt;
    return closed_polygon(std::move(ring));
}

std::optional<geo::Geometry> uncertainty_polygon(geo::Coord source, double wind_from_deg, const Footprint& f, double half_angle_deg) {
    check_source(source);
    double toward = wind_toward_deg(wind_from_deg);
    if (!std::isfinite(half_angle_deg) || half_angle_deg <= 0 || half_angle_deg >= 90)
        throw UsageError(
            trf("wind-direction uncertainty {} degrees: give more than 0 and less than 90", text::format_double(half_angle_deg)));
    if (f.max_distance_m <= 0 || f.samples.size() < 2) return std::nullopt;
    std::vector<geo::Coord> ring;
    // Out along the right edge swung clockwise by θ, the arc of the reach from +θ to −θ, back
    // along the left edge swung by −θ, and (for a footprint that starts away from the source)
    // the inner arc back to the start.
    for (std::size_t i = 0; i + 1 < f.samples.size(); ++i)
        ring.push_back(place(source, toward, half_angle_deg, f.samples[i].x_m, f.samples[i].half_width_m));
    arc(ring, source, f.max_distance_m, toward + half_angle_deg, toward - half_angle_deg);
    for (std::size_t i = f.samples.size() - 1; i-- > 1;)
        ring.push_back(place(source, toward, -half_angle_deg, f.samples[i].x_m, -f.samples[i].half_width_m));
    if (f.min_distance_m > 0) arc(ring, source, f.min_distance_m, toward - half_angle_deg, toward + half_angle_deg);
    else ring.push_back(source);
    if (ring.front() == ring.back()) ring.pop_back();
    return closed_polygon(std::move(ring));
}

geo::Geometry downwind_square(geo::Coord spill, double wind_from_deg, double length_m) {
    check_source(spill);
    double toward = wind_toward_deg(wind_from_deg);
    if (!std::isfinite(length_m) || length_m <= 0)
        throw UsageError(trf("protective-action distance {} m: must be a positive number", text::format_double(length_m)));
    geo::Coord left = geo::destination(spill, toward - 90, length_m / 2);
    geo::Coord right = geo::destination(spill, toward + 90, length_m / 2);
    geo::Coord far_left = geo::destination(left, toward, length_m);
    geo::Coord far_right = geo::destination(right, toward, length_m);
    return geo::Geometry::polygon({{left, far_left, far_right, right, left}});
}

std::vector<Zone> plume_zones(geo::Coord source, double wind_from_deg, const PlumeRelease& release, const std::vector<ZoneLevel>& levels,
                              double uncertainty_deg, double max_range_m) {
    return toxic_zones("plume", source, wind_from_deg, release, levels, uncertainty_deg,
                       [&](const PlumeRelease& r, double level) { return plume_footprint(r, level, max_range_m); });
}

std::vector<Zone> puff_zones(geo::Coord source, double wind_from_deg, const PuffRelease& release, const std::vector<ZoneLevel>& levels,
                             double uncertainty_deg, double max_range_m) {
    return toxic_zones("puff", source, wind_from_deg, release, levels, uncertainty_deg,
                       [&](const PuffRelease& r, double level) { return puff_footprint(r, level, max_range_m); });
}

std::vector<Zone> circle_zones(geo::Coord source, const std::string& model, const std::vector<ZoneLevel>& levels,
                               const std::vector<std::optional<double>>& radii_m) {
    check_source(source);
    if (levels.size() != radii_m.size()) // i18n: not shown: a caller's mistake, not a user's
        throw UsageError("circle_zones: " + std::to_string(levels.size()) + " levels but " + std::to_string(radii_m.size()) + " radii");
    std::vector<Zone> out;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (!radii_m[i] || !(*radii_m[i] > 0)) continue;
        out.push_back(make_zone(model, "circle", levels[i], *radii_m[i], geo::Geometry::polygon({circle_ring(source, *radii_m[i])})));
    }
    return out;
}

std::vector<ZoneLevel> tiered_levels(std::vector<double> values, const std::string& units, const std::string& source) {
    if (values.empty()) throw UsageError(trf("no {} levels given", units));
    for (double v : values)
        if (!std::isfinite(v) || v <= 0) throw UsageError(trf("level {} {}: must be a positive number", text::format_double(v), units));
    std::sort(values.rbegin(), values.rend());
    std::vector<ZoneLevel> out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back({std::max(1, 3 - static_cast<int>(i)), text::format_double(values[i]) + " " + units, values[i], units, source});
    return out;
}

namespace {

template <class Distances>
std::vector<Zone> radii_zones(geo::Coord source, const char* model, const std::vector<ZoneLevel>& levels, const Distances& d) {
    std::vector<std::optional<double>> radii;
    for (const auto& x : d) radii.push_back(x.distance_m);
    return circle_zones(source, model, levels, radii);
}

const char* const k_thermal_source = N_("World Bank (1985) thermal thresholds; CCPS radiation models (docs/hazard.md)");

} // namespace

std::vector<Zone> pool_fire_zones(geo::Coord source, const PoolFire& fire, const std::vector<double>& levels_kw_m2) {
    auto levels = tiered_levels(levels_kw_m2, "kW/m2", tr(k_thermal_source));
    std::vector<double> sorted;
    for (const auto& l : levels) sorted.push_back(l.threshold);
    auto distances = thermal_distances(fire, sorted);
    // Each zone says which model gives its radius and where the radius runs from: the circle is
    // drawn about the pool centre, a responder measures from the burning edge.
    for (std::size_t i = 0; i < levels.size(); ++i)
        if (distances[i].distance_m)
            levels[i].source = trf("{} model, {} m from the pool centre = {} m from its edge; {}", tr(distances[i].model.c_str()),
                                   text::format_double(std::round(*distances[i].distance_m * 10) / 10),
                                   text::format_double(std::round(*distances[i].from_edge_m * 10) / 10), tr(k_thermal_source));
    return radii_zones(source, "poolfire", levels, distances);
}

std::vector<Zone> fireball_zones(geo::Coord source, const Fireball& ball, const std::vector<double>& levels_kw_m2) {
    auto levels = tiered_levels(levels_kw_m2, "kW/m2", tr(k_thermal_source));
    std::vector<double> sorted;
    for (const auto& l : levels) sorted.push_back(l.threshold);
    return radii_zones(source, "bleve", levels, thermal_distances(ball, sorted));
}

std::vector<Zone> explosion_zones(geo::Coord source, double tnt_kg, const std::vector<double>& levels_kpa) {
    auto levels =
        tiered_levels(levels_kpa, "kPa", tr("Kingery-Bulmash (Swisdak 1994) side-on overpressure; damage table in docs/hazard.md"));
    std::vector<double> sorted;
    for (const auto& l : levels) sorted.push_back(l.threshold);
    return radii_zones(source, "vce", levels, overpressure_distances(tnt_kg, sorted));
}

std::vector<Zone> erg_zones(geo::Coord spill, std::optional<double> wind_from_deg, const ErgZone& z) {
    check_source(spill);
    std::vector<Zone> out;
    const double radius = z.isolation_circle_m();
    ZoneLevel iso{3, "isolation", 0, "m",
                  radius > z.isolation_m
                      ? trf("{}: initial isolation {} m; immediate precautionary isolation of guide {}: {} m (the larger), all directions",
                            z.source, text::format_double(z.isolation_m), z.guide, text::format_double(radius))
                      : trf("{}: initial isolation, all directions", z.source)};
    out.push_back(make_zone("erg", "isolation", iso, radius, geo::Geometry::polygon({circle_ring(spill, radius)})));
    if (z.protective_m && *z.protective_m > 0) {
        ZoneLevel pa{2, "protective_action", 0, "m",
                     z.evacuation_all_directions ? trf("{}: large-spill evacuation, all directions", z.source)
                                                 : trf("{}: protective action downwind", z.source)};
        if (z.evacuation_all_directions)
            out.push_back(
                make_zone("erg", "protective_action", pa, *z.protective_m, geo::Geometry::polygon({circle_ring(spill, *z.protective_m)})));
        else if (wind_from_deg)
            out.push_back(
                make_zone("erg", "protective_action", pa, *z.protective_m, downwind_square(spill, *wind_from_deg, *z.protective_m)));
    }
    return out;
}

} // namespace vigil::hazard
