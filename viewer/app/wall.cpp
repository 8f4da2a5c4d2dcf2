#include "wall.hpp"

#include "app_state.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

namespace vigil::viewer {

WallSizing wall_sizing(int screen_px, double screen_width_m, double distance_m) {
    WallSizing s;
    s.width_assumed = !(screen_width_m > 0);
    s.screen_width_m = s.width_assumed ? screen_px * 0.0254 / 96 : screen_width_m;
    const double px_per_m = screen_px / s.screen_width_m;
    s.px_per_arcmin = 2 * distance_m * std::tan(0.5 / 60 * std::numbers::pi / 180) * px_per_m;
    // The body font's em so that a Chinese character's ink reaches 20′, in framebuffer pixels;
    // the UI scale takes the desktop's 16-pixel font there (never below the desktop's sizes).
    const double text_em = k_text_arcmin * s.px_per_arcmin / k_cjk_ink_per_font_px;
    s.ui_scale = static_cast<float>(std::max(1.0, text_em / 16));
    s.font_px = 16;
    const double kpi_em = k_kpi_digit_arcmin * s.px_per_arcmin / k_digit_ink_per_font_px;
    s.kpi_font_px = static_cast<float>(std::max(32.0, std::ceil(kpi_em / s.ui_scale)));
    s.min_marker_px = static_cast<float>(std::max(8.0, std::ceil(k_marker_arcmin * s.px_per_arcmin / s.ui_scale)));
    return s;
}

double parse_metres(const std::string& typed, const std::string& what) {
    std::string t = text::fold_number_text(typed);
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    double factor = 1;
    auto ends = [&](std::string_view suffix) {
        return t.size() > suffix.size() && t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends("cm")) factor = 0.01, t.resize(t.size() - 2);
    else if (ends("mm")) factor = 0.001, t.resize(t.size() - 2);
    else if (ends("米")) t.resize(t.size() - std::string_view("米").size()); // i18n: not shown: a unit as typed
    else if (ends("m")) t.resize(t.size() - 1);
    const auto v = text::parse_double(t);
    if (!v || !(*v * factor > 0.1) || *v * factor > 1000)
        throw UsageError(trf("{} {}: expected metres, e.g. 5m or 2.2 (0.1 to 1000)", what, typed));
    return *v * factor;
}

std::vector<TourStop> parse_tour(const std::string& json_text, const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("{}: not JSON: {}", source, e.what()));
    }
    if (j.is_object() && j.contains("stops")) j = j["stops"];
    if (!j.is_array() || j.empty())
        throw FormatError(trf("{}: expected an array of views [{{\"name\", \"view\": \"LON,LAT,ZOOM\", \"seconds\"}}]", source));
    std::vector<TourStop> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& s = j[i];
        const std::string where = trf("{} view {}", source, i + 1);
        if (!s.is_object()) throw FormatError(trf("{}: expected an object", where));
        TourStop stop;
        stop.name = s.value("name", trf("view {}", i + 1));
        std::optional<double> lon, lat, zoom;
        if (s.contains("view")) {
            if (!s["view"].is_string()) throw FormatError(trf("{}: view must be text \"LON,LAT,ZOOM\"", where));
            const auto parts = text::split(text::fold_number_text(s["view"].get<std::string>()), ',');
            if (parts.size() == 3)
                lon = text::parse_double(parts[0]), lat = text::parse_double(parts[1]), zoom = text::parse_double(parts[2]);
        } else {
            auto num = [&](const char* k) -> std::optional<double> {
                if (s.contains(k) && s[k].is_number()) return s[k].get<double>();
                return std::nullopt;
            };
            lon = num("lon"), lat = num("lat"), zoom = num("zoom");
        }
        if (!lon || !lat || !zoom || std::fabs(*lon) > 180 || std::fabs(*lat) > 85 || *zoom < 2 || *zoom > 20)
            throw FormatError(trf("{}: needs a view LON,LAT,ZOOM (or lon, lat, zoom), zoom 2..20", where));
        stop.center = {*lon, *lat};
        stop.zoom = *zoom;
        if (s.contains("seconds")) {
            if (!s["seconds"].is_number() || s["seconds"].get<double>() < 3 || s["seconds"].get<double>() > 3600)
                throw FormatError(trf("{}: seconds must be 3 to 3600", where));
            stop.seconds = s["seconds"].get<double>();
        }
        out.push_back(std::move(stop));
    }
    return out;
}

std::vector<TourStop> read_tour(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError(trf("cannot read the tour file '{}'", file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_tour(text.str(), file.string());
}

bool Flight::apply(Camera& cam, double now_s) const {
    const double t = duration_s > 0 ? std::clamp((now_s - start_s) / duration_s, 0.0, 1.0) : 1.0;
    const double e = t * t * (3 - 2 * t); // smoothstep
    const geo::Coord c{from_world.x + (to_world.x - from_world.x) * e, from_world.y + (to_world.y - from_world.y) * e};
    // Zoom: out to out_zoom at the middle, then in (a parabola through the three).
    const double base = from_zoom + (to_zoom - from_zoom) * e;
    const double dip = std::min(0.0, out_zoom - std::min(from_zoom, to_zoom)) * 4 * t * (1 - t);
    cam.set_center_lonlat(geo::mercator_to_lonlat(c));
    cam.set_zoom(base + dip);
    return t < 1;
}

Flight flight_to(const Camera& cam, geo::Coord lonlat, double zoom, double now_s, double duration_s) {
    Flight f;
    f.from_world = cam.center_world();
    f.to_world = geo::lonlat_to_mercator(lonlat);
    f.from_zoom = cam.zoom();
    f.to_zoom = zoom;
    // Far away (more than a screen at the lower zoom): zoom out enough to see both ends.
    const double lower = std::min(f.from_zoom, f.to_zoom);
    const double wpp = 2 * geo::k_web_mercator_half_world_m / (256.0 * std::exp2(lower));
    const double screens =
        std::hypot(f.to_world.x - f.from_world.x, f.to_world.y - f.from_world.y) / (wpp * std::max(1.0, cam.width() / cam.pixel_ratio()));
    f.out_zoom = screens > 1 ? lower - std::log2(screens) - 0.5 : lower; // both ends on screen half-way
    f.start_s = now_s;
    f.duration_s = duration_s;
    return f;
}

FileIdentity file_identity(const std::filesystem::path& path) {
    struct stat st {};
    FileIdentity id;
    if (::stat(path.c_str(), &st) != 0) return id;
    id.exists = true;
    id.device = st.st_dev;
    id.inode = st.st_ino;
    id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return id;
}

WallDirector::WallDirector(WallOptions options, std::vector<TourStop> tour) : m_options(std::move(options)), m_tour(std::move(tour)) {}

void WallDirector::refresh_board(AppState& state) {
    const std::string day = state.as_of();
    if (m_board_revision == state.data_revision() && m_board_day == day) return;
    m_board_revision = state.data_revision();
    m_board_day = day;
    m_board = app::wall_board(state.layer_set(), {day});
}

void WallDirector::focus_incident(AppState& state, const app::WallIncident& incident, double real_s) {
    m_focus = WallFocus::Incident;
    m_focus_incident = incident.id;
    m_focus_until = real_s + k_focus_s;
    ++m_incident_flights;
    // Its zones (the hazard panel's model for its material: ERG, large spill when unknown — the
    // safe side), and the routes of the teams assigned to it.
    state.clear_hazard();
    state.clear_dispatch();
    std::optional<HazardResult> zones;
    m_focus_zone_note = tr("no material known: no zones drawn");
    if (const LayerView* l = state.layer("incidents"))
        if (const auto row = l->layer->find(incident.id)) {
            std::string material = l->layer->text(*row, "un_number");
            if (material.empty()) material = l->layer->text(*row, "cas");
            if (material.empty()) material = l->layer->text(*row, "material");
            if (material.empty()) {
                // the note above stands
            } else if (const auto found = search_substances(material, 1); !found.empty()) {
                HazardInputs in;
                in.at = incident.at;
                in.place = incident.title.empty() ? incident.id : incident.title;
                in.substance = found.front();
                in.large_spill = true;
                zones = state.run_hazard(in);
                m_focus_zone_note = zones->error.empty() ? std::string() : trf("zones not computed: {}", zones->error);
            } else {
                m_focus_zone_note = trf("material not recognised “{}”: no zones drawn", material);
            }
        }
    std::vector<std::string> teams;
    for (const auto& c : m_board.countdowns)
        if (c.incident_id == incident.id) teams.push_back(c.team_id);
    if (!teams.empty() && state.layer("rescue_teams")) {
        DispatchQuery q;
        q.at = incident.at;
        q.place = incident.title;
        q.filter.where.push_back({"id", teams});
        q.top_n = teams.size();
        q.isochrone_minutes.clear();
        if (zones && zones->error.empty()) q = dispatch_query_for(*zones, q);
        state.run_dispatch(std::move(q));
    }
    // The incident, its zones and its teams' bases in view (the margin keeps them clear of the
    // band and the boxes under it); at least ~1 km around the incident, at most street level.
    geo::BBox box;
    box.add(incident.at);
    box.add(geo::Coord{incident.at.x - 0.006, incident.at.y - 0.005});
    box.add(geo::Coord{incident.at.x + 0.006, incident.at.y + 0.005});
    if (zones && zones->error.empty())
        for (const auto& z : zones->zones) box.add(z.polygon.bbox());
    for (const auto& c : m_board.countdowns)
        if (c.incident_id == incident.id && c.team_at) box.add(*c.team_at);
    // Fitted into the part of the picture the band, the boxes and the ticker leave free, then moved
    // so that it is centred there (the furniture covers more at the top than at the bottom).
    const double ratio = state.camera().pixel_ratio();
    const double covered_top = (m_covered_top + 2 * 16 + 40) * ratio, covered_bottom = m_covered_bottom * ratio; // + the incident's box
    Camera probe = state.camera();
    probe.set_viewport(probe.width(), std::max(probe.height() * 0.3, probe.height() - covered_top - covered_bottom));
    probe.fit(box, 48 * ratio, 15);
    geo::Coord centre = probe.center_world();
    centre.y += (covered_top - covered_bottom) / 2 * probe.world_per_pixel();
    m_flight = flight_to(state.camera(), geo::mercator_to_lonlat(centre), probe.zoom(), real_s, m_options.animate ? 2.5 : 0.0);
}

void WallDirector::watch_file(AppState& state, double real_s) {
    if (real_s < m_next_watch) return;
    m_next_watch = real_s + k_watch_s;
    const FileIdentity now = file_identity(state.project_path());
    if (m_loaded_file == FileIdentity{}) {
        m_loaded_file = now;
        return;
    }
    if (!now.exists) {
        m_data_warning = tr("the database file is gone; showing the data read before");
        m_changed_file.reset();
        return;
    }
    const bool replaced = now.device != m_loaded_file.device || now.inode != m_loaded_file.inode;
    const bool stopped = !state.live() && !state.live_note().empty() && state.live_note() != m_data_warning;
    if (!replaced && !stopped && m_data_warning.empty()) return;
    if (!replaced && !stopped && now == m_loaded_file) {
        // It came back as it was (moved away and back): carry on following it.
        m_data_warning.clear();
        return;
    }
    // Read it again once it holds still for one look (a copy in progress is not read half-way).
    if (!m_changed_file || !(*m_changed_file == now)) {
        m_changed_file = now;
        return;
    }
    try {
        state.reopen_project();
        m_loaded_file = now;
        m_changed_file.reset();
        m_data_warning.clear();
        m_board_revision.reset();
        m_known_incidents.clear();
        m_first = true; // what the new file holds is the new baseline, not a burst of "new" incidents
        ++m_reloads;
    } catch (const std::exception& e) {
        m_data_warning = trf("the database cannot be read; showing the data read before: {}", e.what());
        m_changed_file.reset();
    }
}

void WallDirector::prepare(AppState& state, double real_s) {
    watch_file(state, real_s);
    state.update_live();
    state.update_dispatch();
    refresh_board(state);
}

void WallDirector::update(AppState& state, double real_s) {
    prepare(state, real_s);

    // New open incidents since the last look (the first look is the baseline: the wall starts on
    // its tour, not on whatever was open when it was switched on).
    const app::WallIncident* newest = nullptr;
    for (const auto& i : m_board.incidents)
        if (m_known_incidents.insert(i.id).second && !m_first && (!newest || i.since_s >= newest->since_s)) newest = &i;
    if (m_first) {
        m_first = false;
        if (m_tour.empty() && m_focus == WallFocus::Home) { // at the wall's own scale
            if (const auto& home = m_options.home_view) {
                state.camera().set_center_lonlat(home->center);
                state.camera().set_zoom(home->zoom);
            } else {
                state.zoom_home();
            }
        }
        if (!m_tour.empty() && m_focus == WallFocus::Home) {
            m_focus = WallFocus::Tour;
            m_tour_index = 0;
            m_tour_until = real_s + m_tour.front().seconds;
            state.camera().set_center_lonlat(m_tour.front().center);
            state.camera().set_zoom(m_tour.front().zoom);
        }
    }
    if (!m_requested_focus.empty()) {
        for (const auto& i : m_board.incidents)
            if (i.id == m_requested_focus) newest = &i;
        m_requested_focus.clear();
    }
    if (newest) focus_incident(state, *newest, real_s);

    // The focused incident closed, or held long enough: back to the tour (or home).
    if (m_focus == WallFocus::Incident) {
        const bool open = std::any_of(m_board.incidents.begin(), m_board.incidents.end(),
                                      [&](const app::WallIncident& i) { return i.id == m_focus_incident; });
        if (!open || real_s >= m_focus_until) {
            m_focus_incident.clear();
            state.clear_hazard();
            state.clear_dispatch();
            if (!m_tour.empty()) {
                m_focus = WallFocus::Tour;
                m_tour_until = real_s + m_tour[m_tour_index].seconds;
                m_flight = flight_to(state.camera(), m_tour[m_tour_index].center, m_tour[m_tour_index].zoom, real_s);
            } else {
                m_focus = WallFocus::Home;
                Camera home = state.camera();
                if (const auto& view = m_options.home_view) {
                    home.set_center_lonlat(view->center);
                    home.set_zoom(view->zoom);
                } else {
                    home.fit(state.home_extent(), 40 * home.pixel_ratio(), 17);
                }
                m_flight = flight_to(state.camera(), home.center_lonlat(), home.zoom(), real_s);
            }
        }
    } else if (m_focus == WallFocus::Tour && !m_tour.empty() && real_s >= m_tour_until) {
        m_tour_index = (m_tour_index + 1) % m_tour.size();
        m_tour_until = real_s + m_tour[m_tour_index].seconds;
        m_flight = flight_to(state.camera(), m_tour[m_tour_index].center, m_tour[m_tour_index].zoom, real_s);
    }
    if (m_flight && !m_flight->apply(state.camera(), real_s)) m_flight.reset();
}

} // namespace vigil::viewer
