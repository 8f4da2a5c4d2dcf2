/// @file
/// The dispatcher's flow in five actions: where, what, answer, assign, brief.

#include "incident_flow.hpp"

#include "app_state.hpp"

#include <vigil/app/edits.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::viewer {

namespace {

void say(IncidentFlow& flow, std::string message, bool error) {
    flow.message = std::move(message);
    flow.message_is_error = error;
}

std::string last_change(AppState& state) {
    const auto& last = state.edits().last();
    return last ? last->change_id : std::string();
}

/// The incident type for the flow's material: a hazardous-materials leak when there is one.
std::string incident_type(const AppState& state, const IncidentFlow& flow) {
    const auto& types = state.incident_types();
    if (types.empty()) return {};
    if (flow.material)
        for (const auto& t : types)
            if (t.value == "hazmat_leak" || t.label.zh == "危化品泄漏") return t.value; // i18n: not shown: a catalogue label matched
    for (const auto& t : types)
        if (t.value == "other" || t.label.zh == "其他") return t.value; // i18n: not shown: a catalogue label matched
    return types.front().value;
}

/// The zones, the ranking and the supplies at flow.place, with flow.material.
bool ask(AppState& state, IncidentFlow& flow, DispatchQuery base) {
    const app::IncidentPlace& place = *flow.place;
    std::vector<std::string> notes = place.assumptions;
    // The zones: ERG for the material's UN number, a large spill (a tanker or a tank).
    std::optional<HazardResult> zones;
    if (flow.material && flow.material->un > 0) {
        HazardInputs in;
        in.at = place.at;
        in.place = place.label;
        in.substance = *flow.material;
        in.model = HazardModel::Erg;
        in.large_spill = true;
        zones = state.run_hazard(in);
        notes.push_back(tr("taken as a large spill (a tanker or a tank)"));
        if (!zones->error.empty()) notes.push_back(trf("no zones: {}", zones->error));
    } else {
        state.clear_hazard();
        if (flow.material) notes.push_back(tr("the material has no UN number: no ERG zones"));
    }
    DispatchQuery q = zones && zones->error.empty() ? dispatch_query_for(*zones, std::move(base)) : std::move(base);
    q.at = place.at;
    q.place = place.label;
    if (!zones || !zones->error.empty()) q.closures.clear();
    if (text::trim(q.needs).empty() && flow.material) {
        std::string note;
        q.needs = app::supplies_for_guide(flow.material->guide, &note);
        if (!note.empty()) notes.push_back(note);
    }
    q.top_n = static_cast<std::size_t>(std::max(flow.assign_n, 1));
    state.run_dispatch(std::move(q));
    flow.assumptions = std::move(notes);
    flow.fit_pending = true;
    const std::string material = !flow.material                                                              ? std::string()
                                 : i18n::language() == i18n::Language::en && !flow.material->name_en.empty() ? flow.material->name_en
                                                                                                             : flow.material->name_zh;
    say(flow, material.empty() ? trf("answered: {}", place.label) : trf("answered: {} · {}", place.label, material), false);
    return true;
}

/// The material typed (nothing typed: no zones, the teams and supplies of the form), then the
/// answer for a new incident at `place` (step 4 opens it; one loaded by id is answered by
/// load_incident).
bool ask_new(AppState& state, IncidentFlow& flow, app::IncidentPlace place, DispatchQuery base) {
    flow.material.reset();
    if (!text::trim(flow.material_text).empty()) {
        const auto found = search_substances(flow.material_text, 1);
        if (found.empty()) {
            say(flow, trf("“{}”: no material by that Chinese name, UN or CAS number", flow.material_text), true);
            return false;
        }
        flow.material = found.front();
    }
    flow.incident.clear();
    flow.assigned.clear();
    flow.place = std::move(place);
    return ask(state, flow, std::move(base));
}

} // namespace


bool answer_incident(AppState& state, IncidentFlow& flow, DispatchQuery base) {
    flow.assumptions.clear();
    // Where.
    app::IncidentPlace place;
    try {
        place = app::locate_incident(state.layer_set(), flow.place_text, flow.datum);
    } catch (const Error& e) {
        place.error = e.what();
    }
    if (!place.ok()) {
        say(flow, place.error, true);
        return false;
    }
    return ask_new(state, flow, std::move(place), std::move(base));
}

bool answer_incident_at(AppState& state, IncidentFlow& flow, geo::Coord at, DispatchQuery base) {
    char typed[64];
    std::snprintf(typed, sizeof typed, "WGS84 %.6f,%.6f", at.x, at.y);
    flow.place_text = typed;
    flow.assumptions.clear();
    app::IncidentPlace place;
    try {
        place = app::locate_incident(state.layer_set(), flow.place_text, app::PlaceDatum::Wgs84); // the county
    } catch (const Error& e) {
        place.error = e.what();
    }
    if (!place.ok()) {
        say(flow, place.error, true);
        return false;
    }
    place.at = at;
    place.label = tr("map click");
    place.how = tr("click");
    return ask_new(state, flow, std::move(place), std::move(base));
}

bool load_incident(AppState& state, IncidentFlow& flow, const std::string& id, DispatchQuery base) {
    const LayerView* incidents = state.layer("incidents");
    const auto row = incidents ? incidents->layer->find(id) : std::nullopt;
    if (!row || incidents->layer->geometry(*row).is_empty()) {
        say(flow, trf("no incident '{}' in this project", id), true);
        return false;
    }
    const model::Layer& l = *incidents->layer;
    const geo::Geometry& g = l.geometry(*row);
    app::IncidentPlace place;
    place.at = g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g);
    place.label = l.text(*row, "title").empty() ? id : l.text(*row, "title");
    place.how = tr("incident");
    place.kind = "incidents";
    place.id = id;
    flow.place_text = place.label;
    flow.place = std::move(place);
    flow.incident = id;
    flow.assigned.clear();
    // The material as recorded: its name, else its UN or CAS number.
    flow.material.reset();
    for (const char* field : {"material", "un_number", "cas"}) {
        const std::string v = l.text(*row, field);
        if (v.empty()) continue;
        const auto found = search_substances(v, 1);
        if (found.empty()) continue;
        flow.material_text = v;
        flow.material = found.front();
        break;
    }
    return ask(state, flow, std::move(base));
}

bool can_assign(AppState& state, const IncidentFlow& flow) {
    const auto& d = state.dispatch();
    return flow.place && d && !d->pending && d->error.empty() && state.edits().enabled() && !state.edits().busy() &&
           flow.to_assign.empty() && std::any_of(d->teams.begin(), d->teams.end(), [](const DispatchTeam& t) { return t.reachable; });
}

bool assign_top_teams(AppState& state, IncidentFlow& flow) {
    if (!can_assign(state, flow)) return false;
    std::vector<std::string> first;
    for (const auto& t : state.dispatch()->teams)
        if (t.reachable && first.size() < static_cast<std::size_t>(std::max(flow.assign_n, 1))) first.push_back(t.id);
    flow.seen_change = last_change(state);
    if (!flow.incident.empty()) {
        if (!state.assign_teams(flow.incident, first)) return false;
        flow.assigning = std::move(first);
        say(flow, tr("assigning…"), false);
        return true;
    }
    app::IncidentOpen request;
    request.at = flow.place->at;
    request.type = incident_type(state, flow);
    request.title = flow.place->label;
    if (flow.material) {
        request.material = flow.material->name_zh.empty() ? flow.material->name_en : flow.material->name_zh;
        if (flow.material->un > 0) request.un_number = std::to_string(flow.material->un);
        request.cas = flow.material->cas;
    }
    request.reporter = state.edits().editor().user;
    if (!state.edits().start({app::IncidentOpenCommand{std::move(request)}, ""})) return false;
    flow.to_assign = std::move(first);
    say(flow, tr("opening the incident…"), false);
    return true;
}

bool can_save_brief(AppState& state, const IncidentFlow& flow) {
    return !flow.incident.empty() && state.edits().can_brief() && !state.edits().brief_pending() && !state.edits().busy() &&
           flow.to_assign.empty();
}

bool save_incident_brief(AppState& state, IncidentFlow& flow) {
    if (!can_save_brief(state, flow) || !state.edits().request_brief(flow.incident)) return false;
    say(flow, tr("making the brief…"), false);
    return true;
}

geo::BBox incident_extent(const AppState& state, const IncidentFlow& flow, std::size_t top_n) {
    geo::BBox box;
    if (!flow.place) return box;
    box.add(flow.place->at);
    if (const auto& h = state.hazard())
        for (const auto& z : h->zones)
            if (!z.polygon.is_empty() && z.kind != "uncertainty") box.add(z.polygon.bbox());
    if (const auto& d = state.dispatch()) {
        std::size_t n = 0;
        for (const auto& t : d->teams)
            if (t.reachable && n++ < top_n) box.add(t.at);
    }
    return box;
}

void update_incident_flow(AppState& state, IncidentFlow& flow) {
    EditDesk& desk = state.edits();
    const bool busy = desk.busy(); // collects a finished edit
    if (const auto& last = desk.last();
        last && !busy && last->change_id != flow.seen_change && (!flow.to_assign.empty() || !flow.assigning.empty())) {
        flow.seen_change = last->change_id;
        if (last->operation == "incident_open" && !last->incident.empty() && !flow.to_assign.empty()) {
            flow.incident = last->incident;
            auto teams = std::move(flow.to_assign);
            flow.to_assign.clear();
            if (state.assign_teams(flow.incident, teams)) {
                flow.seen_change = last->change_id;
                flow.assigning = std::move(teams);
                say(flow, trf("incident {} opened; assigning…", flow.incident), false);
            } else {
                say(flow, trf("incident {} opened, the assignment did not start: {}", flow.incident, desk.message()), true);
            }
        } else if (last->operation == "dispatch_assign") {
            for (auto& t : flow.assigning) flow.assigned.push_back(std::move(t));
            flow.assigning.clear();
            say(flow, trf("assigned {} teams to {}", flow.assigned.size(), flow.incident), false);
        }
    }
    if (!busy && desk.refused() && (!flow.to_assign.empty() || !flow.assigning.empty())) {
        flow.to_assign.clear();
        flow.assigning.clear();
        say(flow, desk.message(), true);
    }
    // The map goes to the incident once the answer is in.
    if (flow.fit_pending && flow.layout_known && state.dispatch() && !state.dispatch()->pending) {
        flow.fit_pending = false;
        geo::BBox box = incident_extent(state, flow, state.dispatch()->query.top_n);
        if (box.empty()) return;
        // Room for the panels: widen the box on each side by the share of the width they cover
        // there, so that the box itself lands in the free part of the map.
        Camera& cam = state.camera();
        const double w = cam.width();
        const double left = std::max(0.0, flow.covered_left_px), right = std::max(0.0, flow.covered_right_px);
        if (left + right < w * 0.8) {
            const double free = w - left - right;
            const double span = box.max_x - box.min_x + 0.005; // degrees; a single point gets some room
            const double min_x = box.min_x - span * left / free, max_x = box.max_x + span * right / free;
            box.min_x = min_x;
            box.max_x = max_x;
        }
        cam.fit(box, 40, 15);
    }
}

} // namespace vigil::viewer
