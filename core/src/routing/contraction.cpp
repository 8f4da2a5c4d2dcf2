/// @file
/// Building a contraction hierarchy (node order, witness searches, shortcuts), unpacking its
/// shortcuts and its byte layout. The algorithm is drawn in contraction.hpp.

#include <vigil/routing/contraction.hpp>

#include <vigil/routing/road_graph.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include "byte_io.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <string>
#include <utility>

namespace vigil::routing {

namespace {


// An arc of the graph being contracted; `to` is a graph node, `via` a segment (original) or
// the middle graph node (shortcut).
struct DynArc {
    std::uint32_t to = 0;
    std::uint32_t via = 0;
    bool shortcut = false;
    double time_s = 0;
    double length_m = 0;
};

// Adds `a` to `list`, or keeps the faster of it and an arc to the same node (parallel arcs
// merged, so each pair has one arc per direction and unpacking finds exactly one piece).
void add_or_merge(std::vector<DynArc>& list, const DynArc& a) {
    for (DynArc& x : list)
        if (x.to == a.to) {
            if (a.time_s < x.time_s) x = a;
            return;
        }
    list.push_back(a);
}

void remove_to(std::vector<DynArc>& list, std::uint32_t node) {
    list.erase(std::remove_if(list.begin(), list.end(), [&](const DynArc& a) { return a.to == node; }), list.end());
}

class Contractor {
public:
    Contractor(const RoadGraph& g, const ChOptions& opt)
        : m_opt(opt), m_out(g.node_count()), m_in(g.node_count()), m_contracted(g.node_count(), 0), m_deleted(g.node_count(), 0),
          m_level(g.node_count(), 0), m_dist(g.node_count()), m_stamp(g.node_count(), 0), m_target(g.node_count(), 0) {
        for (std::uint32_t n = 0; n < g.node_count(); ++n)
            for (const RoadGraph::Arc& a : g.out_arcs(n)) {
                const DynArc d{a.node, a.segment, false, static_cast<double>(a.time_s), static_cast<double>(g.segment(a.segment).length_m)};
                add_or_merge(m_out[n], d);
                add_or_merge(m_in[a.node], DynArc{n, d.via, false, d.time_s, d.length_m});
            }
    }

    // Contracts every node; returns the order (order[i] = the i-th contracted, lowest rank first)
    // and fills the final up lists per graph node.
    std::vector<std::uint32_t> run(std::vector<std::vector<DynArc>>& up_out, std::vector<std::vector<DynArc>>& up_in) {
        const auto n = static_cast<std::uint32_t>(m_out.size());
        using Entry = std::pair<std::int64_t, std::uint32_t>; // (priority, node): ties by node id
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
        m_prio.assign(n, 0);
        for (std::uint32_t v = 0; v < n; ++v) queue.push({m_prio[v] = priority(v), v});
        std::vector<std::uint32_t> order;
        order.reserve(n);
        up_out.assign(n, {});
        up_in.assign(n, {});
        while (!queue.empty()) {
            const auto [p, v] = queue.top();
            queue.pop();
            if (m_contracted[v] || p != m_prio[v]) continue; // contracted, or a stale entry
            // Lazy update: the priority may have grown since v was queued; if it is no longer
            // the smallest, put it back.
            const std::int64_t now = priority(v);
            if (now > p && !queue.empty() && now > queue.top().first) {
                queue.push({m_prio[v] = now, v});
                continue;
            }
            contract(v);
            up_out[v] = std::move(m_out[v]);
            up_in[v] = std::move(m_in[v]);
            m_out[v] = {};
            m_in[v] = {};
            order.push_back(v);
        }
        return order;
    }

private:
    // Dijkstra from `source` over the remaining graph without `skip`, until `max_s` or `limit`
    // nodes are settled; m_dist/m_stamp hold the (upper-bound) distances found.
    void witness(std::uint32_t source, std::uint32_t skip, double max_s, std::uint32_t limit) {
        if (++m_gen == 0) {
            std::fill(m_stamp.begin(), m_stamp.end(), 0);
            m_gen = 1;
        }
        m_heap.clear();
        auto relax = [&](std::uint32_t v, double d) {
            if (m_stamp[v] != m_gen || d < m_dist[v]) {
                m_stamp[v] = m_gen;
                m_dist[v] = d;
                m_heap.push_back({d, v});
                std::push_heap(m_heap.begin(), m_heap.end(), std::greater<>());
            }
        };
        relax(source, 0);
        std::uint32_t settled = 0;
        // Stop once every target (v's out-neighbours but the source) is settled: their
        // distances are then final.
        std::size_t targets = 0;
        for (const DynArc& a : m_out[skip])
            if (a.to != source) ++targets;
        while (!m_heap.empty() && targets > 0) {
            std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
            const auto [d, u] = m_heap.back();
            m_heap.pop_back();
            if (d > m_dist[u]) continue;
            if (d > max_s || ++settled > limit) break;
            if (m_target[u] == m_target_gen && u != source) --targets;
            for (const DynArc& a : m_out[u])
                if (a.to != skip) relax(a.to, d + a.time_s);
        }
    }

    double dist(std::uint32_t v) const { return m_stamp[v] == m_gen ? m_dist[v] : std::numeric_limits<double>::infinity(); }

    // Shortcuts needed to contract v (added to the graph unless `simulate`).
    std::uint32_t shortcuts(std::uint32_t v, bool simulate) {
        std::uint32_t added = 0;
        m_pending.clear();
        for (const DynArc& in : m_in[v]) {
            const std::uint32_t u = in.to;
            double max_s = -1;
            for (const DynArc& out : m_out[v])
                if (out.to != u) max_s = std::max(max_s, in.time_s + out.time_s);
            if (max_s < 0) continue;
            ++m_target_gen;
            for (const DynArc& out : m_out[v]) m_target[out.to] = m_target_gen;
            witness(u, v, max_s, simulate ? m_opt.priority_settle_limit : m_opt.contract_settle_limit);
            for (const DynArc& out : m_out[v]) {
                if (out.to == u) continue;
                const double t = in.time_s + out.time_s;
                if (dist(out.to) <= t) continue; // a path as fast avoids v
                ++added;
                if (!simulate) m_pending.push_back({u, DynArc{out.to, v, true, t, in.length_m + out.length_m}});
            }
        }
        return added;
    }

    std::int64_t priority(std::uint32_t v) {
        const std::int64_t added = shortcuts(v, true);
        const auto removed = static_cast<std::int64_t>(m_in[v].size() + m_out[v].size());
        return 4 * (added - removed) + 2 * m_deleted[v] + m_level[v];
    }

    void contract(std::uint32_t v) {
        shortcuts(v, false);
        m_contracted[v] = 1;
        for (const DynArc& a : m_in[v]) remove_to(m_out[a.to], v);
        for (const DynArc& a : m_out[v]) remove_to(m_in[a.to], v);
        auto touch = [&](std::uint32_t n) {
            ++m_deleted[n];
            m_level[n] = std::max(m_level[n], m_level[v] + 1);
        };
        for (const DynArc& a : m_in[v]) touch(a.to);
        for (const DynArc& a : m_out[v]) touch(a.to);
        for (const auto& [u, a] : m_pending) {
            add_or_merge(m_out[u], a);
            add_or_merge(m_in[a.to], DynArc{u, a.via, true, a.time_s, a.length_m});
        }
    }

    ChOptions m_opt;
    std::vector<std::vector<DynArc>> m_out, m_in;
    std::vector<std::uint8_t> m_contracted;
    std::vector<std::uint32_t> m_deleted, m_level;
    std::vector<std::int64_t> m_prio;
    std::vector<double> m_dist;
    std::vector<std::uint32_t> m_stamp;
    std::uint32_t m_gen = 0;
    std::vector<std::uint64_t> m_target; ///< == m_target_gen: an out-neighbour of the node being contracted
    std::uint64_t m_target_gen = 0;
    std::vector<std::pair<double, std::uint32_t>> m_heap;
    std::vector<std::pair<std::uint32_t, DynArc>> m_pending;
};

} // namespace

ContractionHierarchy ContractionHierarchy::build(const RoadGraph& graph, const ChOptions& options) {
    if (graph.node_count() >= k_shortcut_bit || graph.segment_count() >= k_shortcut_bit)
        throw UsageError(tr("contraction hierarchy: the graph has 2^31 nodes or segments or more"));
    const auto n = static_cast<std::uint32_t>(graph.node_count());
    std::vector<std::vector<DynArc>> up_out, up_in;
    std::vector<std::uint32_t> order = Contractor(graph, options).run(up_out, up_in);

    ContractionHierarchy ch;
    ch.m_slot_of_node.assign(n, 0);
    ch.m_node_of_slot.assign(n, 0);
    for (std::uint32_t r = 0; r < n; ++r) { // rank r = r-th contracted; slot 0 = contracted last
        const std::uint32_t s = n - 1 - r;
        ch.m_slot_of_node[order[r]] = s;
        ch.m_node_of_slot[s] = order[r];
    }
    auto fill = [&](const std::vector<std::vector<DynArc>>& lists, std::vector<std::uint32_t>& first, std::vector<Arc>& arcs,
                    std::vector<double>& len) {
        first.assign(n + 1, 0);
        for (std::uint32_t s = 0; s < n; ++s) first[s + 1] = first[s] + static_cast<std::uint32_t>(lists[ch.m_node_of_slot[s]].size());
        arcs.resize(first[n]);
        len.resize(first[n]);
        for (std::uint32_t s = 0; s < n; ++s) {
            std::vector<DynArc> list = lists[ch.m_node_of_slot[s]];
            for (DynArc& a : list) {
                a.to = ch.m_slot_of_node[a.to];
                if (a.shortcut) a.via = ch.m_slot_of_node[a.via] | k_shortcut_bit;
            }
            // By slot: the sweep then reads the labels it needs in increasing address order.
            std::sort(list.begin(), list.end(), [](const DynArc& l, const DynArc& r) { return l.to < r.to; });
            for (std::size_t i = 0; i < list.size(); ++i) {
                arcs[first[s] + i] = Arc{list[i].time_s, list[i].to, list[i].via};
                len[first[s] + i] = list[i].length_m;
                if (list[i].shortcut) ++ch.m_shortcuts;
            }
        }
    };
    fill(up_out, ch.m_out_first, ch.m_out_arcs, ch.m_out_len);
    fill(up_in, ch.m_in_first, ch.m_in_arcs, ch.m_in_len);
    return ch;
}

double ContractionHierarchy::length_m(const Arc& arc) const {
    const std::less<const Arc*> before;
    const Arc* p = &arc;
    if (!m_out_arcs.empty() && !before(p, m_out_arcs.data()) && before(p, m_out_arcs.data() + m_out_arcs.size()))
        return m_out_len[static_cast<std::size_t>(p - m_out_arcs.data())];
    return m_in_len[static_cast<std::size_t>(p - m_in_arcs.data())];
}

namespace {

const ContractionHierarchy::Arc* find_arc(std::span<const ContractionHierarchy::Arc> list, std::uint32_t node) {
    for (const auto& a : list)
        if (a.node == node) return &a;
    return nullptr;
}

} // namespace

void ContractionHierarchy::unpack(std::uint32_t from, std::uint32_t to, const Arc& arc, std::vector<std::uint32_t>& segments) const {
    if (!arc.shortcut()) {
        segments.push_back(arc.via);
        return;
    }
    // The middle node ranks below both ends: from -> m is in up_in(m), m -> to in up_out(m).
    // read() checked that both exist, so a loaded hierarchy always unpacks.
    const std::uint32_t m = arc.middle();
    const Arc* first = find_arc(up_in(m), from);
    const Arc* second = find_arc(up_out(m), to);
    if (!first || !second) throw FormatError(tr("contraction hierarchy: shortcut without its pieces"));
    unpack(from, m, *first, segments);
    unpack(m, to, *second, segments);
}

// [Bytes] -----------------------------------------------------------------------------------
//
//     u32 node count N, u64 out arc count, u64 in arc count, u64 shortcut count
//     u32 node_of_slot[N]
//     u32 out_first[N+1], u32 in_first[N+1]
//     out arcs, in arcs: each f64 time_s, u32 node (slot), u32 via, f64 length_m

void ContractionHierarchy::write(std::vector<std::byte>& out) const {
    using detail::put;
    put<std::uint32_t>(out, static_cast<std::uint32_t>(node_count()));
    put<std::uint64_t>(out, m_out_arcs.size());
    put<std::uint64_t>(out, m_in_arcs.size());
    put<std::uint64_t>(out, m_shortcuts);
    detail::put_array(out, m_node_of_slot);
    detail::put_array(out, m_out_first);
    detail::put_array(out, m_in_first);
    auto arcs = [&](const std::vector<Arc>& list, const std::vector<double>& len) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            put<double>(out, list[i].time_s);
            put<std::uint32_t>(out, list[i].node);
            put<std::uint32_t>(out, list[i].via);
            put<double>(out, len[i]);
        }
    };
    arcs(m_out_arcs, m_out_len);
    arcs(m_in_arcs, m_in_len);
}

ContractionHierarchy ContractionHierarchy::read(std::span<const std::byte> in, std::size_t& pos, std::size_t nodes, std::size_t segments) {
    using detail::get;
    auto bad = [](const std::string& what) { return FormatError(trf("road graph bytes: contraction hierarchy: {}", what)); };
    ContractionHierarchy ch;
    const auto n = get<std::uint32_t>(in, pos, "hierarchy node count"); // i18n: not shown: a field of the file format
    if (n != nodes) throw bad(trf("built for {} nodes, the graph has {}", n, nodes));
    const auto out_count = get<std::uint64_t>(in, pos, "hierarchy arc count"); // i18n: not shown: a field of the file format
    const auto in_count = get<std::uint64_t>(in, pos, "hierarchy arc count");  // i18n: not shown: a field of the file format
    ch.m_shortcuts =
        static_cast<std::size_t>(get<std::uint64_t>(in, pos, "hierarchy shortcut count"));    // i18n: not shown: a field of the file format
    ch.m_node_of_slot = detail::get_array<std::uint32_t>(in, pos, n, "hierarchy node order"); // i18n: not shown: a field of the file format
    ch.m_slot_of_node.assign(n, k_none);
    for (std::uint32_t s = 0; s < n; ++s) {
        const std::uint32_t v = ch.m_node_of_slot[s];
        if (v >= n || ch.m_slot_of_node[v] != k_none) throw bad(tr("the node order is not a permutation"));
        ch.m_slot_of_node[v] = s;
    }
    ch.m_out_first =
        detail::get_array<std::uint32_t>(in, pos, std::uint64_t{n} + 1, "hierarchy offsets"); // i18n: not shown: a field of the file format
    ch.m_in_first =
        detail::get_array<std::uint32_t>(in, pos, std::uint64_t{n} + 1, "hierarchy offsets"); // i18n: not shown: a field of the file format
    auto offsets_ok = [&](const std::vector<std::uint32_t>& first, std::uint64_t count) {
        if (first[0] != 0 || first[n] != count) return false;
        for (std::uint32_t s = 0; s < n; ++s)
            if (first[s] > first[s + 1]) return false;
        return true;
    };
    if (!offsets_ok(ch.m_out_first, out_count) || !offsets_ok(ch.m_in_first, in_count)) throw bad(tr("arc offsets out of order"));
    constexpr std::size_t arc_bytes = 24;
    auto arcs = [&](std::uint64_t count, std::vector<Arc>& list, std::vector<double>& len) {
        if (in.size() < pos || count > (in.size() - pos) / arc_bytes)
            throw FormatError(tr("road graph bytes: truncated in the hierarchy's arcs"));
        list.resize(static_cast<std::size_t>(count));
        len.resize(static_cast<std::size_t>(count));
        for (std::size_t i = 0; i < list.size(); ++i) {
            list[i].time_s = get<double>(in, pos, "arc");
            list[i].node = get<std::uint32_t>(in, pos, "arc");
            list[i].via = get<std::uint32_t>(in, pos, "arc");
            len[i] = get<double>(in, pos, "arc");
            if (!(list[i].time_s >= 0) || !std::isfinite(list[i].time_s) || !(len[i] >= 0) || !std::isfinite(len[i]))
                throw bad(trf("arc {} has a negative or non-finite time or length", i));
        }
    };
    arcs(out_count, ch.m_out_arcs, ch.m_out_len);
    arcs(in_count, ch.m_in_arcs, ch.m_in_len);
    // Every arc goes up (to a smaller slot); a shortcut's middle ranks below both ends and its two
    // pieces exist. That is what makes the sweep correct and unpack() terminate.
    auto check = [&](bool out_list) {
        for (std::uint32_t s = 0; s < n; ++s)
            for (const Arc& a : out_list ? ch.up_out(s) : ch.up_in(s)) {
                if (a.node >= s) throw bad(trf("an arc of slot {} does not go up", s));
                if (!a.shortcut()) {
                    if (a.via >= segments) throw bad(trf("an arc names segment {} of {}", a.via, segments));
                    continue;
                }
                const std::uint32_t m = a.middle();
                if (m >= n || m <= s) throw bad(tr("a shortcut's middle node is out of range"));
                const std::uint32_t from = out_list ? s : a.node, to = out_list ? a.node : s;
                if (!find_arc(ch.up_in(m), from) || !find_arc(ch.up_out(m), to)) throw bad(tr("a shortcut's pieces are missing"));
            }
    };
    check(true);
    check(false);
    return ch;
}

} // namespace vigil::routing
