/// @file
/// The viewer's state and commands: opening a project, visibility, filters, picking, nearest.

#include "app_state.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace vigil::viewer {

void AppState::open_project(const std::filesystem::path& path) {
    // The feed first: a change committed while the layers load is then read again (harmless)
    // rather than missed.
    m_live_job.wait(); // an update of the layers about to be replaced is dropped
    m_live_job = {};
    auto feed = std::make_shared<store::ChangeFeed>(path);
    auto project = store::Project::open(path);
    m_incident_types.clear();
    if (const auto incidents = project.catalog().find("incidents"))
        if (const auto f = incidents->field_index("incident_type")) m_incident_types = incidents->fields[*f].values;
    std::vector<LayerView> layers;
    for (const auto& info : project.layers()) {
        if (!project.catalog().find(info.kind)) continue;
        auto layer = project.load_layer(info.kind);
        LayerView v{layer, StyleResolver(layer->kind())};
        v.visible_count = layer->size();
        v.filter_fields = filterable_fields(*layer);
        layers.push_back(std::move(v));
    }
    std::stable_sort(layers.begin(), layers.end(),
                     [](const LayerView& a, const LayerView& b) { return a.kind().symbology.z_order < b.kind().symbology.z_order; });
    m_layers = std::move(layers);
    m_path = path;
    m_selection.reset();
    m_nearest.reset();
    m_measure = {};
    const LayerView* roads = layer("roads");
    m_roads->reset(roads ? roads->layer : nullptr, path); // a new load: the graph is obtained again on demand
    m_dispatch.reset();
    m_hazard.reset();
    m_choropleth.reset(); // the new layers have their catalogue styles
    m_check_job.wait();   // a report of the layers just replaced is dropped
    m_check_job = {};
    m_check.reset();
    m_check_error.clear();
    m_planner->reset();
    const LayerView* grids = layer("grids");
    m_grids = grids ? std::make_shared<const app::GridIndex>(grids->layer) : nullptr;
    m_as_of = app::today_utc();
    m_as_of_set = false;
    colour_hidden_hazards();
    m_feed = std::move(feed);
    m_pushed_seq = 0;
    m_live_status.clear();
    m_live_note = m_feed->note();
    ++m_data_revision;
    ++m_overlay_revision;
    zoom_home();
}

void AppState::reopen_project() {
    const geo::Coord centre = m_camera.center_lonlat();
    const double zoom = m_camera.zoom();
    std::vector<std::pair<std::string, bool>> shown;
    for (const auto& l : m_layers) shown.emplace_back(l.kind().kind, l.visible);
    open_project(m_path);
    for (const auto& [kind, visible] : shown)
        if (!visible && layer(kind)) set_visible(kind, false);
    m_camera.set_center_lonlat(centre);
    m_camera.set_zoom(zoom);
}

void AppState::colour_hidden_hazards() {
    m_ledger.reset();
    LayerView* records = layer("hidden_hazards");
    if (!records) return;
    m_ledger = app::hazard_ledger(layer_set(), m_as_of);
    // Each record in the catalogue's colour of its status on the day (an open record past its
    // deadline is overdue, whatever was typed); a state the catalogue gives no colour (not yet
    // found on the day) keeps the record's own look.
    records->styles.set_fill_override(nullptr);
    auto fills = std::make_shared<std::vector<Rgba>>(records->layer->size());
    for (std::size_t r = 0; r < fills->size(); ++r) {
        const auto colour = records->styles.colour_of_value(app::hazard_state_value(m_ledger->records[r].state));
        (*fills)[r] = colour ? *colour : records->styles.style(*records->layer, r).fill;
    }
    records->styles.set_fill_override(std::move(fills));
    ++records->revision;
}

void AppState::set_as_of(const std::string& date) {
    app::hazard_ledger({}, date); // refuses a date that is none, before anything changes
    m_as_of = date;
    m_as_of_set = true;
    colour_hidden_hazards();
    if (m_choropleth) set_choropleth(m_choropleth->measure);
}

void AppState::reset_as_of() {
    m_as_of = app::today_utc();
    m_as_of_set = false;
    colour_hidden_hazards();
    if (m_choropleth) set_choropleth(m_choropleth->measure);
}

std::string AppState::grid_text(const std::string& kind, std::size_t row) const {
    const LayerView* l = layer(kind);
    if (!m_grids || !l || row >= l->layer->size()) return {};
    const auto cell = m_grids->grid_of(*l->layer, row);
    if (!cell) return {};
    const app::GridCell& c = m_grids->cells()[*cell];
    std::string out = m_grids->path_text(*cell);
    if (!c.member.empty() || !c.phone.empty()) out += trf(" · grid member {}", c.member + (c.phone.empty() ? "" : " " + c.phone));
    return out;
}

void AppState::set_choropleth(ChoroplethMeasure measure) {
    LayerView* admin = layer("admin_areas");
    if (measure == ChoroplethMeasure::None) {
        if (admin && admin->styles.has_fill_override()) {
            admin->styles.set_fill_override(nullptr);
            ++admin->revision;
        }
        m_choropleth.reset();
        return;
    }
    if (!admin) throw UsageError(trf("choropleth: project '{}' has no admin_areas layer (the county polygons)", m_path.string()));
    if (!layer("enterprises")) throw UsageError(trf("choropleth: project '{}' has no enterprises layer", m_path.string()));
    Choropleth c = build_choropleth(statistics(), *admin->layer, measure);
    admin->styles.set_fill_override(std::make_shared<const std::vector<Rgba>>(c.row_fill));
    ++admin->revision;
    m_choropleth = std::move(c);
}

app::StatsResult AppState::statistics(app::StatsRequest q) const {
    if (q.as_of.empty()) q.as_of = m_as_of.empty() ? app::today_utc() : m_as_of;
    return app::statistics(q, layer_set());
}

app::LayerSet layer_set_of(const std::vector<LayerView>& layers) {
    app::LayerSet set;
    for (const auto& l : layers) set.add(l.layer);
    return set;
}

LayerView* AppState::layer(std::string_view kind) {
    for (auto& l : m_layers)
        if (l.kind().kind == kind) return &l;
    return nullptr;
}

const LayerView* AppState::layer(std::string_view kind) const {
    for (const auto& l : m_layers)
        if (l.kind().kind == kind) return &l;
    return nullptr;
}

geo::BBox AppState::home_extent() const {
    geo::BBox b;
    for (const auto& l : m_layers) b.add(l.layer->bounds());
    return b;
}

void AppState::zoom_home() {
    auto b = home_extent();
    if (!b.empty()) m_camera.fit(b);
}

void AppState::zoom_to_layer(std::string_view kind) {
    if (const LayerView* l = layer(kind)) {
        geo::BBox b;
        for (std::size_t r = 0; r < l->layer->size(); ++r)
            if (l->row_shown(r)) b.add(l->layer->geometry(r).bbox());
        if (!b.empty()) m_camera.fit(b);
    }
}

void AppState::zoom_to_selection() {
    if (!m_selection) return;
    const LayerView* l = layer(m_selection->kind);
    if (!l) return;
    geo::BBox b = l->layer->geometry(m_selection->row).bbox();
    if (b.empty()) return;
    if (b.min_x == b.max_x && b.min_y == b.max_y) {
        m_camera.set_center_lonlat({b.min_x, b.min_y});
        m_camera.set_zoom(std::max(m_camera.zoom(), 15.0));
    } else {
        m_camera.fit(b, 60, 17);
    }
}

void AppState::set_visible(std::string_view kind, bool visible) {
    if (LayerView* l = layer(kind)) {
        l->visible = visible;
        ++l->revision;
    }
}

void AppState::set_filter(std::string_view kind, const query::FilterSpec& spec) {
    LayerView* l = layer(kind);
    if (!l) throw UsageError(trf("no layer '{}' in this project", kind));
    auto filter = query::Filter::compile(l->kind(), spec);
    l->filter_spec = spec;
    l->styles.follow_filter(spec); // filtered to the quiet values: they are drawn as loud as the rest
    l->row_visible.clear();
    l->visible_count = l->layer->size();
    if (filter_excludes_everything(spec)) {
        l->row_visible.assign(l->layer->size(), 0);
        l->visible_count = 0;
    } else if (!filter.empty()) {
        l->row_visible.assign(l->layer->size(), 0);
        l->visible_count = 0;
        for (std::size_t r = 0; r < l->layer->size(); ++r)
            if (filter.accept(*l->layer, r)) {
                l->row_visible[r] = 1;
                ++l->visible_count;
            }
    }
    ++l->revision;
    if (m_selection && m_selection->kind == l->kind().kind && !l->row_shown(m_selection->row)) clear_selection();
}

bool AppState::select_id(std::string_view id) {
    for (const auto& l : m_layers)
        if (auto row = l.layer->find(id)) {
            select({l.kind().kind, *row});
            return true;
        }
    return false;
}

namespace {

double distance_px(geo::Coord a, geo::Coord b) { return std::hypot(a.x - b.x, a.y - b.y); }

double segment_distance_px(geo::Coord p, geo::Coord a, geo::Coord b) {
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    return distance_px(p, {a.x + t * dx, a.y + t * dy});
}

} // namespace

std::optional<Selection> AppState::pick(geo::Coord screen, double radius_px) const {
    const geo::Coord lonlat = m_camera.screen_to_lonlat(screen);
    const double r_world = radius_px * m_camera.world_per_pixel();
    geo::Coord w = geo::lonlat_to_mercator(lonlat);
    geo::Coord lo = geo::mercator_to_lonlat({w.x - r_world, w.y - r_world}), hi = geo::mercator_to_lonlat({w.x + r_world, w.y + r_world});
    const geo::BBox query{lo.x, lo.y, hi.x, hi.y};
    // Topmost layer first; within a layer the closest feature.
    for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
        const LayerView& l = *it;
        if (!l.visible) continue;
        std::optional<std::size_t> best;
        double best_d = radius_px;
        l.layer->index().search(query, [&](std::uint32_t row) {
            if (!l.row_shown(row)) return true;
            const geo::Geometry& g = l.layer->geometry(row);
            double d = 1e300;
            switch (geo::geometry_family(g.type)) {
            case geo::GeometryType::Point:
                for (auto c : g.coords) d = std::min(d, distance_px(screen, m_camera.lonlat_to_screen(c)));
                break;
            case geo::GeometryType::LineString:
                for (std::size_t r = 0; r < std::max<std::size_t>(g.ring_count(), 1); ++r) {
                    auto pts = g.ring_starts.empty() ? std::span<const geo::Coord>(g.coords) : g.ring(r);
                    for (std::size_t i = 1; i < pts.size(); ++i)
                        d = std::min(d,
                                     segment_distance_px(screen, m_camera.lonlat_to_screen(pts[i - 1]), m_camera.lonlat_to_screen(pts[i])));
                }
                break;
            default: break;
            }
            if (d <= best_d) {
                best_d = d;
                best = row;
            }
            return true;
        });
        if (best) return Selection{l.kind().kind, *best};
    }
    // Polygons last: a click inside a county selects the county only when nothing else is there.
    for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
        const LayerView& l = *it;
        if (!l.visible || l.kind().geometry != catalog::GeometryKind::Polygon) continue;
        std::optional<std::size_t> hit;
        l.layer->index().search(geo::BBox{lonlat.x, lonlat.y, lonlat.x, lonlat.y}, [&](std::uint32_t row) {
            if (l.row_shown(row) && geo::contains(l.layer->geometry(row), lonlat)) {
                hit = row;
                return false;
            }
            return true;
        });
        if (hit) return Selection{l.kind().kind, *hit};
    }
    return std::nullopt;
}

bool AppState::select_at(geo::Coord screen, double radius_px) {
    if (auto s = pick(screen, radius_px)) {
        select(*s);
        return true;
    }
    clear_selection();
    return false;
}

const NearestQuery& AppState::run_nearest(NearestQuery q) {
    q.results.clear();
    q.error.clear();
    if (const LayerView* l = layer(q.kind)) {
        try {
            auto filter = query::Filter::compile(l->kind(), q.filter);
            q.results = query::nearest(*l->layer, q.at, q.k, filter);
        } catch (const Error& e) {
            q.error = e.what();
        }
    } else {
        q.error = trf("this project has no layer '{}'", q.kind);
    }
    m_nearest = std::move(q);
    ++m_overlay_revision;
    return *m_nearest;
}

const DispatchSheet& AppState::run_dispatch(DispatchQuery q) {
    m_roads->start();
    if (const routing::RoadGraph* g = m_roads->graph()) {
        m_dispatch = viewer::run_dispatch(m_layers, *g, q);
    } else {
        m_dispatch = DispatchSheet{};
        m_dispatch->query = std::move(q);
        if (m_roads->building()) m_dispatch->pending = true;
        else m_dispatch->error = m_roads->error();
    }
    ++m_overlay_revision;
    return *m_dispatch;
}

void AppState::update_dispatch() {
    if (m_dispatch && m_dispatch->pending && !m_roads->building()) run_dispatch(m_dispatch->query);
}

const HazardResult& AppState::run_hazard(const HazardInputs& in) {
    m_hazard = viewer::run_hazard(m_layers, in);
    ++m_overlay_revision;
    return *m_hazard;
}

void AppState::start_check(const app::CheckRequest& q) {
    app::validate_check_request(q);
    // Refused rather than waited for: waiting would block the frame (in the browser, the page).
    if (check_running()) throw UsageError(tr("a data check is already running: wait for its report"));
    m_check_error.clear();
    m_check_job = platform::BackgroundJob<app::CheckResult>::start([q, set = layer_set()] { return app::run_checks(q, set); });
}

bool AppState::update_check() {
    if (!m_check_job.ready()) return false;
    try {
        m_check = m_check_job.take();
    } catch (const std::exception& e) {
        m_check_error = e.what();
    }
    return true;
}

void AppState::wait_check() {
    m_check_job.wait();
    update_check();
}

void AppState::ask_plan(PlanQuestion q) {
    m_planner->ask(std::move(q), layer_set(), *m_roads);
    ++m_overlay_revision;
}

void AppState::update_planning() {
    if (m_planner->update(*m_roads)) ++m_overlay_revision;
}

void AppState::wait_planning() {
    m_planner->wait(*m_roads);
    ++m_overlay_revision;
}

bool AppState::select_finding(const app::CheckFinding& f) {
    const LayerView* l = layer(f.kind);
    if (!l) return false;
    // The row the report names, unless the layers changed since: then the record by its id.
    std::optional<std::size_t> row;
    if (f.row < l->layer->size() && l->layer->id(f.row) == f.id) row = f.row;
    else row = l->layer->find(f.id);
    if (!row) return false;
    if (!l->visible) set_visible(f.kind, true);
    select_and_zoom({f.kind, *row});
    return true;
}

// --- following the database live ----------------------------------------------------------------

bool AppState::update_live() {
    collect_replay();
    // Replaying: the view shows the past; the feed's cursor stays until back_to_live().
    if (!m_feed || m_replay) return false;
    if (m_live_job.running()) {
        if (!m_live_job.ready()) return false;
        std::optional<app::LiveUpdate> update;
        try {
            update = m_live_job.take();
        } catch (const std::exception& e) {
            // Stop following rather than retry a failing read every frame; what is shown stays.
            m_live_note = trf("live updates stopped, reopen the project: {}", e.what());
            m_feed.reset();
            return false;
        }
        if (!update) return false;
        apply_live(*update);
        return true;
    }
    bool committed = false;
    try {
        committed = m_feed->poll();
    } catch (const std::exception& e) {
        m_live_note = trf("live updates stopped, reopen the project: {}", e.what());
        m_feed.reset();
        return false;
    }
    if (!committed) return false;
    m_live_job = platform::BackgroundJob<std::optional<app::LiveUpdate>>::start(
        [feed = m_feed, held = layer_set()] { return app::follow_changes(*feed, held); });
    return false;
}

void AppState::wait_live() {
    m_live_job.wait();
    update_live();
}

app::LiveUpdate AppState::apply_pushed(const app::LiveDelta& delta) {
    if (m_replay) {
        // Kept for back_to_live(): the past stays on screen meanwhile.
        m_pushed_held.push_back(delta);
        return {};
    }
    auto update = app::apply_delta(delta, layer_set(), nullptr);
    if (!update.layers.empty()) apply_live(update);
    if (update.need_reload.empty()) m_pushed_seq = std::max(m_pushed_seq, delta.last_seq);
    return update;
}

std::int64_t AppState::live_seq() const {
    if (!m_feed || !m_feed->followed()) return -1;
    return std::max(m_feed->cursor(), m_pushed_seq);
}

void AppState::apply_live(const app::LiveUpdate& u) {
    m_live_note = m_feed ? m_feed->note() : m_live_note;
    // The selected record, by id: its row may move or go.
    std::string selected_id;
    if (m_selection)
        if (const LayerView* l = layer(m_selection->kind); l && m_selection->row < l->layer->size())
            selected_id = l->layer->id(m_selection->row);
    std::string deselected;
    bool roads = false, ledger = false, choropleth_inputs = false, grids = false;
    for (const auto& change : u.layers) {
        if (!change.layer) continue;
        LayerView* view = layer(change.kind);
        if (!view) {
            // A kind the project did not have when it was opened (an import brought it): shown
            // in its catalogue z-order.
            LayerView v{change.layer, StyleResolver(change.layer->kind())};
            v.visible_count = change.layer->size();
            v.filter_fields = filterable_fields(*change.layer);
            auto at = std::upper_bound(m_layers.begin(), m_layers.end(), v.kind().symbology.z_order,
                                       [](int z, const LayerView& l) { return z < l.kind().symbology.z_order; });
            m_layers.insert(at, std::move(v));
        } else {
            const bool same_kind = view->layer->kind_ptr() == change.layer->kind_ptr();
            view->layer = change.layer;
            if (!same_kind) { // an import redefined the kind: its styles and filterable fields too
                view->styles = StyleResolver(change.layer->kind());
                view->filter_fields = filterable_fields(*change.layer);
            }
            view->styles.set_fill_override(nullptr); // recomputed below where one applies
        }
        // The selection follows its record to its new row (before the filter, which deselects
        // a record it hides).
        if (m_selection && m_selection->kind == change.kind) {
            if (auto row = layer(change.kind)->layer->find(selected_id)) {
                m_selection->row = *row;
            } else {
                deselected = selected_id;
                m_selection.reset();
            }
        }
        LayerView* shown = layer(change.kind);
        try {
            set_filter(change.kind, shown->filter_spec); // the filter over the new records; bumps the revision
        } catch (const Error&) {
            set_filter(change.kind, {}); // a redefined kind lost a filtered field or value: all shown
        }
        roads = roads || change.kind == "roads";
        ledger = ledger || change.kind == "hidden_hazards";
        grids = grids || change.kind == "grids";
        choropleth_inputs = choropleth_inputs || change.kind == "enterprises" || change.kind == "admin_areas" ||
                            change.kind == "hidden_hazards" || change.kind == "grids";
    }
    if (grids) {
        const LayerView* g = layer("grids");
        m_grids = g ? std::make_shared<const app::GridIndex>(g->layer) : nullptr;
    }
    if (ledger) colour_hidden_hazards();
    if (m_choropleth && choropleth_inputs) {
        try {
            set_choropleth(m_choropleth->measure);
        } catch (const Error&) {
            set_choropleth(ChoroplethMeasure::None);
        }
    }
    if (roads) {
        const LayerView* r = layer("roads");
        m_roads->reset(r ? r->layer : nullptr, m_path); // the graph is built again on the next question
    }
    // The answers on screen, asked again over the new records: a team just deployed leaves an
    // "available only" ranking without anyone asking.
    if (m_nearest) run_nearest(*m_nearest);
    if (m_dispatch && !m_dispatch->pending) run_dispatch(m_dispatch->query);
    if (m_hazard) run_hazard(m_hazard->inputs);
    m_live_status = app::live_update_text(u);
    if (!deselected.empty()) m_live_status += trf(" · the selected record {} was deleted", deselected);
    ++m_data_revision;
    ++m_overlay_revision;
}

} // namespace vigil::viewer

namespace vigil::viewer {

// --- replay ----------------------------------------------------------------------------------------

bool AppState::request_replay(const std::string& typed_time) {
    m_replay_error.clear();
    std::string at;
    try {
        at = app::utc_of_typed_time(typed_time);
    } catch (const std::exception& e) {
        m_replay_error = e.what();
        return false;
    }
    if (!m_edits.read_audit_after(at)) {
        m_replay_error = m_edits.can_read_audit() ? tr("the audit read did not start (another read or edit is in flight)")
                                                  : tr("this view cannot read the audit (read-only, or not signed in)");
        return false;
    }
    m_replay_asked = {at, typed_time};
    return true;
}

void AppState::collect_replay() {
    if (!m_replay_asked) return;
    auto rows = m_edits.take_audit();
    if (!rows) {
        if (!m_edits.audit_error().empty()) {
            m_replay_error = trf("replay failed: {}", m_edits.audit_error());
            m_replay_asked.reset();
        }
        return;
    }
    auto [at, typed] = *std::exchange(m_replay_asked, std::nullopt);
    if (m_replay) back_to_live(); // a replay is always computed from the live layers
    try {
        show_replay(app::replay_at(layer_set(), std::move(*rows), at), typed);
    } catch (const std::exception& e) {
        m_replay_error = trf("replay failed: {}", e.what());
    }
}

void AppState::show_replay(const app::Replay& replay, const std::string& typed) {
    if (m_replay) back_to_live();
    app::LiveUpdate past;
    std::vector<app::LiveLayer> held;
    for (const auto& l : replay.layers) {
        const LayerView* view = layer(l->kind().kind);
        if (!view) continue;
        held.push_back({l->kind().kind, view->layer, true, {}, {}});
        past.layers.push_back({l->kind().kind, l, true, {}, {}});
    }
    apply_live(past);
    m_live_held = std::move(held);
    m_replay = ReplayShown{replay.at, typed, replay.undone, replay.records, replay.notes};
    m_live_status = trf("replay {} · edits undone: {} · records that differ from now: {}", typed, replay.undone, replay.records.size());
}

void AppState::back_to_live() {
    if (!m_replay) return;
    app::LiveUpdate now;
    now.layers = std::exchange(m_live_held, {});
    m_replay.reset();
    apply_live(now);
    m_live_status = tr("back to live");
    for (const auto& delta : std::exchange(m_pushed_held, {})) apply_pushed(delta);
}

// --- dispatchers' edits ---------------------------------------------------------------------------

bool AppState::edit_team_status(const std::string& team, const std::string& status) {
    const LayerView* teams = layer("rescue_teams");
    if (!teams) return false;
    const auto row = teams->layer->find(team);
    const auto field = teams->kind().field_index("status");
    if (!row || !field) return false;
    // What this view shows is what the dispatcher decided on: the edit names the value that
    // showed, and the service refuses it if the team has moved on since.
    app::TeamStatusCommand command;
    command.team = team;
    command.status = status;
    command.shown = model::to_text(teams->layer->value(*row, *field));
    return m_edits.start({std::move(command), ""});
}

bool AppState::open_incident_at(geo::Coord at, const std::string& type, const std::string& material) {
    app::IncidentOpen request;
    request.at = at;
    request.type = type;
    request.material = material;
    request.reporter = m_edits.editor().user;
    return m_edits.start({app::IncidentOpenCommand{std::move(request)}, ""});
}

bool AppState::assign_teams(const std::string& incident, const std::vector<std::string>& teams) {
    app::AssignCommand command;
    command.incident = incident;
    command.teams = teams;
    // The ETAs the dispatcher saw: those of the answer on screen (same road graph, same moment),
    // kept only for an incident at that answer's point (app::etas_seen_at).
    if (m_dispatch && m_dispatch->error.empty() && !m_dispatch->pending) {
        command.etas_at = m_dispatch->query.at;
        for (const auto& t : m_dispatch->teams)
            if (t.reachable && std::isfinite(t.eta_s)) command.etas_seen[t.id] = t.eta_s;
    }
    return m_edits.start({std::move(command), ""});
}

} // namespace vigil::viewer
