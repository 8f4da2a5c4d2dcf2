/// @file
/// "How long does each team take to drive to the incident?" in one search.
///
/// The teams drive *to* the incident, so the search runs from the incident over the reversed
/// graph (arcs entering a node): the label of node v is the travel time from v to the incident.
///
///     incident I snapped onto segment (a, b) at fraction t:
///         label(a) = t * T(a,b)        if a -> b is allowed
///         label(b) = (1 - t) * T(a,b)  if b -> a is allowed
///     team P snapped onto segment (c, d) at fraction u:
///         time(P) = access(P) + min( u * T + label(c)        if d -> c is allowed,
///                                   (1 - u) * T + label(d)  if c -> d is allowed,
///                                   |t - u| * T             if on I's segment, driving the right way )
///                 + access(I)
///
/// A binary-heap Dijkstra with lazy deletion; it stops as soon as every target's end nodes are
/// settled (their labels are then final). Only times are carried in the search; road metres
/// are summed afterwards along the parent segments of the teams' paths. The workspace (labels, parents, heap) is allocated
/// once per graph and reused: a generation counter marks which labels belong to this search,
/// so nothing is cleared between queries.
#pragma once

#include <vigil/routing/road_graph.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace vigil::routing {

struct SearchOptions {
    /// A point farther than this from every road (metres) is "off the network": unreachable.
    double max_snap_m = 10000;
};

/// The answer for one team. Times in seconds, distances in metres.
struct TravelTime {
    bool reachable = false;
    double travel_s = std::numeric_limits<double>::infinity();  ///< access legs + roads; +inf if unreachable
    double road_distance_m = std::numeric_limits<double>::infinity(); ///< along the route, access legs included
    double access_m = 0;  ///< the two straight legs together (base -> road, road -> incident)
};

/// A team's place in a dispatch ranking.
struct Ranked {
    std::size_t index = 0;   ///< into the travel times given to rank_by_eta()
    double eta_s = std::numeric_limits<double>::infinity();  ///< turnout + travel; +inf if unreachable
};

/// Orders teams by ETA = turnout + travel time (seconds): reachable teams by ETA (ties by
/// index), then the unreachable ones in index order, so a dispatcher still sees them.
/// `turnout_s` has one entry per travel time (a missing turnout counts as 0 s: pass 0).
/// @throws vigil::UsageError if the two spans differ in size.
std::vector<Ranked> rank_by_eta(std::span<const TravelTime> travel, std::span<const double> turnout_s);

/// One-to-many travel times over one RoadGraph. Not thread-safe (it owns the workspace); use
/// one Router per thread over a shared const RoadGraph.
class Router {
public:
    explicit Router(const RoadGraph& graph);

    /// Travel times from every point in `teams` to `incident` (lon/lat degrees), in the order of
    /// `teams`. Never throws for points off the network: they come back unreachable.
    std::vector<TravelTime> to_incident(geo::Coord incident, std::span<const geo::Coord> teams,
                                        const SearchOptions& options = {});

    /// The route of team `team` (an index into the last to_incident() call's `teams`) as a
    /// lon/lat polyline from the team to the incident; empty if it is unreachable.
    std::vector<geo::Coord> route(std::size_t team) const;

    /// Nodes settled by the last search (for benchmarks and tests of the early stop).
    std::size_t settled_count() const { return m_settled; }

private:
    struct Candidate {  // how a team reaches the network and which way it leaves its snap point
        std::optional<Snap> snap;
        int via = -1;  ///< 0: through node c (segment.a), 1: through node d (segment.b), 2: along I's segment
    };

    double label(std::uint32_t n) const { return m_stamp[n] == m_generation ? m_time[n] : std::numeric_limits<double>::infinity(); }
    void search(std::span<const std::uint32_t> targets);
    /// Road metres from settled node n to the incident's snap point, along the parent segments.
    double length_to_incident(std::uint32_t n) const;

    const RoadGraph* m_graph;
    // Workspace, sized to the graph once.
    std::vector<double> m_time;
    std::vector<std::uint32_t> m_parent;  ///< segment towards the incident (k_none at the start nodes)
    std::vector<std::uint32_t> m_stamp;   ///< generation that wrote m_time[n]
    std::vector<std::uint32_t> m_done;    ///< generation that settled n
    std::vector<std::uint32_t> m_target;  ///< generation that made n a target end node
    struct HeapItem {
        double key;
        std::uint32_t node;
    };
    std::vector<HeapItem> m_heap;
    std::uint32_t m_generation = 0;
    std::size_t m_settled = 0;
    // The last query, for route().
    geo::Coord m_incident{};
    std::optional<Snap> m_incident_snap;
    std::vector<geo::Coord> m_teams;
    std::vector<Candidate> m_candidates;
};

} // namespace vigil::routing
