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
///
/// With a contraction hierarchy on the graph (RoadGraph::build_hierarchy()) the same labels come
/// from PHAST (contraction.hpp): an upward search from the incident's end nodes, then one sweep
/// over all nodes in rank order -- a few milliseconds on a 1M-edge network, whatever the number
/// of teams. Routes unpack the shortcuts into segments. Closed segments (SearchOptions::
/// closed_segments) invalidate the hierarchy's shortcuts, so such a query runs the plain Dijkstra
/// with the closed segments masked: ~10x slower (~90 ms CPU at 1M edges) but no rebuild.
#pragma once

#include <vigil/routing/isochrone.hpp>
#include <vigil/routing/road_graph.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace vigil::routing {

struct SearchOptions {
    /// A point farther than this from every road (metres) is "off the network": unreachable.
    double max_snap_m = 10000;
    /// Segments that may not be driven (road closures), e.g. from RoadGraph::segments_in().
    /// Not owned: the caller keeps them alive during the call. Any closure means the plain
    /// Dijkstra (a hierarchy's shortcuts may run over a closed segment). Ids past the graph's
    /// segment count are a UsageError.
    std::span<const std::uint32_t> closed_segments;
    /// false: the plain Dijkstra even when the graph has a hierarchy (the reference path).
    bool use_hierarchy = true;
};

/// The answer for one team. Times in seconds, distances in metres.
struct TravelTime {
    bool reachable = false;
    double travel_s = std::numeric_limits<double>::infinity();        ///< access legs + roads; +inf if unreachable
    double road_distance_m = std::numeric_limits<double>::infinity(); ///< along the route, access legs included
    double access_m = 0;                                              ///< the two straight legs together (base -> road, road -> incident)
};

/// A team's place in a dispatch ranking.
struct Ranked {
    std::size_t index = 0;                                  ///< into the travel times given to rank_by_eta()
    double eta_s = std::numeric_limits<double>::infinity(); ///< turnout + travel; +inf if unreachable
};

/// Orders teams by ETA = turnout + travel time (seconds): reachable teams by ETA (ties by
/// index), then the unreachable ones in index order, so a dispatcher still sees them.
/// `turnout_s` has one entry per travel time (a missing turnout counts as 0 s: pass 0).
/// @throws vigil::UsageError if the two spans differ in size.
std::vector<Ranked> rank_by_eta(std::span<const TravelTime> travel, std::span<const double> turnout_s);

/// One-to-many travel times over one RoadGraph. Not thread-safe (it owns the workspace); use
/// one Router per thread over a shared const RoadGraph. It keeps what it learnt of the graph
/// between queries (snaps, the RPHAST selection), so the graph must not change under it; a
/// hierarchy built after the Router was made is fine, one rebuilt while it lives is not: make a
/// new Router then.
class Router {
public:
    explicit Router(const RoadGraph& graph);

    /// Travel times from every point in `teams` to `incident` (lon/lat degrees), in the order of
    /// `teams`. Never throws for points off the network: they come back unreachable.
    std::vector<TravelTime> to_incident(geo::Coord incident, std::span<const geo::Coord> teams, const SearchOptions& options = {});

    /// The route of team `team` (an index into the last to_incident() call's `teams`) as a
    /// lon/lat polyline from the team to the incident; empty if it is unreachable.
    std::vector<geo::Coord> route(std::size_t team) const;

    /// Travel time from `from` to `to` (lon/lat) for one pair; with a hierarchy a bidirectional
    /// CH query (well under a millisecond). Afterwards route(0) is its route, as if `from` were
    /// the only team and `to` the incident.
    /// @throws vigil::UsageError for a closed segment id out of range.
    TravelTime between(geo::Coord from, geo::Coord to, const SearchOptions& options = {});

    /// Travel times of every node within `limit_s` seconds from (TravelDirection::from_points) or
    /// to (to_points) the nearest of `points` (lon/lat; several points = coverage of a set of
    /// teams), access legs included. Points off the network are ignored; none on it gives an
    /// empty answer. PHAST + threshold with a hierarchy, a bounded Dijkstra otherwise.
    /// @throws vigil::UsageError for a NaN or negative limit or a closed segment id out of range.
    NodeTimes node_times(std::span<const geo::Coord> points, double limit_s, TravelDirection direction, const SearchOptions& options = {});

    /// Nodes settled by the last search (for benchmarks and tests of the early stop); with PHAST,
    /// the nodes of the upward search plus the swept ones.
    std::size_t settled_count() const { return m_settled; }
    /// Whether the last search ran over the hierarchy (PHAST or a CH query).
    bool used_hierarchy() const { return m_used_ch; }

private:
    /// g.snap(p, max_m) through a cache of unbounded snaps by exact coordinates: teams, depots and
    /// enterprises stand still between queries (a dispatcher moving the incident, `vigil coverage`
    /// asking for every enterprise), and snapping 500 points costs as much as the PHAST search.
    /// The nearest segment does not depend on the limit, so the limit is applied afterwards.
    std::optional<Snap> cached_snap(geo::Coord p, double max_m);

    struct CoordKey {
        std::uint64_t x = 0, y = 0;
        bool operator==(const CoordKey&) const = default;
    };
    struct CoordKeyHash {
        std::size_t operator()(const CoordKey& k) const noexcept {
            return static_cast<std::size_t>(k.x * 0x9E3779B97F4A7C15ULL ^ (k.y + 0x632BE59BD9B4E019ULL + (k.x << 6)));
        }
    };
    std::unordered_map<CoordKey, std::optional<Snap>, CoordKeyHash> m_snap_cache;

    struct Candidate { // how a team reaches the network and which way it leaves its snap point
        std::optional<Snap> snap;
        int via = -1; ///< 0: through node c (segment.a), 1: through node d (segment.b), 2: along I's segment
    };

    double label(std::uint32_t n) const { return m_stamp[n] == m_generation ? m_time[n] : std::numeric_limits<double>::infinity(); }
    void next_generation();
    /// Marks options.closed_segments; true if there is any (then the hierarchy is not used).
    bool mark_closures(const SearchOptions& options);
    bool closed(std::uint32_t segment) const { return m_has_closures && m_closed[segment] == m_generation; }
    /// Seeds one start node of a search (both kinds) with `time` seconds.
    void start(std::uint32_t n, double time);
    /// Plain Dijkstra over in_arcs (m_to_point) or out_arcs from the started nodes; stops when
    /// every target is settled or the next label passes limit_s.
    void search(std::span<const std::uint32_t> targets, double limit_s);
    /// PHAST from the started nodes: the upward search, then the sweep over every slot (labels
    /// then hold every node's time) or, given `slots` (ascending), over those only (RPHAST).
    void phast(const std::vector<std::uint32_t>* slots = nullptr);
    /// RPHAST's selection (Delling, Goldberg, Werneck 2011) for these target nodes: the slots
    /// the sweep must visit so that the targets' times are exact, i.e. every slot reachable from
    /// a target over the arcs the sweep reads, ascending. Null when that is more than half of
    /// the graph (the full sweep is then as fast). Cached: teams stand still between queries.
    const std::vector<std::uint32_t>* restricted_slots(std::span<const std::uint32_t> target_nodes);
    /// Seeds the start nodes for point p snapped at `s` (either search kind).
    void start_at(const Snap& s, double access_s);
    /// Label of graph node n after the last search, whichever kind it was.
    double final_time(std::uint32_t n) const;
    /// Road metres from node n to the start of the last search, along its parents.
    double length_to_start(std::uint32_t n) const;
    /// Segments from node n to the start of the last search, in that order.
    std::vector<std::uint32_t> path_segments(std::uint32_t n) const;

    const RoadGraph* m_graph;
    bool m_to_point = true; ///< the last search ran towards its start (in_arcs, up_in first)
    bool m_used_ch = false;
    // Workspace, sized to the graph once.
    std::vector<double> m_time;
    std::vector<std::uint32_t> m_parent; ///< segment towards the incident (k_none at the start nodes)
    std::vector<std::uint32_t> m_stamp;  ///< generation that wrote m_time[n]
    std::vector<std::uint32_t> m_done;   ///< generation that settled n
    std::vector<std::uint32_t> m_target; ///< generation that made n a target end node
    std::vector<std::uint32_t> m_closed; ///< generation that closed segment s (allocated on first use)
    bool m_has_closures = false;
    struct HeapItem {
        double key;
        std::uint32_t node;
    };
    std::vector<HeapItem> m_heap;
    std::uint32_t m_generation = 0;
    std::size_t m_settled = 0;
    // PHAST workspace, by slot (contraction.hpp), allocated on first use.
    std::vector<double> m_ch_time, m_ch_len;
    std::vector<std::uint32_t> m_ch_stamp;                  ///< generation that the upward search labelled the slot in
    std::vector<std::uint32_t> m_ch_next;                   ///< parent slot (k_none at a start)
    std::vector<const ContractionHierarchy::Arc*> m_ch_arc; ///< arc to the parent
    std::vector<std::uint32_t> m_ch_done;
    // RPHAST: the last selection, for the sorted target slots and direction it was made for.
    std::vector<std::uint32_t> m_rphast_targets;
    bool m_rphast_to_point = true;
    const ContractionHierarchy* m_rphast_ch = nullptr; ///< the hierarchy it was made on
    bool m_rphast_full = true;                         ///< the selection was too large: sweep everything
    std::vector<std::uint32_t> m_rphast_slots;
    std::vector<std::uint32_t> m_rphast_mark; ///< per slot: selection number that took it
    std::uint32_t m_rphast_selection = 0;
    // The forward half of between()'s bidirectional CH query (the backward half uses m_ch_*).
    std::vector<double> m_fw_time;
    std::vector<std::uint32_t> m_fw_stamp, m_fw_done, m_fw_prev;
    std::vector<const ContractionHierarchy::Arc*> m_fw_arc;
    std::vector<HeapItem> m_fw_heap;
    bool m_pair = false;                    ///< the last query was between()'s CH query
    std::vector<std::uint32_t> m_pair_path; ///< its segments, team side first
    std::uint32_t m_pair_end = 0;           ///< its node on the incident's segment
    void prepare_ch();
    bool pair_query(const SearchOptions& options);
    // The last query, for route().
    geo::Coord m_incident{};
    std::optional<Snap> m_incident_snap;
    std::vector<geo::Coord> m_teams;
    std::vector<Candidate> m_candidates;
};

} // namespace vigil::routing
