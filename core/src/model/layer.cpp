#include <vigil/model/layer.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/text.hpp>

namespace vigil::model {

std::string to_text(const Value& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) return vigil::text::format_double(*d);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return {};
}

const std::string& Layer::id(std::size_t row) const {
    static const std::string empty;
    const auto& v = m_columns[m_kind->id_index()][row];
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return empty;
}

std::string Layer::text(std::size_t row, std::string_view field) const {
    auto i = m_kind->field_index(field);
    if (!i) return {};
    return to_text(m_columns[*i][row]);
}

std::optional<std::size_t> Layer::find(std::string_view id) const {
    auto it = m_by_id.find(id);
    if (it == m_by_id.end()) return std::nullopt;
    return it->second;
}

LayerBuilder::LayerBuilder(std::shared_ptr<const catalog::LayerKind> kind, std::size_t expected)
    : m_layer(std::make_shared<Layer>()) {
    VIGIL_ASSERT(kind != nullptr);
    m_layer->m_kind = std::move(kind);
    m_layer->m_columns.resize(m_layer->m_kind->fields.size());
    for (auto& c : m_layer->m_columns) c.reserve(expected);
    m_layer->m_geometries.reserve(expected);
    m_layer->m_fids.reserve(expected);
    m_layer->m_extra.reserve(expected);
}

void LayerBuilder::add(std::int64_t fid, std::vector<Value> values, geo::Geometry geometry, std::string extra) {
    VIGIL_ASSERT(values.size() == m_layer->m_columns.size());
    for (std::size_t i = 0; i < values.size(); ++i) m_layer->m_columns[i].push_back(std::move(values[i]));
    m_layer->m_geometries.push_back(std::move(geometry));
    m_layer->m_fids.push_back(fid);
    m_layer->m_extra.push_back(std::move(extra));
}

std::shared_ptr<const Layer> LayerBuilder::finish() {
    Layer& l = *m_layer;
    index::HilbertRTreeBuilder builder(l.m_geometries.size());
    for (const auto& g : l.m_geometries) builder.add(g.bbox());
    l.m_index = builder.finish();
    // Views into the id column: the column is final, so the strings no longer move.
    const auto& ids = l.m_columns[l.m_kind->id_index()];
    l.m_by_id.reserve(ids.size());
    for (std::size_t row = 0; row < ids.size(); ++row)
        if (auto s = std::get_if<std::string>(&ids[row])) l.m_by_id.emplace(*s, row);
    return std::move(m_layer);
}

} // namespace vigil::model
