// The project's layers as the services read them (see layer_set.hpp).

#include <vigil/app/layer_set.hpp>

#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>

namespace vigil::app {

LayerSet LayerSet::load(const store::Project& project, const std::vector<std::string>& kinds) {
    LayerSet set;
    const auto stored = project.layers();
    for (const auto& kind : kinds) {
        const bool present = std::any_of(stored.begin(), stored.end(), [&](const store::LayerInfo& l) { return l.kind == kind; });
        if (present && !set.find(kind)) set.add(project.load_layer(kind));
    }
    return set;
}

LayerSet LayerSet::load_all(const store::Project& project) {
    LayerSet set;
    for (const auto& info : project.layers()) set.add(project.load_layer(info.kind));
    return set;
}

void LayerSet::add(std::shared_ptr<const model::Layer> layer) {
    if (!layer) return;
    const auto& kind = layer->kind().kind;
    for (auto& l : m_layers)
        if (l->kind().kind == kind) {
            l = std::move(layer);
            return;
        }
    m_layers.push_back(std::move(layer));
}

const model::Layer* LayerSet::find(std::string_view kind) const {
    for (const auto& l : m_layers)
        if (l->kind().kind == kind) return l.get();
    return nullptr;
}

std::shared_ptr<const model::Layer> LayerSet::share(std::string_view kind) const {
    for (const auto& l : m_layers)
        if (l->kind().kind == kind) return l;
    return nullptr;
}

const model::Layer& LayerSet::require(std::string_view kind) const {
    if (const auto* l = find(kind)) return *l;
    std::string have;
    for (const auto& l : m_layers) have += (have.empty() ? "" : ", ") + l->kind().kind;
    throw UsageError(have.empty() ? trf("the project has no layer '{}' (no layers loaded)", kind)
                                  : trf("the project has no layer '{}' (it has: {})", kind, have));
}

} // namespace vigil::app
