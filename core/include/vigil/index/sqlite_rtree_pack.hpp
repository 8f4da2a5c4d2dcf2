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
/// This module only computes the rows; the caller writes them (inside its transaction):
///
///     node_size = SELECT length(data) FROM "<name>_node" WHERE nodeno = 1
///     packed    = pack_sqlite_rtree(items, node_size)
///     BEGIN
///       DELETE FROM "<name>_node"; DELETE FROM "<name>_rowid"; DELETE FROM "<name>_parent"
///       INSERT INTO "<name>_node"(nodeno, data)         VALUES (?, ?)  for packed.nodes
///       INSERT INTO "<name>_rowid"(rowid, nodeno)       VALUES (?, ?)  for packed.rowids
///       INSERT INTO "<name>_parent"(nodeno, parentnode) VALUES (?, ?)  for packed.parents
///     COMMIT
///
/// Rules for the caller (verified against SQLite 3.40.1's rtree.c and the tests):
///  - No statement that reads the R*Tree may be active (stepped and not yet reset or finalized)
///    on the same connection while the shadow tables are rewritten. rtree.c keeps the nodes such
///    a statement has loaded in a per-connection, per-table cache (Rtree.aHash) as long as the
///    statement lives, and every other query of that table on that connection is served the
///    cached old nodes: silently wrong results, no error (writes through the virtual table are
///    refused meanwhile with "database table is locked"). Reset or finalize such statements
///    first; sqlite3_next_stmt() + sqlite3_stmt_busy() can check that none is busy.
///  - Nothing else needs care: once no statement holds nodes, rtree.c caches no node content,
///    re-reads the depth from node 1 on every query, and its open blob handle on <name>_node
///    (kept for a write transaction) is re-seeked on each read. Rewriting on a connection that
///    already queried or wrote the table, even inside the same write transaction, is safe, and
///    so is ROLLBACK. Other connections only see the new tree when the transaction commits.
///  - The node size must stay the existing table's: rtree.c fixes it when it connects.
///  - With SQLITE_DBCONFIG_DEFENSIVE on, shadow tables are read-only ("table <name>_node may not
///    be modified"): switch it off around the bulk load.
///  - Rowids must be unique (the %_rowid primary key rejects duplicates).
///  - Auxiliary columns (rtree(..., +aux)) live in %_rowid as a0, a1, ...: write them with the
///    rowid rows; this module does not know them.
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
    std::vector<Node> nodes;                                    ///< nodeno order 1, 2, ...: root, then breadth first
    std::vector<std::pair<std::int64_t, std::int64_t>> rowids;  ///< (rowid, leaf nodeno), sorted by rowid
    std::vector<std::pair<std::int64_t, std::int64_t>> parents; ///< (nodeno, parent nodeno), sorted by nodeno
    int depth = 0;                                              ///< 0 when the root is a leaf
};

/// Packs `items` (any order; sorted here along a Hilbert curve) into R*Tree nodes of
/// `node_size` bytes, which must be the size the existing table uses: the length of its node 1
/// blob (1228 for a 2-D tree created on 4 KiB pages). An empty item list gives a single empty
/// root node, as a freshly created R*Tree has. Nodes are filled to (node_size - 4) / 24 cells;
/// at the end of each level the last two nodes share their cells when the last would hold fewer
/// than a third (rtree.c's minimum fill). Throws vigil::UsageError for a node size outside
/// [52, 65536] or an item whose box is empty, inverted or NaN.
PackedSqliteRTree pack_sqlite_rtree(std::vector<RTreeItem> items, int node_size = 1228);

/// The float32 rounding of the stored coordinates: the largest float <= v, the smallest
/// float >= v (conservative like rtree.c's rtreeValueDown/Up, which can be an ulp looser).
/// Beyond the float range: +-FLT_MAX or +-infinity on the safe side; NaN stays NaN.
float rtree_round_down(double v);
float rtree_round_up(double v);

} // namespace vigil::index
