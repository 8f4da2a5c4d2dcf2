// Pasquill–Gifford classes against Turner's (1970) table as printed in
// ../shared/docs/domain.md §4.1 (standard literature table, [K]).

#include <vigil/hazard/stability.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil::hazard;

TEST_CASE("Turner's table by day and by night", "[hazard][stability]") {
    // Turner: < 2 m/s, strong sun -> A; 2–3 m/s slight sun -> C; > 6 m/s moderate -> D.
    CHECK(pasquill_day(1.5, Insolation::Strong) == Stability::A);
    CHECK(pasquill_day(2.5, Insolation::Slight) == Stability::C);
    CHECK(pasquill_day(7, Insolation::Moderate) == Stability::D);
    CHECK(pasquill_day(5.5, Insolation::Strong) == Stability::C);
    // Two-class cells take the more stable class: 3–5 m/s moderate sun "B–C" -> C; < 2 "A–B" -> B.
    CHECK(pasquill_day(4, Insolation::Moderate) == Stability::C);
    CHECK(pasquill_day(1, Insolation::Moderate) == Stability::B);
    // Night: 2–3 m/s clear -> F, cloudy -> E; 3–5 clear -> E; > 5 -> D.
    CHECK(pasquill_night(2.5, NightCloud::Clear) == Stability::F);
    CHECK(pasquill_night(2.5, NightCloud::Cloudy) == Stability::E);
    CHECK(pasquill_night(4, NightCloud::Clear) == Stability::E);
    CHECK(pasquill_night(5.5, NightCloud::Clear) == Stability::D);
}

TEST_CASE("Stability from cloud cover, overcast and letters", "[hazard][stability]") {
    CHECK(pasquill_class(2.5, DayNight::Night, 0.25) == Stability::F);
    CHECK(pasquill_class(2.5, DayNight::Night, 0.75) == Stability::E);
    CHECK(pasquill_class(2.5, DayNight::Day, 0.0) == Stability::B);  // moderate sun
    CHECK(pasquill_class(2.5, DayNight::Day, 0.75) == Stability::C); // slight sun
    CHECK(pasquill_class(1, DayNight::Night, 1.0) == Stability::D);  // heavy overcast: D (Turner)
    CHECK(pasquill_class(1, DayNight::Day, 1.0) == Stability::D);
    CHECK(stability_letter(Stability::E) == 'E');
    CHECK(parse_stability(" f ") == Stability::F);
    CHECK_THROWS_AS(parse_stability("G"), vigil::UsageError);
    CHECK_THROWS_WITH(pasquill_day(0, Insolation::Strong), Catch::Contains("a calm has no Gaussian plume"));
    CHECK_THROWS_AS(pasquill_night(std::nan(""), NightCloud::Clear), vigil::UsageError);
    CHECK_THROWS_WITH(pasquill_class(3, DayNight::Day, 1.5), Catch::Contains("cloud cover 1.5"));
}
