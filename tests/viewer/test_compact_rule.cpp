// The compact layout's rule (app/compact_rule.hpp): which screens get one panel at a time as a
// bottom sheet, and where the sheet, the bar and the map go.

#include "app/compact_rule.hpp"

#include <catch2/catch.hpp>

using namespace vigil::viewer;

namespace test_compact_rule_cases {

TEST_CASE("phones and tablets held upright are compact; a tablet on its side and a desk are not", "[compact]") {
    CHECK(is_compact(390)); // a phone
    CHECK(is_compact(768)); // a tablet upright
    CHECK(is_compact(799));
    CHECK_FALSE(is_compact(800));
    CHECK_FALSE(is_compact(1024)); // the tablet on its side
    CHECK_FALSE(is_compact(1280));
    CHECK_FALSE(is_compact(0)); // no size yet
}

TEST_CASE("the sheet is full width above the bar, at most 45% high, and the map keeps half the screen", "[compact]") {
    for (const auto& [w, h] : {std::pair{390.0f, 844.0f}, std::pair{768.0f, 1024.0f}, std::pair{360.0f, 640.0f}}) {
        const float top = 44; // the menu bar at touch size
        const CompactGeometry g = compact_geometry(w, h, top);
        INFO(w << "x" << h);
        CHECK(g.bar.h >= k_touch_target);
        CHECK(g.bar.y + g.bar.h == h);
        CHECK(g.bar.w == w);
        CHECK(g.sheet.x == 0);
        CHECK(g.sheet.w == w);
        CHECK(g.sheet.y + g.sheet.h == g.bar.y);
        CHECK(g.sheet.h <= h * k_sheet_max_share);
        CHECK(g.sheet.h >= 3 * k_touch_target);
        CHECK(g.map.y == top);
        CHECK(g.map.y + g.map.h == g.sheet.y);
        CHECK(g.map.area() >= 0.5f * w * h);
    }
}

TEST_CASE("the phone's numbers", "[compact]") {
    const CompactGeometry g = compact_geometry(390, 844, 44);
    CHECK(g.bar.y == 844 - 56);
    CHECK(g.sheet.h == 314); // 844/2 - 44 - 56 - 8, under 45% (379)
    CHECK(g.map.h == 844 - 56 - 314 - 44);
    CHECK(g.map.contains(195, 300));
    CHECK_FALSE(g.map.contains(195, 600));
}

} // namespace test_compact_rule_cases
