/// @file
/// One search from the incident over the reversed graph (the algorithm is drawn in
/// one_to_many.hpp).

#include <vigil/routing/one_to_many.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace vigil::routing {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// Min-heap order for std::push_heap/pop_heap (which build max-heaps).
template <class T> bool heap_after(const T& l, const T& r) { return l.key > r.key; }

// A team snapped onto a segment leaves it towards a by driving b -> a, towards b by a -> b;
// a team exactly on an end node is at that node and may take any of its arcs.
bool leaves_via_a(const RoadGraph::Segment& s, const Snap& p) { return s.backward || p.fraction == 0; }
bool leaves_via_b(const RoadGraph::Segment& s, const Snap& p) { return s.forward || p.fraction == 1; }

// One step of an upward CH search (PHAST's first phase, either half of between()): the arcs of
// slot x, settled at `key`, improve the labels of this search, stamped with its generation.
template <class HeapItem>
void relax_upward(std::span<const ContractionHierarchy::Arc> arcs, std::uint32_t x, double key, std::uint32_t generation,
                  std::vector<double>& time, std::vector<std::uint32_t>& stamp, std::vector<std::uint32_t>& parent,
                  std::vector<const ContractionHierarchy::Arc*>& parent_arc, std::vector<HeapItem>& heap) {
    for (const ContractionHierarchy::Arc& a : arcs) {
        const double t = key + a.time_s;
        if (stamp[a.node] != generation || t < time[a.node]) {
            time[a.node] = t;
            stamp[a.node] = generation;
            parent[a.node] = x;
            parent_arc[a.node] = &a;
            heap.push_back({t, a.node});
            std::push_heap(heap.begin(), heap.end(), heap_after<HeapItem>);
        }
    }
}

} // namespace

Router::Router(const RoadGraph& graph)
    : m_graph(&graph), m_time(graph.node_count()), m_parent(graph.node_count()), m_stamp(graph.node_count(), 0),
      m_done(graph.node_count(), 0), m_target(graph.node_count(), 0) {
    // The PHAST workspace too when the graph has its hierarchy already, so that the first query
    // does not pay for sizing it (36 bytes a node: 10 MB for the peers' 1M-edge network, ~1 ms).
    // A hierarchy built later gets it on first use.
    if (graph.hierarchy()) prepare_ch();
}

void Router::next_generation() {
    if (++m_generation == 0) { // wrapped after 4 billion searches: forget every stamp once
        for (auto* v : {&m_stamp, &m_done, &m_target, &m_closed, &m_ch_stamp, &m_ch_done, &m_fw_stamp, &m_fw_done})
            std::fill(v->begin(), v->end(), 0);
        m_generation = 1;
    }
}

bool Router::mark_closures(const SearchOptions& options) {
    m_has_closures = false;
    if (options.closed_segments.empty()) return false;
    const std::size_t count = m_graph->segment_count();
    if (m_closed.size() != count) m_closed.assign(count, 0);
    for (std::uint32_t s : options.closed_segments) {
        if (s >= count) throw UsageError(trf("closed segment {} does not exist: the road graph has {} segments", s, count));
        m_closed[s] = m_generation;
    }
    m_has_closures = true;
    return true;
}

void Router::prepare_ch() {
    const std::size_t n = m_graph->node_count();
    if (m_ch_time.size() == n) return;
    m_ch_time.assign(n, k_inf);
    m_ch_stamp.assign(n, 0);
    m_ch_done.assign(n, 0);
    m_ch_next.assign(n, ContractionHierarchy::k_none);
    m_ch_arc.assign(n, nullptr);
    m_rphast_mark.assign(n, 0);
    m_rphast_selection = 0;
}

void Router::start(std::uint32_t n, double time) {
    if (m_used_ch) {
        const std::uint32_t s = m_graph->hierarchy()->slot(n);
        if (m_ch_stamp[s] != m_generation || time < m_ch_time[s]) {
            m_ch_time[s] = time;
            m_ch_stamp[s] = m_generation;
            m_ch_next[s] = ContractionHierarchy::k_none;
            m_ch_arc[s] = nullptr;
            m_heap.push_back({time, s});
            std::push_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
        }
        return;
    }
    if (time < label(n)) {
        m_time[n] = time;
        m_parent[n] = RoadGraph::k_none;
        m_stamp[n] = m_generation;
        m_heap.push_back({time, n});
        std::push_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
    }
}

void Router::start_at(const Snap& sp, double access_s) {
    const RoadGraph::Segment& seg = m_graph->segment(sp.segment);
    const bool shut = closed(sp.segment);
    // Towards the point, node a reaches it driving a -> b; from the point, a is reached
    // driving b -> a. A point exactly on an end node is at that node whatever the direction;
    // a closed segment can only be left or entered at its ends.
    const bool via_a = sp.fraction == 0 || (!shut && (m_to_point ? seg.forward : seg.backward));
    const bool via_b = sp.fraction == 1 || (!shut && (m_to_point ? seg.backward : seg.forward));
    if (via_a) start(seg.a, access_s + sp.fraction * seg.time_s);
    if (via_b) start(seg.b, access_s + (1 - sp.fraction) * seg.time_s);
}

void Router::search(std::span<const std::uint32_t> targets, double limit_s) {
    const RoadGraph& g = *m_graph;
    std::size_t remaining = 0;
    for (std::uint32_t n : targets)
        if (m_target[n] != m_generation) {
            m_target[n] = m_generation;
            ++remaining;
        }
    const bool all = targets.empty();
    m_settled = 0;
    while (!m_heap.empty() && (all || remaining > 0)) {
        std::pop_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
        const HeapItem top = m_heap.back();
        m_heap.pop_back();
        const std::uint32_t v = top.node;
        if (m_done[v] == m_generation) continue; // a stale entry (lazy deletion)
        if (top.key > limit_s) break;
        m_done[v] = m_generation;
        ++m_settled;
        if (m_target[v] == m_generation) --remaining;
        const double tv = m_time[v];
        for (const RoadGraph::Arc& arc : m_to_point ? g.in_arcs(v) : g.out_arcs(v)) {
            if (closed(arc.segment)) continue;
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

void Router::phast(const std::vector<std::uint32_t>* slots) {
    const ContractionHierarchy& ch = *m_graph->hierarchy();
    const auto n = static_cast<std::uint32_t>(ch.node_count());
    // 1. Upward search from the start slots: over up_in towards the point (a label is the time
    //    from that node to the point), over up_out from it.
    m_settled = 0;
    while (!m_heap.empty()) {
        std::pop_heap(m_heap.begin(), m_heap.end(), heap_after<HeapItem>);
        const HeapItem top = m_heap.back();
        m_heap.pop_back();
        const std::uint32_t x = top.node;
        if (m_ch_done[x] == m_generation) continue;
        m_ch_done[x] = m_generation;
        ++m_settled;
        relax_upward(m_to_point ? ch.up_in(x) : ch.up_out(x), x, top.key, m_generation, m_ch_time, m_ch_stamp, m_ch_next, m_ch_arc, m_heap);
    }
    // 2. The sweep, top slot first: every arc of slot s leads to a smaller slot, already final
    //    (with a selection too: it holds the heads of its slots' arcs, and it is ascending).
    double* time = m_ch_time.data();
    const std::uint32_t* stamp = m_ch_stamp.data();
    const std::uint32_t gen = m_generation;
    auto sweep = [&](std::uint32_t s) {
        double best = stamp[s] == gen ? time[s] : k_inf;
        const ContractionHierarchy::Arc* chosen = nullptr;
        for (const ContractionHierarchy::Arc& a : m_to_point ? ch.up_out(s) : ch.up_in(s)) {
            const double t = a.time_s + time[a.node];
            if (t < best) {
                best = t;
                chosen = &a;
            }
        }
        time[s] = best;
        if (chosen) {
            m_ch_next[s] = chosen->node;
            m_ch_arc[s] = chosen;
        } else if (stamp[s] != gen) {
            m_ch_next[s] = ContractionHierarchy::k_none;
            m_ch_arc[s] = nullptr;
        }
    };
    if (slots) {
        for (std::uint32_t s : *slots) sweep(s);
        m_settled += slots->size();
    } else {
        for (std::uint32_t s = 0; s < n; ++s) sweep(s);
        m_settled += n;
    }
}

const std::vector<std::uint32_t>* Router::restricted_slots(std::span<const std::uint32_t> target_nodes) {
    const ContractionHierarchy& ch = *m_graph->hierarchy();
    std::vector<std::uint32_t> key;
    key.reserve(target_nodes.size());
    for (std::uint32_t t : target_nodes) key.push_back(ch.slot(t));
    std::sort(key.begin(), key.end());
    key.erase(std::unique(key.begin(), key.end()), key.end());
    if (m_rphast_selection != 0 && m_rphast_ch == &ch && m_rphast_to_point == m_to_point && key == m_rphast_targets)
        return m_rphast_full ? nullptr : &m_rphast_slots;
    const auto n = static_cast<std::uint32_t>(ch.node_count());
    if (++m_rphast_selection == 0) { // wrapped: forget every mark once
        std::fill(m_rphast_mark.begin(), m_rphast_mark.end(), 0);
        m_rphast_selection = 1;
    }
    // Depth-first over the arcs the sweep reads, marking each slot once; then the marked slots
    // in ascending order by one scan of the marks (cheaper than sorting tens of thousands).
    std::vector<std::uint32_t> stack;
    for (std::uint32_t s : key)
        if (m_rphast_mark[s] != m_rphast_selection) {
            m_rphast_mark[s] = m_rphast_selection;
            stack.push_back(s);
        }
    std::size_t count = stack.size();
    m_rphast_full = false;
    while (!stack.empty() && !m_rphast_full) {
        const std::uint32_t s = stack.back();
        stack.pop_back();
        for (const ContractionHierarchy::Arc& a : m_to_point ? ch.up_out(s) : ch.up_in(s))
            if (m_rphast_mark[a.node] != m_rphast_selection) {
                m_rphast_mark[a.node] = m_rphast_selection;
                stack.push_back(a.node);
                ++count;
            }
        m_rphast_full = count > n / 2; // as slow as the full sweep: stop selecting
    }
    m_rphast_slots.clear();
    if (!m_rphast_full) {
        m_rphast_slots.reserve(count);
        const std::uint32_t* mark = m_rphast_mark.data();
        const std::uint32_t selection = m_rphast_selection;
        for (std::uint32_t s = 0; s < n; ++s)
            if (mark[s] == selection) m_rphast_slots.push_back(s);
    }
    m_rphast_targets = std::move(key);
    m_rphast_to_point = m_to_point;
    m_rphast_ch = &ch;
    return m_rphast_full ? nullptr : &m_rphast_slots;
}

double Router::final_time(std::uint32_t n) const {
    if (m_used_ch) return m_ch_time[m_graph->hierarchy()->slot(n)];
    return m_done[n] == m_generation ? m_time[n] : k_inf;
}

std::vector<std::uint32_t> Router::path_segments(std::uint32_t n) const {
    if (m_pair) return m_pair_path; // between(): n is the team-side end of that path
    std::vector<std::uint32_t> segs;
    if (!m_used_ch) {
        const RoadGraph& g = *m_graph;
        for (std::uint32_t seg = m_parent[n]; seg != RoadGraph::k_none; seg = m_parent[n]) {
            segs.push_back(seg);
            n = g.segment(seg).a == n ? g.segment(seg).b : g.segment(seg).a;
        }
        return segs;
    }
    const ContractionHierarchy& ch = *m_graph->hierarchy();
    std::vector<std::uint32_t> piece;
    for (std::uint32_t s = ch.slot(n); m_ch_next[s] != ContractionHierarchy::k_none; s = m_ch_next[s]) {
        if (m_to_point) {
            ch.unpack(s, m_ch_next[s], *m_ch_arc[s], segs); // driving s -> next, the way to the point
        } else {
            piece.clear();
            ch.unpack(m_ch_next[s], s, *m_ch_arc[s], piece); // driving next -> s, away from the point
            segs.insert(segs.end(), piece.rbegin(), piece.rend());
        }
    }
    return segs;
}

double Router::length_to_start(std::uint32_t n) const {
    const RoadGraph& g = *m_graph;
    double len = 0;
    if (m_pair) {
        for (std::uint32_t seg : m_pair_path) len += g.segment(seg).length_m;
        n = m_pair_end;
    } else if (m_used_ch) {
        const ContractionHierarchy& ch = *g.hierarchy();
        std::uint32_t s = ch.slot(n);
        for (; m_ch_next[s] != ContractionHierarchy::k_none; s = m_ch_next[s]) len += ch.length_m(*m_ch_arc[s]);
        n = ch.node(s);
    } else {
        for (std::uint32_t seg = m_parent[n]; seg != RoadGraph::k_none; seg = m_parent[n]) {
            const RoadGraph::Segment& s = g.segment(seg);
            len += s.length_m;
            n = s.a == n ? s.b : s.a;
        }
    }
    // n is where the search started: an end of the start point's segment.
    const RoadGraph::Segment& is = g.segment(m_incident_snap->segment);
    return len + (n == is.a ? m_incident_snap->fraction : 1 - m_incident_snap->fraction) * is.length_m;
}

std::optional<Snap> Router::cached_snap(geo::Coord p, double max_m) {
    CoordKey key;
    std::memcpy(&key.x, &p.x, sizeof key.x);
    std::memcpy(&key.y, &p.y, sizeof key.y);
    auto it = m_snap_cache.find(key);
    if (it == m_snap_cache.end()) {
        // Bounded memory for a viewer that runs for days: forget everything past 64k points.
        if (m_snap_cache.size() >= (1u << 16)) m_snap_cache.clear();
        it = m_snap_cache.emplace(key, m_graph->snap(p)).first;
    }
    if (!it->second || it->second->access_m > max_m) return std::nullopt;
    return it->second;
}

std::vector<TravelTime> Router::to_incident(geo::Coord incident, std::span<const geo::Coord> teams, const SearchOptions& options) {
    const RoadGraph& g = *m_graph;
    next_generation();
    m_pair = false;
    m_to_point = true;
    const bool closures = mark_closures(options);
    m_used_ch = g.hierarchy() && options.use_hierarchy && !closures;
    if (m_used_ch) prepare_ch();
    m_incident = incident;
    m_teams.assign(teams.begin(), teams.end());
    m_candidates.assign(teams.size(), Candidate{});
    std::vector<TravelTime> out(teams.size());
    m_heap.clear();
    m_settled = 0;

    m_incident_snap = cached_snap(incident, options.max_snap_m);
    if (!m_incident_snap) return out; // the incident is off the network: nobody can drive there

    const double access_mps = g.speeds().access_kmh / 3.6;
    const Snap& is = *m_incident_snap;
    start_at(is, 0);

    // A team leaves its snap point towards a by driving b -> a (towards b: a -> b); one exactly
    // on an end node is at that node and may take any of its arcs; a closed segment only there.
    auto via_a = [&](const RoadGraph::Segment& s, const Snap& p) { return p.fraction == 0 || (!closed(p.segment) && leaves_via_a(s, p)); };
    auto via_b = [&](const RoadGraph::Segment& s, const Snap& p) { return p.fraction == 1 || (!closed(p.segment) && leaves_via_b(s, p)); };
    std::vector<std::uint32_t> targets;
    targets.reserve(teams.size() * 2);
    for (std::size_t i = 0; i < teams.size(); ++i) {
        m_candidates[i].snap = cached_snap(teams[i], options.max_snap_m);
        if (!m_candidates[i].snap) continue;
        const RoadGraph::Segment& s = g.segment(m_candidates[i].snap->segment);
        if (via_a(s, *m_candidates[i].snap)) targets.push_back(s.a);
        if (via_b(s, *m_candidates[i].snap)) targets.push_back(s.b);
    }
    if (m_used_ch) {
        phast(restricted_slots(targets)); // only the slots the teams' times depend on
    } else if (!targets.empty()) {
        search(targets, k_inf);
    }

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
        if (via_a(s, ts)) {
            const double t = final_time(s.a);
            if (std::isfinite(t)) consider(0, ts.fraction * s.time_s + t);
        }
        if (via_b(s, ts)) {
            const double t = final_time(s.b);
            if (std::isfinite(t)) consider(1, (1 - ts.fraction) * s.time_s + t);
        }
        const double d = is.fraction - ts.fraction; // > 0: the incident lies ahead towards b
        if (ts.segment == is.segment && !closed(ts.segment) && ((d >= 0 && s.forward) || (d <= 0 && s.backward)))
            consider(2, std::abs(d) * s.time_s);
        if (c.via < 0) continue;
        double best_len = 0;
        switch (c.via) {
        case 0: best_len = ts.fraction * s.length_m + length_to_start(s.a); break;
        case 1: best_len = (1 - ts.fraction) * s.length_m + length_to_start(s.b); break;
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

TravelTime Router::between(geo::Coord from, geo::Coord to, const SearchOptions& options) {
    const geo::Coord teams[1] = {from};
    const RoadGraph& g = *m_graph;
    if (!g.hierarchy() || !options.use_hierarchy || !options.closed_segments.empty())
        return to_incident(to, teams, options).front(); // the plain Dijkstra stops at the team
    // Snapping, the start labels and the answer as in to_incident(), but a bidirectional CH
    // query instead of PHAST: an upward search from each end, meeting at the top.
    next_generation();
    m_pair = false;
    m_to_point = true;
    m_used_ch = true;
    m_has_closures = false;
    prepare_ch();
    m_incident = to;
    m_teams.assign(teams, teams + 1);
    m_candidates.assign(1, Candidate{});
    TravelTime out;
    m_heap.clear();
    m_settled = 0;
    m_incident_snap = g.snap(to, options.max_snap_m);
    m_candidates[0].snap = g.snap(from, options.max_snap_m);
    if (!m_incident_snap || !m_candidates[0].snap) return out;
    const Snap& is = *m_incident_snap;
    const Snap& ts = *m_candidates[0].snap;
    start_at(is, 0); // backward half: m_ch_* over up_in

    const ContractionHierarchy& ch = *g.hierarchy();
    const std::size_t n = g.node_count();
    if (m_fw_time.size() != n) {
        m_fw_time.assign(n, k_inf);
        m_fw_stamp.assign(n, 0);
        m_fw_done.assign(n, 0);
        m_fw_prev.assign(n, ContractionHierarchy::k_none);
        m_fw_arc.assign(n, nullptr);
    }
    m_fw_heap.clear();
    auto fw_start = [&](std::uint32_t node, double time) {
        const std::uint32_t s = ch.slot(node);
        if (m_fw_stamp[s] != m_generation || time < m_fw_time[s]) {
            m_fw_time[s] = time;
            m_fw_stamp[s] = m_generation;
            m_fw_prev[s] = ContractionHierarchy::k_none;
            m_fw_arc[s] = nullptr;
            m_fw_heap.push_back({time, s});
            std::push_heap(m_fw_heap.begin(), m_fw_heap.end(), heap_after<HeapItem>);
        }
    };
    const RoadGraph::Segment& seg = g.segment(ts.segment);
    if (leaves_via_a(seg, ts)) fw_start(seg.a, ts.fraction * seg.time_s);
    if (leaves_via_b(seg, ts)) fw_start(seg.b, (1 - ts.fraction) * seg.time_s);

    double mu = k_inf;
    std::uint32_t meet = ContractionHierarchy::k_none;
    auto top = [](const std::vector<HeapItem>& h) { return h.empty() ? k_inf : h.front().key; };
    while (std::min(top(m_heap), top(m_fw_heap)) < mu) {
        const bool forward = top(m_fw_heap) <= top(m_heap);
        auto& heap = forward ? m_fw_heap : m_heap;
        std::pop_heap(heap.begin(), heap.end(), heap_after<HeapItem>);
        const HeapItem it = heap.back();
        heap.pop_back();
        const std::uint32_t x = it.node;
        auto& done = forward ? m_fw_done : m_ch_done;
        if (done[x] == m_generation) continue;
        done[x] = m_generation;
        ++m_settled;
        const bool other = forward ? m_ch_stamp[x] == m_generation : m_fw_stamp[x] == m_generation;
        if (other) {
            const double total = it.key + (forward ? m_ch_time[x] : m_fw_time[x]);
            if (total < mu) {
                mu = total;
                meet = x;
            }
        }
        if (forward) relax_upward(ch.up_out(x), x, it.key, m_generation, m_fw_time, m_fw_stamp, m_fw_prev, m_fw_arc, m_fw_heap);
        else relax_upward(ch.up_in(x), x, it.key, m_generation, m_ch_time, m_ch_stamp, m_ch_next, m_ch_arc, m_heap);
    }
    m_heap.clear();
    m_fw_heap.clear();

    Candidate& c = m_candidates[0];
    double best = mu;
    const double d = is.fraction - ts.fraction; // > 0: the incident lies ahead towards b
    if (ts.segment == is.segment && ((d >= 0 && seg.forward) || (d <= 0 && seg.backward)) && std::abs(d) * seg.time_s <= best) {
        best = std::abs(d) * seg.time_s;
        c.via = 2;
    } else if (meet != ContractionHierarchy::k_none) {
        // The path: team side up to the meeting slot (unpacked, then in driving order), then
        // down to the incident's segment.
        m_pair_path.clear();
        std::vector<std::uint32_t> piece;
        std::vector<std::vector<std::uint32_t>> up;
        std::uint32_t s = meet;
        for (; m_fw_prev[s] != ContractionHierarchy::k_none; s = m_fw_prev[s]) {
            piece.clear();
            ch.unpack(m_fw_prev[s], s, *m_fw_arc[s], piece);
            up.push_back(piece);
        }
        const std::uint32_t root = ch.node(s);
        for (auto it = up.rbegin(); it != up.rend(); ++it) m_pair_path.insert(m_pair_path.end(), it->begin(), it->end());
        for (s = meet; m_ch_next[s] != ContractionHierarchy::k_none; s = m_ch_next[s])
            ch.unpack(s, m_ch_next[s], *m_ch_arc[s], m_pair_path);
        m_pair_end = ch.node(s);
        m_pair = true;
        c.via = root == seg.a ? 0 : 1;
    }
    if (c.via < 0) return out;
    double len = 0;
    switch (c.via) {
    case 0: len = ts.fraction * seg.length_m + length_to_start(seg.a); break;
    case 1: len = (1 - ts.fraction) * seg.length_m + length_to_start(seg.b); break;
    default: len = std::abs(d) * seg.length_m; break;
    }
    const double access_mps = g.speeds().access_kmh / 3.6;
    out.reachable = true;
    out.access_m = ts.access_m + is.access_m;
    out.travel_s = best + out.access_m / access_mps;
    out.road_distance_m = len + out.access_m;
    return out;
}

NodeTimes Router::node_times(std::span<const geo::Coord> points, double limit_s, TravelDirection direction, const SearchOptions& options) {
    if (!(limit_s >= 0)) throw UsageError(tr("isochrone: the time limit must be a number of seconds >= 0"));
    const RoadGraph& g = *m_graph;
    next_generation();
    m_pair = false;
    m_to_point = direction == TravelDirection::to_points;
    const bool closures = mark_closures(options);
    m_used_ch = g.hierarchy() && options.use_hierarchy && !closures;
    if (m_used_ch) prepare_ch();
    // route() refers to a to_incident() query; this one has no teams.
    m_incident_snap.reset();
    m_teams.clear();
    m_candidates.clear();
    m_heap.clear();
    m_settled = 0;
    NodeTimes out;
    out.direction = direction;
    out.limit_s = limit_s;
    const double access_mps = g.speeds().access_kmh / 3.6;
    bool any = false;
    for (const geo::Coord& p : points) {
        auto sp = g.snap(p, options.max_snap_m);
        if (!sp) continue;
        any = true;
        start_at(*sp, sp->access_m / access_mps);
    }
    if (!any) return out;
    if (m_used_ch) {
        phast();
        const ContractionHierarchy& ch = *g.hierarchy();
        for (std::uint32_t n = 0; n < g.node_count(); ++n) {
            const double t = m_ch_time[ch.slot(n)];
            if (t <= limit_s) {
                out.nodes.push_back(n);
                out.time_s.push_back(t);
            }
        }
    } else {
        search({}, limit_s);
        for (std::uint32_t n = 0; n < g.node_count(); ++n)
            if (m_done[n] == m_generation) {
                out.nodes.push_back(n);
                out.time_s.push_back(m_time[n]);
            }
    }
    return out;
}

std::vector<Ranked> rank_by_eta(std::span<const TravelTime> travel, std::span<const double> turnout_s) {
    if (travel.size() != turnout_s.size())
        // i18n: not shown: a caller's mistake (the two lists come from the same query), for developers
        throw UsageError(fmt::format("rank_by_eta: {} travel times but {} turnout times", travel.size(), turnout_s.size()));
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
        for (std::uint32_t seg : path_segments(n)) {
            n = g.segment(seg).a == n ? g.segment(seg).b : g.segment(seg).a;
            push(g.node(n));
        }
    }
    push(m_incident_snap->point);
    push(m_incident);
    return line;
}

} // namespace vigil::routing
