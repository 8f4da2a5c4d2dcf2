// The incident brief (brief.hpp): the incident's facts and the answers the other services give
// at its point — the dispatch ranking (rank_teams), its dispatch records, the nearest warehouses —
// gathered into plain data for a page.

#include <vigil/app/brief.hpp>

#include "civil_dates.hpp"
#include "record_fields.hpp"

#include <vigil/app/dispatch.hpp>
#include <vigil/app/zones.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/dispatch/supply.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/routing/road_graph.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace vigil::app {

namespace {

std::string brief_shown(const model::Layer& l, std::size_t row, std::string_view field) { return record_fields::shown(l, row, field); }

// The stored text of a field (codes, not labels), "" when empty.
std::string brief_raw(const model::Layer& l, std::size_t row, std::string_view field) { return l.text(row, field); }

std::optional<double> brief_number(const model::Layer& l, std::size_t row, std::string_view field) {
    return record_fields::number(l, row, field);
}

geo::Coord brief_point_of(const model::Layer& l, std::size_t row) { return geo::representative_point(l.geometry(row)); }

std::string brief_record_name(const model::Layer& l, std::size_t row) { return record_fields::name_or_id(l, row); }

// The capability an incident's type calls for ("" = none in particular).
std::string brief_capability_of_type(const std::string& type) {
    static const std::map<std::string, std::string> by_type{
        {"hazmat_leak", "hazmat"}, {"fire", "fire"}, {"explosion", "fire"}, {"traffic", "traffic"}};
    const auto it = by_type.find(type);
    return it == by_type.end() ? std::string() : it->second;
}

// The county-level area of admin_areas holding `at` (its name), "" when none.
std::string brief_county_at(const model::Layer* admin, geo::Coord at) {
    if (!admin) return {};
    for (std::size_t r = 0; r < admin->size(); ++r) {
        if (brief_raw(*admin, r, "level") != "county") continue;
        if (geo::contains(admin->geometry(r), at)) return brief_record_name(*admin, r);
    }
    return {};
}

std::vector<std::vector<geo::Coord>> brief_rings_of(const geo::Geometry& g) {
    std::vector<std::vector<geo::Coord>> out;
    for (std::size_t i = 0; i < g.ring_count(); ++i) {
        const auto r = g.ring(i);
        out.emplace_back(r.begin(), r.end());
    }
    return out;
}

// The lines of a (multi)line geometry.
std::vector<std::vector<geo::Coord>> brief_lines_of(const geo::Geometry& g) {
    if (g.type == geo::GeometryType::LineString) return {g.coords};
    if (g.type == geo::GeometryType::MultiLineString) return brief_rings_of(g);
    return {};
}

void brief_keep_newest(std::string& newest, const model::Layer* l) {
    if (!l) return;
    for (std::size_t r = 0; r < l->size(); ++r) newest = std::max(newest, l->updated_at(r));
}

std::optional<double> brief_finite_or_none(double v, double scale) {
    return std::isfinite(v) ? std::optional<double>(v / scale) : std::nullopt;
}

} // namespace

std::string bureau_time(const std::string& t) {
    if (t.empty()) return {};
    const auto days = civil_dates::parse_days(t);
    auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    if (!days || t.size() < 16 || t[10] != 'T' || !digit(11) || !digit(12) || t[13] != ':' || !digit(14) || !digit(15)) return t;
    int hour = (t[11] - '0') * 10 + (t[12] - '0') + 8;
    const std::int64_t day = *days + (hour >= 24 ? 1 : 0);
    hour %= 24;
    return fmt::format("{} {:02}:{}", civil_dates::date_text(day), hour, t.substr(14, 2));
}

IncidentBrief build_brief(const LayerSet& layers, const routing::RoadGraph* graph, const BriefRequest& request, IncidentLog log) {
    IncidentBrief b;
    const model::Layer* incidents = layers.find(k_incidents_kind);
    if (!incidents) throw UsageError(trf("the project has no incidents layer: no incident '{}'", request.incident));
    const auto row = incidents->find(request.incident);
    if (!row) throw UsageError(trf("no incident '{}' in the incidents layer (vigil incident open makes one)", request.incident));
    const model::Layer& inc = *incidents;
    const std::size_t r = *row;
    b.incident_id = request.incident;
    b.incident_title = brief_raw(inc, r, "title");
    b.type = brief_shown(inc, r, "incident_type");
    b.status = brief_shown(inc, r, "status");
    b.severity = brief_shown(inc, r, "severity");
    b.material = brief_raw(inc, r, "material");
    b.un_number = brief_raw(inc, r, "un_number");
    b.cas = brief_raw(inc, r, "cas");
    b.description = brief_raw(inc, r, "description");
    b.reporter = brief_raw(inc, r, "reporter");
    b.at = brief_point_of(inc, r);
    b.reported_at = bureau_time(brief_raw(inc, r, "reported_at"));
    b.opened_at = bureau_time(brief_raw(inc, r, "opened_at"));
    b.closed_at = bureau_time(brief_raw(inc, r, "closed_at"));
    b.title = trf("Incident brief — {}", b.incident_title.empty() ? b.type : b.incident_title);
    b.county = brief_county_at(layers.find("admin_areas"), b.at);
    b.generated_at = bureau_time(request.generated_at);
    b.log = std::move(log);
    if (!b.log.incident.empty() && b.log.incident != request.incident)
        b.notes.push_back(trf("the log given is of incident {}, not {}", b.log.incident, request.incident));

    // The teams assigned: the incident's dispatch records (open ones mark the ranked teams).
    const model::Layer* teams = layers.find(k_teams_kind);
    std::map<std::string, bool> open_dispatch; // team id -> still out
    if (const model::Layer* d = layers.find(k_dispatches_kind)) {
        for (std::size_t i = 0; i < d->size(); ++i) {
            if (brief_raw(*d, i, "incident_id") != request.incident) continue;
            BriefAssignment a;
            a.dispatch_id = d->id(i);
            a.team_id = brief_raw(*d, i, "team_id");
            a.assigned_at = bureau_time(brief_raw(*d, i, "assigned_at"));
            a.departed_at = bureau_time(brief_raw(*d, i, "departed_at"));
            a.arrived_at = bureau_time(brief_raw(*d, i, "arrived_at"));
            a.returned_at = bureau_time(brief_raw(*d, i, "returned_at"));
            if (const auto eta = brief_number(*d, i, "eta_s")) a.eta_min = *eta / 60;
            a.team_name = a.team_id;
            if (teams)
                if (const auto t = teams->find(a.team_id)) {
                    a.team_name = brief_record_name(*teams, *t);
                    a.duty_phone = brief_raw(*teams, *t, "duty_phone");
                    a.at = brief_point_of(*teams, *t);
                }
            open_dispatch[a.team_id] = open_dispatch[a.team_id] || a.returned_at.empty();
            b.assigned.push_back(std::move(a));
        }
        std::stable_sort(b.assigned.begin(), b.assigned.end(),
                         [](const BriefAssignment& x, const BriefAssignment& y) { return x.assigned_at < y.assigned_at; });
    }

    // The zones of its material (as the hazard panel and the wall draw them): the zone inputs
    // recorded with it, else ERG for its UN number with a large spill (the safe side); none,
    // and said, without either. What lies inside each, from the layers given.
    std::vector<Rings> closures;
    {
        std::optional<ZoneRequest> zq;
        const std::string inputs = brief_raw(inc, r, "zone_inputs"), un = brief_raw(inc, r, "un_number");
        try {
            if (!inputs.empty()) {
                zq = zone_request_from_json(nlohmann::json::parse(inputs));
                zq->at = b.at;
            } else if (const auto n = text::parse_int64(un.rfind("UN", 0) == 0 ? un.substr(2) : un); n && *n > 0) {
                zq = ZoneRequest{};
                zq->at = b.at;
                zq->un = static_cast<int>(*n);
            } else {
                b.notes.push_back(tr("the incident has no UN number or zone inputs: no zones drawn"));
            }
            if (zq) {
                const ZoneResult zr = compute_zones(*zq, layers);
                for (std::size_t i = 0; i < zr.zones.size(); ++i) {
                    const auto& z = zr.zones[i];
                    BriefZone bz;
                    bz.tier = z.tier;
                    bz.label = z.level + " " + std::to_string(static_cast<long>(std::lround(z.distance_m))) + " m";
                    bz.distance_m = z.distance_m;
                    bz.rings = brief_rings_of(z.polygon);
                    std::map<std::string, std::vector<std::string>> by_layer;
                    if (i < zr.zone_facts.size())
                        for (const auto& rec : zr.zone_facts[i].inside)
                            if (rec.layer != k_incidents_kind && rec.layer != k_dispatches_kind) // the incident itself
                                by_layer[rec.layer_title].push_back(rec.name.empty() ? rec.id : rec.name);
                    std::vector<std::pair<std::string, std::vector<std::string>>> sorted(by_layer.begin(), by_layer.end());
                    std::stable_sort(sorted.begin(), sorted.end(),
                                     [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
                    for (const auto& [title, names] : sorted) {
                        std::string list;
                        for (std::size_t k = 0; k < names.size() && k < 4; ++k) list += (k ? trc("list separator", ", ") : "") + names[k];
                        if (names.size() > 4) list += "…";
                        bz.inside.push_back(trf("{} {}: {}", title, names.size(), list));
                    }
                    if (z.tier == 3) closures.push_back(bz.rings);
                    b.map.zones.push_back(std::move(bz));
                }
                std::stable_sort(b.map.zones.begin(), b.map.zones.end(),
                                 [](const BriefZone& x, const BriefZone& y) { return x.distance_m > y.distance_m; });
                for (const auto& n : zr.assumptions) b.notes.push_back(n);
                if (!zr.unable_to_respond.empty())
                    b.notes.push_back(trf("teams inside the red zone cannot respond: {}", zr.unable_to_respond.size()));
            }
        } catch (const std::exception& e) {
            b.notes.push_back(trf("zones not computed: {}", e.what()));
        }
    }

    // The ranking at the incident's point: the dispatch service's, by road (the red zone's
    // roads closed: teams go to the staging point); else as the crow flies.
    b.need = request.need;
    if (b.need.empty()) {
        const std::string cap = brief_capability_of_type(brief_raw(inc, r, "incident_type"));
        if (!cap.empty()) b.need.push_back(cap);
    }
    if (!teams) {
        b.notes.push_back(tr("the project has no rescue teams layer: no teams ranked"));
    } else if (graph) {
        b.by_road = true;
        DispatchQuery q;
        q.at = b.at;
        q.filter.need = b.need;
        q.isochrone_minutes.clear();
        q.max_teams = request.teams;
        q.routes = true;
        q.closures = closures;
        const auto sheet = rank_teams(layers, *graph, q);
        for (const auto& n : sheet.notes) b.notes.push_back(n);
        b.map.staging = sheet.staging.point;
        std::size_t rank = 0;
        for (const auto& t : sheet.teams) {
            BriefTeam bt;
            bt.rank = ++rank;
            bt.id = t.id;
            bt.name = t.name;
            bt.status = t.status;
            bt.type = brief_shown(*teams, t.row, "team_type");
            bt.duty_phone = brief_raw(*teams, t.row, "duty_phone");
            bt.at = t.at;
            bt.reachable = t.reachable;
            bt.eta_min = brief_finite_or_none(t.eta_s, 60);
            bt.road_km = brief_finite_or_none(t.road_m, 1000);
            bt.air_km = t.air_m / 1000;
            bt.route = t.route;
            b.teams.push_back(std::move(bt));
        }
        if (std::any_of(b.teams.begin(), b.teams.end(), [](const BriefTeam& t) { return !t.reachable; }))
            b.notes.push_back(tr("some teams cannot reach the incident by road: no ETA for them"));
    } else {
        b.notes.push_back(tr("no road graph: teams ranked by straight-line distance, no ETA"));
        const auto filter = query::Filter::compile(teams->kind(), query::FilterSpec{b.need, {}, {}});
        std::size_t rank = 0;
        for (const auto& h : query::nearest(*teams, b.at, request.teams, filter)) {
            BriefTeam bt;
            bt.rank = ++rank;
            bt.id = teams->id(h.row);
            bt.name = brief_record_name(*teams, h.row);
            bt.status = brief_shown(*teams, h.row, "status");
            bt.type = brief_shown(*teams, h.row, "team_type");
            bt.duty_phone = brief_raw(*teams, h.row, "duty_phone");
            bt.at = brief_point_of(*teams, h.row);
            bt.air_km = h.distance_m / 1000;
            b.teams.push_back(std::move(bt));
        }
    }
    for (auto& t : b.teams) t.assigned = open_dispatch.contains(t.id) && open_dispatch[t.id];
    if (teams && b.teams.empty())
        b.notes.push_back(b.need.empty() ? std::string(tr("no team has the capabilities asked"))
                                         : trf("no team has the capabilities asked ({})", b.need[0]));
    if (!b.need.empty()) {
        std::string needs;
        for (const auto& n : b.need) needs += (needs.empty() ? "" : ",") + n;
        b.notes.push_back(trf("teams ranked among those with capability {} (any status)", needs));
    }

    // The nearest warehouses, as the crow flies, with their stock lines as held.
    if (const model::Layer* w = layers.find(k_warehouses_kind)) {
        for (const auto& h : query::nearest(*w, b.at, request.warehouses)) {
            BriefWarehouse bw;
            bw.id = w->id(h.row);
            bw.name = brief_record_name(*w, h.row);
            bw.phone = brief_raw(*w, h.row, "phone");
            bw.at = brief_point_of(*w, h.row);
            bw.air_km = h.distance_m / 1000;
            const std::string stock = brief_raw(*w, h.row, "stock");
            if (!stock.empty()) {
                try {
                    for (const auto& s : dispatch::parse_stock(stock, trf("{} {} stock", "warehouses", bw.id)))
                        bw.stock.push_back({s.item, s.quantity, s.unit_text});
                } catch (const Error& e) {
                    b.notes.push_back(trf("stock unreadable: {}", e.what()));
                }
            }
            b.warehouses.push_back(std::move(bw));
        }
        b.notes.push_back(tr("warehouses listed by straight-line distance"));
    } else {
        b.notes.push_back(tr("the project has no warehouses layer"));
    }

    // The data date: the newest record update of the layers used.
    std::string newest;
    for (const std::string_view kind : {k_incidents_kind, k_teams_kind, k_dispatches_kind, k_warehouses_kind})
        brief_keep_newest(newest, layers.find(kind));
    b.data_date = bureau_time(newest).substr(0, 10);

    // The map: the incident, the top teams and the assigned teams' bases, with a margin.
    geo::BBox box{b.at.x, b.at.y, b.at.x, b.at.y};
    auto extend = [&](geo::Coord c) {
        box.min_x = std::min(box.min_x, c.x);
        box.min_y = std::min(box.min_y, c.y);
        box.max_x = std::max(box.max_x, c.x);
        box.max_y = std::max(box.max_y, c.y);
    };
    for (std::size_t i = 0; i < b.teams.size() && i < 5; ++i) extend(b.teams[i].at);
    for (const auto& a : b.assigned)
        if (a.at) extend(*a.at);
    for (const auto& z : b.map.zones) // the zones whole (a plume may reach far)
        for (const auto& ring : z.rings)
            for (const auto& c : ring) extend(c);
    const double span = std::max({box.max_x - box.min_x, box.max_y - box.min_y, 0.02});
    const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2, half = span * 0.6;
    b.map.extent = {cx - half, cy - half, cx + half, cy + half};
    if (const model::Layer* admin = layers.find("admin_areas"))
        for (std::size_t i = 0; i < admin->size(); ++i) {
            if (brief_raw(*admin, i, "level") != "county" || !admin->geometry(i).bbox().intersects(b.map.extent)) continue;
            b.map.areas.push_back({admin->id(i), brief_record_name(*admin, i), brief_rings_of(admin->geometry(i))});
        }
    if (const model::Layer* roads = layers.find("roads"))
        for (std::size_t i = 0; i < roads->size(); ++i) {
            if (!roads->geometry(i).bbox().intersects(b.map.extent)) continue;
            for (auto& l : brief_lines_of(roads->geometry(i))) b.map.roads.push_back(std::move(l));
        }
    return b;
}

nlohmann::ordered_json to_json(const IncidentBrief& b) {
    using json = nlohmann::ordered_json;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json j;
    j["title"] = b.title;
    j["incident"] = {{"id", b.incident_id},
                     {"title", b.incident_title},
                     {"type", b.type},
                     {"status", b.status},
                     {"severity", text(b.severity)},
                     {"material", text(b.material)},
                     {"un_number", text(b.un_number)},
                     {"cas", text(b.cas)},
                     {"description", text(b.description)},
                     {"reporter", text(b.reporter)},
                     {"lon", b.at.x},
                     {"lat", b.at.y},
                     {"county", text(b.county)},
                     {"reported_at", text(b.reported_at)},
                     {"opened_at", text(b.opened_at)},
                     {"closed_at", text(b.closed_at)}};
    j["need"] = b.need;
    j["by"] = b.by_road ? "road" : "air";
    json teams = json::array();
    for (const auto& t : b.teams)
        teams.push_back({{"rank", t.rank},
                         {"id", t.id},
                         {"name", t.name},
                         {"type", text(t.type)},
                         {"duty_phone", text(t.duty_phone)},
                         {"status", t.status},
                         {"lon", t.at.x},
                         {"lat", t.at.y},
                         {"reachable", t.reachable},
                         {"eta_min", opt(t.eta_min)},
                         {"road_km", opt(t.road_km)},
                         {"air_km", t.air_km},
                         {"assigned", t.assigned}});
    j["teams"] = std::move(teams);
    json assigned = json::array();
    for (const auto& a : b.assigned)
        assigned.push_back({{"dispatch_id", a.dispatch_id},
                            {"team_id", a.team_id},
                            {"team_name", a.team_name},
                            {"duty_phone", text(a.duty_phone)},
                            {"assigned_at", text(a.assigned_at)},
                            {"departed_at", text(a.departed_at)},
                            {"arrived_at", text(a.arrived_at)},
                            {"returned_at", text(a.returned_at)},
                            {"eta_min", opt(a.eta_min)}});
    j["assigned"] = std::move(assigned);
    json warehouses = json::array();
    for (const auto& w : b.warehouses) {
        json stock = json::array();
        for (const auto& s : w.stock) stock.push_back({{"item", s.item}, {"quantity", s.quantity}, {"unit", s.unit}});
        warehouses.push_back({{"id", w.id},
                              {"name", w.name},
                              {"phone", text(w.phone)},
                              {"lon", w.at.x},
                              {"lat", w.at.y},
                              {"air_km", w.air_km},
                              {"stock", std::move(stock)}});
    }
    j["warehouses"] = std::move(warehouses);
    json zones = json::array();
    for (const auto& z : b.map.zones)
        zones.push_back({{"tier", z.tier}, {"label", z.label}, {"distance_m", z.distance_m}, {"inside", z.inside}});
    j["zones"] = std::move(zones);
    j["staging"] = b.map.staging ? json{b.map.staging->x, b.map.staging->y} : json(nullptr);
    j["log"] = to_json(b.log)["events"];
    j["notes"] = b.notes;
    j["data_date"] = text(b.data_date);
    j["generated_at"] = text(b.generated_at);
    j["map"] = {{"extent", {b.map.extent.min_x, b.map.extent.min_y, b.map.extent.max_x, b.map.extent.max_y}},
                {"areas", b.map.areas.size()},
                {"road_lines", b.map.roads.size()}};
    return j;
}

std::string brief_file_name(std::string_view project_stem, std::string_view incident) {
    std::string name = project_stem.empty() ? std::string("brief-") : std::string(project_stem) + "-brief-";
    for (char c : incident) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return name + ".pdf";
}

} // namespace vigil::app
