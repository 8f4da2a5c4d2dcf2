/// @file
/// One search from the incident over the reversed graph (the algorithm is drawn in
/// one_to_many.hpp).

#include <vigil/routing/one_to_many.hpp>

#include <vigil/util/error.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil::routing {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// Min-heap order for std::push_heap/pop_heap (which build max-heaps).
template <class T>
bool heap_after(const T& l, const T& r) {
    return l.key > r.key;
}

// A team snapped onto a segment leaves it towards a by driving b -> a, towards b by a -> b;
// a team exactly on an end node is at that node and may take any of its arcs.
bool leaves_via_a(const RoadGraph::Segment& s, const Snap& p) { return s.backward || p.fraction == 0; }
bool leaves_via_b(const RoadGraph::Segment& s, const Snap& p) { return s.forward || p.fraction == 1; }

} // namespace

Router::Router(const RoadGraph& graph)
    : m_graph(&graph),
      m_time(graph.node_count()),
      m_parent(graph.node_count()),
      m_stamp(graph.node_count(), 0),
      m_done(graph.node_count(), 0),
      m_target(graph.node_count(), 0) {}

void Router::search(std::span<const std::uint32_t> targets) {
    const RoadGraph& g = *m_graph;
    std::size_t remaining = 0;
    for (std::uint32_t n : targets)
        if (m_target[n] != m_generation) {
            m_target[n] = m_generation;
            ++remaining;
        }
    m_settled = 0;
    while (!m_heap.empty() && remaining > 0) {
        std::pop_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
        const HeapItem top = m_heap.back();
        m_heap.pop_back();
        const std::uint32_t v = top.node;
        if (m_done[v] == m_generation) continue; // a stale entry (lazy deletion)
        m_done[v] = m_generation;
        ++m_settled;
        if (m_target[v] == m_generation) --remaining;
        const double tv = m_time[v];
        for (const RoadGraph::Arc& arc : g.in_arcs(v)) {
            const std::uint32_t u = arc.node;
            const double t = tv + arc.time_s;
            if (t < label(u)) {
                m_time[u] = t;
                m_parent[u] = arc.segment;
                m_stamp[u] = m_generation;
                m_heap.push_back({t, u});
                std::push_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
            }
        }
    }
    m_heap.clear();
}

std::vector<TravelTime> Router::to_incident(geo::Coord incident, std::span<const geo::Coord> teams,
                                            const SearchOptions& options) {
    const RoadGraph& g = *m_graph;
    if (++m_generation == 0) { // wrapped after 4 billion searches: forget every stamp once
        std::fill(m_stamp.begin(), m_stamp.end(), 0);
        std::fill(m_done.begin(), m_done.end(), 0);
        std::fill(m_target.begin(), m_target.end(), 0);
        m_generation = 1;
    }
    m_incident = incident;
    m_teams.assign(teams.begin(), teams.end());
    m_candidates.assign(teams.size(), Candidate{});
    std::vector<TravelTime> out(teams.size());

    m_incident_snap = g.snap(incident, options.max_snap_m);
    if (!m_incident_snap) return out; // the incident is off the network: nobody can drive there

    const double access_mps = g.speeds().access_kmh / 3.6;
    const Snap& is = *m_incident_snap;
    const RoadGraph::Segment& iseg = g.segment(is.segment);
    auto start = [&](std::uint32_t n, double time) {
        if (time < label(n)) {
            m_time[n] = time;
            m_parent[n] = RoadGraph::k_none;
            m_stamp[n] = m_generation;
            m_heap.push_back({time, n});
            std::push_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
        }
    };
    m_heap.clear();
    // An incident exactly on an end node is reached through that node whatever the segment's
    // direction (a one-way a -> b snapped at b must still be reachable from b's other arcs).
    if (iseg.forward || is.fraction == 0) start(iseg.a, is.fraction * iseg.time_s);
    if (iseg.backward || is.fraction == 1) start(iseg.b, (1 - is.fraction) * iseg.time_s);

    std::vector<std::uint32_t> targets;
    targets.reserve(teams.size() * 2);
    for (std::size_t i = 0; i < teams.size(); ++i) {
        m_candidates[i].snap = g.snap(teams[i], options.max_snap_m);
        if (!m_candidates[i].snap) continue;
        const RoadGraph::Segment& s = g.segment(m_candidates[i].snap->segment);
        if (leaves_via_a(s, *m_candidates[i].snap)) targets.push_back(s.a);
        if (leaves_via_b(s, *m_candidates[i].snap)) targets.push_back(s.b);
    }
    search(targets);

    for (std::size_t i = 0; i < teams.size(); ++i) {
        Candidate& c = m_candidates[i];
        if (!c.snap) continue;
        const Snap& ts = *c.snap;
        const RoadGraph::Segment& s = g.segment(ts.segment);
        double best = k_inf;
        auto consider = [&](int via, double time) {
            if (time < best) {
                best = time;
                c.via = via;
            }
        };
        if (leaves_via_a(s, ts) && std::isfinite(label(s.a))) consider(0, ts.fraction * s.time_s + m_time[s.a]);
        if (leaves_via_b(s, ts) && std::isfinite(label(s.b))) consider(1, (1 - ts.fraction) * s.time_s + m_time[s.b]);
        const double d = is.fraction - ts.fraction; // > 0: the incident lies ahead towards b
        if (ts.segment == is.segment && ((d >= 0 && s.forward) || (d <= 0 && s.backward))) consider(2, std::abs(d) * s.time_s);
        if (c.via < 0) continue;
        double best_len = 0;
        switch (c.via) {
        case 0: best_len = ts.fraction * s.length_m + length_to_incident(s.a); break;
        case 1: best_len = (1 - ts.fraction) * s.length_m + length_to_incident(s.b); break;
        default: best_len = std::abs(d) * s.length_m; break;
        }
        TravelTime& r = out[i];
        r.reachable = true;
        r.access_m = ts.access_m + is.access_m;
        r.travel_s = best + r.access_m / access_mps;
        r.road_distance_m = best_len + r.access_m;
    }
    return out;
}

double Router::length_to_incident(std::uint32_t n) const {
    const RoadGraph& g = *m_graph;
    double len = 0;
    for (std::uint32_t seg = m_parent[n]; seg != RoadGraph::k_none; seg = m_parent[n]) {
        const RoadGraph::Segment& s = g.segment(seg);
        len += s.length_m;
        n = s.a == n ? s.b : s.a;
    }
    // n is where the search started: an end of the incident's segment.
    const RoadGraph::Segment& is = g.segment(m_incident_snap->segment);
    return len + (n == is.a ? m_incident_snap->fraction : 1 - m_incident_snap->fraction) * is.length_m;
}

std::vector<Ranked> rank_by_eta(std::span<const TravelTime> travel, std::span<const double> turnout_s) {
    if (travel.size() != turnout_s.size())
        throw UsageError("rank_by_eta: " + std::to_string(travel.size()) + " travel times but " +
                         std::to_string(turnout_s.size()) + " turnout times");
    std::vector<Ranked> out(travel.size());
    for (std::size_t i = 0; i < travel.size(); ++i) {
        out[i].index = i;
        if (travel[i].reachable) out[i].eta_s = std::max(0.0, turnout_s[i]) + travel[i].travel_s;
    }
    std::stable_sort(out.begin(), out.end(), [](const Ranked& l, const Ranked& r) { return l.eta_s < r.eta_s; });
    return out;
}

std::vector<geo::Coord> Router::route(std::size_t team) const {
    std::vector<geo::Coord> line;
    if (team >= m_candidates.size() || m_candidates[team].via < 0 || !m_incident_snap) return line;
    const RoadGraph& g = *m_graph;
    const Candidate& c = m_candidates[team];
    auto push = [&](geo::Coord p) {
        if (line.empty() || !(line.back() == p)) line.push_back(p);
    };
    push(m_teams[team]);
    push(c.snap->point);
    if (c.via != 2) {
        const RoadGraph::Segment& s = g.segment(c.snap->segment);
        std::uint32_t n = c.via == 0 ? s.a : s.b;
        push(g.node(n));
        for (std::uint32_t seg = m_parent[n]; seg != RoadGraph::k_none; seg = m_parent[n]) {
            n = g.segment(seg).a == n ? g.segment(seg).b : g.segment(seg).a;
            push(g.node(n));
        }
    }
    push(m_incident_snap->point);
    push(m_incident);
    return line;
}

} // namespace vigil::routing
