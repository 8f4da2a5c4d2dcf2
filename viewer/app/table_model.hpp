/// @file
/// The attribute table's rows: a layer's records that its filter shows, narrowed by a search
/// text over the cells people see, in the order of a sort column. Kept until the layer's
/// revision, the search or the sort changes, so scrolling 100,000 rows costs nothing but the
/// rows on screen. No ImGui: the panel hands over ImGui's sort spec as a TableSort.
///
/// Sorting follows the field's meaning, not its text: numbers and yes/no numerically, enum
/// values in catalogue order (the four risk colours red → blue, grades 一级 → 四级), dates, text,
/// sets and lists by their displayed text (UTF-8 code point order). Records without a value go
/// last in either direction; ties keep the layer's row order (the sort is stable).
#pragma once

#include "app_state.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

struct TableSort {
    std::size_t field = 0; ///< index into kind().fields
    bool descending = false;
    friend bool operator==(const TableSort&, const TableSort&) = default;
};

class TableModel {
public:
    /// The rows to list for `layer`. `search` matches when any cell's text (as cell_text shows
    /// it) contains it, ignoring ASCII case; blank matches all.
    const std::vector<std::uint32_t>& rows(const LayerView& layer, std::string_view search, std::optional<TableSort> sort);

    /// How many times the rows were worked out again (tests check the cache).
    std::size_t rebuilds() const { return m_rebuilds; }

private:
    void build_haystacks(const std::shared_ptr<const model::Layer>& layer);

    // The cache key.
    std::shared_ptr<const model::Layer> m_layer; // held, so a new layer never reuses its address
    std::uint64_t m_revision = 0;
    std::string m_search;
    std::optional<TableSort> m_sort;
    bool m_valid = false;

    std::vector<std::uint32_t> m_rows;
    // Per row, every cell's text lower-cased and joined by '\x1f'; built for a layer on its first
    // search and kept while the layer object is the same (layers are immutable snapshots).
    std::shared_ptr<const model::Layer> m_haystack_layer;
    std::vector<std::string> m_haystacks;
    std::size_t m_rebuilds = 0;
};

} // namespace vigil::viewer
