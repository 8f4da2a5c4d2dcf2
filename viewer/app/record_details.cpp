/// @file
/// Cell texts, list tables, related records and extra columns (see record_details.hpp).

#include "record_details.hpp"

#include "app_state.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace vigil::viewer {

using nlohmann::json;

namespace {

std::string json_text(const json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? tr("yes") : tr("no");
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_number()) return vigil::text::format_double(v.get<double>());
    return v.dump();
}

json parse_list(const model::Value& value) {
    const auto* s = std::get_if<std::string>(&value);
    if (!s) return json::array();
    json j = json::parse(*s, nullptr, false);
    return j.is_array() ? j : json::array();
}

} // namespace

DetailTable list_table(const catalog::Field& f, const model::Value& value) {
    DetailTable t;
    for (const auto& item : f.item_fields) t.headers.push_back(item.label.text().empty() ? item.name : item.label.text());
    for (const auto& e : parse_list(value)) {
        if (!e.is_object()) continue;
        std::vector<std::string> row;
        for (const auto& item : f.item_fields) {
            auto it = e.find(item.name);
            row.push_back(it == e.end() ? std::string() : json_text(*it));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string list_summary(const catalog::Field& f, const model::Value& value) {
    // The first text item field names the item; the first number is its quantity, whose unit is
    // its sibling unit field's value ("顶") or the catalogue unit ("t").
    const catalog::Field* name = nullptr;
    const catalog::Field* qty = nullptr;
    for (const auto& item : f.item_fields) {
        if (!name && item.type == catalog::FieldType::Text) name = &item;
        if (!qty && (item.type == catalog::FieldType::Real || item.type == catalog::FieldType::Integer)) qty = &item;
    }
    std::string out;
    for (const auto& e : parse_list(value)) {
        if (!e.is_object()) continue;
        std::string piece;
        if (name)
            if (auto it = e.find(name->name); it != e.end()) piece = json_text(*it);
        if (qty)
            if (auto it = e.find(qty->name); it != e.end() && it->is_number()) {
                std::string unit = qty->unit;
                if (!qty->unit_field.empty())
                    if (auto u = e.find(qty->unit_field); u != e.end() && u->is_string()) unit = u->get<std::string>();
                piece += (piece.empty() ? "" : " ") + json_text(*it) + (unit.empty() ? "" : " " + unit);
            }
        if (piece.empty()) piece = e.dump();
        out += (out.empty() ? "" : tr(", ")) + piece;
    }
    return out;
}

std::string cell_text(const catalog::Field& f, const model::Value& value) {
    if (f.type == catalog::FieldType::List) return list_summary(f, value);
    return catalog::display_value(f, value);
}

std::vector<RelatedRecord> related_records(const AppState& state, const Selection& sel) {
    std::vector<RelatedRecord> out;
    const LayerView* self = state.layer(sel.kind);
    if (!self || sel.row >= self->layer->size()) return out;
    const catalog::LayerKind& kind = self->kind();
    // Outgoing: this record's fields naming another record.
    for (std::size_t fi = 0; fi < kind.fields.size(); ++fi) {
        const catalog::Field& f = kind.fields[fi];
        if (f.reference_kinds.empty()) continue;
        const auto* id = std::get_if<std::string>(&self->layer->value(sel.row, fi));
        if (!id || id->empty()) continue;
        // The first of the field's kinds that has the id (equipment: its team or its warehouse).
        for (const auto& kind_name : f.reference_kinds)
            if (const LayerView* target = state.layer(kind_name))
                if (auto row = target->layer->find(*id)) {
                    if (!(target == self && *row == sel.row)) out.push_back({kind_name, *row, f.label.text(), true});
                    break;
                }
    }
    // Incoming: records of any layer whose reference fields name this one.
    const std::string& my_id = self->layer->id(sel.row);
    if (my_id.empty()) return out;
    for (const auto& l : state.layers()) {
        const catalog::LayerKind& k = l.kind();
        for (std::size_t fi = 0; fi < k.fields.size(); ++fi) {
            const catalog::Field& f = k.fields[fi];
            if (std::find(f.reference_kinds.begin(), f.reference_kinds.end(), kind.kind) == f.reference_kinds.end()) continue;
            const auto& column = l.layer->column(fi);
            for (std::size_t r = 0; r < column.size(); ++r)
                if (const auto* id = std::get_if<std::string>(&column[r]); id && *id == my_id)
                    out.push_back({k.kind, r, f.label.text(), false});
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> extra_fields(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    if (vigil::text::trim(text).empty()) return out;
    // ordered_json keeps the source's column order.
    auto j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (!j.is_object()) return out;
    for (const auto& [key, v] : j.items()) {
        std::string value;
        if (v.is_null()) value = "";
        else if (v.is_string()) value = v.get<std::string>();
        else if (v.is_number_float()) value = vigil::text::format_double(v.get<double>());
        else value = v.dump();
        out.emplace_back(key, std::move(value));
    }
    return out;
}

std::string record_title(const model::Layer& layer, std::size_t row) {
    if (auto f = layer.kind().index_of_role(catalog::FieldRole::Name))
        if (const auto* s = std::get_if<std::string>(&layer.value(row, *f)); s && !s->empty()) return *s;
    return layer.id(row);
}

} // namespace vigil::viewer
