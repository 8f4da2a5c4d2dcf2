// Equipment in the dispatch and supply questions (see equipment.hpp): reading what is asked,
// and the equipment layer by holder and type.

#include <vigil/app/equipment.hpp>

#include <vigil/catalog/units.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <optional>
#include <utility>

namespace vigil::app {

namespace {

// The census kind's fields the services read (layers/equipment.json).
constexpr std::string_view k_type_field = "equipment_type";
constexpr std::string_view k_quantity_field = "quantity";
constexpr std::string_view k_status_field = "status";
constexpr std::string_view k_holder_field = "held_by";
/// The one status whose units count: in service (完好). Anything else, and no status, does not.
constexpr std::string_view k_in_service = "in_service";

const catalog::Field& type_field(const catalog::LayerKind& kind) {
    const catalog::Field* f = kind.field(k_type_field);
    if (!f || f->values.empty())
        throw UsageError(
            trf("layer {} has no enum field '{}': equipment is asked by type (layers/equipment.json)", kind.kind, k_type_field));
    return *f;
}

std::size_t required_index(const catalog::LayerKind& kind, std::string_view name) {
    if (auto i = kind.field_index(name)) return *i;
    throw UsageError(trf(
        "layer {} has no field '{}' (the census equipment kind, layers/equipment.json, has equipment_type, quantity, status and held_by)",
        kind.kind, name));
}

// Splits "TYPE:COUNT" at the last ASCII or full-width colon; no colon: the whole is the type.
std::pair<std::string_view, std::string_view> split_count(std::string_view piece) {
    static constexpr std::string_view k_full_colon = "\xEF\xBC\x9A"; // ：
    const std::size_t ascii = piece.rfind(':');
    const std::size_t full = piece.rfind(k_full_colon);
    if (full != std::string_view::npos && (ascii == std::string_view::npos || full > ascii))
        return {piece.substr(0, full), piece.substr(full + k_full_colon.size())};
    if (ascii != std::string_view::npos) return {piece.substr(0, ascii), piece.substr(ascii + 1)};
    return {piece, {}};
}

std::string types_text(const catalog::Field& f) {
    std::string out;
    for (const auto& v : f.values) out += (out.empty() ? "" : trc("list separator", ", ")) + v.label.text();
    return out;
}

} // namespace

const catalog::EnumValue* equipment_type(const catalog::LayerKind& equipment, std::string_view name) {
    return type_field(equipment).find_value(text::trim(name));
}

std::vector<EquipmentNeed> parse_equipment_needs(const catalog::LayerKind& equipment, std::string_view text_in) {
    const catalog::Field& types = type_field(equipment);
    std::vector<EquipmentNeed> out;
    for (const std::string& piece : text::split_list(text_in)) {
        const auto [type_text, count_text] = split_count(piece);
        const catalog::EnumValue* type = types.find_value(text::trim(type_text));
        if (!type)
            throw UsageError(
                trf("equipment '{}': '{}' is no equipment type; the types are {}", piece, text::trim(type_text), types_text(types)));
        double count = 1;
        if (!text::trim(count_text).empty()) {
            const auto q = units::parse_quantity(count_text);
            const bool counted = q && (!q->unit || q->unit->dimension == units::Dimension::Count);
            if (!counted || !(q->value >= 1) || q->value != std::floor(q->value) || !std::isfinite(q->value))
                throw UsageError(
                    trf("equipment '{}': the count '{}' must be a whole number of units, 1 or more (e.g. chemical_suit:2, scba:4)", piece,
                        text::trim(count_text)));
            count = q->value;
        }
        bool summed = false;
        for (auto& n : out)
            if (n.type == type->value) {
                n.count += count;
                n.text += "," + piece;
                summed = true;
            }
        if (!summed) out.push_back({type->value, type->label.text().empty() ? type->value : type->label.text(), count, piece});
    }
    return out;
}

EquipmentRegister::EquipmentRegister(const model::Layer& layer) {
    const auto& kind = layer.kind();
    type_field(kind);
    const std::size_t f_type = required_index(kind, k_type_field);
    const std::size_t f_quantity = required_index(kind, k_quantity_field);
    const std::size_t f_status = required_index(kind, k_status_field);
    const std::size_t f_holder = required_index(kind, k_holder_field);
    for (std::size_t r = 0; r < layer.size(); ++r) {
        const auto* holder = std::get_if<std::string>(&layer.value(r, f_holder));
        const auto* type = std::get_if<std::string>(&layer.value(r, f_type));
        if (!holder || !type) continue; // held by nobody known, or of no type: no team or warehouse brings it
        double units = 0;
        if (const auto* i = std::get_if<std::int64_t>(&layer.value(r, f_quantity))) units = static_cast<double>(*i);
        else if (const auto* d = std::get_if<double>(&layer.value(r, f_quantity))) units = *d;
        if (!(units > 0)) continue;
        EquipmentHolding& h = m_by_key[std::string(text::trim(*holder)) + '\n' + *type];
        const auto* status = std::get_if<std::string>(&layer.value(r, f_status));
        if (!status || status->empty()) {
            h.unknown += units;
            m_unknown_units += units;
        } else if (*status == k_in_service) {
            h.in_service += units;
        } else {
            h.out_of_service += units;
        }
    }
}

EquipmentHolding EquipmentRegister::holding(std::string_view holder_id, std::string_view type) const {
    std::string key(text::trim(holder_id));
    key += '\n';
    key += type;
    const auto it = m_by_key.find(key);
    return it == m_by_key.end() ? EquipmentHolding{} : it->second;
}

std::string equipment_needs_text(const std::vector<EquipmentNeed>& needs) {
    std::string out;
    for (const auto& n : needs) out += (out.empty() ? "" : trc("list separator", ", ")) + n.label + " " + text::format_double(n.count);
    return out;
}

} // namespace vigil::app
