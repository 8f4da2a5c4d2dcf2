/// @file
/// Bulk-loading of an SQLite R*Tree (the spatial index of a SpatiaLite or GeoPackage layer)
/// by writing its shadow tables directly.
///
/// Inserting a million boxes one by one into SQLite's R*Tree costs ~20 s here (measured with
/// Hilbert-sorted input; random order is worse); packing the tree in memory and writing its
/// ~20k nodes costs well under a second. GDAL does the same for GeoPackage since 3.7.
/// The node format is SQLite's (ext/rtree/rtree.c):
///
///     node blob (node_size bytes, zero padded):
///       u16 depth (root node only; 0 elsewhere) | u16 cell count |
///       cells: i64 id (rowid for leaves, child node number otherwise) | f32 min_x max_x min_y max_y
///     all big-endian; coordinates rounded outwards to float32 as rtree.c does.
///     <name>_node(nodeno, data)  the root is node 1
///     <name>_rowid(rowid, nodeno) leaf of each item
///     <name>_parent(nodeno, parentnode) parent of each non-root node
///
/// This module only computes the rows; the caller writes them (inside its transaction).
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstdint>
#include <vector>

namespace vigil::index {

struct RTreeItem {
    std::int64_t rowid = 0;
    geo::BBox box; ///< must not be empty
};

struct PackedSqliteRTree {
    struct Node {
        std::int64_t nodeno = 0;
        std::vector<std::uint8_t> data; ///< exactly node_size bytes
    };
    std::vector<Node> nodes;                                      ///< node 1 (root) first
    std::vector<std::pair<std::int64_t, std::int64_t>> rowids;    ///< (rowid, leaf nodeno)
    std::vector<std::pair<std::int64_t, std::int64_t>> parents;   ///< (nodeno, parent nodeno)
    int depth = 0;                                                ///< 0 when the root is a leaf
};

/// Packs `items` (any order; sorted here along a Hilbert curve) into R*Tree nodes of
/// `node_size` bytes, which must be the size the existing table uses: the length of its node 1
/// blob (1228 for a 2-D tree created on 4 KiB pages). An empty item list gives a single empty
/// root node, as a freshly created R*Tree has.
PackedSqliteRTree pack_sqlite_rtree(std::vector<RTreeItem> items, int node_size = 1228);

/// The float32 rounding rtree.c applies: the largest float <= v, the smallest float >= v.
float rtree_round_down(double v);
float rtree_round_up(double v);

} // namespace vigil::index
