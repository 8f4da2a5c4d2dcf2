/// @file
/// The emergency-resource census part of the Jiaozuo demo (应急管理资源普查): the registers of
/// medical facilities, shelters, experts, emergency plans and equipment a bureau collects, built
/// on the demo's own enterprises, rescue teams and warehouses (read back from the files
/// demo_generator.cpp has just written, so that this part follows whatever that part makes) and
/// on the real county boundaries and seats in layers/demo/data.
///
/// The registers are written as clerks send them: CSV with Chinese headers, WGS84 coordinates
/// where the register has them, and none where it does not — the equipment of the teams names
/// its team (所属单位编号) and the enterprises' plans their enterprise (编制企业编号), so the
/// import places them at that record and says so (the catalogue's location_fallback).
///
/// Deterministic like the rest of the demo: one Rng stream per register seeded from a fixed
/// string, fixed-decimal output, dates drawn from fixed ranges. The plans are revised within
/// 2026, so a check of the demo finds none past its three-year revision before 2029.

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
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::demo {

// Apart from demo_generator.cpp's helpers of the same names (a unity build compiles both as one).
namespace census {

namespace {

using namespace parts;
using geo::Coord;
using names::Rng;

constexpr std::string_view k_generated = "模拟数据：由 vigil demo 生成，与真实单位无关";
constexpr double k_border_margin_m = 40.0; // as the main generator: clear of county borders

std::string fixed6(double v) { return fmt::format("{:.6f}", v); }

// --- files -------------------------------------------------------------------------------------

using Row = std::map<std::string, std::string>;

const std::string& cell(const Row& row, const std::string& column) {
    const auto it = row.find(column);
    if (it == row.end()) throw FormatError("demo generator: column " + column + " missing from a demo source");
    return it->second;
}

double number(const std::string& text) {
    if (auto v = vigil::text::parse_double(text)) return *v;
    throw FormatError("demo generator: '" + text + "' is not a number");
}


/// A day in [first, last], as days since the epoch.
int day_between(Rng& rng, int first, int last) {
    return first + static_cast<int>(rng.next() % static_cast<std::uint64_t>(last - first + 1));
}

// --- counties ------------------------------------------------------------------------------------

struct County {
    std::string adcode, name;
    geo::Geometry wgs;
    Coord seat{}; ///< WGS84
    std::vector<std::string> towns;
    bool is_district() const { return adcode < "410820"; }
    std::string full_name() const { return is_district() ? "焦作市" + name : name; }
};

std::vector<County> read_counties(const std::filesystem::path& dir) {
    std::vector<County> out;
    const auto districts = nlohmann::json::parse(read_text(dir / "jiaozuo_districts_datav_gcj02.geojson"));
    for (const auto& f : districts.at("features")) {
        County c;
        c.adcode = std::to_string(f.at("properties").at("adcode").get<long long>());
        c.name = f.at("properties").at("name").get<std::string>();
        std::vector<std::vector<std::vector<Coord>>> polygons;
        for (const auto& poly : f.at("geometry").at("coordinates")) {
            polygons.emplace_back();
            for (const auto& ring : poly) {
                polygons.back().emplace_back();
                for (const auto& p : ring)
                    polygons.back().back().push_back(geo::gcj02_to_wgs84({round6(p.at(0).get<double>()), round6(p.at(1).get<double>())}));
            }
        }
        c.wgs = geo::Geometry::multi_polygon(polygons);
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const County& a, const County& b) { return a.adcode < b.adcode; });
    for (const auto& row : read_csv(dir / "jiaozuo_places.csv")) {
        if (cell(row, "kind") != "county_seat") continue;
        for (auto& c : out)
            if (c.adcode == cell(row, "adcode")) c.seat = {number(cell(row, "lon_wgs84")), number(cell(row, "lat_wgs84"))};
    }
    for (const auto& row : read_csv(dir / "jiaozuo_admin_divisions_areacity.csv"))
        if (cell(row, "level") == "township")
            for (auto& c : out)
                if (c.adcode == cell(row, "parent_id")) c.towns.push_back(cell(row, "full_name"));
    if (out.size() != 10) throw FormatError("demo generator: expected the 10 county-level units of Jiaozuo");
    for (const auto& c : out)
        if (c.towns.empty() || c.seat.x == 0) throw FormatError("demo generator: no seat or towns for " + c.name);
    return out;
}

const County& county_by_code(const std::vector<County>& counties, std::string_view adcode) {
    for (const auto& c : counties)
        if (c.adcode == adcode) return c;
    throw Error("demo generator: no county " + std::string(adcode));
}

bool inside(const County& c, Coord p) {
    const double m = k_border_margin_m;
    return geo::contains(c.wgs, p) && geo::contains(c.wgs, offset_m(p, m, 0)) && geo::contains(c.wgs, offset_m(p, -m, 0)) &&
           geo::contains(c.wgs, offset_m(p, 0, m)) && geo::contains(c.wgs, offset_m(p, 0, -m));
}

/// A point scattered around `centre` (σ in metres) inside the county, rounded to 6 decimals.
Coord scatter(Rng& rng, const County& c, Coord centre, double sigma_m) {
    for (int i = 0; i < 600; ++i) {
        const Coord q = offset_m(centre, rng.normal() * sigma_m, rng.normal() * sigma_m);
        const Coord r{round6(q.x), round6(q.y)};
        if (inside(c, r)) return r;
        if (i % 100 == 99) sigma_m *= 0.5;
    }
    throw Error("demo generator: cannot place a point inside " + c.name);
}

std::string street_address(Rng& rng, const County& c) {
    return c.full_name() + std::string(rng.pick(names::street_names())) + std::to_string(rng.range(1, 299)) + "号";
}

/// The first town of the county that is a 镇 (a township health centre, a township plan).
const std::string& first_town(const County& c) {
    for (const auto& t : c.towns)
        if (names::ends_with(t, "镇")) return t;
    return c.towns.front();
}

// --- what the main generator wrote ---------------------------------------------------------------

struct Site {
    std::string id, name, county, address;
    Coord at{};            ///< WGS84 (converted back from the register's datum for teams and warehouses)
    std::string detail;    ///< teams: capabilities; warehouses: stock; enterprises: industry
    std::string equipment; ///< teams: 主要装备
    bool major = false;    ///< enterprises: 是否重大危险源
};

const std::filesystem::path& source_of(const std::vector<DemoSource>& written, std::string_view layer) {
    for (const auto& s : written)
        if (s.layer == layer) return s.file;
    throw Error("demo generator: the census part needs the " + std::string(layer) + " source written first");
}

std::vector<Site> read_teams(const std::filesystem::path& file) {
    std::vector<Site> out;
    for (const auto& r : read_csv(file)) {
        const Coord gcj{number(cell(r, "经度")), number(cell(r, "纬度"))};
        out.push_back({cell(r, "队伍编号"), cell(r, "队伍名称"), cell(r, "所属县区"), cell(r, "驻地"), geo::gcj02_to_wgs84(gcj),
                       cell(r, "救援能力"), cell(r, "主要装备"), false});
    }
    return out;
}

std::vector<Site> read_warehouses(const std::filesystem::path& file) {
    std::vector<Site> out;
    for (const auto& r : read_csv(file)) {
        const Coord bd{number(cell(r, "经度")), number(cell(r, "纬度"))};
        const Coord wgs = geo::bd09_to_wgs84(bd);
        out.push_back({cell(r, "仓库编号"),
                       cell(r, "仓库名称"),
                       cell(r, "所属县区"),
                       cell(r, "地址"),
                       {round6(wgs.x), round6(wgs.y)},
                       cell(r, "库存物资"),
                       "",
                       false});
    }
    return out;
}

std::vector<Site> read_enterprises(const std::filesystem::path& file) {
    std::vector<Site> out;
    for (const auto& r : read_csv(file))
        out.push_back({cell(r, "企业编号"), cell(r, "企业名称"), cell(r, "所属县区"), cell(r, "详细地址"),
                       Coord{number(cell(r, "经度")), number(cell(r, "纬度"))}, cell(r, "行业类别"), "",
                       cell(r, "是否重大危险源") == "是"});
    return out;
}

// --- medical facilities --------------------------------------------------------------------------

struct HospitalSpec {
    std::string_view name, adcode, type, grade;
    int beds_min, beds_max, icu_min, icu_max;
    std::string_view capabilities; ///< 救治能力, words separated by 、
};

// City and county hospitals by the common naming pattern of Chinese public hospitals; burns and
// poisoning, what a chemical accident's casualties need, only at some of them.
constexpr HospitalSpec k_hospitals[] = {
    {"焦作市人民医院", "410802", "综合医院", "三甲", 1600, 2000, 50, 70, "急诊、创伤、烧伤、中毒救治、高压氧、儿科、输血、洗消"},
    {"焦作市第二人民医院", "410811", "综合医院", "三甲", 1100, 1400, 30, 45, "急诊、创伤、烧伤、输血、儿科"},
    {"焦作市中医院", "410802", "中医医院", "三甲", 800, 1000, 12, 20, "急诊、创伤"},
    {"焦作市职业病防治院", "410803", "专科医院", "二甲", 180, 260, 4, 8, "中毒救治、高压氧、洗消、急诊"},
    {"焦作市急救中心", "410811", "急救中心", "未定级", 0, 0, 0, 0, "急诊"},
    {"马村区人民医院", "410804", "综合医院", "二乙", 260, 360, 4, 8, "急诊、创伤"},
    {"修武县人民医院", "410821", "综合医院", "二甲", 500, 700, 8, 14, "急诊、创伤、儿科、输血"},
    {"博爱县人民医院", "410822", "综合医院", "二甲", 500, 700, 8, 14, "急诊、创伤、中毒救治、输血"},
    {"武陟县人民医院", "410823", "综合医院", "二甲", 700, 900, 10, 18, "急诊、创伤、烧伤、输血、儿科"},
    {"温县人民医院", "410825", "综合医院", "二甲", 600, 800, 10, 16, "急诊、创伤、中毒救治、输血"},
    {"沁阳市人民医院", "410882", "综合医院", "三级", 900, 1200, 16, 24, "急诊、创伤、烧伤、中毒救治、高压氧、输血"},
    {"孟州市人民医院", "410883", "综合医院", "二甲", 700, 900, 10, 16, "急诊、创伤、中毒救治、输血"},
    {"温县中医院", "410825", "中医医院", "二甲", 300, 400, 2, 6, "急诊"},
    {"沁阳市中医院", "410882", "中医医院", "二甲", 300, 450, 2, 6, "急诊"},
};

struct Hospital {
    std::string name, county, address, grade;
    Coord at{};
};

std::string write_medical(const std::vector<County>& counties, std::vector<Hospital>& hospitals) {
    Rng rng("vigil-demo/jiaozuo/medical_facilities/1");
    Csv csv{"机构编号", "机构名称", "机构类型", "医院等级", "床位数", "重症监护床位", "救治能力",
            "急诊电话", "所属县区", "地址",     "经度",     "纬度",   "备注",         "模拟数据"};
    int n = 0;
    auto add = [&](const County& c, std::string name, std::string_view type, std::string_view grade, int beds, int icu,
                   std::string_view caps, double sigma_m) {
        const Coord at = scatter(rng, c, c.seat, sigma_m);
        const std::string address = street_address(rng, c);
        hospitals.push_back({name, c.name, address, std::string(grade), at});
        csv.add({fmt::format("JZYL-{:03}", ++n), std::move(name), std::string(type), std::string(grade), std::to_string(beds),
                 std::to_string(icu), std::string(caps), names::landline(rng), c.name, address, fixed6(at.x), fixed6(at.y),
                 std::string(k_generated), "是"});
    };
    for (const auto& h : k_hospitals) {
        const County& c = county_by_code(counties, h.adcode);
        const int beds = h.beds_max > 0 ? rng.range(h.beds_min, h.beds_max) / 10 * 10 : 0;
        add(c, std::string(h.name), h.type, h.grade, beds, h.icu_max > 0 ? rng.range(h.icu_min, h.icu_max) : 0, h.capabilities, 900);
    }
    // A township health centre in each county (not the city districts): where the nearest bed
    // may be for an accident far from the county seat.
    for (const auto& c : counties) {
        if (c.is_district()) continue;
        add(c, first_town(c) + "卫生院", "乡镇卫生院", "一级", rng.range(3, 8) * 10, 0, "急诊", 6000);
    }
    return csv.text();
}

// --- shelters ------------------------------------------------------------------------------------

struct ShelterSpec {
    std::string_view suffix, site_type, shelter_class, manager;
    double area_min, area_max, m2_per_person;
    std::string_view facilities;
    bool counties_only; ///< only in the counties (the districts share the city's)
};

// GB 21734-2008: class I (long stays) needs the most room per person and the most services.
constexpr ShelterSpec k_shelters[] = {
    {"中心广场", "广场", "Ⅲ类", "城市管理局", 15000, 40000, 1.5, "供水、厕所、应急广播、标识", false},
    {"人民公园", "公园", "Ⅱ类", "城市管理局", 30000, 120000, 2.0, "供水、供电、医疗、厕所、应急广播、标识", false},
    {"第一中学", "学校", "Ⅲ类", "教育局", 8000, 20000, 1.5, "供水、供电、厕所、标识", false},
    {"体育场", "体育场馆", "Ⅱ类", "文化广电和旅游局", 20000, 50000, 2.0, "供水、供电、医疗、厕所、物资、应急广播、标识", true},
};

std::string write_shelters(const std::vector<County>& counties) {
    Rng rng("vigil-demo/jiaozuo/shelters/1");
    Csv csv{"场所编号", "场所名称", "场所类别", "场地类型", "可容纳人数", "有效面积", "配套设施", "管理单位",
            "联系电话", "所属县区", "地址",     "经度",     "纬度",       "备注",     "模拟数据"};
    int n = 0;
    auto add = [&](const County& c, const std::string& name, const ShelterSpec& s, double sigma_m) {
        const Coord at = scatter(rng, c, c.seat, sigma_m);
        const double area = std::round(rng.uniform(s.area_min, s.area_max) / 100) * 100;
        const int capacity = static_cast<int>(std::floor(area / s.m2_per_person / 100)) * 100;
        csv.add({fmt::format("JZBN-{:03}", ++n), name, std::string(s.shelter_class), std::string(s.site_type), std::to_string(capacity),
                 fmt::format("{:.0f}", area), std::string(s.facilities), c.full_name() + std::string(s.manager), names::landline(rng),
                 c.name, street_address(rng, c), fixed6(at.x), fixed6(at.y), std::string(k_generated), "是"});
    };
    for (const auto& c : counties)
        for (const auto& s : k_shelters)
            if (!s.counties_only || !c.is_district()) add(c, c.name + std::string(s.suffix) + "应急避难场所", s, 1500);
    // The city's long-stay (class I) shelter.
    static constexpr ShelterSpec city{"",   "体育场馆", "Ⅰ类", "", 80000, 150000, 3.0, "供水、供电、医疗、厕所、物资、应急广播、消防、标识",
                                      false};
    const County& shanyang = county_by_code(counties, "410811");
    const Coord at = scatter(rng, shanyang, shanyang.seat, 1500);
    const double area = std::round(rng.uniform(city.area_min, city.area_max) / 100) * 100;
    csv.add({fmt::format("JZBN-{:03}", ++n), "焦作市体育中心应急避难场所", std::string(city.shelter_class), std::string(city.site_type),
             std::to_string(static_cast<int>(std::floor(area / city.m2_per_person / 100)) * 100), fmt::format("{:.0f}", area),
             std::string(city.facilities), "焦作市应急管理局", names::landline(rng), shanyang.name, street_address(rng, shanyang),
             fixed6(at.x), fixed6(at.y), std::string(k_generated), "是"});
    return csv.text();
}

// --- experts -------------------------------------------------------------------------------------

struct OfficeSpec {
    std::string_view employer, expertise;
    int experts;
    std::string_view titles; ///< separated by 、
};

constexpr OfficeSpec k_offices[] = {
    {"焦作市应急管理局", "危化品、工贸安全", 3, "高级工程师、正高级工程师"},
    {"焦作市消防救援支队", "消防、危化品", 2, "高级工程师"},
    {"焦作市气象局", "气象", 1, "正高级工程师"},
    {"焦作市水利局", "水利", 2, "高级工程师"},
    {"焦作市自然资源和规划局", "地质", 2, "高级工程师、正高级工程师"},
    {"国网焦作供电公司", "电力", 2, "高级工程师"},
    {"焦作市住房和城乡建设局", "建筑结构", 2, "高级工程师"},
    {"焦作市生态环境局", "环境、危化品", 1, "高级工程师"},
    {"焦作市交通运输局", "交通运输", 1, "高级工程师"},
    {"焦作市安全生产技术服务中心", "矿山、工贸安全", 2, "高级工程师、注册安全工程师"},
};

std::vector<std::string> words_of(std::string_view list) {
    std::vector<std::string> out;
    for (const auto& w : vigil::text::split_list(list)) out.push_back(w);
    return out;
}

std::string write_experts(const std::vector<County>& counties, const std::vector<Hospital>& hospitals,
                          const std::vector<Site>& enterprises) {
    Rng rng("vigil-demo/jiaozuo/experts/1");
    Csv csv{"专家编号", "姓名",     "专业领域", "职称", "专家级别", "工作单位", "联系电话",
            "状态",     "所属县区", "常驻地址", "经度", "纬度",     "备注",     "模拟数据"};
    std::set<std::string> used; // one name once: two experts of one name at one employer would read as a duplicate
    int n = 0;
    auto add = [&](const std::string& expertise, const std::string& title, const std::string& employer, const std::string& county,
                   const std::string& address, Coord at) {
        std::string name;
        do name = names::person(rng);
        while (!used.insert(name).second);
        static constexpr std::string_view levels[] = {"市级", "省级", "国家级"};
        static constexpr std::string_view availability[] = {"可联系", "需预约", "暂不可用"};
        csv.add({fmt::format("JZZJ-{:03}", ++n), name, expertise, title,
                 std::string(levels[rng.weighted(std::array<double, 3>{0.70, 0.25, 0.05})]), employer, names::mobile(rng),
                 std::string(availability[rng.weighted(std::array<double, 3>{0.80, 0.15, 0.05})]), county, address, fixed6(at.x),
                 fixed6(at.y), std::string(k_generated), "是"});
    };
    // The city's offices, around the city seat in 解放区.
    const County& jiefang = county_by_code(counties, "410802");
    for (const auto& o : k_offices) {
        const Coord at = scatter(rng, jiefang, jiefang.seat, 1200);
        const std::string address = street_address(rng, jiefang);
        const auto titles = words_of(o.titles);
        for (int i = 0; i < o.experts; ++i)
            add(std::string(o.expertise), titles[rng.next() % titles.size()], std::string(o.employer), jiefang.name, address, at);
    }
    // Physicians of the graded hospitals.
    for (const auto& h : hospitals)
        if (h.grade == "三甲" || h.grade == "三级" || h.grade == "二甲")
            add(h.name.find("职业病") != std::string::npos ? "医疗、危化品" : "医疗", rng.chance(0.5) ? "主任医师" : "副主任医师", h.name,
                h.county, h.address, h.at);
    // Engineers of the chemical plants and the coal mines, where they work.
    int chemical = 0, coal = 0;
    for (const auto& e : enterprises) {
        if (e.detail == "危险化学品生产" && chemical < 8) {
            ++chemical;
            add(rng.chance(0.3) ? "危化品、工贸安全" : "危化品", rng.chance(0.5) ? "高级工程师" : "注册安全工程师", e.name, e.county,
                e.address, e.at);
        } else if (e.detail == "煤矿" && coal < 2) {
            ++coal;
            add("矿山", "高级工程师", e.name, e.county, e.address, e.at);
        }
    }
    return csv.text();
}

// --- emergency plans -----------------------------------------------------------------------------

struct PlanSpec {
    std::string_view title, plan_type, events, owner; ///< owner: "" = the government (人民政府)
};

constexpr PlanSpec k_government_plans[] = {
    {"突发事件总体应急预案", "总体应急预案", "各类突发事件", ""},
    {"危险化学品事故应急预案", "专项应急预案", "危险化学品事故", "应急管理局"},
    {"防汛应急预案", "专项应急预案", "防汛", "防汛抗旱指挥部办公室"},
    {"地震应急预案", "专项应急预案", "地震", "应急管理局"},
    {"生产安全事故应急预案", "部门应急预案", "生产安全事故", "应急管理局"},
};

// The counties and districts with mountain forest (the Taihang foothills).
bool has_forest(const County& c) { return c.adcode == "410804" || c.adcode == "410821" || c.adcode == "410822" || c.adcode == "410882"; }

std::string write_plans(const std::vector<County>& counties, const std::vector<Site>& enterprises) {
    Rng rng("vigil-demo/jiaozuo/plans/1");
    Csv csv{"预案编号", "预案名称",     "预案级别", "预案类型", "适用事件", "编制单位", "编制企业编号", "备案日期",
            "修订日期", "最近演练日期", "文本链接", "所属县区", "经度",     "纬度",     "备注",         "模拟数据"};
    const int revised_first = days_from_civil(2026, 1, 5), revised_last = days_from_civil(2026, 11, 20);
    const int drill_first = days_from_civil(2025, 9, 1), drill_last = days_from_civil(2026, 11, 25);
    int n = 0;
    auto add = [&](const std::string& name, std::string_view level, std::string_view type, std::string_view events,
                   const std::string& owner, const std::string& owner_id, const std::string& county, const Coord* at) {
        const int revised = day_between(rng, revised_first, revised_last);
        const int filed = revised + rng.range(7, 40);
        const std::string year = iso_date(revised).substr(0, 4);
        csv.add({fmt::format("JZYA-{:03}", ++n), name, std::string(level), std::string(type), std::string(events), owner, owner_id,
                 iso_date(filed), iso_date(revised), iso_date(day_between(rng, drill_first, drill_last)),
                 "预案库/" + year + "/" + name + ".pdf", county, at ? fixed6(at->x) : "", at ? fixed6(at->y) : "",
                 owner_id.empty() ? std::string(k_generated) : "位置取编制企业；" + std::string(k_generated), "是"});
    };
    // Where each government owner sits: one point per owner, near the seat.
    std::map<std::string, Coord> offices;
    auto office = [&](const County& c, const std::string& owner) -> const Coord& {
        auto it = offices.find(owner);
        if (it == offices.end()) it = offices.emplace(owner, scatter(rng, c, c.seat, 800)).first;
        return it->second;
    };
    const County& jiefang = county_by_code(counties, "410802");
    for (const auto& p : k_government_plans) {
        const std::string owner = "焦作市" + std::string(p.owner.empty() ? "人民政府" : p.owner);
        add("焦作市" + std::string(p.title), "市级", p.plan_type, p.events, owner, "", jiefang.name, &office(jiefang, owner));
    }
    add("焦作市森林火灾应急预案", "市级", "专项应急预案", "森林火灾", "焦作市应急管理局", "", jiefang.name,
        &office(jiefang, "焦作市应急管理局"));
    for (const auto& c : counties) {
        for (const auto& p : k_government_plans) {
            if (p.plan_type == "部门应急预案" && c.is_district()) continue; // the districts follow the city's department plans
            const std::string owner = c.full_name() + std::string(p.owner.empty() ? "人民政府" : p.owner);
            add(c.full_name() + std::string(p.title), c.is_district() ? "区级" : "县级", p.plan_type, p.events, owner, "", c.name,
                &office(c, owner));
        }
        if (has_forest(c)) {
            const std::string owner = c.full_name() + "应急管理局";
            add(c.full_name() + "森林火灾应急预案", "县级", "专项应急预案", "森林火灾", owner, "", c.name, &office(c, owner));
        }
        // A township's flood plan, at the township (its seat is not in the reference data: near the
        // county seat, within the county).
        const std::string& town = first_town(c);
        const Coord at = scatter(rng, c, c.seat, 5000);
        add(town + "防汛应急预案", "乡镇级", "专项应急预案", "防汛", town + "人民政府", "", c.name, &at);
    }
    // The enterprises' own plans: no coordinates in the register, placed at the enterprise.
    for (const auto& e : enterprises) {
        const bool producer = e.detail == "危险化学品生产";
        if (!producer && !e.major) continue;
        add(e.name + "生产安全事故综合应急预案", "企业", "综合应急预案", producer ? "危险化学品事故、生产安全事故" : "生产安全事故", e.name,
            e.id, e.county, nullptr);
        if (producer) add(e.name + "危险化学品泄漏现场处置方案", "企业", "现场处置方案", "危险化学品事故", e.name, e.id, e.county, nullptr);
    }
    return csv.text();
}

// --- equipment -----------------------------------------------------------------------------------

struct EquipmentWord {
    std::string_view word, type, unit, model;
    int min, max;
};

// A team's 主要装备 as the teams register writes it, word by word, to the census's equipment
// types (vehicles and personal kit are not equipment lines of the census).
constexpr EquipmentWord k_equipment_words[] = {
    {"重型防化服", "防化服", "套", "FHF", 4, 12},
    {"堵漏器材", "堵漏器材", "套", "DL", 1, 4},
    {"堵漏工具组", "堵漏器材", "套", "DL", 1, 4},
    {"洗消装置", "洗消装置", "套", "XX", 1, 2},
    {"空气呼吸器", "空气呼吸器", "具", "RHZK", 10, 30},
    {"正压式空气呼吸器", "空气呼吸器", "具", "RHZK", 8, 24},
    {"正压氧气呼吸器", "空气呼吸器", "具", "HYZ", 10, 24},
    {"有毒气体侦检仪", "气体检测仪", "台", "JC", 2, 6},
    {"可燃气体检测仪", "气体检测仪", "台", "JC", 2, 6},
    {"气体检测仪", "气体检测仪", "台", "JC", 2, 8},
    {"破拆工具组", "破拆工具", "套", "PC", 1, 4},
    {"液压破拆工具", "破拆工具", "套", "PC", 1, 3},
    {"冲锋舟", "救生艇", "艘", "CFZ", 1, 4},
    {"橡皮艇", "救生艇", "艘", "XPT", 1, 3},
    {"照明设备", "照明", "套", "ZM", 2, 6},
    {"照明灯塔", "照明", "台", "ZMD", 1, 3},
    {"生命探测仪", "生命探测仪", "台", "SMT", 1, 2},
    {"应急发电车", "发电机", "台", "FD", 1, 2},
};

// What a warehouse keeps besides its stock lines, by what its stock says it is for.
struct DepotEquipment {
    std::string_view stock_marker, name, type, unit, model;
    int min, max;
};

constexpr DepotEquipment k_depot_equipment[] = {
    {"中和剂", "单人洗消装置", "洗消装置", "套", "XX", 1, 3},  {"中和剂", "四合一气体检测仪", "气体检测仪", "台", "JC", 4, 10},
    {"编织袋", "大流量排水泵", "排水泵", "台", "PS", 2, 6},    {"编织袋", "移动照明灯组", "照明", "套", "ZM", 2, 6},
    {"折叠床", "移动照明灯组", "照明", "套", "ZM", 2, 4},      {"折叠床", "雷达生命探测仪", "生命探测仪", "台", "SMT", 1, 2},
    {"风力灭火机", "侦察无人机", "无人机", "台", "WRJ", 2, 4},
};

std::string write_equipment(const std::vector<Site>& teams, const std::vector<Site>& warehouses) {
    Rng rng("vigil-demo/jiaozuo/equipment/1");
    Csv csv{"装备编号", "装备名称", "装备类型", "规格型号", "数量", "计量单位", "状态",    "所属单位编号",
            "所属单位", "购置日期", "所属县区", "经度",     "纬度", "备注",     "模拟数据"};
    const int bought_first = days_from_civil(2015, 3, 1), bought_last = days_from_civil(2026, 10, 30);
    struct Placed {
        std::string name;
        Coord at;
    };
    std::vector<Placed> placed; // a name again within 80 m would read as a line entered twice
    int n = 0;
    auto add = [&](const Site& holder, std::string name, std::string_view type, std::string_view unit, std::string_view model, int min,
                   int max, bool with_coordinates) {
        for (const auto& p : placed)
            if (p.name == name && std::abs(p.at.x - holder.at.x) * k_m_per_deg_lon < 80 &&
                std::abs(p.at.y - holder.at.y) * k_m_per_deg_lat < 80) {
                name += "（二）";
                break;
            }
        placed.push_back({name, holder.at});
        static constexpr std::string_view statuses[] = {"完好", "维修", "报废"};
        csv.add({fmt::format("ZB-{:04}", ++n), name, std::string(type), fmt::format("{}-{}", model, rng.range(10, 99)),
                 std::to_string(rng.range(min, max)), std::string(unit),
                 std::string(statuses[rng.weighted(std::array<double, 3>{0.88, 0.09, 0.03})]), holder.id, holder.name,
                 iso_date(day_between(rng, bought_first, bought_last)), holder.county, with_coordinates ? fixed6(holder.at.x) : "",
                 with_coordinates ? fixed6(holder.at.y) : "", std::string(k_generated), "是"});
    };
    // The teams' registers give no coordinates: the import places each line at its team.
    for (const auto& t : teams) {
        std::set<std::string_view> types;
        for (const auto& word : words_of(t.equipment))
            for (const auto& w : k_equipment_words)
                if (word == w.word && types.insert(w.type).second)
                    add(t, std::string(w.word), w.type, w.unit, w.model, w.min, w.max, false);
        // Every fire or hazmat team breathes from its own sets, whether its register says so or not.
        const bool breathes = t.detail.find("灭火") != std::string::npos || t.detail.find("危化品") != std::string::npos;
        if (breathes && types.insert("空气呼吸器").second) add(t, "正压式空气呼吸器", "空气呼吸器", "具", "RHZK", 8, 20, false);
    }
    // The warehouses' registers copy the warehouse's coordinates.
    for (const auto& w : warehouses)
        for (const auto& e : k_depot_equipment)
            if (w.detail.find(e.stock_marker) != std::string::npos)
                add(w, std::string(e.name), e.type, e.unit, e.model, e.min, e.max, true);
    return csv.text();
}

} // namespace

} // namespace census

std::vector<DemoSource> write_census_sources(const std::filesystem::path& out_dir, const std::filesystem::path& data_dir,
                                             const std::vector<DemoSource>& written) {
    const auto counties = census::read_counties(data_dir);
    const auto teams = census::read_teams(census::source_of(written, "rescue_teams"));
    const auto warehouses = census::read_warehouses(census::source_of(written, "warehouses"));
    const auto enterprises = census::read_enterprises(census::source_of(written, "enterprises"));
    std::vector<DemoSource> out;
    auto put = [&](std::string layer, std::string file, const std::string& text, std::string what) {
        parts::write_text(out_dir / file, text);
        out.push_back({std::move(layer), out_dir / file, "EPSG:4326", "", std::move(what)});
    };
    std::vector<census::Hospital> hospitals;
    put("medical_facilities", "08_medical_facilities.csv", census::write_medical(counties, hospitals),
        "hospitals: grade, beds, burns and poisoning");
    put("shelters", "09_shelters.csv", census::write_shelters(counties), "emergency shelters (GB 21734 classes)");
    put("experts", "10_experts.csv", census::write_experts(counties, hospitals, enterprises), "the emergency-expert pool");
    // Plans and equipment go last: they take the location of enterprises, teams and warehouses
    // the database already holds.
    put("plans", "11_plans.csv", census::write_plans(counties, enterprises), "emergency plans (enterprises' placed at the enterprise)");
    put("equipment", "12_equipment.csv", census::write_equipment(teams, warehouses), "equipment of the teams and warehouses");
    return out;
}

} // namespace vigil::demo
