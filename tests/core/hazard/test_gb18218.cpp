// GB 18218-2018 identification and grading against the standard's tables (layers/reference/,
// copied from ../shared/data, see layers/reference/SOURCES.md). Each case names its source.

#include <vigil/hazard/gb18218.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace vigil::hazard;

namespace {

InventoryItem item(std::string name, double q, std::string category = {}, std::string cas = {}) {
    InventoryItem i;
    i.substance = std::move(name);
    i.quantity_t = q;
    i.category = std::move(category);
    i.cas = std::move(cas);
    return i;
}

const Gb18218& gb() { return Gb18218::builtin(); }

} // namespace

TEST_CASE("GB 18218 embedded tables hold the standard's rows", "[hazard][gb18218]") {
    // Table 1 has 85 rows, table 2 24 categories (J1..J5, W1.1..W11 with sub-items).
    CHECK(gb().named().size() == 85);
    CHECK(gb().categories().size() == 24);
    // Key values: domain.md §1 "Key values for common chemicals" (GB 18218-2018 table 1).
    auto q = [](const char* n) { return gb().find(item(n, 1))->critical_t; };
    CHECK(q("氨") == 10);
    CHECK(q("氯") == 5);
    CHECK(q("光气") == 0.3); // alias of 碳酰氯
    CHECK(q("异氰酸甲酯") == 0.75);
    CHECK(q("天然气") == 50); // row "甲烷,天然气"
    CHECK(q("甲烷") == 50);
    CHECK(q("1,3-丁二烯") == 5);
    CHECK(q("氧") == 200); // new in 2018
    CHECK(q("汽油") == 200);
    CHECK(q("电石") == 100); // alias of 碳化钙
}

TEST_CASE("GB 18218 look-up by name, alias, bracket-free name, CAS and full-width brackets", "[hazard][gb18218]") {
    MatchedBy by{};
    const NamedSubstance* s = gb().find(item("液氯", 1), &by);
    REQUIRE(s);
    CHECK(s->name_zh == "氯");
    CHECK(by == MatchedBy::Alias);

    s = gb().find(item("氯化氢（无水）", 1), &by); // full-width brackets as typed in spreadsheets
    REQUIRE(s);
    CHECK(s->critical_t == 20);
    CHECK(by == MatchedBy::Name);

    s = gb().find(item("", 1, {}, "7664-41-7"), &by);
    REQUIRE(s);
    CHECK(s->name_zh == "氨");
    CHECK(by == MatchedBy::Cas);

    CHECK(gb().find(item("tdi", 1))->critical_t == 100); // ASCII alias, any case

    // 硝酸铵 has rows of 5 t and 50 t for one CAS: without the qualifier the smaller Q is taken.
    bool ambiguous = false;
    s = gb().find(item("硝酸铵", 1), &by, &ambiguous);
    REQUIRE(s);
    CHECK(ambiguous);
    CHECK(s->critical_t == 5);
    s = gb().find(item("硝酸铵(含可燃物≤0.2%)", 1), &by, &ambiguous);
    REQUIRE(s);
    CHECK_FALSE(ambiguous);
    CHECK(s->critical_t == 50);

    CHECK(gb().find(item("硫酸", 1, {}, "7664-93-9")) == nullptr); // not a GB 18218 table 1 substance
}

TEST_CASE("GB 18218 issue 6 example: 50 t chlorine + 100 t ammonia, 120 residents", "[hazard][gb18218]") {
    // Source: issue 6 and domain.md §1 worked case. With GB 18218-2018 table 1 (Q 氯 = 5 t,
    // 氨 = 10 t), table 3 (β 氯 = 4, 氨 = 2) and table 5 (≥ 100 people → α = 2):
    // S = 50/5 + 100/10 = 20; R = 2 × (4·10 + 2·10) = 120 → 一级. The tables agree with the issue.
    std::vector<InventoryItem> inv{item("液氯", 50), item("液氨", 100)};
    Assessment a = gb().assess(inv, 120, "EX-1");
    CHECK(a.s == Approx(20));
    CHECK(a.major);
    CHECK(a.alpha == 2.0);
    CHECK(a.r == Approx(120));
    CHECK(a.grade == Grade::Grade1);
    CHECK(grade_label_zh(a.grade) == "一级");
    CHECK(grade_value(a.grade) == "grade1");
    REQUIRE(a.contributions.size() == 2);
    CHECK(a.contributions[0].reference == "氯");
    CHECK(a.contributions[0].ratio == Approx(10));
    CHECK(a.contributions[0].beta == 4);
    CHECK(a.contributions[0].beta_source == "表3");
    CHECK(a.contributions[1].beta == 2);
    CHECK(a.contributions[1].weighted == Approx(20));
    CHECK(a.warnings.empty());
}

TEST_CASE("GB 18218 single substances and the S = 1 boundary", "[hazard][gb18218]") {
    // Source: GB 18218-2018 4.2.2 (S ≥ 1 is a major hazard source), table 1 Q 氯 = 5 t.
    std::vector<InventoryItem> at{item("氯", 5)};
    Assessment a = gb().assess(at, 0);
    CHECK(a.s == Approx(1));
    CHECK(a.major);
    // Table 5: nobody within 500 m → α = 0.5; R = 0.5 × 4 × 1 = 2 → 四级.
    CHECK(a.alpha == 0.5);
    CHECK(a.r == Approx(2));
    CHECK(a.grade == Grade::Grade4);

    std::vector<InventoryItem> below{item("氯", 4.99)};
    a = gb().assess(below, 0);
    CHECK_FALSE(a.major);
    CHECK(a.grade == Grade::NotMajor);
    CHECK(grade_value(a.grade) == "not_major");

    // Decimal quantities whose exact sum is 1 (0.1 + 0.2 of Q): still major.
    std::vector<InventoryItem> decimal{item("光气", 0.03), item("光气", 0.06), item("光气", 0.21)};
    CHECK(gb().assess(decimal, 10).major);

    // Phosgene, table 1 Q = 0.3 t, table 3 β = 20: 0.3 t with 30 people (α 1.2) → R = 24 → 三级.
    std::vector<InventoryItem> phosgene{item("碳酰氯", 0.3)};
    a = gb().assess(phosgene, 30);
    CHECK(a.alpha == 1.2);
    CHECK(a.r == Approx(24));
    CHECK(a.grade == Grade::Grade3);
}

TEST_CASE("GB 18218 table 5 α bands at their edges", "[hazard][gb18218]") {
    // Source: GB 18218-2018 table 5: 0 → 0.5; 1–29 → 1.0; 30–49 → 1.2; 50–99 → 1.5; ≥ 100 → 2.0.
    CHECK(gb().alpha(0) == 0.5);
    CHECK(gb().alpha(1) == 1.0);
    CHECK(gb().alpha(29) == 1.0);
    CHECK(gb().alpha(30) == 1.2);
    CHECK(gb().alpha(49) == 1.2);
    CHECK(gb().alpha(50) == 1.5);
    CHECK(gb().alpha(99) == 1.5);
    CHECK(gb().alpha(100) == 2.0);
    CHECK(gb().alpha(5000000) == 2.0);
}

TEST_CASE("GB 18218 grade bands at their edges", "[hazard][gb18218]") {
    // Source: GB 18218-2018 4.3.3: 一级 R ≥ 100; 二级 100 > R ≥ 50; 三级 50 > R ≥ 10; 四级 R < 10.
    CHECK(gb().grade_for(100) == Grade::Grade1);
    CHECK(gb().grade_for(99.99) == Grade::Grade2);
    CHECK(gb().grade_for(50) == Grade::Grade2);
    CHECK(gb().grade_for(49.99) == Grade::Grade3);
    CHECK(gb().grade_for(10) == Grade::Grade3);
    CHECK(gb().grade_for(9.99) == Grade::Grade4);
    CHECK(gb().grade_for(1) == Grade::Grade4);
}

TEST_CASE("GB 18218 table 2 categories and table 4 β for substances outside table 1", "[hazard][gb18218]") {
    // Source: GB 18218-2018 table 2 (W5.1 Q = 10 t, W5.4 Q = 5000 t, J3 Q = 50 t) and table 4
    // (β W5.1 = 1.5, W5.4 = 1).
    std::vector<InventoryItem> inv{item("某溶剂", 20, "W5.1"), item("柴油", 5000, "W5.4")};
    Assessment a = gb().assess(inv, 10);
    CHECK(a.contributions[0].basis == Basis::Table2);
    CHECK(a.contributions[0].reference == "W5.1");
    CHECK(a.contributions[0].ratio == Approx(2));
    CHECK(a.contributions[0].beta == 1.5);
    CHECK(a.s == Approx(3));
    CHECK(a.r == Approx(1.0 * (1.5 * 2 + 1 * 1)));

    // Several categories: the lowest Q counts (GB 18218 4.2.2 note).
    std::vector<InventoryItem> two{item("某混合气", 5, "W2;J3")};
    a = gb().assess(two, 0);
    CHECK(a.contributions[0].reference == "W2");
    CHECK(a.s == Approx(0.5));

    // 一氧化碳 is not in table 1 (only as 煤气) but is in table 3: Q from J3 (50 t), β = 2 from table 3.
    std::vector<InventoryItem> co{item("一氧化碳", 50, "J3", "630-08-0")};
    a = gb().assess(co, 100);
    CHECK(a.contributions[0].critical_t == 50);
    CHECK(a.contributions[0].beta == 2);
    CHECK(a.r == Approx(4));

    // A table 1 substance outside table 3 takes table 4 β of the category the record gives:
    // 汽油 200 t (table 1), W5.1 β = 1.5. Without a category β = 1 is used and a warning says so.
    std::vector<InventoryItem> gasoline{item("汽油", 400, "W5.1")};
    a = gb().assess(gasoline, 100);
    CHECK(a.r == Approx(2 * 1.5 * 2));
    CHECK(a.warnings.empty());
    std::vector<InventoryItem> gasoline_bare{item("汽油", 400)};
    a = gb().assess(gasoline_bare, 100);
    CHECK(a.r == Approx(2 * 1 * 2));
    REQUIRE(a.warnings.size() == 1);
    CHECK_THAT(a.warnings[0], Catch::Contains("汽油"));
}

TEST_CASE("GB 18218 unknown substances are reported, bad input is refused with its record", "[hazard][gb18218]") {
    std::vector<InventoryItem> inv{item("硫酸", 84.5, "", "7664-93-9"), item("氯", 10)};
    Assessment a = gb().assess(inv, 200, "JZ-1");
    REQUIRE(a.contributions.size() == 2);
    CHECK(a.contributions[0].basis == Basis::Unknown);
    CHECK(a.s == Approx(2));
    REQUIRE(a.warnings.size() == 1);
    CHECK_THAT(a.warnings[0], Catch::Contains("JZ-1") && Catch::Contains("硫酸"));

    std::vector<InventoryItem> negative{item("氯", -1)};
    CHECK_THROWS_WITH(gb().assess(negative, 10, "JZ-2"), Catch::Contains("JZ-2") && Catch::Contains("氯") && Catch::Contains("negative"));
    std::vector<InventoryItem> bad_cat{item("某物", 1, "W99")};
    CHECK_THROWS_AS(gb().assess(bad_cat, 10, "JZ-3"), InventoryError);
    std::vector<InventoryItem> ok{item("氯", 1)};
    CHECK_THROWS_WITH(gb().assess(ok, -5, "JZ-4"), Catch::Contains("JZ-4"));

    // No population: the largest α (2.0), with a warning.
    a = gb().assess(ok, std::nullopt, "JZ-5");
    CHECK(a.alpha == 2.0);
    CHECK(a.warnings.size() == 1);
}

TEST_CASE("GB 18218 inventory JSON as the hazard_sources layer stores it", "[hazard][gb18218]") {
    auto inv = parse_inventory(
        R"([{"cas":"7782-50-5","category":"J3","quantity_t":7.41,"substance":"氯","un_number":"1017"},)"
        R"({"substance":"氨","quantity_t":"7.46"}])",
        "JZ410802-0004-W1");
    REQUIRE(inv.size() == 2);
    CHECK(inv[0].un_number == "1017");
    CHECK(inv[1].quantity_t == 7.46);
    // Demo record JZ410802-0004-W1 (vigil demo): S = 7.41/5 + 7.46/10 = 2.228,
    // R = 2 × (4 × 1.482 + 2 × 0.746) = 14.84 → 三级 (as the demo generator stores it).
    Assessment a = gb().assess(inv, 245, "JZ410802-0004-W1");
    CHECK(a.s == Approx(2.228));
    CHECK(a.r == Approx(14.84));
    CHECK(a.grade == Grade::Grade3);

    CHECK(parse_inventory("", "X").empty());
    CHECK_THROWS_WITH(parse_inventory("{", "R-9"), Catch::Contains("R-9"));
    CHECK_THROWS_WITH(parse_inventory(R"([{"substance":"氯"}])", "R-9"), Catch::Contains("R-9") && Catch::Contains("氯"));
    CHECK_THROWS_WITH(parse_inventory(R"([{"substance":"氯","quantity_t":"很多"}])", "R-9"), Catch::Contains("很多"));
}

TEST_CASE("GB 18218 tables from CSV text refuse damaged rows", "[hazard][gb18218]") {
    CHECK_THROWS_AS(Gb18218::from_csv("seq,name_zh\n1,氨\n", embedded::gb18218_table2(), embedded::gb18218_table3(),
                                      embedded::gb18218_table5()),
                    InventoryError);
    CHECK_THROWS_AS(Gb18218::from_csv("seq,name_zh,alias_zh,cas,critical_quantity_t\n1,氨,,7664-41-7,十\n",
                                      embedded::gb18218_table2(), embedded::gb18218_table3(), embedded::gb18218_table5()),
                    InventoryError);
}
