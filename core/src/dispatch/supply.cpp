/// @file
/// The supply chooser (see supply.hpp): parsing needs and stock lines, matching items, and the
/// earliest-complete, then smallest, set of warehouses.

#include <vigil/dispatch/supply.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace vigil::dispatch {

namespace {

const units::Unit& count_unit() {
    static const units::Unit* unit = units::find_unit("item");
    return *unit;
}

// Splits "ITEM:QTY" at the last ASCII or full-width colon (an item name never ends with one).
std::pair<std::string_view, std::string_view> split_item(std::string_view piece) {
    static constexpr std::string_view k_full_colon = "\xEF\xBC\x9A";  // ：
    std::size_t ascii = piece.rfind(':');
    std::size_t full = piece.rfind(k_full_colon);
    if (ascii == std::string_view::npos && full == std::string_view::npos) return {piece, {}};
    if (full != std::string_view::npos && (ascii == std::string_view::npos || full > ascii))
        return {piece.substr(0, full), piece.substr(full + k_full_colon.size())};
    return {piece.substr(0, ascii), piece.substr(ascii + 1)};
}

// The amount a stock line holds in the need's unit; nullopt if the units do not convert.
std::optional<double> in_need_unit(const StockLine& line, const Need& need) {
    const units::Unit* unit = line.unit;
    if (!unit) return std::nullopt;
    return units::convert(line.quantity, *unit, *need.unit);
}

} // namespace

std::vector<Need> parse_needs(std::string_view text) {
    std::vector<Need> needs;
    for (const std::string& piece : text::split_list(text)) {
        auto [item_text, qty_text] = split_item(piece);
        const auto item = text::trim(item_text);
        if (item.empty() || text::trim(qty_text).empty())
            throw UsageError("need '" + piece + "': expected ITEM:QUANTITY[UNIT], e.g. 中和剂:5t or 沙袋:3000");
        auto q = units::parse_quantity(qty_text);
        if (!q) throw UsageError("need '" + piece + "': '" + std::string(text::trim(qty_text)) + "' is not a quantity with a known unit");
        if (!std::isfinite(q->value) || q->value <= 0) throw UsageError("need '" + piece + "': the quantity must be greater than 0");
        const units::Unit* unit = q->unit ? q->unit : &count_unit();
        auto same = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return text::match_key(n.item) == text::match_key(item); });
        if (same != needs.end()) {
            auto v = units::convert(q->value, *unit, *same->unit);
            if (!v) throw UsageError("need '" + piece + "': " + std::string(item) + " is already needed in " + std::string(same->unit->symbol));
            same->quantity += *v;
            same->text += "," + piece;
            continue;
        }
        needs.push_back(Need{std::string(item), q->value, unit, piece});
    }
    if (needs.empty()) throw UsageError("no needs given: expected ITEM:QUANTITY[UNIT],... e.g. 中和剂:5t,沙袋:3000");
    return needs;
}

std::vector<StockLine> parse_stock(std::string_view json_text, std::string_view source) {
    std::vector<StockLine> lines;
    if (text::trim(json_text).empty()) return lines;
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_array()) throw FormatError(std::string(source) + ": the stock list is not a JSON array");
    for (const auto& e : j) {
        if (!e.is_object()) continue;
        auto item = e.find("item");
        auto quantity = e.find("quantity");
        if (item == e.end() || !item->is_string() || quantity == e.end() || !quantity->is_number()) continue;
        StockLine line;
        line.item = item->get<std::string>();
        line.quantity = quantity->get<double>();
        if (auto unit = e.find("unit"); unit != e.end() && unit->is_string()) line.unit_text = unit->get<std::string>();
        line.unit = line.unit_text.empty() ? &count_unit() : units::find_unit(line.unit_text);
        if (!std::isfinite(line.quantity) || line.quantity <= 0) continue;
        lines.push_back(std::move(line));
    }
    return lines;
}

bool item_matches(std::string_view need_item, std::string_view stock_item) {
    const std::string need = text::match_key(need_item);
    if (need.empty()) return false;
    if (text::match_key(stock_item) == need) return true;
    // The needed name followed by a qualifier: "中和剂（碳酸钠）", "中和剂(碳酸钠)", or "中和剂 碳酸钠"
    // as a list import stores it.
    const std::string_view n = text::trim(need_item);
    const std::string_view s = text::trim(stock_item);
    if (s.size() <= n.size() || s.compare(0, n.size(), n) != 0) return false;
    const std::string_view rest = s.substr(n.size());
    return rest.front() == ' ' || rest.front() == '(' || rest.front() == '-' || rest.rfind("\xEF\xBC\x88", 0) == 0  // （
           || rest.rfind("\xE3\x80\x80", 0) == 0;                                                                   // ideographic space
}

SupplyPlan plan_supply(std::span<const Need> needs, std::span<const Depot> depots) {
    SupplyPlan plan;
    const std::size_t n_needs = needs.size();
    plan.available.assign(n_needs, 0);
    plan.shortfall.assign(n_needs, 0);

    // What each depot holds of each need, in the need's unit (row-major depot x need).
    std::vector<double> holds(depots.size() * n_needs, 0);
    for (std::size_t d = 0; d < depots.size(); ++d) {
        for (const auto& line : depots[d].stock) {
            for (std::size_t n = 0; n < n_needs; ++n) {
                if (!item_matches(needs[n].item, line.item)) continue;
                if (auto v = in_need_unit(line, needs[n])) {
                    holds[d * n_needs + n] += *v;
                } else {
                    plan.notes.push_back("depot " + std::to_string(d) + ": " + line.item + " in '" + line.unit_text + "' does not convert to " +
                                         std::string(needs[n].unit->symbol));
                }
            }
        }
    }
    auto useful = [&](std::size_t d) {
        for (std::size_t n = 0; n < n_needs; ++n)
            if (holds[d * n_needs + n] > 0) return true;
        return false;
    };

    std::vector<std::size_t> order;
    for (std::size_t d = 0; d < depots.size(); ++d)
        if (depots[d].reachable && std::isfinite(depots[d].eta_s) && useful(d)) order.push_back(d);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return depots[a].eta_s < depots[b].eta_s; });
    for (std::size_t d : order)
        for (std::size_t n = 0; n < n_needs; ++n) plan.available[n] += holds[d * n_needs + n];

    // Relative slack for sums of converted quantities (t -> kg and back).
    auto covered = [&](const std::vector<double>& have) {
        for (std::size_t n = 0; n < n_needs; ++n)
            if (have[n] < needs[n].quantity * (1 - 1e-12)) return false;
        return true;
    };

    // 1. The shortest ETA prefix that covers everything (or all of them).
    std::vector<double> have(n_needs, 0);
    std::vector<std::size_t> chosen;
    for (std::size_t d : order) {
        if (covered(have)) break;
        chosen.push_back(d);
        for (std::size_t n = 0; n < n_needs; ++n) have[n] += holds[d * n_needs + n];
    }
    plan.complete = covered(have);

    // 2. Drop depots the others make unnecessary, latest first. Only when the set is complete: a
    //    partial answer keeps every depot that adds something.
    if (plan.complete) {
        for (std::size_t i = chosen.size(); i-- > 0;) {
            const std::size_t d = chosen[i];
            for (std::size_t n = 0; n < n_needs; ++n) have[n] -= holds[d * n_needs + n];
            if (covered(have)) {
                chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                for (std::size_t n = 0; n < n_needs; ++n) have[n] += holds[d * n_needs + n];
            }
        }
    }

    // 3. Allocate each need from the chosen depots in ETA order.
    for (std::size_t n = 0; n < n_needs; ++n) {
        double left = needs[n].quantity;
        for (std::size_t d : chosen) {
            if (left <= needs[n].quantity * 1e-12) break;
            double give = std::min(left, holds[d * n_needs + n]);
            if (give <= 0) continue;
            plan.allocations.push_back(Allocation{d, n, give});
            left -= give;
        }
        plan.shortfall[n] = left > needs[n].quantity * 1e-12 ? left : 0;
    }
    // A depot that ends up giving nothing (its items were covered earlier) is not sent.
    chosen.erase(std::remove_if(chosen.begin(), chosen.end(),
                                [&](std::size_t d) {
                                    return std::none_of(plan.allocations.begin(), plan.allocations.end(),
                                                        [&](const Allocation& a) { return a.depot == d; });
                                }),
                 chosen.end());
    plan.depots = chosen;
    for (std::size_t d : chosen) plan.arrival_s = std::max(plan.arrival_s, depots[d].eta_s);
    std::sort(plan.allocations.begin(), plan.allocations.end(), [&](const Allocation& a, const Allocation& b) {
        if (a.need != b.need) return a.need < b.need;
        auto pa = std::find(chosen.begin(), chosen.end(), a.depot) - chosen.begin();
        auto pb = std::find(chosen.begin(), chosen.end(), b.depot) - chosen.begin();
        return pa < pb;
    });
    return plan;
}

} // namespace vigil::dispatch
