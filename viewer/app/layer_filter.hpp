/// @file
/// The filters a person sets in the Layers panel, as data: which fields of a kind can be
/// filtered by value (enum, set and yes/no fields, and the county), their choices with Chinese
/// labels and counts, and how ticking a box changes the layer's query::FilterSpec. No ImGui, so
/// tests drive exactly what the panel does.
///
/// The spec stays the one currency: the panel reads its ticks from the layer's FilterSpec and
/// writes a new one through AppState::set_filter, so a filter set by a test, by `--where` words
/// or by the panel all look the same.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// How the ticked values of one field combine.
enum class FilterMode : std::uint8_t {
    /// Enum, yes/no and county fields: a record shows when its value is one of the ticked ones.
    /// Every value ticked means no condition (records without a value show too); none ticked
    /// means no record shows.
    AnyOf,
    /// Set fields (capabilities, special hazards): a record shows when it has every ticked value;
    /// none ticked means no condition.
    AllOf,
};

struct FilterChoice {
    std::string value;     ///< canonical stored value ("red", "1", "温县")
    std::string label;     ///< what people read, in their language ("重大风险（红）" / "Major (red)", "是", "温县")
    std::size_t count = 0; ///< records of the whole layer holding this value
};

struct FilterableField {
    std::size_t field = 0; ///< index into kind().fields
    FilterMode mode = FilterMode::AnyOf;
    std::vector<FilterChoice> choices;
};

/// The fields of a layer that can be filtered by value, in catalogue order, with their choices:
/// enum and set fields list their catalogue values (in catalogue order); yes/no fields 是/否;
/// the county-role field the distinct values present, most frequent first. Fields with no
/// choice at all (a county column that is empty everywhere) are left out. O(rows × fields).
std::vector<FilterableField> filterable_fields(const model::Layer& layer);

/// The canonical values the spec accepts for this field, or nullopt when it does not restrict
/// it. Reads `need` (capabilities role), `status` (status role) and `where`, in any words the
/// query layer accepts ("危化品" reads as "hazmat").
std::optional<std::vector<std::string>> filter_condition(const query::FilterSpec& spec, const catalog::LayerKind& kind,
                                                         const FilterableField& f);

/// Replaces the field's condition (nullopt removes it). Written as a `where` entry; an entry of
/// the same field in `need`/`status` is removed so there is one source of truth.
void set_filter_condition(query::FilterSpec& spec, const catalog::LayerKind& kind, const FilterableField& f,
                          std::optional<std::vector<std::string>> values);

/// Whether the checkbox of `value` shows ticked under `spec`: for AnyOf, ticked unless a
/// condition leaves it out; for AllOf, ticked when the condition requires it.
bool filter_ticked(const query::FilterSpec& spec, const catalog::LayerKind& kind, const FilterableField& f, std::string_view value);

/// `spec` with the box of `value` ticked or unticked. Ticking the last unticked AnyOf value
/// removes the condition; unticking the last required AllOf value too.
query::FilterSpec with_filter_ticked(query::FilterSpec spec, const catalog::LayerKind& kind, const FilterableField& f,
                                     std::string_view value, bool ticked);

/// True when any `where` entry has no value: the panel's "nothing ticked", under which no record
/// passes (query::Filter itself ignores empty conditions).
bool filter_excludes_everything(const query::FilterSpec& spec);

/// True when the spec restricts anything.
bool filter_active(const query::FilterSpec& spec);

} // namespace vigil::viewer
