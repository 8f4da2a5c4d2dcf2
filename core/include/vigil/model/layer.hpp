/// @file
/// An immutable in-memory snapshot of one layer: columnar attribute values aligned with the
/// kind's fields, geometries in WGS84 lon/lat, and a packed Hilbert R-tree over them. Built once
/// (by the store reader), then shared as std::shared_ptr<const Layer> by queries, the viewer
/// and worker threads without locks; "did it change" is a pointer comparison.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/model/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::model {

class Layer {
public:
    Layer() = default;
    // Neither copied nor moved: the id map holds string_views into this layer's own id column, so
    // a copy would point into the original. A layer is shared as shared_ptr<const Layer> instead.
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;
    Layer(Layer&&) = delete;
    Layer& operator=(Layer&&) = delete;

    const catalog::LayerKind& kind() const { return *m_kind; }
    std::shared_ptr<const catalog::LayerKind> kind_ptr() const { return m_kind; }

    std::size_t size() const { return m_geometries.size(); }
    bool empty() const { return m_geometries.empty(); }

    /// The record's id (the kind's id field).
    const std::string& id(std::size_t row) const;
    /// The value of field `field` (index into kind().fields) in `row`.
    const Value& value(std::size_t row, std::size_t field) const { return m_columns[field][row]; }
    const std::vector<Value>& column(std::size_t field) const { return m_columns[field]; }
    /// Text of a field by name ("" if null or no such field).
    std::string text(std::size_t row, std::string_view field) const;
    const geo::Geometry& geometry(std::size_t row) const { return m_geometries[row]; }
    /// The database row id (SpatiaLite's pkid), stable across loads of the same database.
    std::int64_t fid(std::size_t row) const { return m_fids[row]; }
    /// Source columns the catalogue does not know, as a JSON object text ("" if none).
    const std::string& extra(std::size_t row) const { return m_extra[row]; }

    const index::HilbertRTree& index() const { return m_index; }
    geo::BBox bounds() const { return m_index.bounds(); }

    /// The row holding record `id`, if any.
    std::optional<std::size_t> find(std::string_view id) const;

private:
    friend class LayerBuilder;
    std::shared_ptr<const catalog::LayerKind> m_kind;
    std::vector<std::int64_t> m_fids;
    std::vector<geo::Geometry> m_geometries;
    std::vector<std::vector<Value>> m_columns;
    std::vector<std::string> m_extra;
    index::HilbertRTree m_index;
    std::unordered_map<std::string_view, std::size_t> m_by_id;
};

/// Collects records, then finish() builds the index and hands out the immutable Layer.
class LayerBuilder {
public:
    explicit LayerBuilder(std::shared_ptr<const catalog::LayerKind> kind, std::size_t expected = 0);
    /// `values` must have one entry per field of the kind.
    void add(std::int64_t fid, std::vector<Value> values, geo::Geometry geometry, std::string extra = {});
    std::shared_ptr<const Layer> finish();

private:
    std::shared_ptr<Layer> m_layer;
};

} // namespace vigil::model
