/// @file
/// What the inspector and the attribute table show of a record, worked out without ImGui: cell
/// texts (lists summarised), a list field as a small table (a hazard source's inventory, a
/// warehouse's stock), the records related through the catalogue's `references` (an
/// enterprise's hazard sources, a hazard source's enterprise, a team's host enterprise), and the
/// 'extra' JSON of source columns the catalogue does not know.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::viewer {

class AppState;
struct Selection;

/// A list field's items as rows of text under the item fields' Chinese labels (with the unit:
/// "最大存量（吨）"). Numbers print in shortest form; missing values as "".
struct DetailTable {
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;
    bool empty() const { return rows.empty(); }
};
DetailTable list_table(const catalog::Field& list_field, const model::Value& value);

/// One line for a list value: each item's first text and its quantity with unit, joined by
/// "、" in Chinese, ", " in English ("硫酸 84.5 t、过氧化氢溶液 16.5 t"; "帐篷 510 顶、棉被 2400 床").
std::string list_summary(const catalog::Field& list_field, const model::Value& value);

/// How a cell reads in the table and the inspector: catalog::display_value, lists summarised.
std::string cell_text(const catalog::Field& field, const model::Value& value);

/// A record related to another one through a field that `references` a kind.
struct RelatedRecord {
    std::string kind; ///< layer of the related record
    std::size_t row = 0;
    std::string via;      ///< the linking field's label in the user's language ("所属企业编号", "Enterprise ID")
    bool outgoing = true; ///< true: the selected record points at it; false: it points at the selection
};

/// Every record linked to `sel`: those its reference fields name (a hazard source's enterprise),
/// then those whose reference fields name it (an enterprise's hazard sources and host teams), in
/// layer order then row order. Rows hidden by a filter are included: a relation is a fact, not a
/// view. O(rows of the referring layers).
std::vector<RelatedRecord> related_records(const AppState& state, const Selection& sel);

/// The 'extra' JSON object (source columns unknown to the catalogue) as key/value texts, in the
/// object's order; strings unquoted, other values as JSON. Empty for "" or anything not an object.
std::vector<std::pair<std::string, std::string>> extra_fields(std::string_view json_text);

/// The record's name (name-role field), else its id.
std::string record_title(const model::Layer& layer, std::size_t row);

} // namespace vigil::viewer
