/// @file
/// Bulk-load packing of SQLite's R*Tree shadow tables (2-D, float32 coordinates).
///
///     items --round outwards to float32--> cells --sort by Hilbert index of the centres-->
///     leaves: consecutive runs of max_cells cells --> parents: runs of max_cells leaves --> ...
///     until one node is left: the root, node 1 (depth = number of levels above the leaves).
///
///     max_cells = (node_size - 4) / 24           (24 = i64 id + 4 x f32 per 2-D cell)
///     min_cells = max_cells / 3                  (RTREE_MINCELLS in rtree.c)
///
/// Every node is full except at the end of a level: if the last node would hold fewer than
/// min_cells, the last two share their cells evenly, so every non-root node holds at least
/// min_cells — the invariant rtree.c itself keeps and rebalances deletions around.
///
/// Node numbers go breadth first from the root (root 1, its children 2.., then the next level),
/// so the leaves come last, in Hilbert order, and a window query reads neighbouring rows.
/// A parent cell's box is the exact float32 union of its children's boxes, so every cell lies
/// inside its parent cell, which is what rtreecheck() verifies.

#include <vigil/index/sqlite_rtree_pack.hpp>
#include <vigil/util/bit_copy.hpp>

#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/util/assert.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace vigil::index {

namespace {

using vigil::bit_copy;

constexpr int k_cell_bytes = 8 + 4 * 4; ///< 2-D cell: i64 id, f32 min_x max_x min_y max_y
constexpr int k_node_header_bytes = 4;  ///< u16 depth, u16 cell count
constexpr int k_max_depth = 40;         ///< RTREE_MAX_DEPTH in rtree.c

struct Cell {
    std::int64_t id = 0;
    float min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};

void put_be16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put_be32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void put_be64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

/// Sizes of the nodes of one level holding `count` (>= 1) entries: full nodes, with the last
/// two sharing evenly when the last would fall under `min_cells`.
std::vector<std::size_t> node_sizes(std::size_t count, std::size_t max_cells, std::size_t min_cells) {
    const std::size_t nodes = (count + max_cells - 1) / max_cells;
    std::vector<std::size_t> sizes(nodes, max_cells);
    sizes.back() = count - (nodes - 1) * max_cells;
    if (nodes >= 2 && sizes.back() < min_cells) {
        const std::size_t both = sizes[nodes - 2] + sizes[nodes - 1];
        sizes[nodes - 2] = (both + 1) / 2;
        sizes[nodes - 1] = both / 2;
    }
    return sizes;
}

} // namespace

float rtree_round_down(double v) {
    constexpr double k_max = std::numeric_limits<float>::max();
    if (std::isnan(v)) return std::numeric_limits<float>::quiet_NaN();
    if (v > k_max)
        return v == std::numeric_limits<double>::infinity() ? std::numeric_limits<float>::infinity() : std::numeric_limits<float>::max();
    if (v < -k_max) return -std::numeric_limits<float>::infinity();
    // In range, so the conversion (round to nearest) is defined; step down one float if it
    // went up. Exactly the largest float <= v: one ulp tighter than rtree.c's multiply by
    // (1 - 2^-23) at worst, and never looser.
    float f = static_cast<float>(v);
    if (static_cast<double>(f) > v) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
}

float rtree_round_up(double v) {
    constexpr double k_max = std::numeric_limits<float>::max();
    if (std::isnan(v)) return std::numeric_limits<float>::quiet_NaN();
    if (v < -k_max)
        return v == -std::numeric_limits<double>::infinity() ? -std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::max();
    if (v > k_max) return std::numeric_limits<float>::infinity();
    float f = static_cast<float>(v);
    if (static_cast<double>(f) < v) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

PackedSqliteRTree pack_sqlite_rtree(std::vector<RTreeItem> items, int node_size) {
    if (node_size < k_node_header_bytes + 2 * k_cell_bytes || node_size > 65536)
        throw UsageError(trf("R*Tree node size {} is not that of a 2-D SQLite R*Tree", node_size));
    const std::size_t max_cells = static_cast<std::size_t>((node_size - k_node_header_bytes) / k_cell_bytes);
    const std::size_t min_cells = max_cells / 3;

    PackedSqliteRTree out;
    const std::size_t n = items.size();

    // Leaf cells, rounded outwards (NaN and inverted boxes would break the tree's invariants).
    std::vector<Cell> cells(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& b = items[i].box;
        if (!(b.min_x <= b.max_x && b.min_y <= b.max_y))
            throw UsageError(trf("R*Tree item with rowid {} has an empty, inverted or NaN box", items[i].rowid));
        cells[i] = {items[i].rowid, rtree_round_down(b.min_x), rtree_round_up(b.max_x), rtree_round_down(b.min_y), rtree_round_up(b.max_y)};
    }

    // Hilbert order of the (rounded) cell boxes.
    std::vector<std::uint32_t> order;
    {
        std::vector<geo::BBox> boxes(n);
        for (std::size_t i = 0; i < n; ++i) boxes[i] = {cells[i].min_x, cells[i].min_y, cells[i].max_x, cells[i].max_y};
        order = hilbert_order(boxes);
    }
    VIGIL_ASSERT(order.size() == n); // rounding outwards keeps every valid box valid

    // Levels bottom-up: level 0 = leaf cells in Hilbert order; the node boxes of each level are
    // the cells of the next. sizes[l] = cell counts of the nodes of level l.
    std::vector<std::vector<std::size_t>> sizes;
    std::vector<std::vector<Cell>> level_cells;
    level_cells.emplace_back();
    level_cells[0].reserve(n);
    for (auto i : order) level_cells[0].push_back(cells[i]);
    cells = {};
    if (n == 0) {
        sizes.push_back({0});
    } else {
        for (;;) {
            const auto& below = level_cells.back();
            sizes.push_back(node_sizes(below.size(), max_cells, min_cells));
            if (sizes.back().size() == 1) break;
            std::vector<Cell> above;
            above.reserve(sizes.back().size());
            std::size_t at = 0;
            for (std::size_t count : sizes.back()) {
                Cell c = below[at];
                for (std::size_t j = at + 1; j < at + count; ++j) {
                    c.min_x = std::min(c.min_x, below[j].min_x);
                    c.max_x = std::max(c.max_x, below[j].max_x);
                    c.min_y = std::min(c.min_y, below[j].min_y);
                    c.max_y = std::max(c.max_y, below[j].max_y);
                }
                above.push_back(c); // id filled in below, once node numbers are known
                at += count;
            }
            level_cells.push_back(std::move(above));
        }
    }
    const int levels = static_cast<int>(sizes.size());
    out.depth = levels - 1;
    if (out.depth > k_max_depth) throw UsageError(tr("R*Tree would be deeper than SQLite allows"));

    // Node numbers breadth first from the root: first_no[l] = number of the first node of level l.
    std::vector<std::int64_t> first_no(levels);
    std::int64_t next_no = 1;
    for (int l = levels - 1; l >= 0; --l) {
        first_no[l] = next_no;
        next_no += static_cast<std::int64_t>(sizes[l].size());
    }
    for (int l = 1; l < levels; ++l)
        for (std::size_t j = 0; j < level_cells[l].size(); ++j) level_cells[l][j].id = first_no[l - 1] + static_cast<std::int64_t>(j);

    // Node blobs, root first; parent mappings (in node number order, as the children of each
    // level are numbered in the order they are met here) and the leaf of each item on the way.
    std::vector<std::int64_t> leaf_of(n); // by input position
    out.nodes.reserve(static_cast<std::size_t>(next_no - 1));
    out.parents.reserve(static_cast<std::size_t>(next_no - 2 > 0 ? next_no - 2 : 0));
    for (int l = levels - 1; l >= 0; --l) {
        const auto& cells_l = level_cells[l];
        std::size_t at = 0;
        for (std::size_t j = 0; j < sizes[l].size(); ++j) {
            PackedSqliteRTree::Node node;
            node.nodeno = first_no[l] + static_cast<std::int64_t>(j);
            node.data.assign(static_cast<std::size_t>(node_size), 0);
            if (l == levels - 1) put_be16(node.data.data(), static_cast<std::uint16_t>(out.depth));
            put_be16(node.data.data() + 2, static_cast<std::uint16_t>(sizes[l][j]));
            std::uint8_t* p = node.data.data() + k_node_header_bytes;
            for (std::size_t c = at; c < at + sizes[l][j]; ++c, p += k_cell_bytes) {
                const Cell& cell = cells_l[c];
                put_be64(p, static_cast<std::uint64_t>(cell.id));
                put_be32(p + 8, bit_copy<std::uint32_t>(cell.min_x));
                put_be32(p + 12, bit_copy<std::uint32_t>(cell.max_x));
                put_be32(p + 16, bit_copy<std::uint32_t>(cell.min_y));
                put_be32(p + 20, bit_copy<std::uint32_t>(cell.max_y));
                if (l == 0) leaf_of[order[c]] = node.nodeno;
                else out.parents.emplace_back(cell.id, node.nodeno);
            }
            at += sizes[l][j];
            out.nodes.push_back(std::move(node));
        }
    }

    // Rowids in rowid order: the caller's inserts then append to the %_rowid B-tree instead of
    // hopping around it (a large difference once the table outgrows the page cache). Input
    // order first, which usually is rowid order already (items read from a table), so the sort
    // is mostly skipped.
    out.rowids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.rowids.emplace_back(items[i].rowid, leaf_of[i]);
    auto by_rowid = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(out.rowids.begin(), out.rowids.end(), by_rowid)) std::sort(out.rowids.begin(), out.rowids.end(), by_rowid);
    return out;
}

} // namespace vigil::index
