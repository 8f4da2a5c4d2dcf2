/// @file
/// Equipment in the dispatch and supply questions: "which teams can bring 2 防化服 and a 堵漏器材
/// first?" (app::rank_teams, DispatchQuery::equipment) and "which warehouses send 10 防化服?"
/// (app::cover_supplies: a need naming an equipment type).
///
/// The census kind `equipment` (layers/equipment.json) holds one line per holder and type: a
/// `quantity` of one `equipment_type`, held by the rescue team or the warehouse its `held_by`
/// names, in a `status`. A team qualifies for an equipment need when it holds, by itself, at
/// least the asked count of every asked type; a warehouse's equipment serves supply needs like
/// its stock lines.
///
/// Safe side: only units in service (status in_service, 完好) count. Units under repair or
/// scrapped do not; units whose status is not recorded do not either, and the answer says how
/// many were left out and which teams would qualify if they were confirmed in service:
///
///     asked 防化服:2,堵漏器材       T  防化服 4 in service, 堵漏器材 1 in service   -> qualifies
///                                  U  防化服 1 in service + 3 unknown status      -> does not ("would with
///                                                                                     the 3 confirmed")
///                                  V  堵漏器材 2 under repair                     -> does not
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::app {

/// The kind the census equipment is in, and the names of the fields the services read.
inline constexpr std::string_view k_equipment_kind = "equipment";

/// One item asked for: "防化服:2" -> chemical_suit x 2; "堵漏器材" -> leak_sealing x 1.
struct EquipmentNeed {
    std::string type;  ///< the equipment type's canonical value ("chemical_suit")
    std::string label; ///< its Chinese label ("防化服")
    double count = 1;  ///< units
    std::string text;  ///< the piece as typed, for messages
};

/// Reads "TYPE[:COUNT[UNIT]],TYPE..." (also with ，；、 and full-width colons): a type is any
/// value, label or synonym of the equipment kind's equipment_type field ("防化服", "重型防化服",
/// "chemical_suit"); a count is a whole number > 0, optionally with a count unit (套, 台, 件 ...);
/// no count is 1. The same type twice is summed. Empty text: no needs.
/// @throws vigil::UsageError naming the piece: an unknown type (listing the types there are), a
///         count that is not a whole number > 0, or an equipment kind without the type field.
std::vector<EquipmentNeed> parse_equipment_needs(const catalog::LayerKind& equipment, std::string_view text);

/// The equipment type `name` names (value, label or synonym), or null.
const catalog::EnumValue* equipment_type(const catalog::LayerKind& equipment, std::string_view name);

/// What one holder holds of one type, in units.
struct EquipmentHolding {
    double in_service = 0;     ///< counted
    double unknown = 0;        ///< no status recorded: not counted (safe side)
    double out_of_service = 0; ///< under repair or scrapped: not counted
};

/// The equipment layer by holder and type (one pass over the layer).
class EquipmentRegister {
public:
    /// @throws vigil::UsageError when `equipment` lacks the census kind's fields equipment_type,
    ///         quantity, status or held_by (naming the one missing).
    explicit EquipmentRegister(const model::Layer& equipment);

    /// What the record `holder_id` (a team's or a warehouse's id) holds of `type`.
    EquipmentHolding holding(std::string_view holder_id, std::string_view type) const;
    /// Units of any holder and type whose status is unknown (for the answer's notes).
    double unknown_units() const { return m_unknown_units; }

private:
    std::unordered_map<std::string, EquipmentHolding> m_by_key; ///< holder id + '\n' + type
    double m_unknown_units = 0;
};

/// "防化服 2、堵漏器材 1" (the needs in words).
std::string equipment_needs_text(const std::vector<EquipmentNeed>& needs);

} // namespace vigil::app
