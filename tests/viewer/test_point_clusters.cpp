/// @file
/// Point clustering (viewer/app/point_clusters): every visible point is in exactly one cluster
/// or drawn single, clusters are world-anchored and deterministic, the colour comes from the
/// most severe member, and clicking a cluster zooms in far enough to split it.

#include <app/point_clusters.hpp>

#include <vigil/geo/mercator.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <random>

using namespace vigil;
using namespace vigil::viewer;

namespace test_point_clusters_cases {

std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}

/// Enterprises at the given places, with risk levels cycling blue, yellow, orange, red unless given.
std::shared_ptr<const model::Layer> enterprises(const std::vector<geo::Coord>& at, const std::vector<std::string>& risk = {}) {
    auto k = kind("enterprises");
    model::LayerBuilder b(k, at.size());
    static const char* cycle[] = {"blue", "yellow", "orange", "red"};
    for (std::size_t i = 0; i < at.size(); ++i) {
        std::vector<model::Value> v(k->fields.size());
        v[*k->field_index("id")] = "E" + std::to_string(i);
        v[*k->field_index("name")] = "企业" + std::to_string(i);
        v[*k->field_index("risk_level")] = risk.empty() ? std::string(cycle[i % 4]) : risk[i];
        b.add(static_cast<std::int64_t>(i + 1), std::move(v), geo::Geometry::point(at[i]));
    }
    return b.finish();
}

std::vector<geo::Coord> random_points(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(112.6, 113.6), lat(34.8, 35.4);
    std::vector<geo::Coord> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back({lon(rng), lat(rng)});
    return out;
}

double world_per_logical_pixel(int z) { return 2 * geo::k_web_mercator_half_world_m / (256.0 * std::exp2(z)); }


TEST_CASE("clusters partition the visible points and respect the distance", "[viewer][clusters]") {
    auto layer = enterprises(random_points(5000, 1));
    FeatureRanks ranks(*layer);
    ClusterParams params;
    for (int z : {6, 9, 12}) {
        INFO("zoom level " << z);
        Clustering c = cluster_points(*layer, {}, ranks, z, params);
        REQUIRE(c.zoom_level == z);
        REQUIRE(c.cluster_of.size() == layer->size());
        std::vector<std::uint32_t> counted(c.clusters.size(), 0);
        std::size_t singles = 0;
        for (std::size_t row = 0; row < layer->size(); ++row) {
            if (c.clustered(row)) ++counted[c.cluster_of[row]];
            else ++singles;
        }
        REQUIRE(singles == c.singles.size());
        std::uint64_t total = singles;
        const double r = params.radius_px * world_per_logical_pixel(z);
        for (std::size_t i = 0; i < c.clusters.size(); ++i) {
            const PointCluster& k = c.clusters[i];
            REQUIRE(k.count >= 2);
            REQUIRE(k.count == counted[i]);
            total += k.count;
            // Members lie within the radius of the seed, so within 2r of one another, and the
            // box holds the mean.
            REQUIRE(k.bounds.contains(k.lonlat));
            const geo::Coord lo = geo::lonlat_to_mercator({k.bounds.min_x, k.bounds.min_y});
            const geo::Coord hi = geo::lonlat_to_mercator({k.bounds.max_x, k.bounds.max_y});
            REQUIRE(hi.x - lo.x <= 2 * r + 1e-6);
            REQUIRE(hi.y - lo.y <= 2 * r + 1e-6);
        }
        REQUIRE(total == layer->size());
    }
    // Coarser levels have fewer, bigger clusters.
    auto a = cluster_points(*layer, {}, ranks, 7, params), b = cluster_points(*layer, {}, ranks, 11, params);
    REQUIRE(a.clusters.size() + a.singles.size() < b.clusters.size() + b.singles.size());
}

TEST_CASE("clustering is deterministic and does not depend on the view", "[viewer][clusters]") {
    auto layer = enterprises(random_points(2000, 2));
    FeatureRanks ranks(*layer);
    auto a = cluster_points(*layer, {}, ranks, 10);
    auto b = cluster_points(*layer, {}, ranks, 10);
    REQUIRE(a.clusters.size() == b.clusters.size());
    REQUIRE(a.singles == b.singles);
    REQUIRE(a.cluster_of == b.cluster_of);
    for (std::size_t i = 0; i < a.clusters.size(); ++i) {
        REQUIRE(a.clusters[i].lonlat == b.clusters[i].lonlat);
        REQUIRE(a.clusters[i].count == b.clusters[i].count);
    }
}

TEST_CASE("a cluster takes the colour of its most severe member", "[viewer][clusters]") {
    // Three enterprises a few metres apart: blue, red, yellow; and a lone orange one far away.
    auto layer = enterprises({{113.2, 35.2}, {113.20001, 35.2}, {113.2, 35.20001}, {112.7, 34.9}}, {"blue", "red", "yellow", "orange"});
    FeatureRanks ranks(*layer);
    REQUIRE(ranks.rank(1) == 0); // red is the first value of risk_level
    REQUIRE(ranks.rank(0) == 3); // blue the last
    auto c = cluster_points(*layer, {}, ranks, 10);
    REQUIRE(c.clusters.size() == 1);
    REQUIRE(c.clusters[0].count == 3);
    REQUIRE(c.clusters[0].top_row == 1);
    REQUIRE(c.clusters[0].top_rank == 0);
    REQUIRE(c.singles == std::vector<std::uint32_t>{3});
    REQUIRE_FALSE(c.clustered(3));
}

TEST_CASE("filtered-out points are neither clustered nor single", "[viewer][clusters]") {
    auto layer = enterprises({{113.2, 35.2}, {113.20001, 35.2}, {113.2, 35.20001}});
    std::vector<std::uint8_t> visible{1, 0, 1};
    auto c = cluster_points(*layer, visible, FeatureRanks(*layer), 10);
    REQUIRE(c.clusters.size() == 1);
    REQUIRE(c.clusters[0].count == 2);
    REQUIRE_FALSE(c.clustered(1));
    REQUIRE(c.singles.empty());
    visible = {0, 1, 0};
    c = cluster_points(*layer, visible, FeatureRanks(*layer), 10);
    REQUIRE(c.clusters.empty());
    REQUIRE(c.singles == std::vector<std::uint32_t>{1});
}

TEST_CASE("only layers the catalogue marks are clustered, and only at small scales", "[viewer][clusters]") {
    ClusterParams p;
    REQUIRE(clusters_at(*kind("enterprises"), 9.3, p));
    REQUIRE(clusters_at(*kind("enterprises"), p.max_zoom + 0.99, p));
    REQUIRE_FALSE(clusters_at(*kind("enterprises"), p.max_zoom + 1, p));
    REQUIRE_FALSE(clusters_at(*kind("rescue_teams"), 9, p)); // "cluster": false
    REQUIRE_FALSE(clusters_at(*kind("rivers"), 9, p));
}

TEST_CASE("clicking a cluster finds it and zooms in until it splits", "[viewer][clusters]") {
    // Two groups of points 2 km apart: one cluster at zoom level 10 (50 px ~ 7.6 km), apart
    // once the view is close enough.
    std::vector<geo::Coord> pts;
    for (int i = 0; i < 10; ++i) pts.push_back({113.2 + i * 1e-4, 35.2});
    for (int i = 0; i < 10; ++i) pts.push_back({113.222 + i * 1e-4, 35.2});
    auto layer = enterprises(pts);
    Camera cam;
    cam.set_viewport(1600, 900);
    cam.set_center_lonlat({113.0, 35.1});
    cam.set_zoom(10.4);
    ClusterParams params;
    auto c = cluster_points(*layer, {}, FeatureRanks(*layer), 10, params);
    REQUIRE(c.clusters.size() == 1);
    const geo::Coord at = cam.lonlat_to_screen(c.clusters[0].lonlat);
    REQUIRE(hit_cluster(c, cam, at) == std::optional<std::size_t>(0));
    REQUIRE(hit_cluster(c, cam, {at.x + 3, at.y - 3}) == std::optional<std::size_t>(0));
    REQUIRE_FALSE(hit_cluster(c, cam, {at.x + 40, at.y}));

    zoom_into(c.clusters[0], cam, params);
    REQUIRE(cam.zoom() >= 11.4);
    REQUIRE(cam.zoom() <= params.max_zoom + 1 + 1e-9);
    // The members are on screen, and at the new level they are no longer one cluster.
    const geo::BBox view = cam.visible_lonlat();
    for (auto p : pts) REQUIRE(view.contains(p));
    auto after = cluster_points(*layer, {}, FeatureRanks(*layer), static_cast<int>(std::floor(cam.zoom())), params);
    REQUIRE(after.clusters.size() == 2);
}

TEST_CASE("zooming into points that coincide stops where clustering ends", "[viewer][clusters]") {
    auto layer = enterprises({{113.2, 35.2}, {113.2, 35.2}, {113.2, 35.2}});
    Camera cam;
    cam.set_viewport(800, 600);
    cam.set_center_lonlat({113.2, 35.2});
    cam.set_zoom(8);
    ClusterParams params;
    auto c = cluster_points(*layer, {}, FeatureRanks(*layer), 8, params);
    REQUIRE(c.clusters.size() == 1);
    zoom_into(c.clusters[0], cam, params);
    REQUIRE(cam.zoom() == Approx(params.max_zoom + 1));
}

TEST_CASE("cluster circles grow with the count, within bounds", "[viewer][clusters]") {
    REQUIRE(cluster_symbol_size(2) >= 18);
    REQUIRE(cluster_symbol_size(10) < cluster_symbol_size(100));
    REQUIRE(cluster_symbol_size(100) < cluster_symbol_size(10000));
    REQUIRE(cluster_symbol_size(1000000000) <= 52);
}

TEST_CASE("a hundred thousand points cluster in well under a second", "[viewer][clusters]") {
    auto layer = enterprises(random_points(100000, 3));
    FeatureRanks ranks(*layer);
    const auto t0 = std::chrono::steady_clock::now();
    auto c = cluster_points(*layer, {}, ranks, 9);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    INFO(ms << " ms, " << c.clusters.size() << " clusters");
    REQUIRE(c.clusters.size() > 10);
    REQUIRE(ms < 1000); // ~20 ms on the CI machine; generous for sanitizer builds
}

} // namespace test_point_clusters_cases
