/// @file
/// The town the road services' scenario tests share, drawn as an ASCII map (tests/core/routing/
/// ascii_map.hpp: a cell is about 100 m, row 0 the north edge), with small in-memory layers of the
/// catalogue's kinds:
///
///        col 0    5    10   15   20
///     row 0  +----+---------+----+      the main road, one carriageway
///     row 1   T X |   I V   |   U       teams T, V, U, X and the incident I beside it
///     row 2       |         |
///     row 3       +---------+           the bypass south of the closure
///
/// The closure is the box over columns 7.5..11.5, rows -1..2: it shuts the main road around I
/// (and V's stretch of it) but not the bypass; the nearest node outside it with an open road is
/// the bypass node right below I (row 3, column 9: the staging point). T is 10 minutes from turning out, U at once;
/// X has no hazmat capability. W1 (2 t of neutraliser, 1000 sandbags) stands by T, W2 (10 t) by
/// U; enterprise E1 by X, E2 by V (inside the closure).
#pragma once

#include "../routing/ascii_map.hpp"
#include "app_layers.hpp"

#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/routing/road_graph.hpp>

#include "test_paths.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vigil::test {

/// A record: its point and field values by name (text as the store holds it: a set as JSON text).
struct TestRecord {
    geo::Coord at;
    std::map<std::string, model::Value> values;
};

/// An in-memory layer of catalogue kind `kind`.
inline std::shared_ptr<const model::Layer> make_layer(const std::string& kind_name, const std::vector<TestRecord>& records) {
    std::vector<RecordValues> rows;
    for (const auto& r : records) rows.emplace_back(geo::Geometry::point(r.at), r.values);
    return layer_of(kind_name, rows);
}

struct Town {
    AsciiMap map;
    routing::RoadGraph graph;
    app::LayerSet layers;
    std::vector<app::Rings> closure; ///< the box around I
};

inline Town town() {
    Town t{parse_ascii_map({
               "+----+---------+----+",
               " T X |   I V   |   U ",
               "     |         |     ",
               "     +---------+     ",
           }),
           {},
           {},
           {}};
    t.graph = routing::RoadGraph::build(t.map.lines, routing::SpeedProfile::defaults());
    auto team = [&](char c, const std::string& caps, double turnout_min) {
        return TestRecord{t.map.points.at(c),
                          {{"id", std::string(1, c)},
                           {"name", std::string("队") + c},
                           {"capabilities", caps},
                           {"status", std::string("available")},
                           {"turnout_min", turnout_min}}};
    };
    t.layers.add(make_layer("rescue_teams", {team('T', R"(["hazmat"])", 10), team('U', R"(["hazmat","fire"])", 0),
                                             team('V', R"(["hazmat"])", 0), team('X', R"(["water"])", 0)}));

    auto warehouse = [&](const std::string& id, geo::Coord at, const std::string& stock) {
        return TestRecord{at, {{"id", id}, {"name", id + "仓库"}, {"stock", stock}}};
    };
    t.layers.add(make_layer(
        "warehouses",
        {warehouse("W1", ascii_cell(1, 2), R"([{"item": "中和剂", "quantity": 2, "unit": "t"}, {"item": "沙袋", "quantity": 1000}])"),
         warehouse("W2", ascii_cell(1, 18), R"([{"item": "中和剂（碳酸钠）", "quantity": 10000, "unit": "kg"}])")}));
    auto enterprise = [&](const std::string& id, geo::Coord at) { return TestRecord{at, {{"id", id}, {"name", id + "化工"}}}; };
    t.layers.add(make_layer("enterprises", {enterprise("E1", ascii_cell(1, 3)), enterprise("E2", ascii_cell(1, 10))}));
    // The box: columns 7.5..11.5, rows -1..2 (lon/lat of the cell edges).
    const double x0 = ascii_cell(0, 7).x + 0.00055, x1 = ascii_cell(0, 11).x + 0.00055;
    const double y0 = ascii_cell(2, 0).y, y1 = ascii_cell(0, 0).y + 0.0009;
    t.closure = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
    return t;
}

} // namespace vigil::test
