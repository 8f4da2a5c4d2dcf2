/// @file
/// The road graph: road lines (lon/lat) turned into a directed graph in compact CSR form, with
/// a packed Hilbert R-tree over its segments for snapping points onto the network.
///
///     line A:  a0 ---- a1 ---- a2          nodes: every distinct vertex, after rounding to
///                      |                   1e-7 degrees (~1 cm), so lines that share a vertex
///     line B:          b0 ---- b1          are joined there (a1 == b0) and nowhere else:
///                                          crossing without a shared vertex is a bridge.
///
/// Every segment between two consecutive vertices is one edge (a "segment" below); it gives an
/// arc a->b, and b->a unless the line is one-way (digitised in the direction of travel). Arcs
/// are stored twice, grouped by tail (forward) and by head (reverse), each as offsets + arrays:
///
///     fwd_first[n] .. fwd_first[n+1]  ->  arcs leaving n  (head node, segment)
///     rev_first[n] .. rev_first[n+1]  ->  arcs entering n (tail node, segment)
///
/// Chains of degree-2 vertices are not contracted yet: a road with 50 vertices is 49 segments.
/// That keeps routes and snapping exact and simple at the cost of a larger graph (see
/// docs/routing.md).
///
/// A graph may carry a contraction hierarchy (build_hierarchy(), contraction.hpp): then Router
/// answers with PHAST in milliseconds instead of a Dijkstra over the whole graph. The hierarchy
/// is immutable and shared by copies of the graph.
///
/// serialize() / deserialize() turn the graph and its hierarchy into one byte buffer (the
/// layout is drawn in road_graph_io.cpp) to store as a BLOB and load in the browser.
#pragma once

#include <vigil/routing/contraction.hpp>

#include <vigil/geo/geometry.hpp>
#include <vigil/index/hilbert_rtree.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::model {
class Layer;
} // namespace vigil::model

namespace vigil::routing {

/// Driving speeds per road class (the canonical values of the roads layer's road_class field:
/// expressway, national, provincial, county, township, urban, other), in km/h, and the speed of
/// the straight "access leg" between a point and the road it snaps to.
///
/// The class speeds are whole-trip averages of heavy emergency vehicles; a road's own posted
/// limit (speed_kmh, 限速, OSM maxspeed) is what no vehicle may exceed, not what a fire engine
/// averages. So a posted limit can only lower a road's speed (road_kmh()): a 120 km/h limit on
/// an expressway leaves its 80 km/h, a 40 km/h limit on it gives 40. A safety tool may be
/// imprecise, never optimistic.
struct SpeedProfile {
    /// The rule that turns classes and posted limits into segment times, stored in the road
    /// graph's stamp (store/road_graph_store.hpp): a graph stored under another rule is never
    /// used. 1: a posted limit replaced the class speed (raised it too: ETAs 10-26 % optimistic
    /// on the demo); 2: a posted limit only lowers it.
    static constexpr int k_rule_version = 2;

    std::map<std::string, double, std::less<>> class_kmh;
    double default_kmh = 30; ///< a class that is not listed (or a road without class)
    double access_kmh = 15;  ///< the straight leg off the network: yards, gates, unmapped lanes

    /// The speed of `road_class`, or default_kmh.
    double speed_kmh(std::string_view road_class) const;

    /// The speed a road is driven at, km/h: its class speed, lowered to `posted_kmh` when the
    /// road has a lower posted limit (> 0); a higher limit, or none (0, negative, NaN), leaves
    /// the class speed.
    double road_kmh(std::string_view road_class, double posted_kmh) const;

    /// The built-in profile, the same numbers as layers/routing/road_speeds.json.
    static SpeedProfile defaults();

    /// Reads a profile file ({"format": "vigil-road-speeds/1", "default_kmh", "access_kmh",
    /// "classes": {"expressway": {"kmh": 80, ...}, ...}}). Classes not in the file keep their
    /// built-in speeds. `source` names the file in messages.
    /// @throws vigil::FormatError for bad JSON, an unknown format or a speed outside 1..200 km/h.
    static SpeedProfile parse(std::string_view json_text, std::string_view source);
};

/// One road line to build from: vertices in lon/lat degrees.
struct RoadLine {
    std::vector<geo::Coord> points;
    std::string road_class; ///< canonical class value; "" = unknown
    bool oneway = false;    ///< only in the digitised direction
    double speed_kmh = 0;   ///< posted limit; > 0 lowers the class speed, never raises it (SpeedProfile::road_kmh)
};

/// One edge given with its own length and travel time (a network prepared elsewhere, e.g. the
/// peers' benchmark networks or, later, a graph stored in the project database).
struct EdgeInput {
    std::uint32_t a = 0, b = 0; ///< indices into the node coordinates
    double length_m = 0;
    double time_s = 0;   ///< both ways
    bool oneway = false; ///< a -> b only
};

/// A point snapped onto the network.
struct Snap {
    std::uint32_t segment = 0;
    double fraction = 0; ///< position along the segment from its node a (0) to b (1)
    geo::Coord point;    ///< the snapped point on the segment
    double access_m = 0; ///< geodesic length of the straight leg from the query point
};

class RoadGraph {
public:
    static constexpr std::uint32_t k_none = std::numeric_limits<std::uint32_t>::max();

    /// One road segment between two nodes.
    struct Segment {
        std::uint32_t a = 0, b = 0;
        float length_m = 0;   ///< geodesic (WGS84)
        float time_s = 0;     ///< at the road's speed (SpeedProfile::road_kmh)
        bool forward = true;  ///< a -> b allowed
        bool backward = true; ///< b -> a allowed
    };

    /// One directed arc in the CSR arrays: the node at the other end, the segment it runs on,
    /// and the segment's travel time copied in, so a search never leaves the arc array.
    struct Arc {
        std::uint32_t node = 0;
        std::uint32_t segment = 0;
        float time_s = 0;
    };

    RoadGraph() = default;

    /// Builds the graph from lines (see the file comment). Lines with fewer than two distinct
    /// vertices and zero-length segments are skipped; non-finite coordinates are refused.
    /// @throws vigil::FormatError for a NaN/infinite coordinate (naming the line's index);
    ///         vigil::UsageError past 2^32 - 1 nodes or segments.
    static RoadGraph build(std::span<const RoadLine> lines, const SpeedProfile& speeds);

    /// Builds from explicit nodes (lon/lat) and edges, keeping their lengths and times.
    /// @throws vigil::FormatError for a node index out of range, a bad coordinate, or a
    ///         negative/NaN length or time (naming the edge's index).
    static RoadGraph from_edges(std::vector<geo::Coord> nodes, std::span<const EdgeInput> edges,
                                const SpeedProfile& speeds = SpeedProfile::defaults());

    /// Builds from a layer of kind `roads` (fields road_class, oneway, speed_kmh; LineString or
    /// MultiLineString geometries; records without geometry are skipped).
    /// @throws vigil::SchemaError if the layer is not a line layer; as build() otherwise.
    static RoadGraph from_layer(const model::Layer& roads, const SpeedProfile& speeds);

    std::size_t node_count() const { return m_nodes.size(); }
    std::size_t segment_count() const { return m_segments.size(); }
    /// Directed arcs (a two-way segment counts twice).
    std::size_t arc_count() const { return m_fwd_arcs.size(); }
    const SpeedProfile& speeds() const { return m_speeds; }

    geo::Coord node(std::uint32_t n) const { return m_nodes[n]; }
    const Segment& segment(std::uint32_t s) const { return m_segments[s]; }
    /// Arcs leaving node n (the head node in Arc::node).
    std::span<const Arc> out_arcs(std::uint32_t n) const {
        return {m_fwd_arcs.data() + m_fwd_first[n], m_fwd_arcs.data() + m_fwd_first[n + 1]};
    }
    /// Arcs entering node n (the tail node in Arc::node).
    std::span<const Arc> in_arcs(std::uint32_t n) const {
        return {m_rev_arcs.data() + m_rev_first[n], m_rev_arcs.data() + m_rev_first[n + 1]};
    }
    /// Travel time of `segment` in seconds (same both ways).
    double time_s(std::uint32_t s) const { return m_segments[s].time_s; }

    /// The point on the network nearest to `p` (geodesic metres), at most `max_distance_m`
    /// away; nullopt for an empty graph or nothing that close (an answer, not an error).
    std::optional<Snap> snap(geo::Coord p, double max_distance_m = std::numeric_limits<double>::infinity()) const;

    /// Builds the contraction hierarchy (seconds on a 1M-edge network; see contraction.hpp) so
    /// that Router uses PHAST. Replaces a hierarchy built before (routes of queries made before
    /// that must not be asked for afterwards: Routers point into the hierarchy). Deterministic.
    void build_hierarchy(const ChOptions& options = {});
    /// The hierarchy, or nullptr when none was built or loaded.
    const ContractionHierarchy* hierarchy() const { return m_ch.get(); }

    /// Segments that lie inside or cross any polygon of `areas` (Polygon or MultiPolygon,
    /// lon/lat; holes respected), ascending: e.g. the segments a flooded area closes. For
    /// SearchOptions::closed_segments.
    /// @throws vigil::UsageError if `areas` is neither a Polygon nor a MultiPolygon.
    std::vector<std::uint32_t> segments_in(const geo::Geometry& areas) const;

    /// The graph (nodes, segments, speed profile) and its hierarchy, if any, as bytes: a
    /// versioned header ("VGRG", format version, sizes), little-endian fields and a checksum
    /// (layout in road_graph_io.cpp). The R-tree and CSR arrays are rebuilt on load.
    std::vector<std::byte> serialize() const;
    /// Reads what serialize() wrote, checking the header, the sizes, every node and segment
    /// index and the checksum.
    /// @throws vigil::FormatError naming what is wrong (truncated, another format or version,
    ///         corrupted) -- never a half-loaded graph.
    static RoadGraph deserialize(std::span<const std::byte> bytes);

private:
    void finish(); // CSR arrays and the segment index from m_nodes and m_segments

    SpeedProfile m_speeds;
    std::vector<geo::Coord> m_nodes;
    std::vector<Segment> m_segments;
    std::vector<std::uint32_t> m_fwd_first, m_rev_first; ///< size node_count + 1
    std::vector<Arc> m_fwd_arcs, m_rev_arcs;
    index::HilbertRTree m_index;                      ///< item i = segment i
    std::shared_ptr<const ContractionHierarchy> m_ch; ///< null: no hierarchy
};

/// Where `p` falls on segment a-b: the fraction t in 0..1 of the closest point and that point.
/// Planar in a local equirectangular frame around `p` (segments are short; exact enough for
/// snapping), the distance then measured geodesically.
Snap closest_on_segment(geo::Coord p, geo::Coord a, geo::Coord b);

} // namespace vigil::routing
