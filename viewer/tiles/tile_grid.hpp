/// @file
/// The web map tile grid (XYZ / "slippy map"): tile ids, their Web Mercator bounds, the tiles a
/// camera sees, the TMS row flip of MBTiles, and ancestor lookup for drawing a parent while a
/// tile loads. Plain arithmetic, no GL: unit-tested without a window.
///
/// Rows count from the north (y = 0 at the top of the world) as in XYZ URLs; MBTiles stores TMS
/// rows counted from the south, converted only at the MBTiles reader.
#pragma once

#include "../app/camera.hpp"

#include <vigil/geo/geometry.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace vigil::viewer {

/// The deepest zoom the grid supports: x and y then still fit in 31 bits, and the packed key
/// below in 64.
constexpr int k_max_tile_zoom = 30;

struct TileId {
    int z = 0;
    int x = 0;
    int y = 0; ///< row from the north (XYZ order)

    friend bool operator==(const TileId&, const TileId&) = default;
    /// A unique integer per tile (for hashing and ordering).
    std::uint64_t key() const {
        return (static_cast<std::uint64_t>(z) << 58) | (static_cast<std::uint64_t>(x) << 29) | static_cast<std::uint64_t>(y);
    }
    /// The tile `levels` zoom levels up that contains this one (levels <= z).
    TileId ancestor(int levels) const { return {z - levels, x >> levels, y >> levels}; }
    /// One of the four tiles one level down: i = 0..3 (west-north, east-north, west-south, east-south).
    TileId child(int i) const { return {z + 1, 2 * x + (i & 1), 2 * y + (i >> 1)}; }
};

struct TileIdHash {
    std::size_t operator()(const TileId& t) const { return std::hash<std::uint64_t>{}(t.key()); }
};

/// MBTiles (TMS) row <-> XYZ row at zoom z: the same formula both ways.
constexpr int flip_row(int z, int row) { return (1 << z) - 1 - row; }

/// An inclusive block of tiles at one zoom; empty() when nothing is in it.
struct TileRange {
    int z = 0;
    int x0 = 0, y0 = 0, x1 = -1, y1 = -1;

    bool empty() const { return x1 < x0 || y1 < y0; }
    std::size_t count() const { return empty() ? 0 : static_cast<std::size_t>(x1 - x0 + 1) * static_cast<std::size_t>(y1 - y0 + 1); }
    bool contains(const TileId& t) const { return t.z == z && t.x >= x0 && t.x <= x1 && t.y >= y0 && t.y <= y1; }
    TileRange intersect(const TileRange& o) const;
};

/// The tile's extent in Web Mercator metres (EPSG:3857).
geo::BBox tile_world_bounds(const TileId& t);

/// The tiles at zoom z that a box in Web Mercator metres touches (clamped to the world; a box
/// that only touches a tile's edge does not include it).
TileRange tiles_for_world(const geo::BBox& world, int z);
/// The same for a lon/lat box (e.g. an MBTiles `bounds`).
TileRange tiles_for_lonlat(const geo::BBox& lonlat, int z);

/// The zoom whose tiles best match the camera's framebuffer pixels: a tile covers
/// 256·2^(zoom - z)·pixel_ratio framebuffer pixels, so HiDPI screens take the next zoom up.
/// Rounded, then clamped to [min_zoom, max_zoom]: beyond max_zoom the deepest tiles are
/// magnified.
int tile_zoom_for(const Camera& camera, int min_zoom, int max_zoom);

/// The tiles at the camera's tile zoom covering its view.
TileRange visible_tiles(const Camera& camera, int min_zoom, int max_zoom);

/// The part of an ancestor's texture that covers `tile`, as texture coordinates (u right,
/// v down from the tile's north edge, as image rows are stored).
struct UvRect {
    float u0 = 0, v0 = 0, u1 = 1, v1 = 1;
    friend bool operator==(const UvRect&, const UvRect&) = default;
};
UvRect uv_in_ancestor(const TileId& tile, const TileId& ancestor);

/// The nearest ancestor of `tile` (at most `max_levels` up, not above `min_zoom`) for which
/// `available` is true.
std::optional<TileId> nearest_ancestor(const TileId& tile, int max_levels, int min_zoom,
                                       const std::function<bool(const TileId&)>& available);

} // namespace vigil::viewer
