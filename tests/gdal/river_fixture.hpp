/// @file
/// A tiny road map for the dispatch CLI tests: a river with one bridge, a team on an island,
/// turnout times that change the order (tests/gdal/test_cli_routing.cpp, test_cli_dispatch.cpp).
#pragma once

namespace vigil::test {

//   N1 .                              (north bank)
//   =================================+  county road, y = 35.02
//   ~~~~~~~~~~~~~~ river ~~~~~~~~~~~~|  the only bridge, x = 113.05
//   +=========== I ==================+  county road, y = 34.99   (I: the incident, S2 beside it)
//   |
//   +==== S1                            (south: a road down and east)            island: I1 ===
inline const char* k_river_roads = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "R1", "name": "北岸路", "road_class": "county"},
  "geometry": {"type": "LineString", "coordinates": [[112.99, 35.02], [113.05, 35.02]]}},
 {"type": "Feature", "properties": {"id": "R2", "name": "黄河桥", "road_class": "national", "bridge": true},
  "geometry": {"type": "LineString", "coordinates": [[113.05, 35.02], [113.05, 34.99]]}},
 {"type": "Feature", "properties": {"id": "R3", "name": "南岸路", "road_class": "county"},
  "geometry": {"type": "LineString", "coordinates": [[113.05, 34.99], [112.99, 34.99], [112.99, 34.95], [113.0, 34.95]]}},
 {"type": "Feature", "properties": {"id": "R4", "name": "岛上路", "road_class": "township"},
  "geometry": {"type": "LineString", "coordinates": [[113.2, 35.0], [113.21, 35.0]]}}
]})";

inline const char* k_river_teams = "队伍编号,队伍名称,救援能力,状态,出动时间,经度,纬度\n"
                                   "N1,北岸消防站,危化品、灭火,待命,1,113.0,35.021\n"
                                   "S1,南岸消防站,危化品、灭火,待命,2,113.0,34.951\n"
                                   "S2,桥头危化品队,危化品,待命,30,113.01,34.989\n"
                                   "I1,岛上救援队,危化品,待命,1,113.205,35.001\n";


} // namespace vigil::test
