// Grid management: the grids of a layer and the grid of a place (see grids.hpp).

#include <vigil/app/grids.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace vigil::app {

std::string_view grid_level_value(GridLevel l) {
    switch (l) {
    case GridLevel::County: return "county";
    case GridLevel::Township: return "township";
    case GridLevel::Village: return "village";
    }
    return "county";
}

std::optional<GridLevel> parse_grid_level(std::string_view value) {
    for (GridLevel l : {GridLevel::County, GridLevel::Township, GridLevel::Village})
        if (grid_level_value(l) == value) return l;
    return std::nullopt;
}

GridIndex::GridIndex(std::shared_ptr<const model::Layer> grids) : m_layer(std::move(grids)) {
    VIGIL_ASSERT(m_layer);
    const model::Layer& l = *m_layer;
    auto text_of = [&](std::size_t row, std::string_view field) { return std::string(text::trim(l.text(row, field))); };
    std::unordered_map<std::string, std::size_t> by_id;
    for (std::size_t r = 0; r < l.size(); ++r) {
        GridCell c;
        c.row = r;
        c.id = l.id(r);
        c.name = text_of(r, "name");
        c.parent_id = text_of(r, "parent_id");
        c.member = text_of(r, "member");
        c.phone = text_of(r, "phone");
        c.level = parse_grid_level(l.text(r, "level"));
        by_id.emplace(c.id, m_cells.size());
        m_cells.push_back(std::move(c));
    }
    for (const auto& c : m_cells)
        if (auto it = by_id.find(c.parent_id); !c.parent_id.empty() && it != by_id.end() && m_cells[it->second].id != c.id)
            m_cells[it->second].leaf = false;
}

std::optional<std::size_t> GridIndex::finest_at(geo::Coord p) const {
    // Rank: the level's depth; a level no value of the catalogue ranks below the county.
    auto rank = [&](std::size_t cell) { return m_cells[cell].level ? static_cast<int>(*m_cells[cell].level) : -1; };
    std::optional<std::size_t> best;
    m_layer->index().search(geo::BBox{p.x, p.y, p.x, p.y}, [&](std::uint32_t row) {
        // Cells are the layer's rows in order.
        const std::size_t cell = row;
        if (best && (rank(cell) < rank(*best) || (rank(cell) == rank(*best) && cell > *best))) return true;
        if (geo::contains(m_layer->geometry(row), p)) best = cell;
        return true;
    });
    return best;
}

std::optional<std::size_t> GridIndex::grid_of(const model::Layer& layer, std::size_t row) const {
    const geo::Geometry& g = layer.geometry(row);
    if (g.is_empty()) return std::nullopt;
    return finest_at(geo::representative_point(g));
}

std::vector<std::size_t> GridIndex::lineage(std::size_t cell) const {
    std::vector<std::size_t> out;
    std::set<std::size_t> seen;
    std::optional<std::size_t> at = cell;
    while (at && seen.insert(*at).second) {
        out.push_back(*at);
        const std::string& parent = m_cells[*at].parent_id;
        at = parent.empty() ? std::nullopt : m_layer->find(parent);
    }
    return out;
}

std::string GridIndex::path_text(std::size_t cell) const {
    const auto chain = lineage(cell);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const GridCell& c = m_cells[*it];
        out += (out.empty() ? "" : " / ") + (c.name.empty() ? c.id : c.name);
    }
    return out;
}

} // namespace vigil::app
