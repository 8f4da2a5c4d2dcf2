/// @file
/// The planners' questions, platform-free so that tests drive them headless: the isochrones of
/// the teams of a capability (or of a point), the coverage gap map, the regional individual risk
/// (the Planning panel, 规划分析), and the supply plan the page asks for. Each is core's service
/// (app::isochrones, app::coverage, app::regional_risk, app::cover_supplies: what `vigil
/// isochrone`, `vigil coverage`, `vigil risk` and `vigil supply` answer), asked on a background
/// job (platform/jobs.hpp) so that no frame computes it, natively or in the browser: the road
/// questions wait for the road graph (RoadNetwork), then run on the graph and the layers the
/// viewer holds. The frame only polls (Planner::update) and draws the answers as map layers.
#pragma once

#include "dispatch.hpp"
#include "style.hpp"

#include "platform/jobs.hpp"

#include <vigil/app/coverage.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/regional_risk.hpp>
#include <vigil/app/supply.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vigil::viewer {

/// The kinds of question, one answer kept of each.
enum class PlanKind : std::uint8_t { supply, isochrones, coverage, risk };
inline constexpr std::size_t k_plan_kinds = 4;
/// "supply", "isochrones", "coverage", "risk" (the page's names).
std::string_view plan_kind_name(PlanKind k);
/// The kind of a page name; nothing for another.
std::optional<PlanKind> parse_plan_kind(std::string_view name);

/// A question, as core's service takes it.
using PlanQuestion = std::variant<app::SupplyQuery, app::IsochroneQuery, app::CoverageQuery, app::RiskRequest>;
PlanKind plan_kind(const PlanQuestion& q);

/// One answer as the panel, the map and the page keep it: core's result, or why there is none.
struct PlanAnswer {
    PlanKind kind = PlanKind::supply;
    bool pending = false; ///< waiting for the road graph or for the job
    std::string error;    ///< why it could not run ("" when answered or pending)
    std::optional<app::SupplyResult> supply;
    std::optional<app::IsochroneResult> isochrones;
    std::optional<app::CoverageResult> coverage;
    std::optional<app::RiskResult> risk;
    double ms = 0; ///< the job's wall time

    /// What the page returns: core's JSON of the result (app::to_json, the CLI's --json),
    /// {"pending": true} while it waits, or {"error": "…"}.
    std::string json_text() const;
};

/// Answers the question over `layers` and `graph` (null for the risk, which needs none): core's
/// service, its refusals (vigil::Error) in PlanAnswer::error, never thrown.
PlanAnswer answer_plan(const PlanQuestion& q, const app::LayerSet& layers, const routing::RoadGraph* graph);

/// The planning jobs: one question of each kind at a time, the latest asked winning.
class Planner {
public:
    Planner() = default;
    ~Planner();
    Planner(const Planner&) = delete;
    Planner& operator=(const Planner&) = delete;

    /// Forgets every answer (a new project): waits for running jobs (they hold the old layers).
    void reset();
    /// Asks `q` over `layers` (shared with the job, so a reload does not pull them away). The
    /// answer is pending until the job is done; road questions start the road graph and wait
    /// for it. A question of the same kind asked before is dropped (its job left to finish
    /// unobserved: a frame never waits for it).
    void ask(PlanQuestion q, app::LayerSet layers, RoadNetwork& roads);
    /// Starts the road questions whose graph is there, collects finished jobs. Call every
    /// frame; true when an answer changed (the map must be redrawn).
    bool update(RoadNetwork& roads);
    /// Blocks until every asked question is answered: for tests and screenshot mode, never a frame.
    void wait(RoadNetwork& roads);
    /// The answer of kind `k` (pending or done), or null when none was asked.
    const PlanAnswer* answer(PlanKind k) const;
    /// The question last asked of kind `k`, or null.
    const PlanQuestion* question(PlanKind k) const;
    void clear(PlanKind k);
    /// Whether the answer of kind `k` is drawn on the map (the panel's layer switches; on by default).
    bool shown(PlanKind k) const { return m_slots[static_cast<std::size_t>(k)].shown; }
    void set_shown(PlanKind k, bool on) { m_slots[static_cast<std::size_t>(k)].shown = on; }

private:
    struct Slot {
        std::optional<PlanQuestion> question;
        app::LayerSet layers;
        bool waiting_for_graph = false;
        platform::BackgroundJob<PlanAnswer> job;
        std::optional<PlanAnswer> answer;
        bool shown = true;
    };
    void start(Slot& s, std::shared_ptr<const routing::RoadGraph> graph);

    std::array<Slot, k_plan_kinds> m_slots;
    /// Jobs of questions asked again before they finished: kept until done (destroying a running
    /// std::async future would block the frame until it finishes).
    std::vector<platform::BackgroundJob<PlanAnswer>> m_dropped;
};

/// The colour of an isochrone band by its limit (5 min dark green .. 30 min and more light
/// yellow: what is reached sooner shows stronger), outline (opaque, k_isochrone_outline_px
/// wide) and translucent fill: both read at city scale (zoom 9-10) over the basemap. The bands
/// nest, so the fills add up towards the centre.
inline constexpr float k_isochrone_outline_px = 2.5f;
inline constexpr std::uint8_t k_isochrone_fill_alpha = 64;
Rgba isochrone_outline(double minutes);
Rgba isochrone_fill(double minutes);
/// A coverage gap's marker colour: unreachable by road dark red, reached too late orange.
Rgba gap_colour(bool reachable);
/// A regional risk contour's colour by its limit per year (1e-5 red .. 3e-7 yellow).
Rgba risk_outline(double limit_per_year);
Rgba risk_fill(double limit_per_year);

/// The rings of a risk level's contour (outer and holes, for the fill's even-odd rule).
std::vector<std::vector<geo::Coord>> contour_rings(const app::MultiPolygonRings& contour);

} // namespace vigil::viewer
