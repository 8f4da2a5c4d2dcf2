/// @file
/// A static packed Hilbert R-tree (the flatbush design): add boxes, finish() once, then query.
/// Immutable after finish(), so any number of threads may query it; serialisable to bytes.
///
///     builder.add(box) x n  ->  finish(): sort items by the Hilbert index of their centres,
///     pack them `node_size` to a leaf, then pack leaves into parents up to one root.
///
///     level 2:                 [ root ]
///     level 1:        [ n0 ][ n1 ][ n2 ] ...
///     level 0:  [i i i ... i][i i i ... i] ...   (items in Hilbert order)
///
/// Items are identified by the index they were added with (0..n-1). Searches take the metric
/// from the caller, so the same tree serves planar metres (benchmarks, projected data) and
/// geodesic distances on lon/lat (the product): see nearest().
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace vigil::index {

class HilbertRTree;

/// Position of cell (x, y) of the 65536 x 65536 grid along the Hilbert curve (x, y < 65536;
/// higher bits are ignored). Both trees of this module sort their items with it.
std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y);

/// Indices of the boxes sorted along the Hilbert curve of their centres (on a 65536 x 65536
/// grid over the centres' extent; equal cells keep index order). Empty, inverted and NaN boxes
/// are left out. Throws vigil::UsageError past 2^32 boxes.
std::vector<std::uint32_t> hilbert_order(std::span<const geo::BBox> boxes);

class HilbertRTreeBuilder {
public:
    /// `expected_items` reserves memory; `node_size` is the fan-out (16 is a good default).
    /// Throws vigil::UsageError when node_size < 2.
    explicit HilbertRTreeBuilder(std::size_t expected_items = 0, std::uint16_t node_size = 16);
    /// Adds a box and returns its item index (0, 1, 2, ... in call order). An empty box is
    /// allowed (a record without geometry); it is never returned by any search. A box that is
    /// inverted in either axis or holds NaN is treated as empty. Throws vigil::UsageError past
    /// 2^31 - 2^17 items.
    std::uint32_t add(const geo::BBox& box);
    std::uint32_t add(geo::Coord point) { return add(geo::BBox{point.x, point.y, point.x, point.y}); }
    std::size_t size() const { return m_boxes.size(); }
    /// Builds the tree. The builder is left empty.
    HilbertRTree finish();

private:
    std::vector<geo::BBox> m_boxes;
    std::uint16_t m_node_size;
};

/// One neighbour found by HilbertRTree::nearest().
struct Neighbour {
    std::uint32_t item = 0;
    double distance = 0;
};

class HilbertRTree {
public:
    HilbertRTree() = default;

    /// Number of items added, empty ones included.
    std::size_t size() const { return m_item_count; }
    bool empty() const { return m_item_count == 0; }
    std::uint16_t node_size() const { return m_node_size; }
    /// Union of all non-empty item boxes; an empty BBox when there are none.
    geo::BBox bounds() const;

    /// Calls `visit(item)` for every item whose box intersects `query` (borders included);
    /// stop early by returning false. Order: tree order (roughly Hilbert order), not sorted.
    /// An empty or NaN query finds nothing. `visit` may query this or another tree.
    void search(const geo::BBox& query, const std::function<bool(std::uint32_t item)>& visit) const;
    std::vector<std::uint32_t> search(const geo::BBox& query) const;

    /// Best-first k-nearest search with a caller-supplied metric:
    ///   box_lower_bound(box)  -> a value <= item_distance(i) for every item i under that box;
    ///   item_distance(i)      -> the exact distance of item i (called at most once per item,
    ///                            and only for items whose box bound can still make the k);
    ///   accept(i)             -> filter (capability, status, ...), asked before item_distance(i);
    ///                            nullptr accepts all.
    /// Returns up to `k` items with distance <= max_distance, nearest first, ties by item index.
    /// NaN bounds or distances count as "too far". The callbacks may query this tree again.
    std::vector<Neighbour> nearest(std::size_t k, double max_distance, const std::function<double(const geo::BBox&)>& box_lower_bound,
                                   const std::function<double(std::uint32_t)>& item_distance,
                                   const std::function<bool(std::uint32_t)>& accept = nullptr) const;

    /// Planar Euclidean k-nearest to (x, y), the common case, without std::function overhead.
    /// The distance of an item is that from p to its box (0 inside), sqrt(dx^2 + dy^2); items are
    /// ranked by dx^2 + dy^2 (ties by item index) and kept when their distance <= max_distance.
    /// No heap allocation but the result once the thread's scratch has grown.
    std::vector<Neighbour> nearest_planar(geo::Coord p, std::size_t k, double max_distance = 1e300,
                                          const std::function<bool(std::uint32_t)>& accept = nullptr) const;

    /// Serialisation (little-endian, versioned header with a checksum; layout in
    /// hilbert_rtree.cpp). from_bytes() checks the checksum, sizes, level structure, child links,
    /// item indices and boxes, and throws vigil::FormatError on damaged input; it never reads
    /// outside `bytes`. A 1M-point tree is ~38 MB and loads in well under a second.
    std::vector<std::uint8_t> to_bytes() const;
    static HilbertRTree from_bytes(std::span<const std::uint8_t> bytes);

private:
    friend class HilbertRTreeBuilder;
    std::uint32_t m_item_count = 0;
    std::uint16_t m_node_size = 16;
    std::vector<geo::BBox> m_boxes;            ///< all nodes, leaves first (non-empty items in Hilbert order), root last
    std::vector<std::uint32_t> m_indices;      ///< per box: item index (leaf level) or first child box (upper levels)
    std::vector<std::uint32_t> m_level_bounds; ///< end offset of each level in m_boxes
};

} // namespace vigil::index
