/// @file
/// Filterable fields and tick logic for the Layers panel (see layer_filter.hpp).

#include "layer_filter.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace vigil::viewer {

using catalog::FieldRole;
using catalog::FieldType;

namespace {

// The spec's words for a field, as canonical values (the query layer accepts labels and
// synonyms; the checkboxes compare canonical values).
std::string canonical(const catalog::Field& f, std::string_view word) {
    if (f.type == FieldType::Enum || f.type == FieldType::Set) {
        if (const catalog::EnumValue* v = f.find_value(word)) return v->value;
        return std::string(word);
    }
    if (f.type == FieldType::Bool) {
        if (auto b = catalog::parse_bool(word)) return *b ? "1" : "0";
        return std::string(word);
    }
    return std::string(vigil::text::trim(word));
}

std::vector<std::string> canonical_all(const catalog::Field& f, const std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) {
        std::string c = canonical(f, w);
        if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
    }
    return out;
}

} // namespace

std::vector<FilterableField> filterable_fields(const model::Layer& layer) {
    const catalog::LayerKind& kind = layer.kind();
    std::vector<FilterableField> out;
    for (std::size_t fi = 0; fi < kind.fields.size(); ++fi) {
        const catalog::Field& f = kind.fields[fi];
        FilterableField ff;
        ff.field = fi;
        const auto& column = layer.column(fi);
        if (f.type == FieldType::Enum || f.type == FieldType::Set) {
            ff.mode = f.type == FieldType::Set ? FilterMode::AllOf : FilterMode::AnyOf;
            std::map<std::string, std::size_t, std::less<>> counts;
            for (const auto& v : column) {
                const auto* s = std::get_if<std::string>(&v);
                if (!s) continue;
                if (f.type == FieldType::Enum) {
                    ++counts[*s];
                } else {
                    // A set is stored as a JSON array of canonical values.
                    auto j = nlohmann::json::parse(*s, nullptr, false);
                    if (!j.is_array()) continue;
                    for (const auto& e : j)
                        if (e.is_string()) ++counts[e.get<std::string>()];
                }
            }
            for (const auto& v : f.values) {
                auto it = counts.find(v.value);
                ff.choices.push_back({v.value, v.label.text().empty() ? v.value : v.label.text(), it == counts.end() ? 0 : it->second});
            }
        } else if (f.type == FieldType::Bool) {
            std::size_t yes = 0, no = 0;
            for (const auto& v : column)
                if (const auto* i = std::get_if<std::int64_t>(&v)) ++(*i ? yes : no);
            if (yes + no == 0) continue; // nothing to choose between
            ff.choices.push_back({"1", tr("yes"), yes});
            ff.choices.push_back({"0", tr("no"), no});
        } else if (f.role == FieldRole::County && f.type == FieldType::Text) {
            std::map<std::string, std::size_t> counts;
            for (const auto& v : column)
                if (const auto* s = std::get_if<std::string>(&v); s && !s->empty()) ++counts[*s];
            for (const auto& [value, n] : counts) ff.choices.push_back({value, value, n});
            std::stable_sort(ff.choices.begin(), ff.choices.end(),
                             [](const FilterChoice& a, const FilterChoice& b) { return a.count > b.count; });
        } else {
            continue;
        }
        if (!ff.choices.empty()) out.push_back(std::move(ff));
    }
    return out;
}

std::optional<std::vector<std::string>> filter_condition(const query::FilterSpec& spec, const catalog::LayerKind& kind,
                                                         const FilterableField& ff) {
    const catalog::Field& f = kind.fields[ff.field];
    for (const auto& [name, words] : spec.where)
        if (name == f.name) return canonical_all(f, words);
    if (f.role == FieldRole::Capabilities && !spec.need.empty()) return canonical_all(f, spec.need);
    if (f.role == FieldRole::Status && !spec.status.empty()) return canonical_all(f, spec.status);
    return std::nullopt;
}

void set_filter_condition(query::FilterSpec& spec, const catalog::LayerKind& kind, const FilterableField& ff,
                          std::optional<std::vector<std::string>> values) {
    const catalog::Field& f = kind.fields[ff.field];
    if (f.role == FieldRole::Capabilities) spec.need.clear();
    if (f.role == FieldRole::Status) spec.status.clear();
    auto it = std::find_if(spec.where.begin(), spec.where.end(), [&](const auto& w) { return w.first == f.name; });
    if (!values) {
        if (it != spec.where.end()) spec.where.erase(it);
        return;
    }
    if (it != spec.where.end()) it->second = std::move(*values);
    else spec.where.emplace_back(f.name, std::move(*values));
}

bool filter_ticked(const query::FilterSpec& spec, const catalog::LayerKind& kind, const FilterableField& f, std::string_view value) {
    auto cond = filter_condition(spec, kind, f);
    if (!cond) return f.mode == FilterMode::AnyOf;
    return std::find(cond->begin(), cond->end(), value) != cond->end();
}

query::FilterSpec with_filter_ticked(query::FilterSpec spec, const catalog::LayerKind& kind, const FilterableField& f,
                                     std::string_view value, bool ticked) {
    std::vector<std::string> values;
    if (auto cond = filter_condition(spec, kind, f)) {
        values = std::move(*cond);
    } else if (f.mode == FilterMode::AnyOf) {
        // No condition means every box ticked: start from all of them.
        for (const auto& c : f.choices) values.push_back(c.value);
    }
    auto it = std::find(values.begin(), values.end(), value);
    if (ticked && it == values.end()) values.emplace_back(value);
    if (!ticked && it != values.end()) values.erase(it);

    std::optional<std::vector<std::string>> next = values;
    if (f.mode == FilterMode::AllOf && values.empty()) next.reset();
    if (f.mode == FilterMode::AnyOf) {
        bool all = std::all_of(f.choices.begin(), f.choices.end(),
                               [&](const FilterChoice& c) { return std::find(values.begin(), values.end(), c.value) != values.end(); });
        if (all) next.reset();
    }
    set_filter_condition(spec, kind, f, std::move(next));
    return spec;
}

bool filter_excludes_everything(const query::FilterSpec& spec) {
    return std::any_of(spec.where.begin(), spec.where.end(), [](const auto& w) { return w.second.empty(); });
}

bool filter_active(const query::FilterSpec& spec) { return !spec.need.empty() || !spec.status.empty() || !spec.where.empty(); }

} // namespace vigil::viewer
