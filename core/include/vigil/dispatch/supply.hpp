/// @file
/// "Which warehouses send what to this incident, and when does it arrive?"
///
/// A dispatcher types needs ("中和剂:5t,吸附棉:2000kg,沙袋:3000"); every warehouse has stock lines
/// (item, quantity, unit) and an ETA to the incident. Each need is filled from the reachable
/// warehouses that hold it in ETA order, soonest first, until it is covered:
///
///     need 中和剂 5 t      W1  11.0 min  holds 1.7 t  -> sends 1.7 t, arrives 11.0 min (first)
///                          W2  38.7 min  holds 5 t    -> sends 3.3 t, arrives 38.7 min (covered)
///
/// For every need and every moment t, no other split delivers more by t (what arrives by t is
/// all the stock within t, up to the need), so what can arrive first is never hidden behind one
/// big, late warehouse; and the need is covered at the earliest time any set of warehouses can
/// cover it. Everything is there when the last need is covered (SupplyPlan::arrival_s). A
/// warehouse that would send nothing is not sent.
///
/// When the reachable warehouses cannot cover a need, all of them that hold it send what they
/// have, and the rest is a shortfall -- a partial answer, not an error; the headline
/// (supply_headline) then leads with the shortfall and never says "all arrive".
///
/// Items match when their names are equal after normalisation (case, width, spaces), when the
/// stock line qualifies the needed name ("中和剂（碳酸钠）", "中和剂 碳酸钠" serve "中和剂"; "酸性中和剂"
/// does not), or when both names are in one synonym group of the stock item catalogue
/// (ItemNames: layers/supplies/stock_items.json, e.g. 石灰, 纯碱 and 碳酸钠 for 中和剂). A match by
/// synonym is an assumption, and `notes` says which stock it counted. Quantities convert
/// through vigil::units within one dimension (t <-> kg, 个 <-> 件); a stock line whose unit is of
/// another dimension (or unknown) does not count, and says so in `notes`.
#pragma once

#include <vigil/catalog/units.hpp>

#include <cstddef>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::dispatch {

/// One needed item: "中和剂:5t" -> {item 中和剂, quantity 5, unit t}. A quantity without a unit
/// ("沙袋:3000") is a count.
struct Need {
    std::string item;
    double quantity = 0;
    const units::Unit* unit = nullptr; ///< never null after parse_needs
    std::string text;                  ///< as typed, for messages
};

/// Parses "ITEM:QTY[UNIT],ITEM:QTY[UNIT],..." (also with ；/，/： and ASCII or full-width
/// separators). The same item twice is summed.
/// @throws vigil::UsageError naming the piece that is not ITEM:QUANTITY, a quantity <= 0 or
///         non-finite, or an unknown unit.
std::vector<Need> parse_needs(std::string_view text);

/// The needs that parse, and a message for each piece that does not.
struct NeedsRead {
    std::vector<Need> needs;
    std::vector<std::string> problems; ///< one per bad piece, naming it (parse_needs' messages)
};

/// Like parse_needs(), but a bad piece is reported in `problems` and the others are kept: a
/// typo in one need must not cost the dispatcher the rest of the answer. Never throws; an
/// empty text gives no needs and no problems.
NeedsRead read_needs(std::string_view text);

/// One stock line of a warehouse.
struct StockLine {
    std::string item;
    double quantity = 0;
    std::string unit_text;             ///< as stored
    const units::Unit* unit = nullptr; ///< null if the unit is unknown
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

/// Other names of stock items: groups of names that mean one item (e.g. 中和剂, 石灰, 纯碱,
/// 碳酸钠), read from the stock item catalogue, layers/supplies/stock_items.json:
///
///     {"format": "vigil-stock-items/1",
///      "items": [{"item": "中和剂", "synonyms": ["石灰", "纯碱", "碳酸钠", ...]}, ...]}
///
/// Names compare by text::match_key (case, width, spaces). A new synonym is an edit of that
/// file: the CLI reads it at run time, and builtin() compiles it in for the viewer and the
/// browser.
class ItemNames {
public:
    ItemNames() = default;

    /// Reads a stock item file. `source` names it in messages.
    /// @throws vigil::FormatError for bad JSON, another format, an item without a name, or a
    ///         name listed in two groups (naming both items).
    static ItemNames parse(std::string_view json_text, std::string_view source);

    /// The groups of layers/supplies/stock_items.json as compiled in.
    static const ItemNames& builtin();

    /// The catalogue name ("item") of the group `name` belongs to, or "" if in none.
    std::string_view canonical(std::string_view name) const;

    std::size_t size() const { return m_items.size(); }

private:
    std::vector<std::string> m_items;                        ///< catalogue names
    std::map<std::string, std::size_t, std::less<>> m_group; ///< match_key of every name -> item
};

/// How a stock line's name serves a need.
enum class ItemMatch {
    none,
    name,    ///< same name, or the needed name qualified ("中和剂（碳酸钠）")
    synonym, ///< both names in one group of ItemNames: an assumption the plan notes
};

/// How a stock line named `stock_item` serves a need for `need_item` (see the file comment).
ItemMatch match_item(std::string_view need_item, std::string_view stock_item, const ItemNames& names = ItemNames::builtin());

/// True if a stock line named `stock_item` can serve a need for `need_item`, by name or by
/// synonym (see the file comment).
bool item_matches(std::string_view need_item, std::string_view stock_item, const ItemNames& names = ItemNames::builtin());

/// Quantity `depot` sends for need `need`, in the need's unit, and when it arrives.
struct Allocation {
    std::size_t depot = 0; ///< index into the depots given to plan_supply()
    std::size_t need = 0;  ///< index into the needs
    double quantity = 0;
    double eta_s = 0; ///< the depot's ETA
};

struct SupplyPlan {
    std::vector<std::size_t> depots;     ///< depots that send something, by ETA
    std::vector<Allocation> allocations; ///< by need, then depot ETA
    std::vector<double> available;       ///< per need: what all reachable depots hold (need's unit)
    std::vector<double> shortfall;       ///< per need: what is missing (0 when covered)
    std::vector<double> first_s;         ///< per need: when its first allocation arrives (+inf: none)
    std::vector<double> covered_s;       ///< per need: when it is covered (+inf: shortfall)
    double first_arrival_s = 0;          ///< the earliest ETA of the depots sent (0 if none)
    double arrival_s = 0;                ///< when everything sent has arrived: the latest ETA (0 if none)
    bool complete = false;               ///< every need covered (arrival_s is then when all is there)
    std::vector<std::string> notes;      ///< what was assumed (synonyms) or could not count (units)
};

/// Plans the supplies (see the file comment). Deterministic: ties in ETA keep depot order.
SupplyPlan plan_supply(std::span<const Need> needs, std::span<const Depot> depots, const ItemNames& names = ItemNames::builtin());

/// The plan in one line for the panel and the CLI, Chinese then English. Complete: "物资全部到齐
/// 38.7 min（最早 11.0 min 起陆续到达，2 个仓库） all needs covered by 38.7 min (first arrival
/// 11.0 min, 2 warehouses)". With a shortfall it leads with what is missing and says when the
/// available part arrives, never "all": "缺口 shortfall: 中和剂 3.3 t — 现有物资 11.0–38.7 min 到达
/// what is available arrives 11.0-38.7 min (2 warehouses)".
std::string supply_headline(const SupplyPlan& plan, std::span<const Need> needs);

} // namespace vigil::dispatch
