/// @file
/// Tile grid arithmetic (see tile_grid.hpp).
#include "tile_grid.hpp"

#include <vigil/geo/mercator.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::viewer {

namespace {

constexpr double k_half = geo::k_web_mercator_half_world_m;

// Tiles per world edge at zoom z, as a double (exact for z <= 30).
double tiles_across(int z) { return std::ldexp(1.0, z); }

} // namespace

TileRange TileRange::intersect(const TileRange& o) const {
    if (o.z != z) return {z, 0, 0, -1, -1};
    return {z, std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
}

geo::BBox tile_world_bounds(const TileId& t) {
    const double size = 2 * k_half / tiles_across(t.z);
    return {-k_half + t.x * size, k_half - (t.y + 1) * size, -k_half + (t.x + 1) * size, k_half - t.y * size};
}

TileRange tiles_for_world(const geo::BBox& world, int z) {
    TileRange r{z, 0, 0, -1, -1};
    if (world.empty() || z < 0 || z > k_max_tile_zoom) return r;
    const double n = tiles_across(z);
    const int last = static_cast<int>(n) - 1;
    // Fractional tile coordinates; a box ending exactly on a tile edge does not reach into the
    // next tile, hence ceil() - 1 at the far sides.
    const double fx0 = (world.min_x + k_half) / (2 * k_half) * n, fx1 = (world.max_x + k_half) / (2 * k_half) * n;
    const double fy0 = (k_half - world.max_y) / (2 * k_half) * n, fy1 = (k_half - world.min_y) / (2 * k_half) * n;
    if (fx1 <= 0 || fy1 <= 0 || fx0 >= n || fy0 >= n) return r;
    auto clamp = [last](double v) { return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(last))); };
    // The tolerance absorbs round-off of boxes that went through lon/lat and back (bounds given
    // as tile edges), a billionth of a tile.
    constexpr double eps = 1e-9;
    r.x0 = clamp(std::floor(fx0 + eps));
    r.y0 = clamp(std::floor(fy0 + eps));
    r.x1 = clamp(std::max(std::ceil(fx1 - eps) - 1, std::floor(fx0 + eps)));
    r.y1 = clamp(std::max(std::ceil(fy1 - eps) - 1, std::floor(fy0 + eps)));
    return r;
}

TileRange tiles_for_lonlat(const geo::BBox& lonlat, int z) {
    if (lonlat.empty()) return {z, 0, 0, -1, -1};
    geo::Coord a = geo::lonlat_to_mercator({lonlat.min_x, lonlat.min_y});
    geo::Coord b = geo::lonlat_to_mercator({lonlat.max_x, lonlat.max_y});
    return tiles_for_world({a.x, a.y, b.x, b.y}, z);
}

int tile_zoom_for(const Camera& camera, int min_zoom, int max_zoom) {
    // +0.5 then floor, not std::round: the switch between zooms must not depend on the sign.
    const double ideal = camera.zoom() + std::log2(camera.pixel_ratio());
    const int z = static_cast<int>(std::floor(ideal + 0.5));
    return std::clamp(z, std::max(0, min_zoom), std::min(k_max_tile_zoom, std::max(min_zoom, max_zoom)));
}

TileRange visible_tiles(const Camera& camera, int min_zoom, int max_zoom) {
    return tiles_for_world(camera.visible_world(), tile_zoom_for(camera, min_zoom, max_zoom));
}

UvRect uv_in_ancestor(const TileId& tile, const TileId& ancestor) {
    const int d = tile.z - ancestor.z;
    if (d <= 0) return {};
    const float n = static_cast<float>(1 << d);
    const float ox = static_cast<float>(tile.x - (ancestor.x << d)), oy = static_cast<float>(tile.y - (ancestor.y << d));
    return {ox / n, oy / n, (ox + 1) / n, (oy + 1) / n};
}

std::optional<TileId> nearest_ancestor(const TileId& tile, int max_levels, int min_zoom,
                                       const std::function<bool(const TileId&)>& available) {
    for (int up = 1; up <= max_levels && tile.z - up >= std::max(0, min_zoom); ++up) {
        TileId a = tile.ancestor(up);
        if (available(a)) return a;
    }
    return std::nullopt;
}

} // namespace vigil::viewer
