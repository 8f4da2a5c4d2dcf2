/// @file
/// Tests of the packed Hilbert R-tree: the Hilbert curve, box search, planar and custom-metric
/// k-nearest against brute force, empty items, tiny trees and serialisation (round trip and
/// damaged bytes). Random data comes from std::mt19937_64 with our own mapping to doubles, so
/// the same numbers come out under every standard library (the suite also runs under node).

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/util/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

using vigil::geo::BBox;
using vigil::geo::Coord;
using vigil::index::HilbertRTree;
using vigil::index::HilbertRTreeBuilder;
using vigil::index::Neighbour;

namespace test_hilbert_rtree_cases {

using vigil::test::uniform;

/// Random data: mostly points, some small boxes, some empty items (records without geometry),
/// and a few exact duplicates so that equal distances occur.
std::vector<BBox> random_items(std::mt19937_64& rng, std::size_t n) {
    std::vector<BBox> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto kind = rng() % 20;
        if (kind == 0) {
            items.push_back(BBox{}); // empty
        } else if (kind == 1 && !items.empty()) {
            items.push_back(items[rng() % items.size()]); // duplicate
        } else if (kind < 5) {
            const double x = uniform(rng, 115.0, 118.0), y = uniform(rng, 39.0, 41.0);
            items.push_back(BBox{x, y, x + uniform(rng, 0, 0.05), y + uniform(rng, 0, 0.05)});
        } else {
            const double x = uniform(rng, 115.0, 118.0), y = uniform(rng, 39.0, 41.0);
            items.push_back(BBox{x, y, x, y});
        }
    }
    return items;
}

HilbertRTree build(const std::vector<BBox>& items, std::uint16_t node_size = 16) {
    HilbertRTreeBuilder builder(items.size(), node_size);
    for (std::size_t i = 0; i < items.size(); ++i) REQUIRE(builder.add(items[i]) == i);
    REQUIRE(builder.size() == items.size());
    auto tree = builder.finish();
    REQUIRE(builder.size() == 0);
    return tree;
}

std::vector<std::uint32_t> brute_search(const std::vector<BBox>& items, const BBox& q) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < items.size(); ++i)
        if (!items[i].empty() && q.intersects(items[i])) out.push_back(i);
    return out;
}

std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

/// The planar distance the tree uses: squared for ranking, reported as its square root.
double dist2(Coord p, const BBox& b) {
    const double dx = std::max(std::max(b.min_x - p.x, p.x - b.max_x), 0.0);
    const double dy = std::max(std::max(b.min_y - p.y, p.y - b.max_y), 0.0);
    return dx * dx + dy * dy;
}

template <class Accept>
std::vector<Neighbour> brute_planar(const std::vector<BBox>& items, Coord p, std::size_t k, double max_d, Accept accept) {
    std::vector<std::pair<double, std::uint32_t>> all;
    for (std::uint32_t i = 0; i < items.size(); ++i) {
        if (items[i].empty() || !accept(i)) continue;
        const double d2 = dist2(p, items[i]);
        if (std::sqrt(d2) <= max_d) all.emplace_back(d2, i);
    }
    std::sort(all.begin(), all.end());
    std::vector<Neighbour> out;
    for (std::size_t i = 0; i < all.size() && i < k; ++i) out.push_back({all[i].second, std::sqrt(all[i].first)});
    return out;
}

void require_same(const std::vector<Neighbour>& got, const std::vector<Neighbour>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("rank " << i);
        REQUIRE(got[i].item == want[i].item);
        REQUIRE(got[i].distance == want[i].distance);
    }
}

/// An anisotropic metric like the product's lon/lat one: x scaled by cos(latitude).
struct ScaledMetric {
    Coord p;
    double sx;
    double box(const BBox& b) const {
        const double dx = std::max(std::max(b.min_x - p.x, p.x - b.max_x), 0.0) * sx;
        const double dy = std::max(std::max(b.min_y - p.y, p.y - b.max_y), 0.0);
        return std::sqrt(dx * dx + dy * dy);
    }
};


TEST_CASE("hilbert_index walks a continuous curve from the origin", "[index][hilbert]") {
    // The first 4^8 cells of the 16-bit curve fill the 256 x 256 square at the origin, each
    // once, and consecutive cells share an edge.
    constexpr std::uint32_t side = 256;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cell_of(side * side, {~0u, ~0u});
    for (std::uint32_t x = 0; x < side; ++x)
        for (std::uint32_t y = 0; y < side; ++y) {
            const auto h = vigil::index::hilbert_index(x, y);
            REQUIRE(h < side * side);
            REQUIRE(cell_of[h].first == ~0u);
            cell_of[h] = {x, y};
        }
    REQUIRE(vigil::index::hilbert_index(0, 0) == 0);
    for (std::size_t h = 1; h < cell_of.size(); ++h) {
        const auto [x0, y0] = cell_of[h - 1];
        const auto [x1, y1] = cell_of[h];
        const auto step = (x0 > x1 ? x0 - x1 : x1 - x0) + (y0 > y1 ? y0 - y1 : y1 - y0);
        REQUIRE(step == 1);
    }
    // The whole grid maps onto the whole 32-bit range: the far corners are distinct and in range.
    std::set<std::uint32_t> corners{vigil::index::hilbert_index(0, 0), vigil::index::hilbert_index(65535, 0),
                                    vigil::index::hilbert_index(0, 65535), vigil::index::hilbert_index(65535, 65535)};
    REQUIRE(corners.size() == 4);
}

TEST_CASE("HilbertRTree box search equals brute force", "[index][rtree-search]") {
    std::mt19937_64 rng(20240601);
    const auto items = random_items(rng, 10000);
    for (std::uint16_t node_size : {16, 2, 7}) {
        INFO("node size " << node_size);
        const auto tree = build(items, node_size);
        REQUIRE(tree.size() == items.size());
        REQUIRE(tree.node_size() == node_size);

        BBox all;
        for (const auto& b : items) all.add(b);
        REQUIRE(tree.bounds() == all);

        for (int q = 0; q < 300; ++q) {
            const double x = uniform(rng, 114.9, 118.1), y = uniform(rng, 38.9, 41.1);
            const double w = q % 10 == 0 ? uniform(rng, 0, 3) : uniform(rng, 0, 0.2);
            const BBox query{x, y, x + w, y + w * uniform(rng, 0.2, 2)};
            REQUIRE(sorted(tree.search(query)) == brute_search(items, query));
        }
        // Borders count: a query exactly on a point finds it.
        for (std::uint32_t i = 0; i < 50; ++i) {
            if (items[i].empty()) continue;
            const BBox q{items[i].max_x, items[i].max_y, items[i].max_x, items[i].max_y};
            const auto found = tree.search(q);
            REQUIRE(std::find(found.begin(), found.end(), i) != found.end());
        }
        // Nothing for empty or NaN queries.
        REQUIRE(tree.search(BBox{}).empty());
        REQUIRE(tree.search(BBox{std::nan(""), 39, 118, 41}).empty());
    }
}

TEST_CASE("HilbertRTree search stops early and allows nested searches", "[index][rtree-search]") {
    std::mt19937_64 rng(7);
    const auto items = random_items(rng, 2000);
    const auto tree = build(items);
    const BBox everything{-1000, -1000, 1000, 1000};
    const auto all = tree.search(everything);
    REQUIRE(all.size() == brute_search(items, everything).size());

    std::vector<std::uint32_t> first5;
    tree.search(everything, [&](std::uint32_t item) {
        first5.push_back(item);
        return first5.size() < 5;
    });
    REQUIRE(first5.size() == 5);
    REQUIRE(std::equal(first5.begin(), first5.end(), all.begin()));

    // A visitor that searches the same tree again (the search keeps no shared state).
    std::size_t pairs = 0;
    tree.search(BBox{116, 40, 116.1, 40.1}, [&](std::uint32_t item) {
        pairs += tree.search(items[item]).size();
        return true;
    });
    std::size_t want = 0;
    for (auto i : brute_search(items, BBox{116, 40, 116.1, 40.1})) want += brute_search(items, items[i]).size();
    REQUIRE(pairs == want);
}

TEST_CASE("nearest_planar equals brute force", "[index][rtree-nearest]") {
    std::mt19937_64 rng(424242);
    const auto items = random_items(rng, 10000);
    const auto tree = build(items);
    auto all = [](std::uint32_t) { return true; };
    auto every_third = [](std::uint32_t i) { return i % 3 != 0; };
    for (int q = 0; q < 200; ++q) {
        const Coord p{uniform(rng, 114.5, 118.5), uniform(rng, 38.5, 41.5)};
        for (std::size_t k : {1, 10, 57}) {
            INFO("query " << q << " k " << k);
            require_same(tree.nearest_planar(p, k), brute_planar(items, p, k, 1e300, all));
            require_same(tree.nearest_planar(p, k, 0.05), brute_planar(items, p, k, 0.05, all));
            require_same(tree.nearest_planar(p, k, 1e300, every_third), brute_planar(items, p, k, 1e300, every_third));
            require_same(tree.nearest_planar(p, k, 0.1, every_third), brute_planar(items, p, k, 0.1, every_third));
        }
        // max_distance on, just below and just above the 10th distance: sqrt(d2) <= max exactly.
        const double d10 = brute_planar(items, p, 10, 1e300, all).back().distance;
        for (double max_d : {d10, std::nextafter(d10, 0.0), std::nextafter(d10, 1.0)})
            require_same(tree.nearest_planar(p, 20, max_d), brute_planar(items, p, 20, max_d, all));
    }
    // max_distance exactly on an item's distance keeps it; k larger than the data returns all.
    const Coord p{116.5, 40.0};
    const auto ten = tree.nearest_planar(p, 10);
    REQUIRE(ten.size() == 10);
    const auto upto = tree.nearest_planar(p, 100, ten[9].distance);
    REQUIRE(upto.size() >= 10);
    REQUIRE(upto[9].item == ten[9].item);
    std::size_t non_empty = 0;
    for (const auto& b : items) non_empty += b.empty() ? 0 : 1;
    require_same(tree.nearest_planar(p, 1000000), brute_planar(items, p, 1000000, 1e300, all));
    REQUIRE(tree.nearest_planar(p, 1000000).size() == non_empty);
    REQUIRE(tree.nearest_planar(p, 0).empty());
    REQUIRE(tree.nearest_planar(p, 5, -1).empty());
    REQUIRE(tree.nearest_planar(Coord{std::nan(""), 40}, 5).empty());
}

TEST_CASE("nearest_planar breaks ties by item index", "[index][rtree-nearest]") {
    // An integer grid with every point twice: distances repeat everywhere.
    std::vector<BBox> items;
    for (int copy = 0; copy < 2; ++copy)
        for (int x = 0; x < 70; ++x)
            for (int y = 0; y < 70; ++y) items.push_back(BBox{double(x), double(y), double(x), double(y)});
    const auto tree = build(items, 8);
    std::mt19937_64 rng(99);
    auto all = [](std::uint32_t) { return true; };
    for (int q = 0; q < 200; ++q) {
        const Coord p{double(rng() % 140) * 0.5 - 1, double(rng() % 140) * 0.5 - 1};
        for (std::size_t k : {1, 2, 5, 13, 40}) {
            INFO("query " << p.x << "," << p.y << " k " << k);
            require_same(tree.nearest_planar(p, k), brute_planar(items, p, k, 1e300, all));
            require_same(tree.nearest_planar(p, k, 2.0), brute_planar(items, p, k, 2.0, all));

            // Manhattan distance through the general search: ties everywhere.
            auto l1_box = [&](const BBox& b) {
                return std::max(std::max(b.min_x - p.x, p.x - b.max_x), 0.0) + std::max(std::max(b.min_y - p.y, p.y - b.max_y), 0.0);
            };
            auto l1_item = [&](std::uint32_t i) { return l1_box(items[i]); };
            auto odd = [](std::uint32_t i) { return i % 2 == 1; };
            for (double max_d : {1e300, 3.0}) {
                std::vector<std::pair<double, std::uint32_t>> all_l1;
                for (std::uint32_t i = 0; i < items.size(); ++i)
                    if (odd(i) && l1_item(i) <= max_d) all_l1.emplace_back(l1_item(i), i);
                std::sort(all_l1.begin(), all_l1.end());
                std::vector<Neighbour> want;
                for (std::size_t i = 0; i < all_l1.size() && i < k; ++i) want.push_back({all_l1[i].second, all_l1[i].first});
                require_same(tree.nearest(k, max_d, l1_box, l1_item, odd), want);
            }
        }
    }
}

TEST_CASE("nearest with a custom metric equals brute force", "[index][rtree-nearest]") {
    std::mt19937_64 rng(31337);
    const auto items = random_items(rng, 10000);
    const auto tree = build(items);
    for (int q = 0; q < 150; ++q) {
        const Coord p{uniform(rng, 114.5, 118.5), uniform(rng, 38.5, 41.5)};
        const ScaledMetric metric{p, std::cos(p.y * 3.14159265358979 / 180)};
        const std::size_t k = 1 + rng() % 30;
        const double max_d = q % 2 ? 1e300 : uniform(rng, 0.01, 0.3);
        auto accept = [&](std::uint32_t i) { return q % 3 == 0 || i % 4 != 1; };

        std::set<std::uint32_t> measured;
        bool measured_twice = false;
        const auto got = tree.nearest(
            k, max_d, [&](const BBox& b) { return metric.box(b); },
            [&](std::uint32_t i) {
                measured_twice |= !measured.insert(i).second;
                return metric.box(items[i]);
            },
            accept);
        REQUIRE_FALSE(measured_twice);

        std::vector<std::pair<double, std::uint32_t>> all;
        for (std::uint32_t i = 0; i < items.size(); ++i) {
            if (items[i].empty() || !accept(i)) continue;
            const double d = metric.box(items[i]);
            if (d <= max_d) all.emplace_back(d, i);
        }
        std::sort(all.begin(), all.end());
        std::vector<Neighbour> want;
        for (std::size_t i = 0; i < all.size() && i < k; ++i) want.push_back({all[i].second, all[i].first});
        INFO("query " << q);
        require_same(got, want);
        // Best first: only a small part of the data gets its exact distance computed.
        REQUIRE(measured.size() < 1000);
    }

    // Without a filter (nullptr), and a metric that is a loose lower bound for boxes: the exact
    // distance is the distance to the box's centre.
    const Coord p{116.3, 39.9};
    auto centre_dist = [&](std::uint32_t i) {
        const double cx = (items[i].min_x + items[i].max_x) / 2, cy = (items[i].min_y + items[i].max_y) / 2;
        return std::hypot(cx - p.x, cy - p.y);
    };
    const auto got = tree.nearest(
        25, 1e300, [&](const BBox& b) { return std::sqrt(dist2(p, b)); }, centre_dist);
    std::vector<std::pair<double, std::uint32_t>> all;
    for (std::uint32_t i = 0; i < items.size(); ++i)
        if (!items[i].empty()) all.emplace_back(centre_dist(i), i);
    std::sort(all.begin(), all.end());
    REQUIRE(got.size() == 25);
    for (std::size_t i = 0; i < got.size(); ++i) {
        REQUIRE(got[i].item == all[i].second);
        REQUIRE(got[i].distance == all[i].first);
    }
}

TEST_CASE("nearest callbacks may query the same tree", "[index][rtree-nearest]") {
    std::mt19937_64 rng(5);
    const auto items = random_items(rng, 3000);
    const auto tree = build(items);
    const Coord p{116.0, 40.0};
    // Accept only items that have at least 3 neighbours within 0.05 (a nested k-nearest).
    auto crowded = [&](std::uint32_t i) {
        const Coord c{items[i].min_x, items[i].min_y};
        return tree.nearest_planar(c, 4, 0.05).size() == 4;
    };
    const auto got = tree.nearest_planar(p, 10, 1e300, crowded);
    const auto want = brute_planar(items, p, 10, 1e300, crowded);
    require_same(got, want);
}

TEST_CASE("HilbertRTree handles empty items, no items and one item", "[index][rtree-edge]") {
    SECTION("no items") {
        HilbertRTreeBuilder builder;
        const auto tree = builder.finish();
        REQUIRE(tree.empty());
        REQUIRE(tree.size() == 0);
        REQUIRE(tree.bounds().empty());
        REQUIRE(tree.search(BBox{-1e9, -1e9, 1e9, 1e9}).empty());
        REQUIRE(tree.nearest_planar({0, 0}, 3).empty());
        REQUIRE(HilbertRTree{}.nearest_planar({0, 0}, 3).empty());
        REQUIRE(HilbertRTree{}.search(BBox{0, 0, 1, 1}).empty());
        const auto copy = HilbertRTree::from_bytes(tree.to_bytes());
        REQUIRE(copy.empty());
    }
    SECTION("only empty items") {
        HilbertRTreeBuilder builder;
        builder.add(BBox{});
        builder.add(BBox{1, 1, 0, 0});            // inverted
        builder.add(BBox{0, std::nan(""), 1, 1}); // NaN
        builder.add(BBox{0, 1, 1, 0});            // inverted in y only
        const auto tree = builder.finish();
        REQUIRE(tree.size() == 4);
        REQUIRE_FALSE(tree.empty());
        REQUIRE(tree.bounds().empty());
        REQUIRE(tree.search(BBox{-1e9, -1e9, 1e9, 1e9}).empty());
        REQUIRE(tree.nearest_planar({0, 0}, 3).empty());
        const auto copy = HilbertRTree::from_bytes(tree.to_bytes());
        REQUIRE(copy.size() == 4);
        REQUIRE(copy.search(BBox{-1e9, -1e9, 1e9, 1e9}).empty());
    }
    SECTION("one item among empty ones") {
        HilbertRTreeBuilder builder(0, 4);
        builder.add(BBox{});
        REQUIRE(builder.add(Coord{3, 4}) == 1);
        builder.add(BBox{});
        const auto tree = builder.finish();
        REQUIRE(tree.size() == 3);
        REQUIRE(tree.bounds() == BBox{3, 4, 3, 4});
        REQUIRE(tree.search(BBox{0, 0, 10, 10}) == std::vector<std::uint32_t>{1});
        REQUIRE(tree.search(BBox{0, 0, 1, 1}).empty());
        const auto nn = tree.nearest_planar({0, 0}, 5);
        REQUIRE(nn.size() == 1);
        REQUIRE(nn[0].item == 1);
        REQUIRE(nn[0].distance == 5.0);
        REQUIRE(tree.nearest_planar({0, 0}, 5, 4.999).empty());
        REQUIRE(tree.nearest_planar({0, 0}, 5, 5.0).size() == 1);
        const auto copy = HilbertRTree::from_bytes(tree.to_bytes());
        REQUIRE(copy.search(BBox{0, 0, 10, 10}) == std::vector<std::uint32_t>{1});
    }
    SECTION("all items at one point") {
        HilbertRTreeBuilder builder(0, 3);
        for (int i = 0; i < 100; ++i) builder.add(Coord{1, 1});
        const auto tree = builder.finish();
        const auto nn = tree.nearest_planar({0, 1}, 7);
        REQUIRE(nn.size() == 7);
        for (std::uint32_t i = 0; i < 7; ++i) REQUIRE(nn[i].item == i);
        REQUIRE(tree.search(BBox{1, 1, 1, 1}).size() == 100);
    }
    SECTION("bad node size") {
        REQUIRE_THROWS_AS(HilbertRTreeBuilder(0, 1), vigil::UsageError);
        REQUIRE_THROWS_AS(HilbertRTreeBuilder(0, 0), vigil::UsageError);
    }
}

namespace {

// The documented checksum (hilbert_rtree.cpp), so that tests can forge well-checksummed bytes
// with wrong structure and prove the structure checks stand on their own.
std::uint64_t forge_checksum(const std::vector<std::uint8_t>& b) {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    auto run = [&h](const std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; i += 8) {
            std::uint64_t w = 0;
            for (std::size_t j = 0; j < 8 && i + j < n; ++j) w |= std::uint64_t(p[i + j]) << (8 * j);
            h = (h ^ w) * 0x9E3779B97F4A7C15ull;
            h ^= h >> 29;
        }
    };
    run(b.data(), 16);
    run(b.data() + 24, b.size() - 24);
    return h;
}

void reseal(std::vector<std::uint8_t>& b) {
    const auto h = forge_checksum(b);
    for (int i = 0; i < 8; ++i) b[16 + i] = static_cast<std::uint8_t>(h >> (8 * i));
}

void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (std::uint32_t(b[at + 3]) << 24);
}

} // namespace

TEST_CASE("HilbertRTree serialisation round trip", "[index][rtree-bytes]") {
    std::mt19937_64 rng(2718);
    const auto items = random_items(rng, 10000);
    const auto tree = build(items, 12);
    const auto bytes = tree.to_bytes();
    REQUIRE(bytes.size() > 24);
    REQUIRE(forge_checksum(bytes) == (std::uint64_t(get32(bytes, 16)) | (std::uint64_t(get32(bytes, 20)) << 32)));
    const auto copy = HilbertRTree::from_bytes(bytes);
    REQUIRE(copy.size() == tree.size());
    REQUIRE(copy.node_size() == 12);
    REQUIRE(copy.bounds() == tree.bounds());
    REQUIRE(copy.to_bytes() == bytes);
    for (int q = 0; q < 100; ++q) {
        const double x = uniform(rng, 115, 118), y = uniform(rng, 39, 41);
        const BBox query{x, y, x + 0.1, y + 0.1};
        REQUIRE(sorted(copy.search(query)) == brute_search(items, query));
        const Coord p{x, y};
        require_same(copy.nearest_planar(p, 10), tree.nearest_planar(p, 10));
    }
}

TEST_CASE("HilbertRTree::from_bytes rejects damaged bytes", "[index][rtree-bytes]") {
    std::mt19937_64 rng(161803);
    const auto items = random_items(rng, 60);
    const auto bytes = build(items, 4).to_bytes();
    const auto intact = HilbertRTree::from_bytes(bytes); // the undamaged bytes read back
    REQUIRE(intact.size() == items.size());
    REQUIRE(intact.node_size() == 4);

    SECTION("every truncation") {
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            INFO("length " << n);
            REQUIRE_THROWS_AS(HilbertRTree::from_bytes(std::span(bytes.data(), n)), vigil::FormatError);
        }
        auto longer = bytes;
        longer.push_back(0);
        REQUIRE_THROWS_AS(HilbertRTree::from_bytes(longer), vigil::FormatError);
    }
    SECTION("every flipped bit") {
        for (std::size_t at = 0; at < bytes.size(); ++at)
            for (int bit = 0; bit < 8; ++bit) {
                auto damaged = bytes;
                damaged[at] ^= static_cast<std::uint8_t>(1u << bit);
                INFO("byte " << at << " bit " << bit);
                REQUIRE_THROWS_AS(HilbertRTree::from_bytes(damaged), vigil::FormatError);
            }
    }
    SECTION("well-checksummed but wrong structure") {
        auto expect_rejected = [](std::vector<std::uint8_t> b) {
            reseal(b);
            REQUIRE_THROWS_AS(HilbertRTree::from_bytes(b), vigil::FormatError);
        };
        const std::uint32_t item_count = get32(bytes, 8);
        const std::uint32_t levels = get32(bytes, 12);
        const std::uint32_t leaves = get32(bytes, 24);
        REQUIRE(item_count == 60);
        REQUIRE(leaves <= item_count);
        auto b = bytes;
        b[0] = 'X'; // magic
        expect_rejected(b);
        b = bytes;
        b[4] = 2; // version
        expect_rejected(b);
        b = bytes;
        b[6] = 1;
        b[7] = 0; // node size 1
        expect_rejected(b);
        b = bytes;
        b[6] = 5; // node size 5: the level table no longer matches
        expect_rejected(b);
        b = bytes;
        put32(b, 8, leaves - 1); // fewer items than indexed
        expect_rejected(b);
        b = bytes;
        put32(b, 12, levels + 1); // level count
        expect_rejected(b);
        b = bytes;
        put32(b, 12, 0xFFFFFFFF);
        expect_rejected(b);
        b = bytes;
        put32(b, 24, leaves + 1); // leaf count
        expect_rejected(b);
        b = bytes;
        put32(b, 24 + 4, get32(bytes, 28) + 1); // a level bound
        expect_rejected(b);
        const std::size_t boxes_at = 24 + 4 * levels;
        const std::uint32_t total = get32(bytes, 24 + 4 * (levels - 1));
        const std::size_t indices_at = boxes_at + 32 * total;
        b = bytes;
        put32(b, indices_at, item_count); // item index out of range
        expect_rejected(b);
        b = bytes;
        put32(b, indices_at, get32(bytes, indices_at + 4)); // an item indexed twice
        expect_rejected(b);
        b = bytes;
        put32(b, indices_at + 4 * leaves, 1); // a child link
        expect_rejected(b);
        b = bytes;
        b[boxes_at + 7] ^= 0x40; // a leaf box moves (its parent box no longer matches, or it inverts)
        expect_rejected(b);
        b = bytes;
        b[boxes_at + 32 * leaves + 7] ^= 0x01; // a node box
        expect_rejected(b);
        b = bytes;
        for (int i = 0; i < 8; ++i) b[boxes_at + i] = 0xFF; // NaN in a leaf box
        expect_rejected(b);
    }
}

} // namespace test_hilbert_rtree_cases
