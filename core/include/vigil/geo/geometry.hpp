/// @file
/// Geometry value types. Coordinates are (x, y) = (longitude, latitude) in degrees,
/// EPSG:4326, once a record has been imported; before that they are in the source CRS.
///
/// A Geometry keeps all its coordinates in one flat vector and describes its structure with
/// offsets, so a million points or a long road costs one or two allocations, and encoding to
/// WKB or SpatiaLite blobs is a straight copy:
///
///     Point            coords = [p]
///     LineString       coords = [p0 p1 ...]
///     Polygon          coords = [ring0... ring1...]        ring_starts = [0, n0, n0+n1, ...] (size rings+1)
///     MultiPoint       coords = [p0 p1 ...]
///     MultiLineString  coords = [line0... line1...]        ring_starts = line offsets (size lines+1)
///     MultiPolygon     coords = [rings of all polygons]    ring_starts (size rings+1),
///                                                          polygon_starts = first ring of each polygon (size polygons+1)
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vigil::geo {

struct Coord {
    double x = 0; ///< longitude in degrees (or easting in the source CRS before import)
    double y = 0; ///< latitude in degrees (or northing)
    friend bool operator==(const Coord&, const Coord&) = default;
};

/// Axis-aligned box; empty() until something is added. Never inverted once non-empty.
struct BBox {
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;

    bool empty() const { return min_x > max_x; }
    void add(Coord c) {
        if (c.x < min_x) min_x = c.x;
        if (c.x > max_x) max_x = c.x;
        if (c.y < min_y) min_y = c.y;
        if (c.y > max_y) max_y = c.y;
    }
    void add(const BBox& b) {
        if (b.empty()) return;
        add(Coord{b.min_x, b.min_y});
        add(Coord{b.max_x, b.max_y});
    }
    bool intersects(const BBox& b) const { return !(b.min_x > max_x || b.max_x < min_x || b.min_y > max_y || b.max_y < min_y); }
    bool contains(Coord c) const { return c.x >= min_x && c.x <= max_x && c.y >= min_y && c.y <= max_y; }
    friend bool operator==(const BBox&, const BBox&) = default;
};

enum class GeometryType : std::uint8_t {
    None = 0, ///< a record without geometry (allowed only where the layer kind allows it)
    Point = 1,
    LineString = 2,
    Polygon = 3,
    MultiPoint = 4,
    MultiLineString = 5,
    MultiPolygon = 6,
};

/// "Point", "MultiPolygon", ... (the OGC names).
std::string_view geometry_type_name(GeometryType t);

/// The broad family of a type: Point/MultiPoint -> Point, LineString/MultiLineString -> LineString, ...
GeometryType geometry_family(GeometryType t);

struct Geometry {
    GeometryType type = GeometryType::None;
    std::vector<Coord> coords;
    std::vector<std::uint32_t> ring_starts;    ///< see the file comment; empty for points
    std::vector<std::uint32_t> polygon_starts; ///< only for MultiPolygon

    static Geometry point(Coord c);
    static Geometry line_string(std::vector<Coord> pts);
    /// rings[0] is the outer ring; each ring must be closed (first == last).
    /// @throws vigil::FormatError if a ring is not closed or has fewer than 4 points.
    static Geometry polygon(const std::vector<std::vector<Coord>>& rings);
    /// A MultiPoint of `pts` (possibly none).
    static Geometry multi_point(std::vector<Coord> pts);
    /// A MultiLineString with one part per entry of `lines`.
    static Geometry multi_line_string(const std::vector<std::vector<Coord>>& lines);
    /// A MultiPolygon: polygons[i] holds the rings of polygon i (outer ring first).
    /// @throws vigil::FormatError if a ring is not closed or has fewer than 4 points.
    static Geometry multi_polygon(const std::vector<std::vector<std::vector<Coord>>>& polygons);

    bool is_empty() const { return type == GeometryType::None || coords.empty(); }
    BBox bbox() const;

    /// Number of parts: lines of a MultiLineString, rings of a Polygon, polygons of a MultiPolygon,
    /// points of a MultiPoint; 1 for Point and LineString.
    std::size_t part_count() const;
    std::span<const Coord> ring(std::size_t i) const { return {coords.data() + ring_starts[i], coords.data() + ring_starts[i + 1]}; }
    std::size_t ring_count() const { return ring_starts.empty() ? 0 : ring_starts.size() - 1; }

    /// Turns Point/LineString/Polygon into their Multi form (for layers stored as Multi*).
    Geometry to_multi() const;

    friend bool operator==(const Geometry&, const Geometry&) = default;
};

/// True when the offsets describe `coords` consistently for `type` (the layout in the file
/// comment): a Point has exactly one coordinate, Point/LineString/MultiPoint have no
/// ring_starts, offsets start at 0, never decrease and end at the sizes they index, and only a
/// MultiPolygon has polygon_starts. The decoders always produce well-formed geometries; the
/// encoders assert it.
bool is_well_formed(const Geometry& g);

/// Even-odd point-in-polygon test for Polygon and MultiPolygon (holes respected).
/// Planar in lon/lat, which is what the layers store; false for other types.
bool contains(const Geometry& polygon, Coord p);

/// A representative point: the point itself, the middle vertex of a line, or a point inside a
/// polygon (its bbox centre if that lies inside, otherwise a point found by scanning).
/// For a Multi* geometry it is taken from the part with the most vertices (MultiLineString),
/// the largest polygon (MultiPolygon) or the first point (MultiPoint). (NaN, NaN) when `g` is empty.
Coord representative_point(const Geometry& g);

} // namespace vigil::geo
