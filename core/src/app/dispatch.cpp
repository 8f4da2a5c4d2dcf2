// The dispatch question (see dispatch.hpp): the ranking, and its JSON, CSV and GeoJSON forms.

#include <vigil/app/dispatch.hpp>

#include "request_json.hpp"
#include "road_question.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>

namespace vigil::app {

DispatchSheet rank_teams(const LayerSet& layers, const routing::RoadGraph& graph, const DispatchQuery& q) {
    const auto t0 = detail::Clock::now();
    DispatchSheet sheet;
    sheet.query = q;
    sheet.team_layer = layers.share(q.kind);
    if (!sheet.team_layer) layers.require(q.kind); // throws, naming the layers there are
    const model::Layer& layer = *sheet.team_layer;
    const auto filter = query::Filter::compile(layer.kind(), q.filter);
    sheet.road_nodes = graph.node_count();
    sheet.road_segments = graph.segment_count();

    // Closures and the staging point: every search below avoids the closed segments and drives
    // to road.target.
    const detail::RoadQuestion road(graph, q.at, q.closures, q.max_snap_m, /*stage=*/true);
    sheet.closed_segments = road.closed.size();
    sheet.staging = road.staging;
    if (!road.staging.note.empty()) sheet.notes.push_back(road.staging.note);

    // The equipment asked, read before any search: a type nobody knows is the question's mistake.
    std::optional<EquipmentRegister> equipment;
    if (!text::trim(q.equipment).empty()) {
        const model::Layer* held = layers.find(k_equipment_kind);
        if (!held)
            // clang-format off
            throw UsageError(tr("the project has no equipment layer: teams cannot be chosen by the equipment they hold (import the census's equipment register first)"));
        // clang-format on
        sheet.equipment_needs = parse_equipment_needs(held->kind(), q.equipment);
        sheet.equipment_asked = !sheet.equipment_needs.empty();
        if (sheet.equipment_asked) equipment.emplace(*held);
    }

    // The teams: every record that passes the filter, nearest first as the crow flies (so that
    // ties in ETA break towards the nearer team).
    auto hits = std::isfinite(q.max_distance_m) ? query::within(layer, q.at, q.max_distance_m, filter)
                                                : query::nearest(layer, q.at, std::max<std::size_t>(1, layer.size()), filter);
    // With equipment asked, only the teams holding all of it in service themselves.
    std::vector<std::vector<EquipmentHolding>> holdings;
    if (equipment) {
        std::vector<query::Hit> kept;
        for (const auto& h : hits) {
            std::vector<EquipmentHolding> held;
            bool enough = true, enough_if_confirmed = true;
            for (const auto& need : sheet.equipment_needs) {
                held.push_back(equipment->holding(layer.id(h.row), need.type));
                enough = enough && held.back().in_service >= need.count;
                enough_if_confirmed = enough_if_confirmed && held.back().in_service + held.back().unknown >= need.count;
            }
            if (enough) {
                kept.push_back(h);
                holdings.push_back(std::move(held));
                continue;
            }
            ++sheet.equipment_lacking;
            if (enough_if_confirmed) sheet.equipment_if_confirmed.push_back(layer.id(h.row));
        }
        hits = std::move(kept);
        const std::string asked = equipment_needs_text(sheet.equipment_needs);
        // clang-format off
        sheet.notes.push_back(trf("equipment asked: {}: only units in service count, and each team must hold all of it itself; {} other team(s) passing the other filters hold too little and are not listed",
                                  asked, sheet.equipment_lacking));
        // clang-format on
        if (!sheet.equipment_if_confirmed.empty()) {
            std::string who;
            for (std::size_t i = 0; i < sheet.equipment_if_confirmed.size() && i < 5; ++i) {
                const auto row = layer.find(sheet.equipment_if_confirmed[i]);
                if (!who.empty()) who += trc("list separator", ", ");
                who += row ? trf("{} ({})", sheet.equipment_if_confirmed[i], detail::record_title(layer, *row))
                           : sheet.equipment_if_confirmed[i];
            }
            if (sheet.equipment_if_confirmed.size() > 5) who += " …";
            sheet.notes.push_back(
                trf("units of unknown status were not counted; confirmed in service, these teams would qualify too: {}", who));
        }
    }
    std::vector<geo::Coord> points;
    std::vector<double> turnout_s;
    for (const auto& h : hits) {
        points.push_back(detail::record_point(layer, h.row));
        turnout_s.push_back(detail::record_turnout_s(layer, h.row));
    }
    routing::Router router(graph);
    const auto travel = router.to_incident(road.target, points, road.options);
    auto ranked = routing::rank_by_eta(travel, turnout_s);
    if (q.max_teams > 0 && ranked.size() > q.max_teams) ranked.resize(q.max_teams);
    for (const auto& rk : ranked) {
        const auto& h = hits[rk.index];
        const auto& tt = travel[rk.index];
        DispatchTeam t;
        t.row = h.row;
        t.id = layer.id(h.row);
        t.name = detail::record_title(layer, h.row);
        t.status = detail::field_text(layer, h.row, catalog::FieldRole::Status);
        t.capabilities = detail::field_text(layer, h.row, catalog::FieldRole::Capabilities);
        t.phone = detail::field_text(layer, h.row, catalog::FieldRole::Phone);
        t.at = points[rk.index];
        t.air_m = h.distance_m;
        t.reachable = tt.reachable;
        t.turnout_s = turnout_s[rk.index];
        t.eta_s = rk.eta_s;
        t.travel_s = tt.travel_s;
        t.road_m = tt.road_distance_m;
        if (tt.reachable && q.routes) t.route = router.route(rk.index);
        if (equipment) t.equipment = holdings[rk.index];
        sheet.teams.push_back(std::move(t));
    }

    // Supplies: in their own try, so that a typo in the needs or a project without warehouses
    // is flagged under the supplies and never costs the dispatcher the team list.
    if (!text::trim(q.needs).empty()) {
        sheet.supplies_asked = true;
        SupplyQuery sq;
        sq.at = q.at;
        sq.needs = q.needs;
        sq.routes = q.routes;
        try {
            sheet.supply = detail::cover_supplies(layers, graph, sq, road);
        } catch (const Error& e) {
            sheet.supply = SupplyResult{};
            sheet.supply.at = q.at;
            sheet.supply.staging = road.staging;
            sheet.supply.problems = dispatch::read_needs(q.needs).problems;
            sheet.supply.problems.push_back(e.what());
        }
        for (const auto& n : sheet.supply.notes)
            if (n != road.staging.note) sheet.notes.push_back(n);
    }

    // Isochrones: from where is the incident reached within 5/10/15/30 min (teams drive to it).
    if (!q.isochrone_minutes.empty()) {
        std::vector<double> limits;
        for (double m : q.isochrone_minutes) {
            if (!(m > 0 && m <= 24 * 60)) throw UsageError(trf("isochrone limit {} min: give minutes in 0..1440", text::format_double(m)));
            limits.push_back(m * 60);
        }
        std::sort(limits.begin(), limits.end());
        limits.erase(std::unique(limits.begin(), limits.end()), limits.end());
        const geo::Coord incident[] = {road.target};
        double search_ms = 0, polygon_ms = 0;
        sheet.isochrones = detail::isochrone_bands(router, graph, incident, limits, routing::TravelDirection::to_points, road.options,
                                                   search_ms, polygon_ms);
    }
    sheet.query_ms = detail::ms_since(t0);
    return sheet;
}

// [JSON] ------------------------------------------------------------------------------------

namespace {

// Units as whole numbers when they are (the catalogue counts equipment in whole units).
nlohmann::ordered_json units_json(double v) {
    if (v == std::floor(v) && std::abs(v) < 9e15) return static_cast<std::int64_t>(v);
    return v;
}

} // namespace

nlohmann::ordered_json to_json(const DispatchSheet& sheet, const DispatchJsonOptions& options) {
    using ojson = nlohmann::ordered_json;
    using detail::number_or_null;
    using detail::round_to;
    const auto& q = sheet.query;
    ojson out;
    out["query"] = {{"layer", q.kind},
                    {"lon", q.at.x},
                    {"lat", q.at.y},
                    {"by", "road"},
                    {"need", q.filter.need},
                    {"status", q.filter.status},
                    {"equipment", ojson::array()},
                    {"road_nodes", sheet.road_nodes},
                    {"road_segments", sheet.road_segments},
                    {"closed_segments", sheet.closed_segments},
                    {"query_ms", round_to(sheet.query_ms, 100)}};
    for (const auto& n : sheet.equipment_needs)
        out["query"]["equipment"].push_back({{"type", n.type}, {"label", n.label}, {"count", units_json(n.count)}});
    out["staging"] = detail::staging_json(sheet.staging);
    ojson results = ojson::array();
    std::size_t rank = 0;
    const model::Layer* layer = sheet.team_layer.get();
    for (const auto& t : sheet.teams) {
        ojson r = ojson::object();
        r["rank"] = t.reachable ? ojson(++rank) : ojson(nullptr);
        r["id"] = t.id;
        if (layer) {
            const auto& kind = layer->kind();
            if (auto n = kind.index_of_role(catalog::FieldRole::Name))
                r["name"] = catalog::value_json(kind.fields[*n], layer->value(t.row, *n));
        } else {
            r["name"] = t.name;
        }
        r["lon"] = t.at.x;
        r["lat"] = t.at.y;
        r["distance_m"] = round_to(t.air_m, 100);
        r["reachable"] = t.reachable;
        r["eta_s"] = t.reachable ? number_or_null(t.eta_s, 10) : ojson(nullptr);
        r["travel_s"] = t.reachable ? number_or_null(t.travel_s, 10) : ojson(nullptr);
        r["turnout_s"] = round_to(t.turnout_s, 10);
        r["road_distance_m"] = t.reachable ? number_or_null(t.road_m, 10) : ojson(nullptr);
        if (layer) {
            const auto& kind = layer->kind();
            for (std::size_t f = 0; f < kind.fields.size(); ++f) {
                const auto& field = kind.fields[f];
                if (field.role == catalog::FieldRole::Id || field.role == catalog::FieldRole::Name) continue;
                r[field.name] = catalog::value_json(field, layer->value(t.row, f));
            }
        }
        if (sheet.equipment_asked) {
            // Not "equipment": a team record has a field of that name (its main equipment in words).
            ojson held = ojson::array();
            for (std::size_t i = 0; i < sheet.equipment_needs.size() && i < t.equipment.size(); ++i) {
                const auto& n = sheet.equipment_needs[i];
                const auto& h = t.equipment[i];
                held.push_back({{"type", n.type},
                                {"label", n.label},
                                {"needed", units_json(n.count)},
                                {"in_service", units_json(h.in_service)},
                                {"unknown_status", units_json(h.unknown)},
                                {"out_of_service", units_json(h.out_of_service)}});
            }
            r["equipment_held"] = std::move(held);
        }
        if (q.routes && options.routes) r["route"] = t.route.empty() ? ojson(nullptr) : detail::line_json(t.route);
        results.push_back(std::move(r));
    }
    out["results"] = std::move(results);
    if (sheet.equipment_asked) {
        out["equipment_lacking"] = sheet.equipment_lacking;
        out["equipment_if_confirmed"] = sheet.equipment_if_confirmed;
    }
    if (sheet.supplies_asked) out["supply"] = to_json(sheet.supply);
    if (!q.isochrone_minutes.empty()) {
        ojson bands = ojson::array();
        for (const auto& b : sheet.isochrones) {
            ojson j = {{"minutes", b.minutes}, {"nodes", b.nodes}, {"area_km2", round_to(b.area_km2, 1000)}};
            if (options.geometry) j["geometry"] = detail::polygon_json(b.area);
            bands.push_back(std::move(j));
        }
        out["isochrones"] = std::move(bands);
    }
    out["notes"] = sheet.notes;
    return out;
}

std::string equipment_text(const DispatchSheet& sheet, const DispatchTeam& team) {
    std::string out;
    for (std::size_t i = 0; i < sheet.equipment_needs.size() && i < team.equipment.size(); ++i) {
        const auto& n = sheet.equipment_needs[i];
        const auto& h = team.equipment[i];
        if (!out.empty()) out += trc("list separator", ", ");
        out += h.unknown > 0 ? trf("{} {}/{} (+{} of unknown status)", n.label, text::format_double(h.in_service),
                                   text::format_double(n.count), text::format_double(h.unknown))
                             : fmt::format("{} {}/{}", n.label, text::format_double(h.in_service), text::format_double(n.count));
    }
    return out;
}

DispatchQuery dispatch_query_from_json(const nlohmann::json& j, DispatchQuery q) {
    const detail::RequestReader read{tr("dispatch request")};
    read.object(j);
    bool at = false;
    for (const auto& [key, v] : j.items()) {
        if (key == "at") {
            q.at = read.point(v, key);
            at = true;
        } else if (key == "layer") q.kind = read.string(v, key);
        else if (key == "need") q.filter.need = read.words(v, key);
        else if (key == "status") q.filter.status = read.words(v, key);
        else if (key == "equipment") q.equipment = read.string(v, key);
        else if (key == "supplies") q.needs = read.string(v, key);
        else if (key == "closures") q.closures = read.closures(v, key);
        else if (key == "k") {
            const double k = read.number(v, key);
            if (!(k >= 0) || k != std::floor(k)) read.refuse(key, tr("a whole number (0: every team)"), v);
            q.max_teams = static_cast<std::size_t>(k);
        } else if (key == "max_distance") {
            q.max_distance_m = read.number(v, key);
            if (!(q.max_distance_m > 0)) read.refuse(key, tr("a positive number of metres"), v);
        } else if (key == "max_snap") {
            q.max_snap_m = read.number(v, key);
            if (!(q.max_snap_m > 0)) read.refuse(key, tr("a positive number of metres"), v);
        } else if (key == "isochrones") {
            q.isochrone_minutes.clear();
            if (!(v.is_array() && v.empty())) q.isochrone_minutes = read.numbers(v, key);
        } else {
            // i18n: not shown: the request's keys, as typed
            read.unknown(key, "at, layer, need, status, equipment, supplies, closures, k, max_distance, max_snap, isochrones");
        }
    }
    if (!at) throw UsageError(tr("dispatch request: \"at\" [lon, lat] is needed"));
    return q;
}

// [The sheet: CSV and GeoJSON] --------------------------------------------------------------

namespace {

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string dispatch_csv(const DispatchSheet& sheet) {
    std::ostringstream out;
    // The column headers, for the people who open the sheet (English: the names the tests read).
    const char* const columns[] = {
        trc("dispatch sheet column", "type"),    trc("dispatch sheet column", "rank"),       trc("dispatch sheet column", "id"),
        trc("dispatch sheet column", "name"),    trc("dispatch sheet column", "phone"),      trc("dispatch sheet column", "reachable"),
        trc("dispatch sheet column", "eta_min"), trc("dispatch sheet column", "travel_min"), trc("dispatch sheet column", "turnout_min"),
        trc("dispatch sheet column", "road_km"), trc("dispatch sheet column", "air_km"),     trc("dispatch sheet column", "lon"),
        trc("dispatch sheet column", "lat"),     trc("dispatch sheet column", "detail")};
    out << "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < std::size(columns); ++c) out << (c ? "," : "") << csv_cell(columns[c]);
    out << "\r\n";
    auto row = [&](std::initializer_list<std::string> cells) {
        bool first = true;
        for (const auto& c : cells) {
            out << (first ? "" : ",") << csv_cell(c);
            first = false;
        }
        out << "\r\n";
    };
    const auto& q = sheet.query;
    row({trc("dispatch sheet row", "incident"), "", "", q.place, "", "", "", "", "", "", "", fixed(q.at.x, 7), fixed(q.at.y, 7), q.needs});
    if (sheet.staging.point)
        row({trc("dispatch sheet row", "staging"), "", "", tr("staging point"), "", "", "", "", "", "",
             fixed(sheet.staging.distance_m / 1000, 3), fixed(sheet.staging.point->x, 7), fixed(sheet.staging.point->y, 7),
             sheet.staging.note});
    std::size_t rank = 0;
    for (const auto& t : sheet.teams) {
        row({trc("dispatch sheet row", "team"), t.reachable ? std::to_string(++rank) : "", t.id, t.name, t.phone,
             t.reachable ? trc("dispatch sheet cell", "true") : trc("dispatch sheet cell", "false"), fixed(t.eta_s / 60, 2),
             fixed(t.travel_s / 60, 2), fixed(t.turnout_s / 60, 2), fixed(t.road_m / 1000, 3), fixed(t.air_m / 1000, 3), fixed(t.at.x, 7),
             fixed(t.at.y, 7),
             t.status + (t.capabilities.empty() ? "" : " | " + t.capabilities) +
                 (sheet.equipment_asked ? trf(" | equipment {}", equipment_text(sheet, t)) : std::string())});
    }
    const auto& s = sheet.supply;
    std::size_t n = 0;
    for (const auto& d : s.depots) {
        std::string gives;
        for (const auto& g : d.gives) gives += (gives.empty() ? "" : trc("list separator", "; ")) + give_text(s, g);
        row({trc("dispatch sheet row", "warehouse"), std::to_string(++n), d.id, d.name, "", trc("dispatch sheet cell", "true"),
             fixed(d.eta_s / 60, 2), fixed(d.eta_s / 60, 2), "", fixed(d.road_m / 1000, 3), "", fixed(d.at.x, 7), fixed(d.at.y, 7), gives});
    }
    for (std::size_t i = 0; i < s.needs.size(); ++i) {
        const auto& need = s.needs[i];
        if (need.shortfall <= 0) continue;
        row({trc("dispatch sheet row", "shortfall"), "", "", need.item, "", "", "", "", "", "", "", "", "",
             trf("needed {}, available {}, missing {}", amount_text(s, i, need.needed), amount_text(s, i, need.available),
                 amount_text(s, i, need.shortfall))});
    }
    return out.str();
}

std::string dispatch_geojson(const DispatchSheet& sheet) {
    using json = nlohmann::ordered_json;
    using detail::number_or_null;
    json features = json::array();
    auto feature = [&](json geometry, json props) { features.push_back(detail::feature(std::move(props), std::move(geometry))); };
    const auto& q = sheet.query;
    feature(detail::point_json(q.at), {{"type", "incident"}, {"place", q.place}, {"needs", q.needs}});
    if (sheet.staging.point)
        feature(detail::point_json(*sheet.staging.point),
                {{"type", "staging"}, {"distance_m", detail::round_to(sheet.staging.distance_m, 10)}});
    std::size_t rank = 0;
    for (const auto& t : sheet.teams) {
        const json r = t.reachable ? json(++rank) : json(nullptr);
        feature(detail::point_json(t.at), {{"type", "team"},
                                           {"rank", r},
                                           {"id", t.id},
                                           {"name", t.name},
                                           {"phone", t.phone},
                                           {"reachable", t.reachable},
                                           {"eta_s", number_or_null(t.eta_s, 10)},
                                           {"travel_s", number_or_null(t.travel_s, 10)},
                                           {"turnout_s", number_or_null(t.turnout_s, 10)},
                                           {"road_distance_m", number_or_null(t.road_m, 10)},
                                           {"distance_m", detail::round_to(t.air_m, 100)},
                                           {"status", t.status},
                                           {"capabilities", t.capabilities}});
        if (sheet.equipment_asked) features.back()["properties"]["equipment_held"] = equipment_text(sheet, t);
        if (!t.route.empty()) feature(detail::line_json(t.route), {{"type", "route"}, {"rank", r}, {"id", t.id}});
    }
    const auto& s = sheet.supply;
    for (const auto& d : s.depots) {
        json gives = json::array();
        for (const auto& g : d.gives) gives.push_back(give_text(s, g));
        feature(detail::point_json(d.at),
                {{"type", "warehouse"}, {"id", d.id}, {"name", d.name}, {"eta_s", number_or_null(d.eta_s, 10)}, {"gives", gives}});
        if (!d.route.empty()) feature(detail::line_json(d.route), {{"type", "warehouse_route"}, {"id", d.id}});
    }
    for (const auto& iso : sheet.isochrones) {
        if (iso.area.is_empty()) continue;
        feature(detail::polygon_json(iso.area), {{"type", "isochrone"}, {"minutes", iso.minutes}});
    }
    for (const auto& rings : q.closures) {
        json coords = json::array();
        for (const auto& r : rings) coords.push_back(detail::coords_json(r));
        feature(json{{"type", "Polygon"}, {"coordinates", std::move(coords)}}, {{"type", "closure"}});
    }
    json shortfall = json::array();
    for (const auto& n : s.needs)
        if (n.shortfall > 0)
            shortfall.push_back(
                {{"item", n.item}, {"unit", n.unit}, {"needed", n.needed}, {"available", n.available}, {"missing", n.shortfall}});
    json out = {{"type", "FeatureCollection"},
                {"supply_headline", s.headline},
                {"supply_problems", s.problems},
                {"shortfall", std::move(shortfall)},
                {"features", std::move(features)}};
    return out.dump(1);
}

} // namespace vigil::app
