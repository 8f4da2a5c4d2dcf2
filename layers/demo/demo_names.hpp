/// @file
/// Fixed tables behind the Jiaozuo demo generator (private to layers/demo): the generator's
/// PRNG and the makers of names, phone numbers, credit codes and dates; word lists for
/// realistic Chinese names (people, trade names, streets, villages), the kinds of enterprise the
/// generator makes and how many of each every county gets, the substances of GB 18218-2018 with
/// their critical quantities and β, the chemical inventories of typical plants, the synthetic
/// road corridors, and the rescue teams and warehouses to place.
///
/// Apart from Rng and the makers, everything here is data; demo_generator.cpp draws from it.
/// Changing an entry changes the generated dataset, so keep the order of entries stable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vigil::demo::names {

using Words = std::span<const std::string_view>;

/// xoshiro256** seeded through splitmix64 from a string, so each layer has its own stream and
/// adding records to one layer does not reshuffle the others.
class Rng {
public:
    explicit Rng(std::string_view seed) {
        std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
        for (unsigned char c : seed) h = (h ^ c) * 0x100000001b3ULL;
        for (auto& s : m_s) s = splitmix(h);
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    bool chance(double p) { return uniform() < p; }
    /// Irwin–Hall approximation of N(0,1): exact arithmetic, bounded to ±6.
    double normal() {
        double s = 0;
        for (int i = 0; i < 12; ++i) s += uniform();
        return s - 6.0;
    }
    std::string_view pick(Words w) { return w[next() % w.size()]; }
    std::size_t weighted(std::span<const double> w) {
        double total = 0;
        for (double x : w) total += x;
        double u = uniform() * total;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (u < w[i]) return i;
            u -= w[i];
        }
        return w.size() - 1;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t m_s[4];
};

/// A Chinese personal name: surname plus one or two given-name characters.
std::string person(Rng& rng);
/// A mobile number, 1[3-9] + 9 digits.
std::string mobile(Rng& rng);
/// A Jiaozuo landline: area code 0391, seven-digit local number.
std::string landline(Rng& rng);
/// A GB 32100-2015 unified social credit code registered in `adcode` (check character valid).
std::string uscc(Rng& rng, const std::string& adcode);
/// An inspection date in 2025-01-06 .. 2026-11-20, weighted towards recent months.
std::string inspection_date(Rng& rng, bool recent = false);
/// "祥云镇" -> "祥云": a town name without 镇/乡/街道.
std::string town_short(const std::string& town);
bool ends_with(std::string_view s, std::string_view t);

Words surnames();
Words given_name_chars();
Words trade_names();   ///< 字号: the distinctive two-character part of a company name
Words street_names();  ///< urban streets for addresses ("人民路")
Words park_streets();  ///< streets inside industrial parks ("纬三路")
Words village_heads(); ///< first character of village names ("张", "东")
Words village_tails(); ///< "庄", "村", "营" ...
Words key_processes(); ///< names of 重点监管危险化工工艺 (for remarks)

/// The kinds of enterprise the generator makes; each maps to one catalogue industry.
enum class EntType : int {
    ChemProducer,
    ChemUser,
    ChemTrader,
    PetrolStation,
    GasStation,
    Fireworks,
    Textile,
    Paper,
    Furniture,
    Leather,
    Machinery,
    AutoParts,
    FoodGrain,
    FoodCold,
    BuildingMaterials,
    Mining,
    CoalMining,
    Pharma,
    Metallurgy,
    NonFerrous,
    Power,
    Water,
};
inline constexpr std::size_t k_ent_type_count = 22;

/// How an enterprise type is named and what it usually looks like.
struct EntTypeSpec {
    std::string_view industry; ///< 行业类别 as registers write it (a catalogue label or synonym)
    Words suffixes;            ///< name endings after the trade name ("化工有限公司")
    int employees_min;
    int employees_max;
    std::array<double, 4> risk_weights;                ///< red, orange, yellow, blue when no major hazard decides
    double p_dust, p_confined, p_smelting, p_hot_work; ///< chances of each special hazard
    std::string_view profile_group;                    ///< chemical profiles it may hold ("" = none)
    double p_hazard_source;                            ///< chance that it holds registered hazard sources
};
const EntTypeSpec& ent_type(EntType t);

/// A company name: a prefix (焦作市/焦作 for the city districts, mostly the county's name
/// otherwise, sometimes 河南), a trade name and the type's suffix; petrol stations add their
/// town ("…石油销售有限公司祥云加油站"), gas stations their kind (`unit_hint`).
std::string company_name(Rng& rng, EntType t, bool district, std::string_view county_prefix, const std::string& town,
                         std::string_view unit_hint);
/// An enterprise address: a park street when `park` is set, a town street in the districts and
/// 街道, else a village of the town with a bearing and distance ("…张庄村北300米").
std::string address(Rng& rng, const std::string& county_full, std::string_view park, bool district, const std::string& town);

/// A substance as GB 18218-2018 counts it: critical quantity Q (t; 0 = outside the standard's
/// scope, listed for realism but not counted in S) and β (Table 3 for the named toxic gases,
/// otherwise Table 4 by category).
struct Substance {
    std::string_view name;
    std::string_view cas;      ///< "" when the substance has none (mixtures)
    std::string_view un;       ///< "UN1017", "" when ERG 2024 has no entry
    std::string_view category; ///< GB 18218 Table 2 symbol
    double critical_t;
    double beta;
    bool key_chemical; ///< on the 重点监管危险化学品名录
};
std::span<const Substance> substances();
const Substance* find_substance(std::string_view name);
/// Throws vigil::Error if a CAS number of the table fails its check digit: a typo there would
/// make every import of the hazard sources refuse.
void check_substances();

/// One substance of a unit template: quantity drawn in [min_t, max_t], present with chance p.
struct StockTemplate {
    std::string_view substance;
    double min_t, max_t, p;
};
/// One installation (生产单元 / 储罐区 / 库房) of a chemical profile.
struct UnitTemplate {
    std::string_view name;      ///< appended to the enterprise name: "液氯储罐区"
    std::string_view unit_type; ///< 单元类型 as written: "储罐区", "生产单元", "库房"
    double p;                   ///< chance the enterprise has this unit
    std::span<const StockTemplate> items;
};
/// What a kind of plant holds: its units and, for producers, its key supervised process.
struct ChemProfile {
    std::string_view group;   ///< "producer", "user", "trader", "petrol", ...
    std::string_view name;    ///< "氯碱"
    std::string_view process; ///< 重点监管危险化工工艺, "" = none, "*" = one drawn from key_processes()
    double weight;            ///< relative chance within the group
    std::span<const UnitTemplate> units;
};
std::span<const ChemProfile> chem_profiles();
const ChemProfile& chem_profile(std::string_view name);

/// How many enterprises of each type a county gets, and where its clusters are (WGS84).
struct CountyPlan {
    std::string_view adcode;
    std::string_view company_prefix;          ///< "焦作市" for the city districts, the county name otherwise
    std::array<int, k_ent_type_count> counts; ///< indexed by EntType
    double spread_km;                         ///< σ of the scatter around the seat
    double park_lon, park_lat;                ///< chemical park / industrial cluster centre (0 = none)
    std::string_view park_name;
    double hills_lon, hills_lat; ///< mining area centre (0 = none)
};
std::span<const CountyPlan> county_plans();

/// A synthetic road: waypoints in WGS84; a leg whose `bridge` is set is written as a separate
/// straight feature with bridge = 是.
struct RoadPoint {
    double lon, lat;
    std::string_view bridge; ///< name of the bridge from this point to the next, or ""
};
struct RoadSpec {
    std::string_view ref;        ///< "G207" ("" for unnumbered urban roads)
    std::string_view name;       ///< "G207（模拟）"
    std::string_view road_class; ///< 道路等级 label: 高速公路, 国道, 省道, 县道, 城市道路
    int speed_kmh;
    int lanes;
    std::span<const RoadPoint> points;
};
std::span<const RoadSpec> road_specs();

/// Where a team or warehouse sits.
enum class Placement { Seat, Park, River, Hills, Host1, Host2 };

struct TeamSpec {
    std::string_view name;         ///< "" with Host*: built from the host enterprise's name
    std::string_view team_type;    ///< 队伍类型 label
    std::string_view capabilities; ///< Chinese words separated by 、
    std::string_view adcode;
    Placement where;
    int members_min, members_max, vehicles_min, vehicles_max;
    int turnout_min, turnout_max; ///< minutes
    bool landline;                ///< duty phone is a 0391 landline (else a mobile)
    std::string_view equipment;
    std::string_view remarks;
};
std::span<const TeamSpec> team_specs();

struct WarehouseSpec {
    std::string_view name;  ///< "" with Host*: the host enterprise's name + "应急物资库"
    std::string_view level; ///< 级别 label: 市级, 县级, 企业储备, 社会储备
    std::string_view adcode;
    Placement where;
    std::string_view stock; ///< stock template key: 综合, 危化, 防汛, 森林, 生活
    double scale;           ///< multiplies the template quantities
    int area_min, area_max; ///< m²
    std::string_view remarks;
};
std::span<const WarehouseSpec> warehouse_specs();

/// A stock line template: item, base quantity, unit as written.
struct StockLine {
    std::string_view item;
    double quantity;
    std::string_view unit;
};
std::span<const StockLine> stock_template(std::string_view key);

} // namespace vigil::demo::names
