/// The view as a URL fragment: what the browser build puts in `location.hash`, and what opening
/// such a link restores (centre, zoom, hidden layers, filters, selection).
#include "app/permalink.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace vigil;
using namespace vigil::viewer;

using test_fixtures::open_small;

TEST_CASE("permalink: percent encoding keeps Chinese and escapes the syntax", "[viewer][permalink]") {
    CHECK(percent_encode("温县") == "温县");
    CHECK(percent_encode("a b&c=d;e:f|g/h#i%j+k,l") == "a%20b%26c%3Dd%3Be%3Af%7Cg%2Fh%23i%25j%2Bk%2Cl");
    CHECK(percent_decode(percent_encode("a b&c=d;e:f|g/h#i%j+k,l")) == "a b&c=d;e:f|g/h#i%j+k,l");
    CHECK(percent_decode("%E6%B8%A9%E5%8E%BF") == "温县"); // what a browser makes of it
    CHECK(percent_decode("100%") == "100%");               // malformed escapes kept
    CHECK(percent_decode("%zz%4") == "%zz%4");
}

TEST_CASE("permalink: a view round-trips through the fragment", "[viewer][permalink]") {
    AppState a = open_small();
    a.camera().set_center_lonlat({113.2412, 35.2151});
    a.camera().set_zoom(13.25);
    a.set_visible("roads", false);
    a.set_visible("rivers", false);
    query::FilterSpec teams;
    teams.need = {"hazmat"};
    teams.status = {"available"};
    a.set_filter("rescue_teams", teams);
    query::FilterSpec firms;
    firms.where = {{"risk_level", {"red", "orange"}}};
    a.set_filter("enterprises", firms);
    REQUIRE(a.select_id("T01"));

    const std::string link = make_permalink(a);
    CHECK(link.rfind("v=13.25/35.21510/113.24120", 0) == 0);
    CHECK(link.find("hide=") != std::string::npos);
    CHECK(link.find("f.rescue_teams=@need:hazmat;@status:available") != std::string::npos);
    CHECK(link.find("f.enterprises=risk_level:red|orange") != std::string::npos);
    CHECK(link.find("sel=rescue_teams/T01") != std::string::npos);

    AppState b = open_small();
    const auto problems = apply_permalink(b, "#" + link);
    CHECK(problems.empty());
    CHECK(b.camera().zoom() == Approx(13.25));
    CHECK(b.camera().center_lonlat().x == Approx(113.2412).margin(1e-5));
    CHECK(b.camera().center_lonlat().y == Approx(35.2151).margin(1e-5));
    CHECK_FALSE(b.layer("roads")->visible);
    CHECK_FALSE(b.layer("rivers")->visible);
    CHECK(b.layer("enterprises")->visible);
    CHECK(b.layer("rescue_teams")->visible_count == a.layer("rescue_teams")->visible_count);
    CHECK(b.layer("enterprises")->visible_count == a.layer("enterprises")->visible_count);
    CHECK(b.layer("rescue_teams")->visible_count < b.layer("rescue_teams")->layer->size());
    CHECK(b.layer("enterprises")->filter_spec.where == firms.where);
    REQUIRE(b.selection());
    CHECK(b.selection()->kind == "rescue_teams");
    CHECK(b.layer("rescue_teams")->layer->id(b.selection()->row) == "T01");
    // The same view makes the same link.
    CHECK(make_permalink(b) == link);

    // A day set for the hidden hazards goes with the link; one without a day is today's again.
    CHECK(link.find("asof=") == std::string::npos);
    b.set_as_of("2026-12-01");
    const std::string dated = make_permalink(b);
    CHECK(dated.find("&asof=2026-12-01") != std::string::npos);
    AppState c = open_small();
    CHECK(apply_permalink(c, dated).empty());
    CHECK(c.as_of() == "2026-12-01");
    CHECK(make_permalink(c) == dated);
    CHECK(apply_permalink(c, link).empty());
    CHECK_FALSE(c.as_of_set());
    CHECK(apply_permalink(c, link + "&asof=1.12.2026").size() == 1);
}

TEST_CASE("permalink: Chinese filter words, as typed or as a browser encodes them", "[viewer][permalink]") {
    AppState s = open_small();
    const auto problems = apply_permalink(s, "v=11/35.1/113.2&f.rescue_teams=@status:%E5%BE%85%E5%91%BD;@need:危化品");
    CHECK(problems.empty());
    const LayerView* teams = s.layer("rescue_teams");
    CHECK(teams->visible_count > 0);
    CHECK(teams->visible_count < teams->layer->size());
}

TEST_CASE("permalink: what a link gets wrong is reported and the rest applied", "[viewer][permalink]") {
    AppState s = open_small();
    s.set_visible("roads", false);
    const auto problems =
        apply_permalink(s, "v=12/35.2/113.2&hide=shelters&f.enterprises=colour:red&f.nowhere=a:b&sel=rescue_teams/NOPE&x=1");
    REQUIRE(problems.size() == 5);
    CHECK(problems[0].find("unknown part 'x'") != std::string::npos);
    CHECK(problems[1].find("shelters") != std::string::npos);
    CHECK(problems[2].find("enterprises") != std::string::npos);
    CHECK(problems[3].find("nowhere") != std::string::npos);
    CHECK(problems[4].find("NOPE") != std::string::npos);
    CHECK(s.camera().zoom() == Approx(12));
    CHECK(s.layer("roads")->visible);                                                      // not named in hide: shown again
    CHECK(s.layer("enterprises")->visible_count == s.layer("enterprises")->layer->size()); // bad filter: none
    CHECK_FALSE(s.selection());

    AppState t = open_small();
    const auto before = t.camera().center_lonlat();
    CHECK(apply_permalink(t, "v=12/95/113").size() == 1); // latitude beyond Web Mercator
    CHECK(apply_permalink(t, "v=abc").size() == 1);
    CHECK(t.camera().center_lonlat().x == before.x);
    CHECK(apply_permalink(t, "").empty());
    CHECK(apply_permalink(t, "#").empty());
}
