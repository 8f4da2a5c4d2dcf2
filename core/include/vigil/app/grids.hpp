/// @file
/// Grid management (网格化管理): the county, township and village grids of the `grids` layer,
/// and which grid a place belongs to — the finest one whose polygon holds it (a village grid
/// before its township's, a township's before its county's). What `vigil stats --by grid`
/// groups by and the viewers' inspector shows beside an enterprise (its grid and grid member).
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/model/layer.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// The grid levels, coarse to fine (the catalogue's values of grids.level).
enum class GridLevel { County = 0, Township = 1, Village = 2 };

/// "county", "township", "village".
std::string_view grid_level_value(GridLevel l);
/// The level of a catalogue value; nullopt for anything else.
std::optional<GridLevel> parse_grid_level(std::string_view value);

/// One grid as the services read it.
struct GridCell {
    std::size_t row = 0; ///< in the grids layer
    std::string id, name, parent_id, member, phone;
    /// nullopt for a level that is no value of the catalogue (a row another tool wrote): such a
    /// grid ranks below the county level, so that it never takes a place from a known grid.
    std::optional<GridLevel> level;
    bool leaf = true; ///< no other grid names it as its parent
};

/// The grids of one layer, for finding the grid of a place. Holds the layer (shared).
class GridIndex {
public:
    /// @param grids a layer of kind `grids` (polygons).
    explicit GridIndex(std::shared_ptr<const model::Layer> grids);

    const std::vector<GridCell>& cells() const { return m_cells; }
    const model::Layer& layer() const { return *m_layer; }

    /// The finest grid whose polygon holds `p` (WGS84), as an index into cells(); among grids of
    /// one level that overlap (a drawing error), the first in the layer. nullopt: in no grid.
    std::optional<std::size_t> finest_at(geo::Coord p) const;
    /// The grid of a record: finest_at its representative point; nullopt without geometry.
    std::optional<std::size_t> grid_of(const model::Layer& layer, std::size_t row) const;
    /// A grid and its parents, finest first, as far as the parent ids name grids of the layer
    /// (a cycle stops at the first grid seen again).
    std::vector<std::size_t> lineage(std::size_t cell) const;
    /// "温县 / 祥云镇 / 东关村" — the lineage, coarsest first.
    std::string path_text(std::size_t cell) const;

private:
    std::shared_ptr<const model::Layer> m_layer;
    std::vector<GridCell> m_cells;
};

} // namespace vigil::app
