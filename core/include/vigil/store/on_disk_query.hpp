/// @file
/// One-shot "nearest" and "within" answered from the database, without loading the layer: the
/// layer's SpatiaLite R*Tree (idx_<kind>_geom, written at import) names the candidates by box,
/// only their rows are read, and the in-memory queries of vigil/query/nearest.hpp rank them.
/// What `vigil nearest` and `vigil within` run: a cold process answers in milliseconds where
/// loading a million records takes seconds. The viewer and `vigil serve`, which ask many
/// questions of one layer, keep the loaded layer.
///
/// The answers are those of query::nearest / query::within over the whole loaded layer: the
/// same records, order, distances and filters. Why the candidates always suffice:
///
///   - every record within geodesic distance r of the point has a point inside
///     geo::bbox_around(at, r), hence a box (the R*Tree's, rounded outwards to float32) that
///     meets it: the box query returns a superset of the records within r;
///   - within(radius): one box of that radius;
///   - nearest(k): boxes of growing radius r (ring by ring: each round reads only the records
///     the previous boxes did not return) until the k-th smallest distance among the accepted
///     candidates is <= r, or r reaches max_distance, or the box covers the whole tree. Then
///     every record at or below the true k-th distance is a candidate, ties included;
///   - the candidates are ranked by the in-memory code in fid order, which is the row order of a
///     loaded layer, so ties fall the same way.
///
/// A layer without an R*Tree (a database written by another tool) is loaded whole and asked in
/// memory: the same answer, slower, and `used_index` says so.
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/project_reader.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

namespace vigil::store {

struct DiskAnswer {
    /// The records the hits name (hit rows index this layer), in fid order: the candidates that
    /// passed the filter and lie within reach, not the whole layer.
    std::shared_ptr<const model::Layer> records;
    std::vector<query::Hit> hits; ///< nearest first, as query::nearest / query::within
    bool used_index = false;      ///< false: no R*Tree, the layer was loaded whole
    std::size_t rows_read = 0;    ///< table rows read and decoded
    int rounds = 0;               ///< box searches (nearest grows its box until the answer is proven)
};

/// query::nearest's answer for layer `kind` (name or alias) of an open project, read through the
/// R*Tree. `filter` must have been compiled against project.layer_kind(kind). Throws
/// vigil::UsageError for an unknown kind, vigil::FormatError for a damaged geometry or R*Tree
/// node, vigil::DatabaseError for SQLite failures.
DiskAnswer nearest_on_disk(const Project& project, std::string_view kind, geo::Coord at, std::size_t k, const query::Filter& filter = {},
                           double max_distance_m = std::numeric_limits<double>::infinity());

/// query::within's answer, read through the R*Tree (one box search).
DiskAnswer within_on_disk(const Project& project, std::string_view kind, geo::Coord at, double radius_m, const query::Filter& filter = {});

} // namespace vigil::store
