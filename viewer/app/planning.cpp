/// @file
/// The planners' questions on background jobs (see planning.hpp).

#include "planning.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace vigil::viewer {

std::string_view plan_kind_name(PlanKind k) {
    switch (k) {
    case PlanKind::supply: return "supply";
    case PlanKind::isochrones: return "isochrones";
    case PlanKind::coverage: return "coverage";
    case PlanKind::risk: return "risk";
    }
    return "";
}

std::optional<PlanKind> parse_plan_kind(std::string_view name) {
    for (std::size_t i = 0; i < k_plan_kinds; ++i)
        if (plan_kind_name(static_cast<PlanKind>(i)) == name) return static_cast<PlanKind>(i);
    return std::nullopt;
}

PlanKind plan_kind(const PlanQuestion& q) { return static_cast<PlanKind>(q.index()); }

std::string PlanAnswer::json_text() const {
    if (pending) return R"({"pending":true})";
    if (!error.empty()) return nlohmann::json{{"error", error}}.dump();
    if (supply) return app::to_json(*supply).dump();
    if (isochrones) return app::to_json(*isochrones).dump();
    if (coverage) return app::to_json(*coverage).dump();
    if (risk) return app::to_json(*risk).dump();
    return "null";
}

PlanAnswer answer_plan(const PlanQuestion& q, const app::LayerSet& layers, const routing::RoadGraph* graph) {
    PlanAnswer a;
    a.kind = plan_kind(q);
    const auto t0 = std::chrono::steady_clock::now();
    try {
        if (a.kind != PlanKind::risk && !graph) throw UsageError(tr("no road graph for this project"));
        switch (a.kind) {
        case PlanKind::supply: a.supply = app::cover_supplies(layers, *graph, std::get<app::SupplyQuery>(q)); break;
        case PlanKind::isochrones: a.isochrones = app::isochrones(layers, *graph, std::get<app::IsochroneQuery>(q)); break;
        case PlanKind::coverage: a.coverage = app::coverage(layers, *graph, std::get<app::CoverageQuery>(q)); break;
        case PlanKind::risk: a.risk = app::regional_risk(std::get<app::RiskRequest>(q), layers); break;
        }
    } catch (const Error& e) {
        a = PlanAnswer{};
        a.kind = plan_kind(q);
        a.error = e.what();
    }
    a.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return a;
}

// [Planner] ---------------------------------------------------------------------------------

Planner::~Planner() {
    for (auto& s : m_slots) s.job.wait();
    for (auto& j : m_dropped) j.wait();
}

void Planner::reset() {
    for (auto& s : m_slots) {
        s.job.wait();
        const bool shown = s.shown;
        s = Slot{};
        s.shown = shown;
    }
    for (auto& j : m_dropped) j.wait();
    m_dropped.clear();
}

void Planner::start(Slot& s, std::shared_ptr<const routing::RoadGraph> graph) {
    s.waiting_for_graph = false;
    // The job owns copies of what it reads: the question, the layers (shared) and the graph.
    s.job = platform::BackgroundJob<PlanAnswer>::start(
        [q = *s.question, layers = s.layers, graph = std::move(graph)] { return answer_plan(q, layers, graph.get()); });
}

void Planner::ask(PlanQuestion q, app::LayerSet layers, RoadNetwork& roads) {
    Slot& s = m_slots[q.index()];
    if (s.job.running()) m_dropped.push_back(std::move(s.job));
    s.job = {};
    PlanAnswer pending;
    pending.kind = plan_kind(q);
    pending.pending = true;
    s.answer = std::move(pending);
    s.question = std::move(q);
    s.layers = std::move(layers);
    if (plan_kind(*s.question) == PlanKind::risk) {
        start(s, nullptr);
        return;
    }
    roads.start();
    s.waiting_for_graph = true;
    update(roads);
}

bool Planner::update(RoadNetwork& roads) {
    std::erase_if(m_dropped, [](const auto& j) { return j.ready(); });
    bool changed = false;
    for (auto& s : m_slots) {
        if (s.waiting_for_graph) {
            if (auto graph = roads.shared_graph()) start(s, std::move(graph));
            else if (!roads.building()) {
                s.waiting_for_graph = false;
                s.answer->pending = false;
                s.answer->error = roads.error().empty() ? tr("no road graph for this project") : roads.error();
                changed = true;
            }
        }
        if (s.job.ready()) {
            s.answer = s.job.take();
            changed = true;
        }
    }
    return changed;
}

void Planner::wait(RoadNetwork& roads) {
    for (;;) {
        update(roads);
        bool busy = false;
        for (auto& s : m_slots) {
            if (s.waiting_for_graph) {
                roads.wait();
                busy = true;
            } else if (s.job.running()) {
                s.job.wait();
                busy = true;
            }
        }
        if (!busy) return;
    }
}

const PlanAnswer* Planner::answer(PlanKind k) const {
    const auto& a = m_slots[static_cast<std::size_t>(k)].answer;
    return a ? &*a : nullptr;
}

const PlanQuestion* Planner::question(PlanKind k) const {
    const auto& q = m_slots[static_cast<std::size_t>(k)].question;
    return q ? &*q : nullptr;
}

void Planner::clear(PlanKind k) {
    Slot& s = m_slots[static_cast<std::size_t>(k)];
    if (s.job.running()) m_dropped.push_back(std::move(s.job));
    s.job = {};
    s.question.reset();
    s.answer.reset();
    s.waiting_for_graph = false;
}

// [Colours] ---------------------------------------------------------------------------------

namespace {

/// 0 for 5 minutes or less .. 1 for 30 or more.
double band_position(double minutes) { return std::clamp((minutes - 5) / 25, 0.0, 1.0); }

Rgba mix(Rgba a, Rgba b, double t) {
    auto c = [t](std::uint8_t x, std::uint8_t y) { return static_cast<std::uint8_t>(std::lround(x + (y - x) * t)); };
    return {c(a.r, b.r), c(a.g, b.g), c(a.b, b.b), c(a.a, b.a)};
}

constexpr Rgba k_near{27, 94, 32, 255}, k_far{249, 168, 37, 255};

} // namespace

Rgba isochrone_outline(double minutes) { return mix(k_near, k_far, band_position(minutes)); }
Rgba isochrone_fill(double minutes) { return mix(k_near, k_far, band_position(minutes)).with_alpha(k_isochrone_fill_alpha); }
Rgba gap_colour(bool reachable) { return reachable ? Rgba{239, 108, 0, 255} : Rgba{183, 28, 28, 255}; }

Rgba risk_outline(double limit_per_year) {
    // GB 36894's limits: 1e-5 and 3e-6 the protected sites' bounds (red, orange), 1e-6 and 3e-7 the
    // general and the sensitive population's (yellow shades).
    if (limit_per_year >= 1e-5) return {198, 40, 40, 255};
    if (limit_per_year >= 3e-6) return {239, 108, 0, 255};
    if (limit_per_year >= 1e-6) return {249, 168, 37, 255};
    return {253, 216, 53, 255};
}
Rgba risk_fill(double limit_per_year) { return risk_outline(limit_per_year).with_alpha(36); }

std::vector<std::vector<geo::Coord>> contour_rings(const app::MultiPolygonRings& contour) {
    std::vector<std::vector<geo::Coord>> rings;
    for (const auto& polygon : contour)
        for (const auto& ring : polygon) rings.push_back(ring);
    return rings;
}

} // namespace vigil::viewer
