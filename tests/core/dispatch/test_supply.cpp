// The supply plan: parsing needs and stock, item matching (names and the stock item
// catalogue's synonyms), soonest-first splits checked against brute-force enumerations of
// warehouse subsets, shortfall and the headline.

#include "test_paths.hpp"

#include <vigil/dispatch/supply.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

using namespace vigil::dispatch;

namespace test_supply_cases {

Depot depot(double eta_min, std::string_view stock_json, bool reachable = true) {
    Depot d;
    d.eta_s = eta_min * 60;
    d.reachable = reachable;
    d.stock = parse_stock(stock_json, "test");
    return d;
}

double given(const SupplyPlan& plan, std::size_t depot, std::size_t need) {
    double sum = 0;
    for (const auto& a : plan.allocations)
        if (a.depot == depot && a.need == need) sum += a.quantity;
    return sum;
}


TEST_CASE("needs parse with units, counts, full-width separators and repeats", "[dispatch][supply]") {
    auto needs = parse_needs("中和剂:5t，吸附棉：2000 kg,沙袋:3000, 中和剂:500kg");
    REQUIRE(needs.size() == 3);
    CHECK(needs[0].item == "中和剂");
    CHECK(needs[0].quantity == Approx(5.5)); // 5 t + 500 kg, in the first unit (t)
    CHECK(needs[0].unit->symbol == "t");
    CHECK(needs[1].item == "吸附棉");
    CHECK(needs[1].quantity == 2000);
    CHECK(needs[1].unit->symbol == "kg");
    CHECK(needs[2].item == "沙袋");
    CHECK(needs[2].unit->dimension == vigil::units::Dimension::Count);
}

TEST_CASE("bad needs are refused with the piece named", "[dispatch][supply]") {
    CHECK_THROWS_AS(parse_needs(""), vigil::UsageError);
    CHECK_THROWS_WITH(parse_needs("中和剂"), Catch::Matchers::Contains("中和剂"));
    CHECK_THROWS_AS(parse_needs("中和剂:-5t"), vigil::UsageError);
    CHECK_THROWS_AS(parse_needs("中和剂:0"), vigil::UsageError);
    CHECK_THROWS_WITH(parse_needs("中和剂:5 furlongs"), Catch::Matchers::Contains("furlongs"));
    CHECK_THROWS_AS(parse_needs(":5t"), vigil::UsageError);
    CHECK_THROWS_AS(parse_needs("中和剂:5t,中和剂:3个"), vigil::UsageError); // a mass and a count of one item
}

TEST_CASE("stock lines parse; a broken list is a format error", "[dispatch][supply]") {
    auto s =
        parse_stock(R"([{"item":"中和剂","quantity":5,"unit":"t"},{"item":"沙袋","quantity":8000},{"item":"x"},{"quantity":3}])", "W1");
    REQUIRE(s.size() == 2);
    CHECK(s[0].unit->symbol == "t");
    CHECK(s[1].unit->dimension == vigil::units::Dimension::Count);
    CHECK(parse_stock("", "W1").empty());
    CHECK_THROWS_WITH(parse_stock("{oops", "warehouse W7"), Catch::Matchers::Contains("warehouse W7"));
}

TEST_CASE("items match by name, ignoring width and case, or with a bracketed qualifier", "[dispatch][supply]") {
    CHECK(item_matches("中和剂", "中和剂"));
    CHECK(item_matches("中和剂", "中和剂（碳酸钠）"));
    CHECK(item_matches("中和剂", "中和剂 碳酸钠")); // how a list import stores the bracket
    CHECK_FALSE(item_matches("沙袋", "沙袋布"));
    CHECK(item_matches("Sandbag", "sand bag"));
    CHECK_FALSE(item_matches("中和剂", "酸性中和剂"));
    CHECK_FALSE(item_matches("沙袋", "编织袋"));
    CHECK_FALSE(item_matches("", "沙袋"));
}

TEST_CASE("the earliest complete set wins over the single nearest big depot", "[dispatch][supply]") {
    auto needs = parse_needs("中和剂:5t,沙袋:3000");
    std::vector<Depot> depots{
        depot(30, R"([{"item":"中和剂","quantity":10,"unit":"t"},{"item":"沙袋","quantity":10000,"unit":"个"}])"), // has all, late
        depot(8, R"([{"item":"中和剂","quantity":3000,"unit":"kg"}])"),
        depot(12, R"([{"item":"中和剂（碳酸钠）","quantity":2,"unit":"吨"},{"item":"沙袋","quantity":1000,"unit":"个"}])"),
        depot(15, R"([{"item":"沙袋","quantity":2500,"unit":"件"}])"),
        depot(5, R"([{"item":"饮用水","quantity":600,"unit":"箱"}])"), // useless: never chosen
    };
    auto plan = plan_supply(needs, depots);
    REQUIRE(plan.complete);
    CHECK(plan.depots == std::vector<std::size_t>{1, 2, 3});
    CHECK(plan.arrival_s == Approx(15 * 60));
    CHECK(given(plan, 1, 0) == Approx(3)); // 3000 kg in tonnes
    CHECK(given(plan, 2, 0) == Approx(2));
    CHECK(given(plan, 2, 1) == Approx(1000));
    CHECK(given(plan, 3, 1) == Approx(2000));
    CHECK(plan.shortfall == std::vector<double>{0, 0});
    CHECK(plan.available[0] == Approx(15));
}

TEST_CASE("what can arrive first is sent first: 1.7 t at 11 min is no longer hidden behind 5 t at 38.7 min", "[dispatch][supply]") {
    auto needs = parse_needs("中和剂:5t");
    std::vector<Depot> depots{
        depot(38.7, R"([{"item":"中和剂","quantity":5,"unit":"t"}])"),
        depot(11.0, R"([{"item":"中和剂","quantity":1.7,"unit":"t"}])"),
    };
    auto plan = plan_supply(needs, depots);
    REQUIRE(plan.complete);
    // Before: the near store was pruned once the far one covered all 5 t, so the plan said
    // "5 t from depot 0 at 38.7 min" and nothing came for 38.7 minutes. Now 1.7 t arrive at
    // 11.0 min and depot 0 sends the other 3.3 t; all is there at 38.7 min either way.
    CHECK(plan.depots == std::vector<std::size_t>{1, 0});
    CHECK(given(plan, 1, 0) == Approx(1.7));
    CHECK(given(plan, 0, 0) == Approx(3.3));
    CHECK(plan.first_arrival_s == Approx(11.0 * 60));
    CHECK(plan.first_s[0] == Approx(11.0 * 60));
    CHECK(plan.covered_s[0] == Approx(38.7 * 60));
    CHECK(plan.arrival_s == Approx(38.7 * 60));
    REQUIRE(plan.allocations.size() == 2);
    CHECK(plan.allocations[0].eta_s == Approx(11.0 * 60)); // by ETA within the need
    const auto head = supply_headline(plan, needs);
    CHECK(head.find("all needs covered by 38.7 min (first arrival 11.0 min, 2 warehouses)") != std::string::npos);
}

TEST_CASE("an early small depot stays in the split although later ones could cover alone", "[dispatch][supply]") {
    auto needs = parse_needs("沙袋:3000,吸附棉:100kg");
    std::vector<Depot> depots{
        depot(5, R"([{"item":"沙袋","quantity":1000}])"),
        depot(6, R"([{"item":"沙袋","quantity":3000}])"),
        depot(9, R"([{"item":"吸附棉","quantity":100,"unit":"kg"}])"),
    };
    auto plan = plan_supply(needs, depots);
    REQUIRE(plan.complete);
    // Before, depot 0 was dropped as redundant (plan {1, 2}: 3000 sandbags at 6 min). Now its
    // 1000 arrive at 5 min and depot 1 sends 2000 at 6 min.
    CHECK(plan.depots == std::vector<std::size_t>{0, 1, 2});
    CHECK(given(plan, 0, 0) == Approx(1000));
    CHECK(given(plan, 1, 0) == Approx(2000));
    CHECK(plan.covered_s[0] == Approx(6 * 60));
    CHECK(plan.arrival_s == Approx(9 * 60));
}

TEST_CASE("with a shortfall the headline leads with it and never says all arrive", "[dispatch][supply]") {
    auto needs = parse_needs("中和剂:5t,沙袋:100");
    std::vector<Depot> depots{
        depot(11.0, R"([{"item":"中和剂","quantity":1.7,"unit":"t"},{"item":"沙袋","quantity":500}])"),
        depot(37.1, R"([{"item":"中和剂","quantity":0.5,"unit":"t"}])"),
    };
    auto plan = plan_supply(needs, depots);
    REQUIRE_FALSE(plan.complete);
    CHECK(plan.shortfall[0] == Approx(2.8));
    CHECK(std::isinf(plan.covered_s[0]));
    CHECK(plan.covered_s[1] == Approx(11.0 * 60));
    // Before, the panel printed "全部到达 all arrive 37.1 min" above the shortfall line.
    const auto head = supply_headline(plan, needs);
    INFO(head);
    CHECK(head.rfind("shortfall: 中和剂 2.8 t", 0) == 0);
    CHECK(head.find("what is available arrives 11.0 min-37.1 min (2 warehouses)") != std::string::npos);
    CHECK(head.find("all arrive") == std::string::npos);
    CHECK(head.find("all needs") == std::string::npos);
    CHECK(head.find("全部") == std::string::npos);
    // Nothing reachable holds it: the headline says so.
    auto none = plan_supply(parse_needs("围油栏:100m"), depots);
    CHECK(supply_headline(none, parse_needs("围油栏:100m")).find("no reachable warehouse holds any of it") != std::string::npos);
}

TEST_CASE("shortfall when the region cannot cover a need; unreachable depots do not count", "[dispatch][supply]") {
    auto needs = parse_needs("中和剂:5t,吸附棉:2000kg");
    std::vector<Depot> depots{
        depot(10, R"([{"item":"中和剂","quantity":2,"unit":"t"},{"item":"吸附棉","quantity":3000,"unit":"kg"}])"),
        depot(20, R"([{"item":"中和剂","quantity":1,"unit":"t"}])"),
        depot(1, R"([{"item":"中和剂","quantity":50,"unit":"t"}])", false), // across a river, no bridge
        depot(25, R"([{"item":"中和剂","quantity":3,"unit":"m3"}])"),       // volume: cannot convert to tonnes
    };
    auto plan = plan_supply(needs, depots);
    CHECK_FALSE(plan.complete);
    CHECK(plan.depots == std::vector<std::size_t>{0, 1});
    CHECK(plan.shortfall[0] == Approx(2));
    CHECK(plan.shortfall[1] == 0);
    CHECK(plan.available[0] == Approx(3));
    REQUIRE(plan.notes.size() == 1);
    CHECK(plan.notes[0].find("m3") != std::string::npos);
}

TEST_CASE("no set can be complete earlier than the chosen one (random cases vs brute force)", "[dispatch][supply]") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> eta(1, 60), qty(0, 10);
    for (int trial = 0; trial < 300; ++trial) {
        const int n_depots = 1 + static_cast<int>(rng() % 8);
        auto needs = parse_needs("a:10,b:6");
        std::vector<Depot> depots;
        for (int d = 0; d < n_depots; ++d) {
            Depot dep;
            dep.reachable = rng() % 5 != 0;
            dep.eta_s = eta(rng);
            if (rng() % 2) dep.stock.push_back(StockLine{"a", qty(rng), "", vigil::units::find_unit("item")});
            if (rng() % 2) dep.stock.push_back(StockLine{"b", qty(rng), "", vigil::units::find_unit("item")});
            depots.push_back(dep);
        }
        auto plan = plan_supply(needs, depots);
        // Brute force: the smallest latest-ETA over all complete subsets.
        double best = std::numeric_limits<double>::infinity();
        for (unsigned mask = 1; mask < (1u << n_depots); ++mask) {
            double a = 0, b = 0, latest = 0;
            bool ok = true;
            for (int d = 0; d < n_depots; ++d) {
                if (!(mask & (1u << d))) continue;
                if (!depots[d].reachable) ok = false;
                latest = std::max(latest, depots[d].eta_s);
                for (const auto& s : depots[d].stock) (s.item == "a" ? a : b) += s.quantity;
            }
            if (ok && a >= 10 * (1 - 1e-12) && b >= 6 * (1 - 1e-12)) best = std::min(best, latest);
        }
        INFO("trial " << trial);
        CHECK(plan.complete == std::isfinite(best));
        // What arrives by each depot's ETA t, per need: no subset of the depots within t
        // delivers more (brute force over the subsets, capped at the need).
        for (int t = 0; t < n_depots; ++t) {
            if (!depots[t].reachable) continue;
            const double by = depots[t].eta_s;
            for (std::size_t n = 0; n < 2; ++n) {
                const double need = n == 0 ? 10 : 6;
                double best_by = 0;
                for (unsigned mask = 0; mask < (1u << n_depots); ++mask) {
                    double sum = 0;
                    bool ok = true;
                    for (int d = 0; d < n_depots; ++d) {
                        if (!(mask & (1u << d))) continue;
                        if (!depots[d].reachable || depots[d].eta_s > by) ok = false;
                        for (const auto& s : depots[d].stock)
                            if ((s.item == "a") == (n == 0)) sum += s.quantity;
                    }
                    if (ok) best_by = std::max(best_by, std::min(sum, need));
                }
                double planned = 0;
                for (const auto& al : plan.allocations)
                    if (al.need == n && al.eta_s <= by) planned += al.quantity;
                CHECK(planned == Approx(best_by).margin(1e-9));
            }
        }
        if (plan.complete) {
            CHECK(plan.arrival_s == Approx(best));
            // The allocation covers each need exactly.
            double a = 0, b = 0;
            for (const auto& al : plan.allocations) (al.need == 0 ? a : b) += al.quantity;
            CHECK(a == Approx(10));
            CHECK(b == Approx(6));
        }
    }
}

TEST_CASE("everyday names find the stock item: 石灰, 纯碱, 沙土, 堵漏器材 (synonyms from the catalogue)", "[dispatch][supply]") {
    // Before, each of these needs found nothing (shortfall of all of it) although the demo's
    // hazmat stores hold 中和剂, 黄沙 and 堵漏工具.
    std::vector<Depot> depots{depot(12, R"([{"item":"中和剂","quantity":5,"unit":"t"},{"item":"黄沙","quantity":20,"unit":"t"},)"
                                        R"({"item":"堵漏工具","quantity":6,"unit":"套"}])")};
    for (const char* text : {"石灰:1t", "碳酸钠:1t", "纯碱:1t", "沙土:2t", "堵漏器材:2套", "堵漏工具组:2套"}) {
        auto needs = parse_needs(text);
        auto plan = plan_supply(needs, depots);
        INFO(text);
        CHECK(plan.complete);
        // The plan says what it assumed.
        REQUIRE(plan.notes.size() == 1);
        CHECK(plan.notes[0].find("counted stock") != std::string::npos);
        CHECK(plan.notes[0].find("stock_items.json") != std::string::npos);
    }
    CHECK(match_item("中和剂", "中和剂") == ItemMatch::name);
    CHECK(match_item("石灰", "中和剂") == ItemMatch::synonym);
    CHECK(match_item("中和剂", "纯碱（工业级）") == ItemMatch::synonym); // a qualified synonym
    // Names outside one group still do not match.
    CHECK(match_item("中和剂", "酸性中和剂") == ItemMatch::none);
    CHECK(match_item("沙袋", "编织袋") == ItemMatch::none);
    CHECK(match_item("黄沙", "中和剂") == ItemMatch::none);
    // A name match needs no note.
    auto plan = plan_supply(parse_needs("中和剂:1t"), depots);
    CHECK(plan.notes.empty());
}

TEST_CASE("a new synonym is data: the catalogue file is read, checked, and built in", "[dispatch][supply]") {
    auto names =
        ItemNames::parse(R"({"format": "vigil-stock-items/1", "items": [{"item": "黄沙", "synonyms": ["沙土", "Sand"]}]})", "s.json");
    CHECK(names.canonical("沙土") == "黄沙");
    CHECK(names.canonical(" ＳＡＮＤ ") == "黄沙"); // width, case and spaces
    CHECK(names.canonical("石灰").empty());
    CHECK(match_item("沙土", "黄沙", names) == ItemMatch::synonym);
    CHECK(match_item("石灰", "中和剂", names) == ItemMatch::none); // not in this file
    CHECK_THROWS_WITH(ItemNames::parse("{", "s.json"), Catch::Matchers::Contains("s.json"));
    CHECK_THROWS_WITH(ItemNames::parse(R"({"format": "x", "items": []})", "s.json"), Catch::Matchers::Contains("format"));
    CHECK_THROWS_WITH(
        ItemNames::parse(
            R"({"format": "vigil-stock-items/1", "items": [{"item": "A", "synonyms": ["x"]}, {"item": "B", "synonyms": ["X"]}]})",
            "s.json"),
        Catch::Matchers::Contains("items[1]") && Catch::Matchers::Contains("already a name of 'A'"));
    // The copy compiled in is the file in layers/supplies.
    std::ifstream in(vigil::test::layers_dir() / "supplies" / "stock_items.json", std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto file = ItemNames::parse(ss.str(), "stock_items.json");
    CHECK(file.size() == ItemNames::builtin().size());
    CHECK(file.size() >= 3);
    for (const char* n : {"石灰", "纯碱", "碳酸钠", "沙土", "堵漏器材"}) CHECK(ItemNames::builtin().canonical(n) == file.canonical(n));
}

TEST_CASE("a typo in one need flags that need only", "[dispatch][supply]") {
    auto read = read_needs("中和剂:5t,吸附棉2000kg,沙袋:3000,围油栏:5 furlongs");
    REQUIRE(read.needs.size() == 2);
    CHECK(read.needs[0].item == "中和剂");
    CHECK(read.needs[1].item == "沙袋");
    REQUIRE(read.problems.size() == 2);
    CHECK(read.problems[0].find("吸附棉2000kg") != std::string::npos);
    CHECK(read.problems[1].find("furlongs") != std::string::npos);
    CHECK(read_needs("").needs.empty());
    CHECK(read_needs("").problems.empty());
    // parse_needs (the CLI) still refuses the whole text, naming the first bad piece.
    CHECK_THROWS_WITH(parse_needs("中和剂:5t,吸附棉2000kg"), Catch::Matchers::Contains("吸附棉2000kg"));
}

} // namespace test_supply_cases
