/// @file
/// An immutable in-memory snapshot of one layer: columnar attribute values aligned with the
/// kind's fields, geometries in WGS84 lon/lat, and a packed Hilbert R-tree over them. Built once
/// (by the store reader), then shared as std::shared_ptr<const Layer> by queries, the viewer
/// and worker threads without locks; "did it change" is a pointer comparison.
///
/// Memory, per record of a 1M-point register (the peers' points, ten fields): a Value is 40
/// bytes, so ten plain columns alone were 400 bytes, twice the record's share of the database
/// file. Most fields of a register repeat a few values (enums, statuses, categories, dates,
/// small counts), so a column that turns out to hold few distinct values keeps each once and a
/// 16-bit code per row (dictionary columns); the id lookup is a table of row numbers rather than
/// a node-based map. value() still returns a reference to a stored Value.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/model/value.hpp>

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::model {

/// One attribute column: a Value per row, or (dictionary column) a 16-bit code per row into the
/// column's distinct values. Either way column[row] is a reference to a stored Value.
class Column {
public:
    std::size_t size() const { return m_coded ? m_codes.size() : m_values.size(); }
    const Value& operator[](std::size_t row) const { return m_coded ? m_values[m_codes[row]] : m_values[row]; }
    /// True when the column keeps distinct values and codes (for tests and memory reports).
    bool is_dictionary() const { return m_coded; }

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Value;
        using difference_type = std::ptrdiff_t;
        using pointer = const Value*;
        using reference = const Value&;
        const_iterator() = default;
        const_iterator(const Column* c, std::size_t row) : m_column(c), m_row(row) {}
        reference operator*() const { return (*m_column)[m_row]; }
        pointer operator->() const { return &(*m_column)[m_row]; }
        const_iterator& operator++() {
            ++m_row;
            return *this;
        }
        const_iterator operator++(int) {
            auto old = *this;
            ++m_row;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_row == b.m_row; }

    private:
        const Column* m_column = nullptr;
        std::size_t m_row = 0;
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size()}; }

private:
    friend class ColumnBuilder;
    bool m_coded = false;
    std::vector<Value> m_values;        ///< one per row, or the distinct values when coded
    std::vector<std::uint16_t> m_codes; ///< per row when coded: index into m_values
};

class Layer {
public:
    Layer() = default;
    // Neither copied nor moved: a layer is an immutable snapshot shared as
    // shared_ptr<const Layer>, and "did it change" is a pointer comparison.
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
    const Column& column(std::size_t field) const { return m_columns[field]; }
    /// Text of a field by name ("" if null or no such field).
    std::string text(std::size_t row, std::string_view field) const;
    const geo::Geometry& geometry(std::size_t row) const { return m_geometries[row]; }
    /// The database row id (SpatiaLite's pkid), stable across loads of the same database.
    std::int64_t fid(std::size_t row) const { return m_fids[row]; }
    /// Source columns the catalogue does not know, as a JSON object text ("" if none).
    const std::string& extra(std::size_t row) const { return std::get<std::string>(m_extra[row]); }
    /// When the record was last written by an import (the store's updated_at, ISO 8601 UTC, e.g.
    /// "2026-12-07T01:26:48.123Z"); "" when not known (a layer built in memory).
    const std::string& updated_at(std::size_t row) const { return std::get<std::string>(m_updated[row]); }

    const index::HilbertRTree& index() const { return m_index; }
    geo::BBox bounds() const { return m_index.bounds(); }

    /// The row holding record `id`, if any (the first such row should ids repeat).
    std::optional<std::size_t> find(std::string_view id) const;

private:
    friend class LayerBuilder;
    std::shared_ptr<const catalog::LayerKind> m_kind;
    std::vector<std::int64_t> m_fids;
    std::vector<geo::Geometry> m_geometries;
    std::vector<Column> m_columns;
    Column m_extra;   ///< text values ("" when none): nearly always one distinct value
    Column m_updated; ///< text values: one distinct value per import that wrote records
    index::HilbertRTree m_index;
    /// Open addressing over the ids' hashes: a row number per slot (k_no_row when empty),
    /// a power-of-two size at least 1.5 times the row count.
    std::vector<std::uint32_t> m_id_slots;
};

/// Builds a Column row by row, as a dictionary column for as long as the values repeat enough.
class ColumnBuilder {
public:
    /// `expected_rows` 0: not known. A column expected to hold few rows is kept plain from the
    /// start (see layer.cpp).
    explicit ColumnBuilder(std::size_t expected_rows = 0);
    void add(Value v);
    Column finish();

private:
    struct Hash {
        std::size_t operator()(const Value& v) const;
    };
    /// Bitwise for reals, so that -0.0 and 0.0 (and NaN payloads) stay what they were.
    struct Same {
        bool operator()(const Value& a, const Value& b) const;
    };
    void to_plain();
    Column m_column;
    std::unordered_map<Value, std::uint16_t, Hash, Same> m_codes;
    std::size_t m_expected = 0;
};

/// Collects records, then finish() builds the index and hands out the immutable Layer.
class LayerBuilder {
public:
    explicit LayerBuilder(std::shared_ptr<const catalog::LayerKind> kind, std::size_t expected = 0);
    /// `values` must have one entry per field of the kind.
    void add(std::int64_t fid, std::vector<Value> values, geo::Geometry geometry, std::string extra = {}, std::string updated_at = {});
    std::shared_ptr<const Layer> finish();

private:
    std::shared_ptr<Layer> m_layer;
    std::vector<ColumnBuilder> m_columns;
    ColumnBuilder m_extra;
    ColumnBuilder m_updated;
};

} // namespace vigil::model
