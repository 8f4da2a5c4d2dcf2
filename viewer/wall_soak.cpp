#include "wall_soak.hpp"

#include <vigil/app/edit_command.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace vigil::viewer {

namespace {

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return 0;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

} // namespace

WallSoak::WallSoak(ViewerApp& app, const ViewerOptions& options) : m_app(app), m_options(options) {
    if (options.read_only || !options.open_edits) throw UsageError(tr("--wall-soak needs a project it can edit"));
    m_start_clock = app.wall_clock_s();
    m_end_clock = m_start_clock + options.wall.soak_hours * 3600;
    const LayerView* teams = app.state().layer("rescue_teams");
    if (!teams) throw UsageError(tr("--wall-soak: the project has no rescue teams"));
    for (std::size_t r = 0; r < teams->layer->size() && m_teams.size() < 12; ++r)
        if (teams->layer->text(r, "status") == "available") m_teams.push_back(teams->layer->id(r));
    if (m_teams.empty()) throw UsageError(tr("--wall-soak: no team is available"));
    if (const LayerView* firms = app.state().layer("enterprises"))
        for (std::size_t r = 0; r < firms->layer->size() && m_places.size() < 64; r += 7)
            m_places.push_back(geo::representative_point(firms->layer->geometry(r)));
    if (m_places.empty()) m_places.push_back(app.state().camera().center_lonlat());
    m_thread = std::thread([this] { seat(); });
}

WallSoak::~WallSoak() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
}

void WallSoak::seat() {
    std::unique_ptr<app::EditStore> store;
    try {
        store = m_options.open_edits();
    } catch (const std::exception& e) {
        m_first_failure = e.what();
        ++m_failures;
        return;
    }
    const app::EditContext ctx{{"soak-dispatcher", "wall-soak"}, tr("wall soak")};
    auto run = [&](app::EditCommand command) {
        try {
            app::run_edit(*store, command, ctx);
            ++m_edits;
        } catch (const std::exception& e) {
            if (m_failures++ == 0) m_first_failure = e.what();
        }
    };
    // Every simulated ten minutes one step of the day: a cycle of five steps per incident.
    const double step_s = 600;
    std::int64_t done = -1;
    while (!m_stop) {
        const double clock = m_app.wall_clock_s();
        if (clock >= m_end_clock) break;
        const auto step = static_cast<std::int64_t>((clock - m_start_clock) / step_s);
        if (step == done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        done = step;
        const std::int64_t cycle = step / 5;
        const std::string incident = "INC-SOAK-" + std::to_string(cycle);
        const std::string& team = m_teams[static_cast<std::size_t>(cycle) % m_teams.size()];
        const geo::Coord at = m_places[static_cast<std::size_t>(cycle) % m_places.size()];
        switch (step % 5) {
        case 0: {
            app::IncidentOpenCommand open;
            open.request.at = at;
            open.request.type = cycle % 2 ? "fire" : "hazmat_leak";
            open.request.title = "长稳测试事件 " + std::to_string(cycle); // i18n: not shown: test data written to the project
            open.request.id = incident;
            if (cycle % 2 == 0) open.request.material = "硫酸", open.request.un_number = "1830"; // i18n: not shown: test data
            run({open, ""});
            ++m_incidents;
            break;
        }
        case 1: {
            app::AssignCommand assign;
            assign.incident = incident;
            assign.teams = {team};
            assign.etas_seen[team] = 900;
            assign.etas_at = at;
            run({assign, ""});
            break;
        }
        case 2: run({app::DispatchStepCommand{app::DispatchStepCommand::Step::Arrive, incident, team, "available"}, ""}); break;
        case 3: run({app::DispatchStepCommand{app::DispatchStepCommand::Step::Release, incident, team, "available"}, ""}); break;
        case 4: run({app::IncidentCloseCommand{incident, std::nullopt}, ""}); break;
        }
    }
}

bool WallSoak::after_frame(double frame_ms) {
    ++m_frames;
    const double clock = m_app.wall_clock_s();
    const double fraction = std::clamp((clock - m_start_clock) / std::max(1.0, m_end_clock - m_start_clock), 0.0, 1.0);
    if (m_frames % 10 == 0) m_samples.push_back({fraction, frame_ms, resident_kib()});
    else m_samples.push_back({fraction, frame_ms, 0});
    return clock >= m_end_clock;
}

int WallSoak::finish() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    // The first tenth warms up (fonts, the road graph, the first flights); compared: the medians
    // of 10-30% of the run against 70-100% (medians over a fifth: robust to a busy machine).
    auto window = [&](double from, double to, bool memory) {
        std::vector<double> v;
        for (const auto& s : m_samples)
            if (s.at_fraction >= from && s.at_fraction < to && (!memory || s.resident_kib > 0))
                v.push_back(memory ? static_cast<double>(s.resident_kib) : s.frame_ms);
        return median(v);
    };
    const double ms_early = window(0.1, 0.3, false), ms_late = window(0.7, 1.01, false);
    const double kib_early = window(0.1, 0.3, true), kib_late = window(0.7, 1.01, true);
    const double real_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    const WallDirector* wall = m_app.wall();
    const double memory_growth = kib_early > 0 ? 100 * (kib_late - kib_early) / kib_early : 0;
    const double frame_growth = ms_early > 0 ? 100 * (ms_late - ms_early) / ms_early : 0;
    // i18n: not shown: a soak test's report
    std::printf("wall soak: %.1f simulated hours in %.1f s (x%.0f); %d frames; %d edits (%d refused), %d incidents; the wall flew to %d\n",
                m_options.wall.soak_hours, real_s, m_options.wall.clock_rate, m_frames, m_edits.load(), m_failures.load(),
                m_incidents.load(), wall ? wall->flights_to_incidents() : 0);
    // i18n: not shown: a soak test's report
    std::printf("wall soak: frame time median %.2f ms early, %.2f ms late (%+.1f%%, limit +50%%); resident %.0f KiB early, %.0f KiB late "
                "(%+.2f%%, limit +5%%)\n",
                ms_early, ms_late, frame_growth, kib_early, kib_late, memory_growth);
    if (m_failures > 0)
        std::printf("wall soak: first refused edit: %s\n", m_first_failure.c_str()); // i18n: not shown: a soak test's report
    std::fflush(stdout);
    const bool saw_incidents = wall && wall->flights_to_incidents() > 0;
    return memory_growth <= 5 && frame_growth <= 50 && m_failures == 0 && saw_incidents ? 0 : 1;
}

} // namespace vigil::viewer
