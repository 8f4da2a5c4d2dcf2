// Probits (docs/domain.md §4.6, layers/reference/probit_constants.csv).
// - Φ(Y−5): Y = 2.67 -> 1 %, 7.33 -> 99 % (standard normal table: z = ∓2.326);
// - Eisenberg overpressure probits: 50 % eardrum rupture at exp(20.6/1.93) = 43.2 kPa, matching
//   the ~44 kPa (6.3 psi) of CCPS/Lees for 50 % eardrum rupture; 50 % lung-haemorrhage death at
//   exp(82.1/6.91) = 144.5 kPa;
// - toxic probits: the TNO Purple Book and CCPS constants of the table, evaluated by hand.

#include <vigil/hazard/probit.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace vigil::hazard;

TEST_CASE("Probit to probability and back", "[hazard][probit]") {
    CHECK(probit_to_probability(5) == Approx(0.5));
    CHECK(probit_to_probability(2.67) == Approx(0.01).epsilon(0.01));
    CHECK(probit_to_probability(7.33) == Approx(0.99).epsilon(0.001));
    CHECK(probit_to_probability(-INFINITY) == 0);
    CHECK(probability_to_probit(0.01) == Approx(2.6737).epsilon(1e-4));
    CHECK(probability_to_probit(0.5) == Approx(5));
    CHECK_THROWS_AS(probability_to_probit(1), vigil::UsageError);
    CHECK_THROWS_AS(probability_to_probit(std::nan("")), vigil::UsageError);
}

TEST_CASE("Toxic probits from the table", "[hazard][probit]") {
    const auto& table = ProbitTable::builtin();
    // TNO chlorine: a = −6.35, b = 0.5, n = 2.75; 100 mg/m³ for 30 min:
    // Y = −6.35 + 0.5·(2.75·ln 100 + ln 30) = 1.6827.
    const auto& cl2 = table.toxic("Chlorine");
    CHECK(cl2.n == 2.75);
    CHECK(toxic_probit(cl2, 100, 30) == Approx(1.68271).epsilon(1e-5));
    // CCPS chlorine Y = −8.29 + 0.92·ln(C²t), C in ppm: 200 ppm for 10 min -> 3.6761.
    const auto& ccps = table.toxic("chlorine", ProbitForm::Ccps);
    CHECK(ccps.concentration_unit == "ppm");
    CHECK(toxic_probit(ccps, 200, 10) == Approx(-8.29 + 0.92 * std::log(200.0 * 200 * 10)));
    // From mg/m³: 200 ppm of Cl2 = 200·70.9/24.45 mg/m³.
    CHECK(toxic_probit_mg(ccps, ppm_to_mg_m3(200, 70.9), 10, 70.9) == Approx(toxic_probit(ccps, 200, 10)));
    CHECK(toxic_probit_from_load(cl2, std::pow(100, 2.75) * 30) == Approx(toxic_probit(cl2, 100, 30)));
    CHECK(toxic_probit(cl2, 0, 30) == -INFINITY);
    CHECK_THROWS_AS(table.toxic("Methane"), UnknownSubstance);
    CHECK_THROWS_WITH(table.toxic("Formaldehyde"), Catch::Contains("no TNO toxic probit for 'Formaldehyde'"));
    CHECK(table.toxic("Formaldehyde", ProbitForm::Ccps).b == 1.3);
    CHECK_THROWS_AS(toxic_probit(cl2, -1, 30), vigil::UsageError);
}

TEST_CASE("Thermal and overpressure probits", "[hazard][probit]") {
    // Eisenberg: 37.5 kW/m² for 10 s: Y = −14.9 + 2.56·ln(10·37500^{4/3}/1e4) = 3.3657.
    CHECK(thermal_probit_eisenberg(37500, 10) == Approx(-14.9 + 2.56 * std::log(10 * std::pow(37500.0, 4.0 / 3) / 1e4)));
    CHECK(thermal_probit_eisenberg(37500, 10) == Approx(3.3657).epsilon(1e-4));
    // 50 % eardrum rupture at 43.2 kPa (CCPS/Lees: ~44 kPa); 50 % lung-haemorrhage death at 144.5 kPa.
    CHECK(probit_to_probability(overpressure_probit(BlastEffect::EardrumRupture, 43199)) == Approx(0.5).epsilon(1e-3));
    CHECK(probit_to_probability(overpressure_probit(BlastEffect::LungHaemorrhageDeath, 144543)) == Approx(0.5).epsilon(1e-3));
    CHECK(overpressure_probit(BlastEffect::GlassBreakage, 0) == -INFINITY);
    CHECK_THROWS_AS(overpressure_probit(BlastEffect::StructuralDamage, std::nan("")), vigil::UsageError);
    CHECK_THROWS_AS(thermal_probit_eisenberg(-1, 10), vigil::UsageError);
}

TEST_CASE("a damaged probit table is refused naming the table and line", "[hazard][probit]") {
    // The reference tables are read by the importer's CSV reader (one CSV parser in the core).
    const std::string header = "effect,substance,a,b,n,concentration_or_load_unit,source\n";
    CHECK_THROWS_WITH(ProbitTable::from_csv(header + "toxic,氯,-8.29,0.92,2,ppm,TNO,extra\n"),
                      Catch::Contains("probit_constants.csv, line 2"));
    CHECK_THROWS_WITH(ProbitTable::from_csv(header + "toxic,\"氯,-8.29,0.92,2,ppm,TNO\n"),
                      Catch::Contains("probit_constants.csv") && Catch::Contains("quote"));
    CHECK_THROWS_WITH(ProbitTable::from_csv(""), Catch::Contains("probit_constants.csv"));
}
