/// @file
/// The project's layers as the application services read them.
///
/// Every workflow a user runs (hazard zones, dispatch, supply, coverage, regional risk, statistics)
/// is a function in `vigil::app` taking plain request values and a LayerSet, and returning plain
/// result values; it does no I/O of its own. The shells only gather the layers and show the
/// answer: `vigil` loads the layers a question needs from the database, the viewer (native and
/// browser) hands over the layers it already holds. So the three cannot disagree.
#pragma once

#include <vigil/model/layer.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::store {
class Project;
} // namespace vigil::store

namespace vigil::app {

/// Loaded layers, found by their kind ("rescue_teams", "warehouses", "roads"...). Cheap to copy:
/// it shares the layers.
class LayerSet {
public:
    LayerSet() = default;

    /// The layers of `project` whose kinds are listed (those the project lacks are skipped: a
    /// service says itself which layer it missed, in the words of its question).
    /// @throws vigil::FormatError for a damaged layer (see store::Project::load_layer).
    static LayerSet load(const store::Project& project, const std::vector<std::string>& kinds);
    /// Every layer of `project`.
    static LayerSet load_all(const store::Project& project);

    /// Adds (or replaces) the layer of its kind.
    void add(std::shared_ptr<const model::Layer> layer);

    /// The layer of `kind`, or null.
    const model::Layer* find(std::string_view kind) const;
    /// The layer of `kind`.
    /// @throws vigil::UsageError "此项目没有图层 … the project has no layer 'KIND' (it has: …)".
    const model::Layer& require(std::string_view kind) const;
    /// The shared handle of the layer of `kind`, or null.
    std::shared_ptr<const model::Layer> share(std::string_view kind) const;

    const std::vector<std::shared_ptr<const model::Layer>>& all() const { return m_layers; }
    bool empty() const { return m_layers.empty(); }

private:
    std::vector<std::shared_ptr<const model::Layer>> m_layers;
};

} // namespace vigil::app
