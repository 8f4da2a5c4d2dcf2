// Levels of concern from layers/reference/toxic_endpoints.csv (copied from ../shared/data).
// Expected values: the table's AEGL/ERPG/IDLH values (US EPA/NRC, AIHA, NIOSH; see
// layers/reference/SOURCES.md) converted at 25 °C, and HJ 169-2018 附录H 大气毒性终点浓度 as listed
// in docs/domain.md §3 (Cl2 58 / 5.8, NH3 770 / 110 mg/m³), which equal AEGL-3/-2 in
// mg/m³ rounded to two significant figures.

#include <vigil/hazard/toxic_endpoints.hpp>

#include <catch2/catch.hpp>

using namespace vigil::hazard;

namespace test_toxic_endpoints_cases {
const ToxicEndpoints& table() { return ToxicEndpoints::builtin(); }

TEST_CASE("AEGL levels of chlorine and ammonia match HJ 169 endpoints", "[hazard][toxic]") {
    const auto& cl2 = table().find("Chlorine");
    auto levels = cl2.levels();
    REQUIRE(levels.size() == 3);
    CHECK(levels[0].tier == 3);
    CHECK(levels[0].name == "AEGL-3");
    // AEGL-3 20 ppm × 70.9 / 24.45 = 58.0 mg/m³ = HJ 169 endpoint-1 for Cl2 (58).
    CHECK(levels[0].mg_m3 == Approx(58).epsilon(0.005));
    CHECK(*levels[0].ppm == Approx(20));
    // AEGL-2 2.0 ppm -> 5.8 mg/m³ = HJ 169 endpoint-2 (5.8); AEGL-1 0.5 ppm.
    CHECK(levels[1].mg_m3 == Approx(5.8).epsilon(0.005));
    CHECK(levels[2].name == "AEGL-1");
    CHECK(*levels[2].ppm == Approx(0.5));
    // NH3 AEGL-3 1100 ppm -> 766 mg/m³, HJ 169 endpoint-1 770 (2 s.f.); AEGL-2 160 ppm -> 111 (110).
    auto nh3 = table().find("UN1005").levels();
    CHECK(nh3[0].mg_m3 == Approx(770).epsilon(0.01));
    CHECK(nh3[1].mg_m3 == Approx(110).epsilon(0.02));
    // The HJ 169 set reads the endpoint columns.
    auto hj = cl2.levels(LevelSet::Hj169);
    REQUIRE(hj.size() == 2);
    CHECK(hj[0].name == "HJ169 endpoint-1");
    CHECK(hj[0].mg_m3 == 58);
    CHECK(hj[1].mg_m3 == 5.8);
}

TEST_CASE("Tiers fall back from AEGL to ERPG to IDLH", "[hazard][toxic]") {
    // Phosgene: AEGL-1 "NR" and no ERPG-1 ("NA"): two tiers only.
    auto phosgene = table().find("光气").levels();
    REQUIRE(phosgene.size() == 2);
    CHECK(phosgene[0].name == "AEGL-3");
    // Acrylonitrile has no AEGL in the table: ERPG-3/2/1 = 75/35/10 ppm.
    auto acn = table().find("107-13-1").levels();
    REQUIRE(acn.size() == 3);
    CHECK(acn[0].name == "ERPG-3");
    CHECK(*acn[0].ppm == Approx(75));
    CHECK(acn[0].source.find("no AEGL-3") != std::string::npos);
    // Propane has only an IDLH (2100 ppm, "10% LEL"): one tier-3 level.
    auto propane = table().find("propane").levels();
    REQUIRE(propane.size() == 1);
    CHECK(propane[0].name == "IDLH");
    CHECK(*propane[0].ppm == Approx(2100));
    // Methane: no toxic level at all (its hazard is fire).
    CHECK(table().find("甲烷").levels().empty());
    // Sulfuric acid aerosol is given in mg/m³: AEGL-3 160 mg/m³, no ppm.
    const auto& h2so4 = table().find("sulfuric acid");
    CHECK(h2so4.mg_units);
    auto l = h2so4.levels();
    CHECK(l[0].mg_m3 == 160);
    CHECK_FALSE(l[0].ppm);
}

TEST_CASE("Substances are found by name, CAS and UN number", "[hazard][toxic]") {
    CHECK(table().find("7782-50-5").name_en == "Chlorine");
    CHECK(table().find("un 1017").name_en == "Chlorine");
    CHECK(table().find("氯").name_en == "Chlorine");
    CHECK(table().find("2209").name_en == "Formaldehyde"); // second UN number of its row
    CHECK(table().find("natural gas").name_en == "Methane / natural gas");
    CHECK(table().substances().size() == 26);
    CHECK_THROWS_AS(table().find("unobtainium"), UnknownSubstance);
    CHECK_THROWS_WITH(table().find("unobtainium"), Catch::Contains("'unobtainium' is not in the toxic endpoint table"));
    CHECK_THROWS_AS(table().find(""), vigil::UsageError);
    CHECK_THROWS_AS(parse_level_set("pac"), vigil::UsageError);
    CHECK(ppm_to_mg_m3(mg_m3_to_ppm(10, 34.08), 34.08) == Approx(10));
}

TEST_CASE("A damaged endpoint table is refused with its line", "[hazard][toxic]") {
    const std::string header = "name_en,name_zh,cas,un_numbers,mol_weight,aegl1_60min_ppm,aegl2_60min_ppm,aegl3_60min_ppm,"
                               "erpg1_ppm,erpg2_ppm,erpg3_ppm,idlh_ppm,lel_vol_pct,uel_vol_pct,pac3_60min_mgm3_computed,"
                               "pac2_60min_mgm3_computed,confidence,notes\n";
    CHECK_THROWS_WITH(ToxicEndpoints::from_csv(header + "X,x,1-1-1,1,10,abc,,,,,,,,,,,,\n"),
                      Catch::Contains("line 2, column aegl1_60min_ppm: 'abc'"));
    CHECK_THROWS_WITH(ToxicEndpoints::from_csv(header + "X,x,1-1-1,1,-4,,,,,,,,,,,,,\n"), Catch::Contains("mol_weight"));
}

} // namespace test_toxic_endpoints_cases
