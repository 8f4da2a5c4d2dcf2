// Pasquill–Gifford classes against Turner's (1970) table as printed in
// docs/domain.md §4.1 (standard literature table, [K]).

#include <vigil/hazard/stability.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

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

// An unknown sky is the worst credible sky, not the average one (issue: with no --cloud the CLI
// took cover 0.5, which at night is Turner's "≥ 4/8 cloud" column: class E instead of F).
// Expected sets read off Turner's table (domain.md §4.1) plus D for a full overcast.
TEST_CASE("Unknown cloud cover: every class Turner's table allows, most stable first", "[hazard][stability]") {
    using V = std::vector<Stability>;
    CHECK(possible_classes(1.5, DayNight::Night) == V{Stability::F, Stability::E, Stability::D});
    CHECK(possible_classes(2.5, DayNight::Night) == V{Stability::F, Stability::E, Stability::D});
    CHECK(possible_classes(4, DayNight::Night) == V{Stability::E, Stability::D});
    CHECK(possible_classes(7, DayNight::Night) == V{Stability::D});
    // By day the overcast D is the most stable the table allows (strong sun A, ..., slight B).
    CHECK(possible_classes(1.5, DayNight::Day) == V{Stability::D, Stability::B, Stability::A});
    CHECK(possible_classes(4, DayNight::Day) == V{Stability::D, Stability::C, Stability::B});

    auto b = stability_basis(1.5, DayNight::Night, std::nullopt);
    CHECK(b.assumed);
    CHECK(b.candidates.front() == Stability::F);
    CHECK_THAT(b.why, Catch::Contains("cloud cover not given") && Catch::Contains("F, E, D"));
    // The old default (cover 0.5) at night gave E: still what a user who says 0.5 gets.
    b = stability_basis(1.5, DayNight::Night, 0.5);
    CHECK_FALSE(b.assumed);
    CHECK(b.candidates == V{Stability::E});
    b = stability_basis(1.5, DayNight::Night, 0.5, Stability::B);
    CHECK(b.candidates == V{Stability::B});
    CHECK_THROWS_WITH(stability_basis(0, DayNight::Night, std::nullopt), Catch::Contains("wind speed 0"));
}
