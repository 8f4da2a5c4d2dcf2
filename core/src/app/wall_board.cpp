#include <vigil/app/wall_board.hpp>

#include "civil_dates.hpp"
#include "record_fields.hpp"

#include <vigil/app/hazard_ledger.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/model/value.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace vigil::app {

namespace {

/// Counts of `field`'s values over the layer, in the catalogue's order, with `skip` left out (its
/// count returned in `skipped`), and "unknown" last for any record whose value is missing or not
/// the catalogue's (safe side: counted, not dropped).
std::vector<WallCount> count_by(const model::Layer* layer, std::string_view field, std::string_view unknown_label,
                                std::string_view skip = {}, std::size_t* skipped = nullptr) {
    std::vector<WallCount> out;
    if (!layer) return out;
    const auto index = layer->kind().field_index(field);
    if (!index) return out;
    const catalog::Field& f = layer->kind().fields[*index];
    const catalog::Symbology& sym = layer->kind().symbology;
    std::map<std::string, std::size_t, std::less<>> slot;
    for (const auto& v : f.values) {
        if (v.value == skip) continue;
        WallCount c;
        c.value = v.value;
        c.label = v.label.text().empty() ? v.value : v.label.text();
        if (sym.color_field == field)
            if (auto it = sym.colors.find(v.value); it != sym.colors.end()) c.colour = it->second;
        slot[v.value] = out.size();
        out.push_back(std::move(c));
    }
    WallCount unknown{"unknown", std::string(unknown_label), {}, 0};
    for (std::size_t r = 0; r < layer->size(); ++r) {
        const std::string value = layer->text(r, field);
        if (!skip.empty() && value == skip) {
            if (skipped) ++*skipped;
            continue;
        }
        if (auto it = slot.find(value); it != slot.end()) ++out[it->second].count;
        else ++unknown.count;
    }
    if (unknown.count > 0) out.push_back(std::move(unknown));
    return out;
}


} // namespace

std::optional<std::int64_t> utc_seconds(std::string_view iso) {
    const auto day = civil_dates::parse_civil(iso);
    if (!day) return std::nullopt;
    const std::int64_t days = civil_dates::days_from_civil(day->y, day->m, day->d);
    if (iso.size() == 10) return days * 86400;
    if (iso.size() < 16 || (iso[10] != 'T' && iso[10] != ' ') || iso[13] != ':') return std::nullopt;
    auto two = [&](std::size_t at) -> std::optional<int> {
        if (at + 2 > iso.size() || iso[at] < '0' || iso[at] > '9' || iso[at + 1] < '0' || iso[at + 1] > '9') return std::nullopt;
        return (iso[at] - '0') * 10 + (iso[at + 1] - '0');
    };
    const auto h = two(11), mi = two(14);
    std::optional<int> s = 0;
    if (iso.size() >= 19 && iso[16] == ':') s = two(17);
    if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
    return days * 86400 + *h * 3600 + *mi * 60 + *s;
}

std::string utc_iso(std::int64_t seconds) {
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t in_day = seconds - days * 86400;
    const auto c = civil_dates::civil_from_days(days);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m, c.d, in_day / 3600, in_day / 60 % 60, in_day % 60);
}

WallBoard wall_board(const LayerSet& layers, const WallBoardRequest& request) {
    WallBoard b;
    b.enterprises_by_risk = count_by(layers.find("enterprises"), "risk_level", trc("wall board", "unclassified"));
    b.hazard_sources_by_grade =
        count_by(layers.find("hazard_sources"), "grade", trc("wall board", "unclassified"), "not_major", &b.hazard_sources_below);
    b.teams_by_status = count_by(layers.find("rescue_teams"), "status", trc("wall board", "status unknown"));
    for (const auto* figures : {&b.enterprises_by_risk, &b.hazard_sources_by_grade, &b.teams_by_status})
        if (!figures->empty() && figures->back().value == "unknown")
            b.notes.emplace_back(tr("records without a known class are counted as unknown"));
    std::sort(b.notes.begin(), b.notes.end());
    b.notes.erase(std::unique(b.notes.begin(), b.notes.end()), b.notes.end());

    if (layers.find("hidden_hazards") || layers.find("enterprises")) {
        const HazardLedger ledger = hazard_ledger(layers, request.as_of);
        b.overdue_hidden_hazards = ledger.overdue;
        for (auto& n : ledger.notes()) b.notes.push_back(std::move(n));
    }

    // Open incidents, and the open dispatches of each.
    const model::Layer* incidents = layers.find("incidents");
    const model::Layer* dispatches = layers.find("dispatches");
    const model::Layer* teams = layers.find("rescue_teams");
    std::map<std::string, std::size_t, std::less<>> open_index;
    if (incidents)
        for (std::size_t r = 0; r < incidents->size(); ++r) {
            if (incidents->text(r, "status") == "closed") continue;
            WallIncident i;
            i.id = incidents->id(r);
            i.title = incidents->text(r, "title");
            i.type = record_fields::shown(*incidents, r, "incident_type");
            i.material = incidents->text(r, "material");
            i.status = record_fields::shown(*incidents, r, "status");
            i.at = geo::representative_point(incidents->geometry(r));
            i.reported_at = incidents->text(r, "reported_at");
            std::string since = incidents->text(r, "opened_at");
            if (since.empty()) since = i.reported_at;
            i.since_s = utc_seconds(since).value_or(0);
            b.incidents.push_back(std::move(i));
        }
    std::stable_sort(b.incidents.begin(), b.incidents.end(),
                     [](const WallIncident& x, const WallIncident& y) { return x.since_s > y.since_s; });
    for (std::size_t i = 0; i < b.incidents.size(); ++i) open_index[b.incidents[i].id] = i;

    if (dispatches)
        for (std::size_t r = 0; r < dispatches->size(); ++r) {
            const std::string incident = dispatches->text(r, "incident_id");
            const auto open = open_index.find(incident);
            if (open == open_index.end() || !dispatches->text(r, "returned_at").empty()) continue;
            ++b.incidents[open->second].teams_out;
            WallCountdown c;
            c.incident_id = incident;
            c.team_id = dispatches->text(r, "team_id");
            c.team_name = c.team_id;
            if (teams)
                if (const auto t = teams->find(c.team_id)) {
                    c.team_name = record_fields::name_or_id(*teams, *t);
                    c.duty_phone = teams->text(*t, "duty_phone");
                    c.team_at = geo::representative_point(teams->geometry(*t));
                }
            c.assigned_s = utc_seconds(dispatches->text(r, "assigned_at")).value_or(0);
            c.departed = !dispatches->text(r, "departed_at").empty();
            c.arrived = !dispatches->text(r, "arrived_at").empty();
            if (const auto eta = record_fields::number(*dispatches, r, "eta_s"); eta && c.assigned_s > 0)
                c.due_s = c.assigned_s + static_cast<std::int64_t>(*eta + 0.5);
            b.countdowns.push_back(std::move(c));
        }
    std::stable_sort(b.countdowns.begin(), b.countdowns.end(), [](const WallCountdown& x, const WallCountdown& y) {
        if (x.arrived != y.arrived) return !x.arrived; // still on the way first
        if (x.due_s.has_value() != y.due_s.has_value()) return x.due_s.has_value();
        return x.due_s.value_or(0) < y.due_s.value_or(0);
    });
    return b;
}

nlohmann::ordered_json to_json(const WallBoard& b) {
    auto counts = [](const std::vector<WallCount>& v) {
        auto a = nlohmann::ordered_json::array();
        for (const auto& c : v) a.push_back({{"value", c.value}, {"label", c.label}, {"colour", c.colour}, {"count", c.count}});
        return a;
    };
    nlohmann::ordered_json j;
    j["enterprises_by_risk"] = counts(b.enterprises_by_risk);
    j["hazard_sources_by_grade"] = counts(b.hazard_sources_by_grade);
    j["hazard_sources_below"] = b.hazard_sources_below;
    j["teams_by_status"] = counts(b.teams_by_status);
    j["open_incidents"] = b.open_incidents();
    auto incidents = nlohmann::ordered_json::array();
    for (const auto& i : b.incidents)
        incidents.push_back({{"id", i.id},
                             {"title", i.title},
                             {"type", i.type},
                             {"material", i.material},
                             {"status", i.status},
                             {"lon", i.at.x},
                             {"lat", i.at.y},
                             {"since", i.since_s ? utc_iso(i.since_s) : ""},
                             {"teams_out", i.teams_out}});
    j["incidents"] = std::move(incidents);
    j["overdue_hidden_hazards"] = b.overdue_hidden_hazards;
    auto countdowns = nlohmann::ordered_json::array();
    for (const auto& c : b.countdowns) {
        nlohmann::ordered_json o{{"incident", c.incident_id},  {"team", c.team_id},      {"team_name", c.team_name},
                                 {"duty_phone", c.duty_phone}, {"departed", c.departed}, {"arrived", c.arrived}};
        o["assigned_at"] = c.assigned_s ? utc_iso(c.assigned_s) : "";
        o["due_at"] = c.due_s ? nlohmann::ordered_json(utc_iso(*c.due_s)) : nlohmann::ordered_json(nullptr);
        countdowns.push_back(std::move(o));
    }
    j["countdowns"] = std::move(countdowns);
    j["notes"] = b.notes;
    return j;
}

} // namespace vigil::app
