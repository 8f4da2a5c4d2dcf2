/// @file
/// The raster tile fixtures (tests/data/tiles, made by make_tiles.sh): each county is painted in
/// its own colour, so a test can check the right tile landed in the right place.
#pragma once

#include "test_paths.hpp"

#include <vigil/geo/geometry.hpp>

#include <array>
#include <filesystem>

namespace vigil::viewer::test_fixtures {

inline std::filesystem::path mbtiles_fixture() { return test::data_dir() / "tiles" / "jiaozuo_counties.mbtiles"; }

struct County {
    const char* name;
    geo::Coord lonlat; ///< a point well inside the county
    std::array<int, 3> rgb;
};
inline const County k_qinyang{"沁阳市", {112.8818, 35.1281}, {210, 245, 60}};
inline const County k_wuzhi{"武陟县", {113.3982, 35.0475}, {70, 240, 240}};
inline const County k_wenxian{"温县", {113.0585, 34.9379}, {240, 50, 230}};
inline const County k_boai{"博爱县", {113.0578, 35.1857}, {145, 30, 180}};
inline const County k_xiuwu{"修武县", {113.4475, 35.2299}, {245, 130, 48}};

} // namespace vigil::viewer::test_fixtures
