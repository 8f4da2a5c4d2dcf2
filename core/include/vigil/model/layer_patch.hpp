/// @file
/// A layer snapshot with some of its records replaced, added or removed: how a viewer follows
/// edits without reloading the layer (app/live.hpp).
#pragma once

#include <vigil/model/layer.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil::model {

/// One stored record as a layer holds it: what LayerBuilder::add takes.
struct Record {
    std::int64_t fid = 0;
    std::vector<Value> values; ///< one per field of the kind
    geo::Geometry geometry;
    std::string extra;
    std::string updated_at;
};

/// The records of a layer that changed in the database since its snapshot was taken.
struct LayerPatch {
    std::vector<Record> upserts;      ///< records to put in: an id already held is replaced in its row, a new one appended
    std::vector<std::string> removed; ///< ids to take out (an id not held is ignored)
};

/// A new snapshot of `old` with `patch` applied; `old` itself never changes (it may be read by
/// other threads), so "did it change" stays a pointer comparison. Rows keep their order (a
/// replaced record stays in its row, new records follow in the order given), which is the order
/// a fresh load returns when the new records have the higher fids, as an insert gets. The index,
/// the id lookup and the dictionary columns are built again, so the snapshot is exactly what
/// LayerBuilder would make of the same rows: O(rows) in memory, no database read.
std::shared_ptr<const Layer> patch_layer(const Layer& old, LayerPatch patch);

} // namespace vigil::model
