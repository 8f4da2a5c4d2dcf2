/// @file
/// "Which warehouses, together, cover what this incident needs, soonest?"
///
/// A dispatcher types needs ("中和剂:5t,吸附棉:2000kg,沙袋:3000"); every warehouse has stock lines
/// (item, quantity, unit) and an ETA to the incident. The chosen set minimises the time at which
/// *everything* has arrived (the latest ETA in the set), then uses as few warehouses as that time
/// allows:
///
///     1. walk the warehouses by ETA (reachable ones only), adding each one that holds a needed
///        item, until every need is covered -> the last one added fixes the arrival time, and no
///        set can be complete earlier (any earlier set is a subset of this prefix);
///     2. drop warehouses that are not needed once the others are counted, latest first (so the
///        early ones, which arrive first, stay);
///     3. allocate each need from the chosen warehouses in ETA order.
///
/// When the whole region cannot cover a need, every reachable warehouse holding it is used and the
/// rest is reported as a shortfall — a partial answer, not an error.
///
/// Items match when their names are equal after normalisation (case, width, spaces), or when the
/// stock line qualifies the needed name ("中和剂（碳酸钠）", "中和剂 碳酸钠" serve "中和剂"; "酸性中和剂"
/// does not). Quantities
/// convert through vigil::units within one dimension (t <-> kg, 个 <-> 件); a stock line whose
/// unit is of another dimension (or unknown) does not count, and says so in `notes`.
#pragma once

#include <vigil/catalog/units.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <span>
#include <vector>

namespace vigil::dispatch {

/// One needed item: "中和剂:5t" -> {item 中和剂, quantity 5, unit t}. A quantity without a unit
/// ("沙袋:3000") is a count.
struct Need {
    std::string item;
    double quantity = 0;
    const units::Unit* unit = nullptr;  ///< never null after parse_needs
    std::string text;                   ///< as typed, for messages
};

/// Parses "ITEM:QTY[UNIT],ITEM:QTY[UNIT],..." (also with ；/，/： and ASCII or full-width
/// separators). The same item twice is summed.
/// @throws vigil::UsageError naming the piece that is not ITEM:QUANTITY, a quantity <= 0 or
///         non-finite, or an unknown unit.
std::vector<Need> parse_needs(std::string_view text);

/// One stock line of a warehouse.
struct StockLine {
    std::string item;
    double quantity = 0;
    std::string unit_text;               ///< as stored
    const units::Unit* unit = nullptr;   ///< null if the unit is unknown
};

/// Reads the JSON text of a warehouse's stock list field ([{"item": ..., "quantity": ...,
/// "unit": ...}, ...]); lines without item or quantity are skipped. A missing unit is a count.
/// @throws vigil::FormatError if the text is not a JSON array (naming `source`).
std::vector<StockLine> parse_stock(std::string_view json_text, std::string_view source);

/// A warehouse as the chooser sees it.
struct Depot {
    double eta_s = std::numeric_limits<double>::infinity();
    bool reachable = false;
    std::vector<StockLine> stock;
};

/// Quantity `depot` gives to need `need`, in the need's unit.
struct Allocation {
    std::size_t depot = 0;  ///< index into the depots given to plan_supply()
    std::size_t need = 0;   ///< index into the needs
    double quantity = 0;
};

struct SupplyPlan {
    std::vector<std::size_t> depots;      ///< chosen depots, by ETA
    std::vector<Allocation> allocations;  ///< by need, then depot ETA
    std::vector<double> available;        ///< per need: what all reachable depots hold (need's unit)
    std::vector<double> shortfall;        ///< per need: what is missing (0 when covered)
    double arrival_s = 0;                 ///< latest ETA among the chosen depots (0 if none)
    bool complete = false;                ///< every need covered
    std::vector<std::string> notes;       ///< stock lines that could not count (unit mismatch)
};

/// True if a stock line named `stock_item` can serve a need for `need_item` (see the file comment).
bool item_matches(std::string_view need_item, std::string_view stock_item);

/// Chooses the warehouses (see the file comment). Deterministic: ties in ETA keep depot order.
SupplyPlan plan_supply(std::span<const Need> needs, std::span<const Depot> depots);

} // namespace vigil::dispatch
