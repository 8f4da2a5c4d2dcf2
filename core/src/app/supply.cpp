// The supply plan (see supply.hpp).

#include <vigil/app/supply.hpp>

#include "request_json.hpp"
#include "road_question.hpp"

#include <vigil/app/equipment.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::app {

namespace detail {

namespace {

// Equipment the warehouses hold (the census's equipment layer, app/equipment.hpp) serves the
// needs that name an equipment type, as a stock line of the need's own name per warehouse: in
// service only; units of unknown status are left out and the notes say how many. Returns, per
// need, whether it named an equipment type.
std::vector<bool> add_equipment(const LayerSet& layers, const model::Layer& warehouses, const std::vector<std::size_t>& rows,
                                const std::vector<dispatch::Need>& needs, std::vector<dispatch::Depot>& depots,
                                std::vector<std::string>& notes) {
    std::vector<bool> typed(needs.size(), false);
    const model::Layer* held = layers.find(k_equipment_kind);
    if (!held) return typed;
    std::vector<const catalog::EnumValue*> types(needs.size(), nullptr);
    for (std::size_t n = 0; n < needs.size(); ++n) {
        types[n] = equipment_type(held->kind(), needs[n].item);
        typed[n] = types[n] != nullptr;
    }
    if (std::none_of(typed.begin(), typed.end(), [](bool b) { return b; })) return typed;
    const EquipmentRegister reg(*held);
    static const units::Unit* count = units::find_unit("item");
    for (std::size_t n = 0; n < needs.size(); ++n) {
        if (!types[n]) continue;
        double unknown = 0, out_of_service = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto h = reg.holding(warehouses.id(rows[i]), types[n]->value);
            unknown += h.unknown;
            out_of_service += h.out_of_service;
            if (!(h.in_service > 0)) continue;
            const bool listed = std::any_of(depots[i].stock.begin(), depots[i].stock.end(),
                                            [&](const dispatch::StockLine& l) { return dispatch::item_matches(needs[n].item, l.item); });
            if (listed)
                // clang-format off
                notes.push_back(trf("warehouse {} lists {} in its stock and in the equipment register: both are counted (check they are not the same units)",
                                    warehouses.id(rows[i]), needs[n].item));
            // clang-format on
            depots[i].stock.push_back({needs[n].item, h.in_service, {}, count});
        }
        std::string left;
        if (unknown > 0) left += trf("; {} unit(s) of unknown status not counted", text::format_double(unknown));
        if (out_of_service > 0) left += trf("; {} unit(s) under repair or scrapped not counted", text::format_double(out_of_service));
        notes.push_back(
            trf("{} counted from the equipment layer ({}): units in service only{}", needs[n].item, types[n]->label.text(), left));
    }
    return typed;
}

} // namespace

SupplyResult cover_supplies(const LayerSet& layers, const routing::RoadGraph& graph, const SupplyQuery& query, const RoadQuestion& road) {
    const auto t0 = Clock::now();
    SupplyResult out;
    out.layer = query.layer;
    out.at = query.at;
    out.staging = road.staging;
    out.closed_segments = road.closed.size();
    auto read = dispatch::read_needs(query.needs);
    out.problems = std::move(read.problems);
    const auto& needs = read.needs;
    if (needs.empty()) return out;

    const model::Layer* layer = layers.find(query.layer);
    if (!layer) throw UsageError(trf("this project has no layer '{}' of warehouses", query.layer));
    const auto& kind = layer->kind();
    std::optional<std::size_t> stock_field;
    for (std::size_t f = 0; f < kind.fields.size(); ++f)
        if (kind.fields[f].type == catalog::FieldType::List && kind.fields[f].name == "stock") stock_field = f;
    if (!stock_field) throw UsageError(trf("layer {} has no stock list: use the warehouses layer", kind.kind));

    // Every warehouse with a place (a record without geometry cannot be driven from).
    std::vector<std::size_t> rows;
    std::vector<geo::Coord> points;
    for (std::size_t r = 0; r < layer->size(); ++r) {
        if (layer->geometry(r).is_empty()) continue;
        rows.push_back(r);
        points.push_back(record_point(*layer, r));
    }
    routing::Router router(graph);
    const auto travel = router.to_incident(road.target, points, road.options);
    out.search_ms = ms_since(t0);
    std::vector<dispatch::Depot> depots(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        depots[i].reachable = travel[i].reachable;
        depots[i].eta_s = travel[i].travel_s;
        if (const auto* s = std::get_if<std::string>(&layer->value(rows[i], *stock_field)))
            depots[i].stock = dispatch::parse_stock(*s, trf("{} {} stock", kind.kind, layer->id(rows[i])));
    }
    std::vector<std::string> equipment_notes;
    const auto equipment_needs = add_equipment(layers, *layer, rows, needs, depots, equipment_notes);
    const auto plan = dispatch::plan_supply(needs, depots, query.items);

    std::vector<std::size_t> depot_index(rows.size(), 0); // plan's depot -> out.depots
    for (std::size_t d : plan.depots) {
        depot_index[d] = out.depots.size();
        SupplyDepot sd;
        sd.row = rows[d];
        sd.id = layer->id(rows[d]);
        sd.name = record_title(*layer, rows[d]);
        sd.at = points[d];
        sd.eta_s = travel[d].travel_s;
        sd.road_m = travel[d].road_distance_m;
        for (const auto& a : plan.allocations)
            if (a.depot == d) sd.gives.push_back({a.need, a.quantity});
        if (query.routes) sd.route = router.route(d);
        out.depots.push_back(std::move(sd));
    }
    for (std::size_t n = 0; n < needs.size(); ++n) {
        SupplyNeed sn;
        sn.item = needs[n].item;
        sn.unit = std::string(needs[n].unit->symbol);
        sn.count = needs[n].unit->dimension == units::Dimension::Count;
        sn.needed = needs[n].quantity;
        sn.available = plan.available[n];
        sn.shortfall = plan.shortfall[n];
        sn.first_s = plan.first_s[n];
        sn.covered_s = plan.covered_s[n];
        sn.equipment = equipment_needs[n];
        for (const auto& a : plan.allocations)
            if (a.need == n) sn.parts.push_back({depot_index[a.depot], a.quantity, a.eta_s});
        out.needs.push_back(std::move(sn));
    }
    out.complete = plan.complete;
    out.first_arrival_s = plan.first_arrival_s;
    out.arrival_s = plan.arrival_s;
    out.headline = dispatch::supply_headline(plan, needs);
    if (!road.staging.note.empty()) out.notes.push_back(road.staging.note);
    out.notes.insert(out.notes.end(), equipment_notes.begin(), equipment_notes.end());
    out.notes.insert(out.notes.end(), plan.notes.begin(), plan.notes.end());
    return out;
}

} // namespace detail

SupplyResult cover_supplies(const LayerSet& layers, const routing::RoadGraph& graph, const SupplyQuery& query) {
    const detail::RoadQuestion road(graph, query.at, query.closures, query.max_snap_m, /*stage=*/true);
    return detail::cover_supplies(layers, graph, query, road);
}

std::string amount_text(const SupplyResult& r, std::size_t need, double quantity) {
    const auto& n = r.needs.at(need);
    const std::string number = text::format_double(detail::round_to(quantity, 1e3));
    // A count: bare in English ("800"), with its measure word in Chinese ("800 件").
    return n.count ? trcf("a count of items", "{}", number) : number + " " + n.unit;
}

std::string give_text(const SupplyResult& r, const SupplyGive& give) {
    return r.needs.at(give.need).item + " " + amount_text(r, give.need, give.quantity);
}

nlohmann::ordered_json to_json(const SupplyResult& r) {
    using ojson = nlohmann::ordered_json;
    using detail::number_or_null;
    using detail::round_to;
    ojson out;
    out["query"] = {{"layer", r.layer},
                    {"lon", r.at.x},
                    {"lat", r.at.y},
                    {"by", "road"},
                    {"closed_segments", r.closed_segments},
                    {"search_ms", round_to(r.search_ms, 100)}};
    out["staging"] = detail::staging_json(r.staging);
    out["headline"] = r.headline;
    out["complete"] = r.complete;
    out["first_arrival_s"] = round_to(r.first_arrival_s, 10);
    out["arrival_s"] = round_to(r.arrival_s, 10);
    ojson needs = ojson::array();
    for (const auto& n : r.needs) {
        ojson from = ojson::array();
        for (const auto& p : n.parts)
            from.push_back({{"id", r.depots[p.depot].id}, {"quantity", round_to(p.quantity, 1e6)}, {"eta_s", round_to(p.eta_s, 10)}});
        needs.push_back({{"item", n.item},
                         {"quantity", n.needed},
                         {"unit", n.unit},
                         {"equipment", n.equipment},
                         {"available", round_to(n.available, 1e6)},
                         {"shortfall", round_to(n.shortfall, 1e6)},
                         {"first_s", number_or_null(n.first_s, 10)},
                         {"covered_s", number_or_null(n.covered_s, 10)},
                         {"from", std::move(from)}});
    }
    out["needs"] = std::move(needs);
    ojson depots = ojson::array();
    for (const auto& d : r.depots) {
        ojson gives = ojson::array();
        for (const auto& g : d.gives)
            gives.push_back({{"item", r.needs[g.need].item}, {"quantity", round_to(g.quantity, 1e6)}, {"unit", r.needs[g.need].unit}});
        depots.push_back({{"id", d.id},
                          {"name", d.name},
                          {"lon", d.at.x},
                          {"lat", d.at.y},
                          {"eta_s", number_or_null(d.eta_s, 10)},
                          {"road_distance_m", number_or_null(d.road_m, 10)},
                          {"gives", std::move(gives)}});
    }
    out["warehouses"] = std::move(depots);
    out["notes"] = r.notes;
    out["problems"] = r.problems;
    return out;
}

SupplyQuery supply_query_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{tr("supply request")};
    read.object(j);
    SupplyQuery q;
    q.routes = false; // the JSON carries no routes
    bool at = false;
    for (const auto& [key, v] : j.items()) {
        if (key == "at") {
            q.at = read.point(v, key);
            at = true;
        } else if (key == "need") q.needs = read.string(v, key);
        else if (key == "layer") q.layer = read.string(v, key);
        else if (key == "max_snap") q.max_snap_m = read.number(v, key);
        else if (key == "closures") q.closures = read.closures(v, key);
        else read.unknown(key, "at, need, layer, max_snap, closures"); // i18n: not shown: the request's keys, as typed
    }
    if (!at) throw UsageError(tr("supply request: \"at\" [lon, lat] is needed"));
    if (text::trim(q.needs).empty())
        throw UsageError(tr("supply request: \"need\" is needed, e.g. \"neutraliser:5t,absorbent pads:2000kg\""));
    if (!(q.max_snap_m > 0)) throw UsageError(tr("supply request: \"max_snap\" must be a positive number of metres"));
    return q;
}

} // namespace vigil::app
