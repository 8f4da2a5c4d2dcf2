/// @file
/// Filtered, searched and sorted rows of the attribute table (see table_model.hpp).

#include "table_model.hpp"

#include "record_details.hpp"

#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::viewer {

void TableModel::build_haystacks(const std::shared_ptr<const model::Layer>& ptr) {
    if (m_haystack_layer == ptr) return;
    const model::Layer& layer = *ptr;
    const auto& fields = layer.kind().fields;
    m_haystacks.assign(layer.size(), {});
    for (std::size_t r = 0; r < layer.size(); ++r) {
        std::string& h = m_haystacks[r];
        for (std::size_t f = 0; f < fields.size(); ++f) {
            h += vigil::text::to_lower_ascii(cell_text(fields[f], layer.value(r, f)));
            h += '\x1f'; // a search never matches across two cells
        }
    }
    m_haystack_layer = ptr;
}

const std::vector<std::uint32_t>& TableModel::rows(const LayerView& l, std::string_view search_in, std::optional<TableSort> sort) {
    const std::string search = vigil::text::to_lower_ascii(vigil::text::trim(search_in));
    if (sort && sort->field >= l.kind().fields.size()) sort.reset();
    if (m_valid && m_layer == l.layer && m_revision == l.revision && m_search == search && m_sort == sort) return m_rows;
    ++m_rebuilds;
    m_layer = l.layer;
    m_revision = l.revision;
    m_search = search;
    m_sort = sort;
    m_valid = true;

    const model::Layer& layer = *l.layer;
    m_rows.clear();
    if (!search.empty()) build_haystacks(l.layer);
    for (std::size_t r = 0; r < layer.size(); ++r) {
        if (!l.row_shown(r)) continue;
        if (!search.empty() && m_haystacks[r].find(search) == std::string::npos) continue;
        m_rows.push_back(static_cast<std::uint32_t>(r));
    }
    if (!sort) return m_rows;

    // Sort keys are worked out once per row, then the row indices are sorted by them.
    const catalog::Field& f = l.kind().fields[sort->field];
    const bool desc = sort->descending;
    using catalog::FieldType;
    const bool numeric =
        f.type == FieldType::Integer || f.type == FieldType::Real || f.type == FieldType::Bool || f.type == FieldType::Enum;
    if (numeric) {
        std::vector<double> key(layer.size(), std::nan(""));
        for (auto r : m_rows) {
            const model::Value& v = layer.value(r, sort->field);
            if (f.type == FieldType::Enum) {
                if (const auto* s = std::get_if<std::string>(&v)) {
                    auto it = std::find_if(f.values.begin(), f.values.end(), [&](const catalog::EnumValue& e) { return e.value == *s; });
                    key[r] = static_cast<double>(it - f.values.begin()); // unknown values after known ones
                }
            } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
                key[r] = static_cast<double>(*i);
            } else if (const auto* d = std::get_if<double>(&v)) {
                key[r] = *d;
            }
        }
        std::stable_sort(m_rows.begin(), m_rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            const double ka = key[a], kb = key[b];
            if (std::isnan(ka) || std::isnan(kb)) return !std::isnan(ka) && std::isnan(kb); // no value: last
            return desc ? ka > kb : ka < kb;
        });
    } else {
        std::vector<std::string> key(layer.size());
        std::vector<std::uint8_t> has(layer.size(), 0);
        for (auto r : m_rows) {
            const model::Value& v = layer.value(r, sort->field);
            if (model::is_null(v)) continue;
            key[r] = cell_text(f, v);
            has[r] = !key[r].empty();
        }
        std::stable_sort(m_rows.begin(), m_rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (!has[a] || !has[b]) return has[a] && !has[b];
            return desc ? key[a] > key[b] : key[a] < key[b];
        });
    }
    return m_rows;
}

} // namespace vigil::viewer
