// GB 18218-2018 identification and grading against the standard's tables (layers/reference/,
// copied from ../shared/data, see layers/reference/SOURCES.md). Each case names its source.

#include <vigil/hazard/gb18218.hpp>
#include <vigil/util/i18n.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace vigil::hazard;

namespace test_gb18218_cases {

InventoryItem item(std::string name, double q, std::string category = {}, std::string cas = {}) {
    InventoryItem i;
    i.substance = std::move(name);
    i.quantity_t = q;
    i.category = std::move(category);
    i.cas = std::move(cas);
    return i;
}

const Gb18218& gb() { return Gb18218::builtin(); }


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

TEST_CASE("GB 18218 worked example: 50 t chlorine + 100 t ammonia, 120 residents", "[hazard][gb18218]") {
    // Source: docs/hazard.md and docs/domain.md §1 worked case. With GB 18218-2018 table 1 (Q 氯 = 5 t,
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
    CHECK(a.contributions[0].beta_source == "table 3");
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

    // Several categories: the lowest Q counts (GB 18218-2018 via domain.md §1: "take the lowest Q").
    std::vector<InventoryItem> two{item("某混合气", 5, "W2;J3")};
    a = gb().assess(two, 0);
    CHECK(a.contributions[0].reference == "W2");
    CHECK(a.s == Approx(0.5));

    // A table 1 substance outside table 3 takes table 4 β of its category: 汽油 200 t (table 1),
    // a category 1 flammable liquid, W5.1 β = 1.5, whether or not the record says so.
    std::vector<InventoryItem> gasoline{item("汽油", 400, "W5.1")};
    a = gb().assess(gasoline, 100);
    CHECK(a.r == Approx(2 * 1.5 * 2));
    CHECK(a.warnings.empty());
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
    auto inv = parse_inventory(R"([{"cas":"7782-50-5","category":"J3","quantity_t":7.41,"substance":"氯","un_number":"1017"},)"
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
    const std::string_view t2 = embedded::gb18218_table2(), t3 = embedded::gb18218_table3(), t5 = embedded::gb18218_table5();
    const std::string t1 = "seq,name_zh,alias_zh,cas,critical_quantity_t\n1,氨,液氨,7664-41-7,10\n2,汽油,,86290-81-5,200\n";
    const std::string head = "seq,name_zh,categories,also_named,also_cas,confidence,classification_zh\n";
    CHECK_THROWS_AS(Gb18218::from_csv("seq,name_zh\n1,氨\n", t2, t3, t5, head), InventoryError);
    CHECK_THROWS_AS(Gb18218::from_csv("seq,name_zh,alias_zh,cas,critical_quantity_t\n1,氨,,7664-41-7,十\n", t2, t3, t5, head),
                    InventoryError);
    // The classes table: complete, matching table 1's names, with table 2 symbols only.
    const std::string ok = head + "1,氨,W2;J3,,,high,x\n2,汽油,W5.1,乙醇汽油,,high,x\n";
    Gb18218 g = Gb18218::from_csv(t1, t2, t3, t5, ok);
    CHECK(g.find(item("乙醇汽油", 1))->seq == 2);
    CHECK_THROWS_WITH(Gb18218::from_csv(t1, t2, t3, t5, head + "1,氨,W2;J3,,,high,x\n"),
                      Catch::Contains("row 2") && Catch::Contains("汽油") && Catch::Contains("no classification"));
    CHECK_THROWS_WITH(Gb18218::from_csv(t1, t2, t3, t5, head + "1,氨,W2;J3,,,high,x\n2,柴油,W5.4,,,high,x\n"),
                      Catch::Contains("柴油") && Catch::Contains("汽油"));
    CHECK_THROWS_WITH(Gb18218::from_csv(t1, t2, t3, t5, head + "1,氨,W2;J3,,,high,x\n2,汽油,W5.9|W5.1,,,high,x\n"),
                      Catch::Contains("W5.9") && Catch::Contains("汽油"));
    CHECK_THROWS_WITH(Gb18218::from_csv(t1, t2, t3, t5, ok + "1,氨,J3,,,high,x\n"), Catch::Contains("twice"));
}

// ---- Look-ups of table 1's composite rows, β of several categories ----

TEST_CASE("GB 18218 carbon monoxide is table 1's 煤气 row: 40 t is a major hazard source", "[hazard][gb18218]") {
    // Source: GB 18218-2018 table 1 row 13 "煤气(CO,CO和H2、CH4的混合物等)", Q = 20 t; table 3
    // β(一氧化碳) = 2; table 5 α(100 people) = 2. By hand: S = 40/20 = 2 ≥ 1, major;
    // R = 2 × 2 × 2 = 8 → 四级.
    // Old answer: 40 t CO was graded not major. CO was not found in table 1, so without a category it
    // was not counted at all (S = 0), and with J3 it took Q = 50 t (S = 0.8).
    for (const InventoryItem& co :
         {item("一氧化碳", 40), item("", 40, {}, "630-08-0"), item("CO", 40), item("一氧化碳", 40, "J3", "630-08-0")}) {
        INFO(co.substance << " " << co.cas << " " << co.category);
        std::vector<InventoryItem> inv{co};
        Assessment a = gb().assess(inv, 100);
        REQUIRE(a.contributions.size() == 1);
        CHECK(a.contributions[0].basis == Basis::Table1);
        CHECK(a.contributions[0].table1_seq == 13);
        CHECK(a.contributions[0].critical_t == 20);
        CHECK(a.s == Approx(2));
        CHECK(a.major);
        CHECK(a.contributions[0].beta == 2);
        CHECK(a.r == Approx(8));
        CHECK(a.grade == Grade::Grade4);
    }
    // 20 t is exactly Q: major (GB 18218 4.2.2, S ≥ 1); the old J3 reading gave S = 0.4.
    std::vector<InventoryItem> at_q{item("一氧化碳", 20, "J3", "630-08-0")};
    CHECK(gb().assess(at_q, 0).major);
}

namespace {

/// A table 1 row whose name lists several substances or a composition, and every way a register
/// may name it. The Q values are typed from GB 18218-2018 table 1 (domain.md §1 lists 煤气 20,
/// 汽油 200, 硝酸铵 5/50/200), not read from the CSV under test.
struct CompositeRow {
    int seq;
    double q;
    std::vector<std::string> names;   ///< the printed name, its bracket-free form, the substances it lists
    std::vector<std::string> aliases; ///< every alias table 1 prints (checked to be all of them)
    std::vector<std::string> cas;     ///< every CAS number table 1 prints, and those of the substances listed
    bool cas_chooses_row;             ///< false where a CAS number is shared with other rows
};

const std::vector<CompositeRow>& composite_rows() {
    static const std::vector<CompositeRow> rows{
        {8, 5, {"甲醛(含量>90%)", "甲醛（含量>90%）", "甲醛"}, {"蚁醛"}, {"50-00-0"}, true},
        {11, 20, {"氯化氢(无水)", "氯化氢"}, {}, {"7647-01-0"}, true},
        {13, 20, {"煤气(CO,CO和H2、CH4的混合物等)", "煤气", "一氧化碳", "CO", "焦炉煤气", "水煤气", "发生炉煤气"}, {}, {"630-08-0"}, true},
        {21, 20, {"1-氯-2,3-环氧丙烷", "3-氯-1,2-环氧丙烷"}, {"环氧氯丙烷(3-氯-1,2-环氧丙烷)", "环氧氯丙烷"}, {"106-89-8"}, true},
        {37, 1, {"硝化纤维素[干的或含水(或乙醇)<25%]"}, {"硝化棉"}, {"9004-70-0"}, false},
        {38, 1, {"硝化纤维素(未改型的,或增塑的,含增塑剂<18%)"}, {"硝化棉"}, {"9004-70-0"}, false},
        {39, 10, {"硝化纤维素(含乙醇≥25%)"}, {"硝化棉"}, {"9004-70-0"}, false},
        {40, 50, {"硝化纤维素(含氮≤12.6%)"}, {"硝化棉"}, {"9004-70-0"}, false},
        {41, 50, {"硝化纤维素(含水≥25%)"}, {"硝化棉"}, {"9004-70-0"}, false},
        {42, 50, {"硝化纤维素溶液(含氮量≤12.6%,含硝化纤维素≤55%)", "硝化纤维素溶液"}, {"硝化棉溶液"}, {"9004-70-0"}, false},
        {43, 5, {"硝酸铵(含可燃物>0.2%,包括以碳计算的任何有机物,但不包括任何其他添加剂)"}, {}, {"6484-52-2"}, false},
        {44, 50, {"硝酸铵(含可燃物≤0.2%)", "硝酸铵（含可燃物≤0.2%）"}, {}, {"6484-52-2"}, false},
        {45, 200, {"硝酸铵肥料(含可燃物≤0.4%)", "硝酸铵肥料"}, {}, {}, true},
        {49, 50, {"甲烷,天然气", "甲烷，天然气", "甲烷", "天然气", "液化天然气", "LNG"}, {}, {"74-82-8", "8006-14-2"}, true},
        {52,
         50,
         {"液化石油气(含丙烷、丁烷及其混合物)", "液化石油气", "丙烷", "丁烷", "LPG"},
         {"石油气(液化的)", "石油气"},
         {"68476-85-7", "74-98-6", "106-97-8"},
         true},
        {56, 200, {"氧(压缩的或液化的)", "氧"}, {"液氧", "氧气"}, {"7782-44-7"}, true},
        {66, 200, {"汽油(乙醇汽油、甲醇汽油)", "汽油", "乙醇汽油", "甲醇汽油"}, {}, {"86290-81-5"}, true},
        {72, 10, {"过氧化甲基乙基酮(10%<有效氧含量≤10.7%,含A型稀释剂≥48%)", "过氧化甲基乙基酮", "过氧化甲乙酮"}, {}, {"1338-23-4"}, true},
        {74, 1, {"烷基铝", "三乙基铝", "三甲基铝", "三异丁基铝"}, {"三烷基铝"}, {"97-93-8", "75-24-1", "100-99-2"}, true},
        {80, 20, {"发烟硝酸"}, {}, {"52583-42-3"}, true},
        {81, 100, {"硝酸(发红烟的除外,含硝酸>70%)", "硝酸"}, {}, {"7697-37-2"}, true},
    };
    return rows;
}

/// CAS check digit (the last digit is the weighted sum of the others mod 10, weights 1, 2, ... from the right).
bool cas_check_digit_ok(const std::string& cas) {
    std::string digits;
    for (char c : cas)
        if (c >= '0' && c <= '9') digits += c;
        else if (c != '-') return false;
    if (digits.size() < 5) return false;
    int sum = 0;
    for (std::size_t i = 0; i + 1 < digits.size(); ++i) sum += (digits[digits.size() - 2 - i] - '0') * static_cast<int>(i + 1);
    return sum % 10 == digits.back() - '0';
}

} // namespace

TEST_CASE("GB 18218 every composite table 1 row is found by name, alias and CAS", "[hazard][gb18218]") {
    for (const auto& row : composite_rows()) {
        INFO("table 1 row " << row.seq);
        auto it = std::find_if(gb().named().begin(), gb().named().end(), [&](const NamedSubstance& s) { return s.seq == row.seq; });
        REQUIRE(it != gb().named().end());
        CHECK(it->critical_t == row.q);
        // The case lists every alias and CAS number the table prints for the row (also_cas are the listed substances').
        for (const auto& a : it->aliases) CHECK(std::find(row.aliases.begin(), row.aliases.end(), a) != row.aliases.end());
        for (const auto& c : it->cas) CHECK(std::find(row.cas.begin(), row.cas.end(), c) != row.cas.end());
        for (const auto& c : it->also_cas) CHECK(std::find(row.cas.begin(), row.cas.end(), c) != row.cas.end());
        for (const auto& c : row.cas) CHECK(cas_check_digit_ok(c));

        for (const auto& name : row.names) {
            INFO("name " << name);
            MatchedBy by{};
            bool ambiguous = true;
            const NamedSubstance* s = gb().find(item(name, 1), &by, &ambiguous);
            REQUIRE(s);
            CHECK(s->seq == row.seq);
            CHECK(by == MatchedBy::Name);
            CHECK_FALSE(ambiguous);
        }
        for (const auto& alias : row.aliases) {
            INFO("alias " << alias);
            MatchedBy by{};
            const NamedSubstance* s = gb().find(item(alias, 1), &by);
            REQUIRE(s);
            CHECK(by == MatchedBy::Alias);
            // 硝化棉 is the alias of five rows: the smallest Q (row 37, 1 t) is taken.
            CHECK(s->seq == (alias == "硝化棉" ? 37 : row.seq));
        }
        for (const auto& cas : row.cas) {
            INFO("CAS " << cas);
            MatchedBy by{};
            bool ambiguous = false;
            const NamedSubstance* s = gb().find(item("", 1, {}, cas), &by, &ambiguous);
            REQUIRE(s);
            CHECK(by == MatchedBy::Cas);
            if (row.cas_chooses_row) {
                CHECK(s->seq == row.seq);
                CHECK_FALSE(ambiguous);
            } else {
                // 9004-70-0 is six 硝化纤维素 rows, 6484-52-2 two 硝酸铵 rows: the smallest Q.
                CHECK(ambiguous);
                CHECK(s->critical_t == (cas == "9004-70-0" ? 1 : 5));
            }
            // With the row's printed name the CAS number no longer leaves a choice.
            s = gb().find(item(row.names.front(), 1, {}, cas), &by, &ambiguous);
            REQUIRE(s);
            CHECK(s->seq == row.seq);
        }
    }
    // Isobutane (75-28-5) is not what row 52 lists (丁烷 is 106-97-8 there): it stays outside table 1
    // and takes W2's Q of 10 t, which is smaller than the row's 50 t.
    CHECK(gb().find(item("异丁烷", 1, "W2", "75-28-5")) == nullptr);
    // "1,3-丁二烯" is one substance, not a list: no row matches "1" or "3-丁二烯".
    CHECK(gb().find(item("3-丁二烯", 1)) == nullptr);
}

TEST_CASE("GB 18218 a name or CAS of several rows takes the row that is most severe for both S and R", "[hazard][gb18218]") {
    // find() takes the smallest Q (S never understated); this checks on the embedded table 1 that
    // the same row has the largest β/Q, so R is not understated either, for every shared CAS.
    for (const auto& s : gb().named())
        for (const auto& cas : s.cas) {
            std::vector<const NamedSubstance*> rows;
            for (const auto& t : gb().named())
                if (std::find(t.cas.begin(), t.cas.end(), cas) != t.cas.end()) rows.push_back(&t);
            if (rows.size() < 2) continue;
            INFO("CAS " << cas);
            const NamedSubstance* chosen = gb().find(item("", 1, {}, cas));
            REQUIRE(chosen);
            for (const NamedSubstance* t : rows)
                CHECK(gb().worst_category_beta(*chosen) / chosen->critical_t >= gb().worst_category_beta(*t) / t->critical_t);
        }
}

TEST_CASE("GB 18218 β of several categories is the largest, with Q the lowest: the most severe reading", "[hazard][gb18218]") {
    // Source: GB 18218-2018 (domain.md §1: several categories, the lowest Q) and table 4. The standard pairs no
    // β with the category that gave Q. By hand for "J3;W2", 5 t, nobody within 500 m (α 0.5):
    // Q = min(50, 10) = 10 t (W2), β = max(2, 1.5) = 2 (J3): R = 0.5 × 2 × 5/10 = 0.5.
    // Old answer: β 1.5 (the β of W2, the category of the lowest Q), R = 0.375.
    std::vector<InventoryItem> inv{item("某混合气", 5, "J3;W2")};
    Assessment a = gb().assess(inv, 0);
    CHECK(a.contributions[0].reference == "W2");
    CHECK(a.contributions[0].critical_t == 10);
    CHECK(a.contributions[0].beta == 2);
    CHECK(a.contributions[0].beta_source == "table 4 J3");
    CHECK(a.r == Approx(0.5));
    CHECK_THAT(a.contributions[0].note, Catch::Contains("W2") && Catch::Contains("J3"));

    // Reference computation over every pair of table 2 categories: the counted β·q/Q is at least
    // what any one category alone gives (its own Q and β), and it is exactly max β / min Q.
    for (const auto& x : gb().categories())
        for (const auto& y : gb().categories()) {
            INFO(x.symbol << ";" << y.symbol);
            std::vector<InventoryItem> pair{item("某物", 1, x.symbol + ";" + y.symbol)};
            const Contribution c = gb().assess(pair, 0).contributions.at(0);
            CHECK(c.weighted >= x.beta / x.critical_t * (1 - 1e-12));
            CHECK(c.weighted >= y.beta / y.critical_t * (1 - 1e-12));
            CHECK(c.weighted == Approx(std::max(x.beta, y.beta) / std::min(x.critical_t, y.critical_t)));
        }
}

TEST_CASE("GB 18218 named table 1 substances take their category's table 4 β, not 1", "[hazard][gb18218]") {
    // Source: GB 18218-2018 tables 1, 4, 5; the categories from layers/reference/
    // gb18218_2018_named_substance_classes.csv (GHS classification). 100 people: α = 2.
    struct Case {
        InventoryItem line;
        double beta;
        const char* beta_source;
        double r;     // by hand: α × β × q/Q
        double old_r; // what was graded before (β = 1)
    };
    const std::vector<Case> cases{
        // 汽油, Q 200 t, flammable liquid category 1 → W5.1, β 1.5: R = 2 × 1.5 × 2 = 6 (was 4).
        {item("汽油", 400), 1.5, "table 4 W5.1", 6, 4},
        // 硝酸铵 (含可燃物>0.2%), Q 5 t, explosive 1.1 → W1.1, β 2: R = 2 × 2 × 2 = 8 (was 4).
        {item("硝酸铵(含可燃物>0.2%,包括以碳计算的任何有机物,但不包括任何其他添加剂)", 10), 2, "table 4 W1.1", 8, 4},
        // Bare 硝酸铵: the 5 t row (smaller Q), so also β 2.
        {item("硝酸铵", 10), 2, "table 4 W1.1", 8, 4},
        // TNT, Q 5 t, W1.1, β 2: R = 2 × 2 × 2 = 8.
        {item("TNT", 10), 2, "table 4 W1.1", 8, 4},
        // 氢, Q 5 t, flammable gas → W2, β 1.5: R = 2 × 1.5 × 2 = 6.
        {item("氢气", 10), 1.5, "table 4 W2", 6, 4},
        // 砷化氢, Q 1 t, acute toxicity category 1 gas → J1, β 4: R = 2 × 4 × 2 = 16 → 三级.
        {item("砷化氢", 2), 4, "table 4 J1", 16, 4},
        // 硝酸铵 (含可燃物≤0.2%), Q 50 t, oxidising solid category 3 → W9.2, β 1 (unchanged).
        {item("硝酸铵(含可燃物≤0.2%)", 100), 1, "table 4 W9.2", 4, 4},
    };
    for (const auto& k : cases) {
        INFO(k.line.substance);
        std::vector<InventoryItem> inv{k.line};
        Assessment a = gb().assess(inv, 100);
        CHECK(a.contributions[0].basis == Basis::Table1);
        CHECK(a.contributions[0].beta == k.beta);
        CHECK(a.contributions[0].beta_source == k.beta_source);
        CHECK(a.r == Approx(k.r));
        if (k.beta != 1) CHECK(a.r > k.old_r);
    }

    // Triethylaluminium (烷基铝, row 74, Q 1 t): 2 t is S = 2, major. Old answer: not found in table 1,
    // its categories W8;W11 gave Q 50 t, S = 0.04, not major.
    std::vector<InventoryItem> tea{item("三乙基铝", 2, "W8;W11", "97-93-8")};
    Assessment a = gb().assess(tea, 100);
    CHECK(a.s == Approx(2));
    CHECK(a.major);
}

TEST_CASE("GB 18218 the record's category chooses among condition-dependent categories, never below the classification",
          "[hazard][gb18218]") {
    // 甲苯 (row 64, Q 500 t) is a category 2 flammable liquid: W5.1 above its boiling point, W5.2
    // under special process conditions, W5.3 otherwise. Source: GB 18218-2018 table 2 W5.x, table 4.
    std::vector<InventoryItem> stated{item("甲苯", 1000, "W5.3")};
    Assessment a = gb().assess(stated, 100);
    CHECK(a.contributions[0].beta == 1);
    CHECK(a.contributions[0].beta_source == "table 4 W5.3");
    CHECK(a.warnings.empty());

    // Not stated: the worst, W5.1 (β 1.5), and the output says it was assumed.
    std::vector<InventoryItem> bare{item("甲苯", 1000)};
    a = gb().assess(bare, 100);
    CHECK(a.contributions[0].beta == 1.5);
    CHECK(a.contributions[0].beta_source == "table 4 W5.1");
    CHECK_THAT(a.contributions[0].note, Catch::Contains("W5.1"));
    REQUIRE(a.warnings.size() == 1);
    CHECK_THAT(a.warnings[0], Catch::Contains("甲苯") && Catch::Contains("W5.1") && Catch::Contains("assumed"));
    CHECK(a.r == Approx(2 * 1.5 * 2));

    // 汽油 is category 1 (W5.1 in any conditions): a record saying W5.3 does not lower β.
    std::vector<InventoryItem> wrong{item("汽油", 400, "W5.3")};
    a = gb().assess(wrong, 100);
    CHECK(a.contributions[0].beta == 1.5);
    CHECK_THAT(a.contributions[0].note, Catch::Contains("W5.3"));

    // A table 3 gas keeps its table 3 β whatever the record's category: 氯 β 4, not J3's 2.
    std::vector<InventoryItem> chlorine{item("氯", 5, "J3")};
    CHECK(gb().assess(chlorine, 0).contributions[0].beta == 4);

    // 三氧化硫 (row 26) has none of table 2's hazards (corrosive): β 1, and the note says why.
    std::vector<InventoryItem> so3{item("三氧化硫", 75)};
    a = gb().assess(so3, 0);
    CHECK(a.contributions[0].beta == 1);
    CHECK_THAT(a.contributions[0].note, Catch::Contains("none of table 2's hazard categories"));
}

TEST_CASE("GB 18218 grades, β sources and notes in the user's language", "[hazard][gb18218][i18n]") {
    // The tests speak English; a Chinese user reads the standard's words, and grade_zh stays Chinese.
    std::vector<InventoryItem> inv{item("液氯", 50), item("三氧化硫", 75)};
    Assessment a = gb().assess(inv, 120, "EX-1");
    // R = α 2 (100+ people) × (50/5 × β 4 + 75/75 × β 1) = 82: grade II.
    CHECK(grade_text(a.grade) == "grade II");
    CHECK(grade_label_zh(a.grade) == "二级");
    CHECK(grade_text(Grade::NotMajor) == "not a major hazard source");
    CHECK(a.contributions[0].beta_source == "table 3");
    const auto saved = vigil::i18n::language();
    vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
    a = gb().assess(inv, 120, "EX-1");
    const std::string label(grade_text(a.grade)), zh(grade_label_zh(Grade::NotMajor));
    vigil::i18n::set_language(saved);
    CHECK(label == "二级");
    CHECK(zh == "未构成重大危险源");
    CHECK(a.contributions[0].beta_source == "表3");
    CHECK_THAT(a.contributions[1].note, Catch::Contains("无表2危险类别"));
}

TEST_CASE("GB 18218 every table 1 row is classified and its extra names find only that row", "[hazard][gb18218]") {
    for (const auto& s : gb().named()) {
        INFO("table 1 row " << s.seq << " " << s.name_zh);
        // Every symbol is a table 2 category (from_csv refuses others), and a row outside table 3
        // with no category has a classification saying why (三氧化硫).
        if (s.hazard_categories.empty()) CHECK_FALSE(s.classification_zh.empty());
        for (const auto& n : s.also_named) {
            const NamedSubstance* hit = gb().find(item(n, 1));
            REQUIRE(hit);
            CHECK(hit->seq == s.seq);
        }
        for (const auto& c : s.also_cas) {
            CHECK(cas_check_digit_ok(c));
            const NamedSubstance* hit = gb().find(item("", 1, {}, c));
            REQUIRE(hit);
            CHECK(hit->seq == s.seq);
        }
    }
}

} // namespace test_gb18218_cases
