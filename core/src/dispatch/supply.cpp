/// @file
/// The supply plan (see supply.hpp): parsing needs and stock lines, matching items (by name and
/// by the stock item catalogue's synonyms), filling each need soonest first, the headline.

#include <vigil/dispatch/supply.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "stock_items_embedded.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <set>

namespace vigil::dispatch {

namespace {

const units::Unit& count_unit() {
    static const units::Unit* unit = units::find_unit("item");
    return *unit;
}

// Splits "ITEM:QTY" at the last ASCII or full-width colon (an item name never ends with one).
std::pair<std::string_view, std::string_view> split_item(std::string_view piece) {
    static constexpr std::string_view k_full_colon = "\xEF\xBC\x9A"; // ：
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

namespace {

// One piece "ITEM:QTY[UNIT]" added to `needs` (summed with the same item); the reason it cannot
// be, otherwise.
std::optional<std::string> add_need(std::vector<Need>& needs, const std::string& piece) {
    auto [item_text, qty_text] = split_item(piece);
    const auto item = text::trim(item_text);
    if (item.empty() || text::trim(qty_text).empty())
        return trf("need '{}': expected ITEM:QUANTITY[UNIT], e.g. neutraliser:5t or sandbags:3000", piece);
    auto q = units::parse_quantity(qty_text);
    if (!q) return trf("need '{}': '{}' is not a quantity with a known unit", piece, text::trim(qty_text));
    if (!std::isfinite(q->value) || q->value <= 0) return trf("need '{}': the quantity must be greater than 0", piece);
    const units::Unit* unit = q->unit ? q->unit : &count_unit();
    auto same = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return text::match_key(n.item) == text::match_key(item); });
    if (same != needs.end()) {
        auto v = units::convert(q->value, *unit, *same->unit);
        if (!v) return trf("need '{}': {} is already needed in {}", piece, item, same->unit->symbol);
        same->quantity += *v;
        same->text += "," + piece;
        return std::nullopt;
    }
    needs.push_back(Need{std::string(item), q->value, unit, piece});
    return std::nullopt;
}

} // namespace

NeedsRead read_needs(std::string_view text) {
    NeedsRead out;
    for (const std::string& piece : text::split_list(text))
        if (auto problem = add_need(out.needs, piece)) out.problems.push_back(std::move(*problem));
    return out;
}

std::vector<Need> parse_needs(std::string_view text) {
    auto read = read_needs(text);
    if (!read.problems.empty()) throw UsageError(read.problems.front());
    if (read.needs.empty()) throw UsageError(tr("no needs given: expected ITEM:QUANTITY[UNIT],... e.g. neutraliser:5t,sandbags:3000"));
    return std::move(read.needs);
}

std::vector<StockLine> parse_stock(std::string_view json_text, std::string_view source) {
    std::vector<StockLine> lines;
    if (text::trim(json_text).empty()) return lines;
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_array()) throw FormatError(trf("{}: the stock list is not a JSON array", source));
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

// [ItemNames] ------------------------------------------------------------------------------

ItemNames ItemNames::parse(std::string_view json_text, std::string_view source) {
    const std::string where(source);
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw FormatError(trf("{}: not a JSON object (a stock item file holds one)", where));
    if (j.value("format", std::string()) != "vigil-stock-items/1")
        throw FormatError(trf("{}: format: expected \"vigil-stock-items/1\"", where));
    const auto items = j.find("items");
    if (items == j.end() || !items->is_array())
        throw FormatError(trf("{}: items: expected an array of {{\"item\": ..., \"synonyms\": [...]}}", where));
    ItemNames out;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& e = (*items)[i];
        const std::string path = fmt::format("{}: items[{}]", where, i);
        if (!e.is_object() || !e.contains("item") || !e["item"].is_string() || text::match_key(e["item"].get<std::string>()).empty())
            throw FormatError(trf("{}: expected {{\"item\": NAME, \"synonyms\": [...]}} with a non-empty item name", path));
        const std::string item = e["item"].get<std::string>();
        std::vector<std::string> names{item};
        if (auto syn = e.find("synonyms"); syn != e.end()) {
            if (!syn->is_array()) throw FormatError(trf("{}.synonyms: expected an array of names", path));
            for (const auto& n : *syn) {
                if (!n.is_string()) throw FormatError(trf("{}.synonyms: {} is not a name", path, n.dump()));
                names.push_back(n.get<std::string>());
            }
        }
        const std::size_t group = out.m_items.size();
        for (const auto& n : names) {
            const std::string key = text::match_key(n);
            if (key.empty()) throw FormatError(trf("{}: an empty synonym", path));
            auto [it, inserted] = out.m_group.emplace(key, group);
            // One name in two groups would make a need match two different items.
            if (!inserted && it->second != group)
                throw FormatError(trf("{}: '{}' is already a name of '{}'", path, n, out.m_items[it->second]));
        }
        out.m_items.push_back(item);
    }
    return out;
}

const ItemNames& ItemNames::builtin() {
    static const ItemNames names = parse(embedded::stock_items(), "layers/supplies/stock_items.json (built in)");
    return names;
}

std::string_view ItemNames::canonical(std::string_view name) const {
    auto it = m_group.find(text::match_key(name));
    return it == m_group.end() ? std::string_view() : std::string_view(m_items[it->second]);
}

// [Matching] -------------------------------------------------------------------------------

namespace {

constexpr std::string_view k_qualifier_starts[] = {" ", "(", "-", "\xEF\xBC\x88" /* （ */, "\xE3\x80\x80" /* ideographic space */};

// Does `rest` open a qualifier: "（碳酸钠）", "(碳酸钠)", " 碳酸钠", "-碳酸钠"?
bool opens_qualifier(std::string_view rest) {
    return std::any_of(std::begin(k_qualifier_starts), std::end(k_qualifier_starts),
                       [&](std::string_view q) { return rest.starts_with(q); });
}

// Where the first qualifier starts in `s` (npos: none).
std::size_t qualifier_at(std::string_view s) {
    std::size_t best = std::string_view::npos;
    for (std::string_view q : k_qualifier_starts) {
        const auto at = s.find(q);
        if (at != std::string_view::npos && at > 0) best = std::min(best, at);
    }
    return best;
}

// The group of a name, or of its unqualified part ("纯碱（工业级）" -> 纯碱 -> 中和剂).
std::string_view group_of(std::string_view name, const ItemNames& names) {
    const auto s = text::trim(name);
    if (auto c = names.canonical(s); !c.empty()) return c;
    const auto q = qualifier_at(s);
    return q == std::string_view::npos ? std::string_view() : names.canonical(s.substr(0, q));
}

} // namespace

ItemMatch match_item(std::string_view need_item, std::string_view stock_item, const ItemNames& names) {
    const std::string need = text::match_key(need_item);
    if (need.empty()) return ItemMatch::none;
    if (text::match_key(stock_item) == need) return ItemMatch::name;
    // The needed name followed by a qualifier: "中和剂（碳酸钠）", "中和剂(碳酸钠)", or "中和剂 碳酸钠"
    // as a list import stores it.
    const std::string_view n = text::trim(need_item);
    const std::string_view s = text::trim(stock_item);
    if (s.size() > n.size() && s.compare(0, n.size(), n) == 0 && opens_qualifier(s.substr(n.size()))) return ItemMatch::name;
    const auto gn = group_of(need_item, names);
    return !gn.empty() && gn == group_of(stock_item, names) ? ItemMatch::synonym : ItemMatch::none;
}

bool item_matches(std::string_view need_item, std::string_view stock_item, const ItemNames& names) {
    return match_item(need_item, stock_item, names) != ItemMatch::none;
}

// [Plan] -----------------------------------------------------------------------------------

SupplyPlan plan_supply(std::span<const Need> needs, std::span<const Depot> depots, const ItemNames& names) {
    SupplyPlan plan;
    const std::size_t n_needs = needs.size();
    const double inf = std::numeric_limits<double>::infinity();
    plan.available.assign(n_needs, 0);
    plan.shortfall.assign(n_needs, 0);
    plan.first_s.assign(n_needs, inf);
    plan.covered_s.assign(n_needs, inf);

    // What each reachable depot holds of each need, in the need's unit (row-major depot x
    // need). Unreachable depots are not read: their stock cannot come, and their lines would
    // only add notes about items nobody can send.
    std::vector<double> holds(depots.size() * n_needs, 0);
    std::set<std::pair<std::size_t, std::string>> assumed; // (need, stock name) counted by synonym
    for (std::size_t d = 0; d < depots.size(); ++d) {
        if (!depots[d].reachable || !std::isfinite(depots[d].eta_s)) continue;
        for (const auto& line : depots[d].stock) {
            for (std::size_t n = 0; n < n_needs; ++n) {
                const ItemMatch m = match_item(needs[n].item, line.item, names);
                if (m == ItemMatch::none) continue;
                if (auto v = in_need_unit(line, needs[n])) {
                    holds[d * n_needs + n] += *v;
                    if (m == ItemMatch::synonym && assumed.emplace(n, line.item).second)
                        // clang-format off
                        plan.notes.push_back(trf("counted stock '{}' as {} (synonyms of '{}' in the stock item catalogue, layers/supplies/stock_items.json)",
                                                 line.item, needs[n].item, group_of(needs[n].item, names)));
                    // clang-format on
                } else {
                    plan.notes.push_back(
                        trf("depot {}: {} in '{}' does not convert to {}", d, line.item, line.unit_text, needs[n].unit->symbol));
                }
            }
        }
    }

    std::vector<std::size_t> order(depots.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::erase_if(order, [&](std::size_t d) { return !depots[d].reachable || !std::isfinite(depots[d].eta_s); });
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return depots[a].eta_s < depots[b].eta_s; });

    // Each need from the depots in ETA order until covered: what arrives by any time t is then
    // all the stock within t (up to the need), the most any split can deliver by t. Relative
    // slack for sums of converted quantities (t -> kg and back).
    for (std::size_t n = 0; n < n_needs; ++n) {
        const double eps = needs[n].quantity * 1e-12;
        double left = needs[n].quantity;
        for (std::size_t d : order) {
            const double h = holds[d * n_needs + n];
            plan.available[n] += h;
            if (left <= eps || h <= 0) continue;
            const double give = std::min(left, h);
            plan.allocations.push_back(Allocation{d, n, give, depots[d].eta_s});
            plan.first_s[n] = std::min(plan.first_s[n], depots[d].eta_s);
            left -= give;
            if (left <= eps) plan.covered_s[n] = depots[d].eta_s;
        }
        plan.shortfall[n] = left > eps ? left : 0;
    }
    plan.complete = std::all_of(plan.shortfall.begin(), plan.shortfall.end(), [](double s) { return s == 0; });

    // The depots sent, by ETA (ties in depot order, as `order`).
    for (std::size_t d : order)
        if (std::any_of(plan.allocations.begin(), plan.allocations.end(), [&](const Allocation& a) { return a.depot == d; }))
            plan.depots.push_back(d);
    if (!plan.depots.empty()) {
        plan.first_arrival_s = depots[plan.depots.front()].eta_s;
        plan.arrival_s = depots[plan.depots.back()].eta_s;
    }
    return plan;
}

// [Headline] -------------------------------------------------------------------------------

namespace {

std::string minutes(double s) { return trf("{:.1f} min", s / 60); }

// "3.3 t", or "2000" for a count (counts print bare, as the CLI always has).
std::string amount(double v, const Need& need) {
    const std::string number = text::format_double(std::round(v * 1000) / 1000);
    // A count: bare in English ("2000"), with its measure word in Chinese ("2000 件").
    return need.unit->dimension == units::Dimension::Count ? trcf("a count of items", "{}", number)
                                                           : number + " " + std::string(need.unit->symbol);
}

} // namespace

std::string supply_headline(const SupplyPlan& plan, std::span<const Need> needs) {
    const std::size_t sent = plan.depots.size();
    const std::string from = sent == 1 ? std::string(tr("1 warehouse")) : trf("{} warehouses", sent);
    if (plan.complete) {
        if (sent == 1) return trf("all needs covered by {} (1 warehouse)", minutes(plan.arrival_s));
        return trf("all needs covered by {} (first arrival {}, {})", minutes(plan.arrival_s), minutes(plan.first_arrival_s), from);
    }
    std::string missing;
    for (std::size_t n = 0; n < needs.size() && n < plan.shortfall.size(); ++n)
        if (plan.shortfall[n] > 0)
            missing += (missing.empty() ? "" : trc("list separator", ", ")) + needs[n].item + " " + amount(plan.shortfall[n], needs[n]);
    if (sent == 0) return trf("shortfall: {} — no reachable warehouse holds any of it", missing);
    const std::string span = plan.first_arrival_s == plan.arrival_s ? minutes(plan.arrival_s)
                                                                    : trf("{}-{}", minutes(plan.first_arrival_s), minutes(plan.arrival_s));
    return trf("shortfall: {} — what is available arrives {} ({})", missing, span, from);
}

} // namespace vigil::dispatch
