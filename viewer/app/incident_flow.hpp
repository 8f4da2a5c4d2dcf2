/// @file
/// The dispatcher's flow, from "a call comes in" to "teams assigned and brief saved", in five
/// actions (接警 New incident, at the top of the Dispatch panel):
///
///   1. where: one text box — coordinates in WGS84/GCJ-02/BD-09 (a prefix or the datum
///      choice; full-width punctuation accepted), an enterprise, or a road in a county with an
///      optional kilometre post ("G207 温县段 K12+300"): core's app::locate_incident;
///   2. what: the material by Chinese name, UN or CAS number (the Hazard panel's substance
///      search over the reference lists);
///   3. 分析 Answer: together, the ERG zones of the material at the point (a tanker: large
///      spill), the teams ranked by ETA with their duty phones (the red zone's roads closed),
///      the supplies the material's guide calls for and their warehouses; the map fits the
///      incident, the zones and the top teams;
///   4. 指派 Assign: the incident opened (type, material, UN, CAS, the place as its title) and
///      the top N teams assigned with the ETAs on screen — two commits, one action;
///   5. 保存简报 Save brief: the one-page PDF, beside the project or downloaded.
///
/// Platform-free, so that tests drive the same functions the panel's buttons call, and count
/// the steps. An incident already in the project (vigil view --incident ID) starts at step 3.
#pragma once

#include "hazard_view.hpp"

#include <vigil/app/incident_place.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vigil::viewer {

class AppState;

/// The flow's inputs and what became of them (kept by the panel between frames).
struct IncidentFlow {
    // The dispatcher's inputs.
    std::string place_text;                        ///< step 1
    app::PlaceDatum datum = app::PlaceDatum::Auto; ///< typed coordinates' datum (Auto: a prefix, else WGS84)
    std::string material_text;                     ///< step 2
    int assign_n = 3;                              ///< how many of the ranked teams step 4 assigns

    // What became of them.
    std::optional<app::IncidentPlace> place; ///< located (step 3), or loaded from an incident
    std::optional<Substance> material;       ///< found (step 3)
    std::vector<std::string> assumptions;    ///< the place's, the material's, the supplies' — shown, never hidden
    std::string message;                     ///< the last outcome, in words
    bool message_is_error = false;           ///< red only then (nothing red when nothing is wrong)
    std::string incident;                    ///< the incident's id once opened (or loaded)
    std::vector<std::string> to_assign;      ///< teams waiting for the incident to be opened
    std::vector<std::string> assigned;       ///< teams assigned by this flow (committed)
    std::vector<std::string> assigning;      ///< asked, not yet committed
    std::string seen_change;                 ///< the last committed edit already taken in
    bool fit_pending = false;                ///< fit the map once the answer is in
    bool layout_known = true;                ///< the panels' places are known (false: the fit waits a frame)
    double covered_left_px = 0;              ///< framebuffer pixels panels cover at the left (the fit avoids them)
    double covered_right_px = 0;             ///< framebuffer pixels the Dispatch panel covers at the right
};

/// Step 3: places the typed text (app::locate_incident over the layers held), finds the
/// material, computes its ERG zones and asks the dispatch question (`base`: the panel's
/// capabilities and status; the red zone's roads closed; supplies by the material's guide when
/// `base` asks none). False, with the reason in flow.message, when the place or the material
/// cannot be found; the map then stays where it was.
bool answer_incident(AppState& state, IncidentFlow& flow, DispatchQuery base);

/// Step 1 and 3 at once by a click on the map: the point itself (WGS84, not rounded through
/// text), with the material typed, answered as answer_incident answers.
bool answer_incident_at(AppState& state, IncidentFlow& flow, geo::Coord at, DispatchQuery base);

/// Loads an incident of the project into the flow (its point, title, material) and answers it
/// (vigil view --incident ID). False, with the reason in flow.message, for an unknown id.
bool load_incident(AppState& state, IncidentFlow& flow, const std::string& id, DispatchQuery base);

/// Step 4: assigns the first flow.assign_n reachable teams of the answer; opens the incident
/// first when the flow has none (the assignment follows its commit, see update_incident_flow).
/// False when nothing started (editing off, an edit in flight, no answer, no reachable team).
bool assign_top_teams(AppState& state, IncidentFlow& flow);

/// Step 5: asks for the incident's brief (EditDesk::request_brief; collect_brief saves it).
/// False when there is no incident yet, no brief maker, or one is being made.
bool save_incident_brief(AppState& state, IncidentFlow& flow);

/// Every frame: fits the map once the answer is in, takes the committed edits in (the incident
/// opened -> its teams assigned; the assignment -> flow.assigned), says what happened.
void update_incident_flow(AppState& state, IncidentFlow& flow);

/// The box the map fits after an answer: the incident, its zones and the first `top_n`
/// reachable teams (empty before an answer).
geo::BBox incident_extent(const AppState& state, const IncidentFlow& flow, std::size_t top_n);

/// Whether step 4 and step 5 are possible now (the panel's buttons are enabled by these).
bool can_assign(AppState& state, const IncidentFlow& flow);
bool can_save_brief(AppState& state, const IncidentFlow& flow);

} // namespace vigil::viewer
