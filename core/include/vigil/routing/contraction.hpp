/// @file
/// Contraction hierarchies (Geisberger et al. 2008) over a RoadGraph's arcs, and the PHAST
/// sweep (Delling et al. 2011) that turns them into one-to-all travel times in a few
/// milliseconds on a city-sized network.
///
/// Preprocessing contracts the nodes one by one, least important first. Contracting v removes it
/// and adds a shortcut u -> w (weight T(u,v) + T(v,w), middle node v) for each pair of remaining
/// neighbours whose only shortest path runs through v; a bounded "witness" Dijkstra that avoids v
/// decides that. A node's rank is its position in that order. What is kept are the arcs that go
/// *up* in rank, in two lists per node:
///
///     up_out(v): arcs v -> w with rank(w) > rank(v)      (original arcs and shortcuts)
///     up_in(v):  arcs u -> v with rank(u) > rank(v)
///
/// Every shortest path s ~> t then has an equally short "up then down" form s ^ top v t, so:
///
///     PHAST, times to a point t (all v):            PHAST, times from a point s (all v):
///       1. Dijkstra from t over up_in                 1. Dijkstra from s over up_out
///          (labels d(u) of t's ancestors)                (labels d(w) of s's ancestors)
///       2. for v in descending rank:                  2. for v in descending rank:
///            d(v) = min(d(v), T(v,w) + d(w))               d(v) = min(d(v), d(u) + T(u,v))
///                   over w in up_out(v)                          over u in up_in(v)
///
/// Step 2 reads every node once, in order: the nodes are stored renumbered by descending rank
/// ("slot" 0 is the top), so the sweep walks the label and arc arrays front to back.
///
/// Node order: priority = 4 x edge difference (shortcuts added - arcs removed) + 2 x deleted
/// neighbours + the node's level, with lazy updates (a popped node's priority is recomputed and
/// it is put back if it is no longer the smallest). Recomputing the neighbours after each
/// contraction as well was measured on the peers' 250k network: 2.4x the build time for 2 % fewer
/// shortcuts, so it is not done. Ties break by node id, so the hierarchy is deterministic.
/// Parallel arcs are merged (the faster one stays); zero-time arcs are fine.
///
/// Weights are doubles (the sum of the float segment times in double), so CH and plain
/// Dijkstra agree to ~1e-9 s and never differ by a float rounding at the 0.1 s the peers check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace vigil::routing {

class RoadGraph;

/// Preprocessing knobs. The defaults are tuned on the peers' 1M-edge network (docs/routing.md).
struct ChOptions {
    /// Settled-node limit of a witness search while computing a priority (cheap, may miss
    /// witnesses: then a priority is a little pessimistic, nothing worse).
    std::uint32_t priority_settle_limit = 40;
    /// Settled-node limit of a witness search while contracting (a missed witness only adds a
    /// superfluous shortcut, never a wrong time).
    std::uint32_t contract_settle_limit = 150;
};

/// An immutable contraction hierarchy of one RoadGraph (built for that graph's node and segment
/// numbering; using it with another graph is a programmer error). Share it as const.
class ContractionHierarchy {
public:
    static constexpr std::uint32_t k_none = std::numeric_limits<std::uint32_t>::max();
    /// Arc::via with this bit set: a shortcut whose middle node (a slot) is via & ~k_shortcut_bit;
    /// without it, an original arc on segment `via`.
    static constexpr std::uint32_t k_shortcut_bit = 0x80000000u;

    /// One upward arc. `node` is the other end as a slot (see slot()).
    struct Arc {
        double time_s = 0;
        std::uint32_t node = 0;
        std::uint32_t via = 0;
        bool shortcut() const { return (via & k_shortcut_bit) != 0; }
        std::uint32_t middle() const { return via & ~k_shortcut_bit; }
    };

    ContractionHierarchy() = default;

    /// Contracts every node of `graph`. Seconds on the 1M-edge benchmark network.
    /// @throws vigil::UsageError for a graph with 2^31 nodes or segments or more (the shortcut
    ///         bit of Arc::via).
    static ContractionHierarchy build(const RoadGraph& graph, const ChOptions& options = {});

    std::size_t node_count() const { return m_node_of_slot.size(); }
    /// Upward arcs stored (both lists), shortcuts included.
    std::size_t arc_count() const { return m_out_arcs.size() + m_in_arcs.size(); }
    /// Shortcuts among arc_count().
    std::size_t shortcut_count() const { return m_shortcuts; }

    /// Slot of graph node n: 0 for the most important node, node_count() - 1 for the least.
    std::uint32_t slot(std::uint32_t node) const { return m_slot_of_node[node]; }
    /// Graph node in slot s.
    std::uint32_t node(std::uint32_t slot) const { return m_node_of_slot[slot]; }

    /// up_out of the node in slot s: arcs to higher-ranked nodes (smaller slots).
    std::span<const Arc> up_out(std::uint32_t s) const {
        return {m_out_arcs.data() + m_out_first[s], m_out_arcs.data() + m_out_first[s + 1]};
    }
    /// up_in of the node in slot s: arcs from higher-ranked nodes (smaller slots).
    std::span<const Arc> up_in(std::uint32_t s) const { return {m_in_arcs.data() + m_in_first[s], m_in_arcs.data() + m_in_first[s + 1]}; }

    /// Road metres of an arc of up_out() or up_in() (a shortcut: the sum of its pieces).
    double length_m(const Arc& arc) const;

    /// Appends to `segments` the road segments of the arc `from -> to` (slots) of weight
    /// `arc`, in driving order, unpacking shortcuts recursively.
    void unpack(std::uint32_t from, std::uint32_t to, const Arc& arc, std::vector<std::uint32_t>& segments) const;

    /// The hierarchy in the little-endian layout RoadGraph::serialize() embeds (no header of its own).
    void write(std::vector<std::byte>& out) const;
    /// Reads what write() wrote for a graph of `nodes` nodes and `segments` segments, starting at
    /// `pos` (advanced past it), checking every index.
    /// @throws vigil::FormatError naming what is truncated or out of range.
    static ContractionHierarchy read(std::span<const std::byte> in, std::size_t& pos, std::size_t nodes, std::size_t segments);

private:
    std::vector<std::uint32_t> m_slot_of_node, m_node_of_slot;
    std::vector<std::uint32_t> m_out_first, m_in_first; ///< size node_count + 1, by slot
    std::vector<Arc> m_out_arcs, m_in_arcs;
    std::vector<double> m_out_len, m_in_len; ///< road metres, parallel to the arc arrays
    std::size_t m_shortcuts = 0;
};

} // namespace vigil::routing
