/// @file
/// The demo's dual-prevention and grid-management parts: a hidden-hazard ledger (隐患台账) for
/// the generated enterprises, and the county, township and village grids (网格).
///
/// The ledger agrees with the enterprises' register as of the demo's ledger day (2026-12-01):
/// each enterprise has exactly as many open records as its 未整改隐患数 and, of those, exactly
/// as many past their deadline as its 逾期未整改隐患, plus some rectified ones. The open records
/// not yet overdue are due from 2027-01-15 on, so the figures of a demo built and viewed until
/// then are the register's; later days see them fall due (as a real ledger would), and tests that
/// quote figures ask as of the ledger day.
///
/// The grids are synthetic: no free township or village boundaries exist (SOURCES.md). Each
/// county is cut into one cell per township of the AreaCity list — the Voronoi cells of seeds
/// scattered in the county, clipped to its boundary — and the townships of 温县 into 3–6 village
/// cells the same way. The cells tile their parent exactly (up to the 6-decimal rounding), so
/// every generated enterprise lies in one.
///
/// Determinism as in the rest of the generator: own PRNG streams, no std:: distributions,
/// fixed-decimal output.

#include "demo_names.hpp"
#include "demo_parts.hpp"

#include <vigil/util/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::demo::parts {

namespace {

using geo::Coord;
using names::Rng;

constexpr std::string_view k_generated = "模拟数据：由 vigil demo 生成，与真实单位无关";

// --- dates --------------------------------------------------------------------------------------

/// As a clerk's spreadsheet writes it: 2026/11/5 (the import reads it as 2026-11-05).
std::string ledger_date(int days) {
    const Ymd c = civil_from_days(days);
    return fmt::format("{}/{}/{}", c.y, c.m, c.d);
}

const int k_ledger_day = days_from_civil(2026, 12, 1);     // the register's counts hold on this day
const int k_first_open_due = days_from_civil(2027, 1, 15); // open records not yet overdue fall due from here

// --- the ledger -----------------------------------------------------------------------------------

struct Problem {
    std::string_view category; ///< as a ledger writes it
    std::string_view text;
};

// What inspections find (安全生产隐患排查 checklists), by category.
constexpr std::array<Problem, 38> k_general{{
    {"基础管理", "安全生产责任制未按岗位逐级签订"},
    {"基础管理", "隐患排查治理台账记录不全"},
    {"基础管理", "新入职员工三级安全教育记录缺失"},
    {"基础管理", "应急预案未按规定组织演练"},
    {"基础管理", "特种作业人员证书过期未复审"},
    {"基础管理", "岗位安全操作规程未张贴"},
    {"设备设施", "压力表超过检定有效期"},
    {"设备设施", "安全阀未按期校验"},
    {"设备设施", "传动皮带防护罩缺失"},
    {"设备设施", "行车限位器失效"},
    {"设备设施", "叉车制动不灵敏"},
    {"设备设施", "储罐液位计显示故障"},
    {"作业场所", "安全出口被货物堵塞"},
    {"作业场所", "通道未划线，物料占道"},
    {"作业场所", "危险区域未设置安全警示标志"},
    {"作业场所", "高处平台防护栏杆缺失"},
    {"人员操作", "作业人员未按规定佩戴安全帽"},
    {"人员操作", "动火作业未办理作业票"},
    {"人员操作", "携带手机进入防爆区域"},
    {"消防安全", "灭火器压力不足"},
    {"消防安全", "消火栓被遮挡"},
    {"消防安全", "火灾自动报警系统故障"},
    {"消防安全", "疏散指示标志损坏"},
    {"用电安全", "配电箱未可靠接地"},
    {"用电安全", "临时用电线路私拉乱接"},
    {"用电安全", "防爆区域使用非防爆电器"},
    {"用电安全", "配电室未配备绝缘垫"},
    {"危险化学品", "危化品仓库通风设施故障"},
    {"危险化学品", "可燃气体报警器未定期标定"},
    {"危险化学品", "化学品安全技术说明书未配备"},
    {"危险化学品", "禁忌物料未分开储存"},
    {"特殊作业", "有限空间作业前未进行气体检测"},
    {"特殊作业", "有限空间未设置警示标识"},
    {"特殊作业", "受限空间作业无专人监护"},
    {"粉尘防爆", "除尘系统未设置泄爆装置"},
    {"粉尘防爆", "积尘未及时清扫"},
    {"粉尘防爆", "除尘器未采用防爆电机"},
    {"其他", "安全风险告知卡未更新"},
}};

// 重大事故隐患 as the judgement standards name them (工贸行业、危险化学品重大事故隐患判定标准).
constexpr std::array<Problem, 7> k_major{{
    {"危险化学品", "涉及重点监管危险化工工艺的装置未实现自动化控制"},
    {"危险化学品", "可燃有毒气体泄漏检测报警装置未投用"},
    {"粉尘防爆", "除尘系统未按规定设置锁气卸灰装置"},
    {"设备设施", "液氨制冷车间未设置紧急泄压装置"},
    {"特殊作业", "有限空间作业未落实先通风、再检测、后作业"},
    {"危险化学品", "重大危险源监测数据未接入监控系统"},
    {"设备设施", "特种设备超期未检验仍在使用"},
}};

constexpr std::array<std::string_view, 12> k_places{"一号车间", "二号车间", "三号车间", "仓库",   "罐区",   "配电室",
                                                    "办公楼",   "装卸区",   "包装车间", "锅炉房", "原料库", "成品库"};

std::string_view measures(std::string_view category, bool major) {
    if (major) return "制定治理方案，落实治理措施、资金、时限、责任人和应急预案";
    static const std::map<std::string_view, std::string_view> m{
        {"基础管理", "完善制度并组织培训，补齐记录"},         {"设备设施", "停用检修或更换，检验合格后投用"},
        {"作业场所", "清理通道，补设警示标志和防护设施"},     {"人员操作", "开展专项教育，落实作业许可和监护"},
        {"消防安全", "维修更换消防器材，落实定期检查"},       {"用电安全", "由持证电工整改，规范接地和线路"},
        {"危险化学品", "规范储存和检测，配齐安全技术说明书"}, {"特殊作业", "落实作业审批、气体检测和专人监护"},
        {"粉尘防爆", "加装泄爆装置，落实粉尘清扫制度"},       {"其他", "限期整改"}};
    auto it = m.find(category);
    return it == m.end() ? std::string_view("限期整改") : it->second;
}

/// One ledger line.
struct Record {
    std::string id, enterprise_id, enterprise_name, description, level, category, found, deadline, rectified, status, measures, responsible,
        phone;
    Coord pos{};
};

/// A CSV cell: quoted when it holds a separator, a quote or a line break.
std::string cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

bool in_rings(const std::vector<std::vector<Coord>>& rings, Coord p); // below, with the grids

/// A point 15–120 m from the plant, inside its county (else the plant's own point).
Coord near_plant(Rng& rng, const CountyBrief& c, Coord plant) {
    for (int i = 0; i < 200; ++i) {
        const double dx = rng.uniform(-120, 120), dy = rng.uniform(-120, 120);
        const double d2 = dx * dx + dy * dy;
        if (d2 < 15 * 15 || d2 > 120 * 120) continue;
        const Coord q = offset_m(plant, dx, dy);
        if (in_rings(c.rings, q)) return {round6(q.x), round6(q.y)};
    }
    return plant;
}

std::vector<Record> ledger(const std::vector<EnterpriseBrief>& enterprises, const std::vector<CountyBrief>& counties) {
    Rng rng("vigil-demo/jiaozuo/hidden_hazards/1");
    std::vector<Record> out;
    for (const auto& e : enterprises) {
        const CountyBrief& c = counties.at(e.county);
        // Categories this plant's inspections find more of.
        std::vector<double> weights(k_general.size(), 1.0);
        for (std::size_t i = 0; i < k_general.size(); ++i) {
            const auto cat = k_general[i].category;
            if (cat == "危险化学品") weights[i] = e.chemical ? 3.0 : 0.0;
            if (cat == "粉尘防爆") weights[i] = e.dust ? 4.0 : 0.0;
            if (cat == "特殊作业") weights[i] = e.confined ? 3.0 : 0.5;
        }
        int rectified = rng.range(0, 2);
        if (e.findings > 5) rectified += rng.range(0, 2);
        const int total = e.open + rectified;
        std::set<std::string> used;
        for (int k = 0; k < total; ++k) {
            Record r;
            const bool open = k < e.open, overdue = k < e.overdue; // the first `overdue` of the open ones
            const bool major = rng.chance(e.high_risk ? 0.06 : 0.015);
            const Problem* p = nullptr;
            std::string description;
            for (int attempt = 0; attempt < 50; ++attempt) {
                p = major ? &k_major[rng.next() % k_major.size()] : &k_general[rng.weighted(weights)];
                description = std::string(k_places[rng.next() % k_places.size()]) + std::string(p->text);
                if (used.insert(description).second) break;
            }
            r.id = fmt::format("{}-YH{:02}", e.id, k + 1);
            r.enterprise_id = e.id;
            r.enterprise_name = e.name;
            r.description = description;
            r.level = major ? "重大隐患" : "一般隐患";
            r.category = std::string(p->category);
            int found = 0, deadline = 0;
            if (!open) {
                found = days_from_civil(2025, 6, 1) + rng.range(0, days_from_civil(2026, 10, 31) - days_from_civil(2025, 6, 1));
                deadline = found + rng.range(15, 60);
                const int done = std::min(found + rng.range(3, deadline - found), k_ledger_day - 1);
                r.rectified = ledger_date(done);
                r.status = rng.chance(0.5) ? "已整改" : "已销号";
            } else if (overdue) {
                found = days_from_civil(2026, 3, 1) + rng.range(0, days_from_civil(2026, 10, 31) - days_from_civil(2026, 3, 1));
                // One draw per statement: the order of a call's arguments is the compiler's choice.
                const int given = found + rng.range(15, 60);
                const int before = k_ledger_day - 1 - rng.range(0, 20);
                deadline = std::min(given, before);
                // The typed status lags: the ledger says 逾期 by the dates, whatever was typed.
                r.status =
                    std::array<std::string_view, 3>{"逾期未整改", "整改中", "未整改"}[rng.weighted(std::array<double, 3>{0.5, 0.3, 0.2})];
            } else {
                found = days_from_civil(2026, 10, 15) + rng.range(0, k_ledger_day - 1 - days_from_civil(2026, 10, 15));
                if (major) {
                    deadline = days_from_civil(2027, 3, 1) + rng.range(0, 120);
                } else {
                    const int given = found + rng.range(30, 90);
                    const int not_before = k_first_open_due + rng.range(0, 40);
                    deadline = std::max(given, not_before);
                }
                r.status = rng.chance(0.6) ? "整改中" : "未整改";
            }
            r.found = ledger_date(found);
            r.deadline = ledger_date(deadline);
            r.measures = std::string(measures(p->category, major));
            const bool own = rng.chance(0.6);
            r.responsible = own ? e.contact : names::person(rng);
            r.phone = own ? e.phone : names::mobile(rng);
            r.pos = near_plant(rng, c, e.pos);
            out.push_back(std::move(r));
        }
    }
    // `vigil check` takes the same description twice within 50 m for a record entered twice:
    // plants in a park stand close, so a repeat there is moved to another place of its plant.
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            if (out[i].description != out[j].description) continue;
            const double dx = (out[i].pos.x - out[j].pos.x) * k_m_per_deg_lon, dy = (out[i].pos.y - out[j].pos.y) * k_m_per_deg_lat;
            if (dx * dx + dy * dy > 80.0 * 80.0) continue;
            out[i].description = "东侧" + out[i].description;
            j = static_cast<std::size_t>(-1); // look again from the start (the loop's ++ wraps to 0)
        }
    return out;
}

// --- the grids ------------------------------------------------------------------------------------
//
// A cell is the part of its parent (a county, a township) nearer to its seed than to any other:
// the parent's rings clipped by the half-plane of each bisector. Clipping a ring that is not
// convex by a line may leave several pieces; the ring is walked, and where it leaves the kept
// side it jumps along the line to where it comes back (the chords of the line inside the ring
// pair an exit with an entry, sorted along the line):
//
//            kept side             ┌──────┐      ┌──────┐
//      ───────x────x──────x────x── │  A   x──────x  B   │ ──  line
//             │    │      │    │   └──────┘      └──────┘
//             └────┘      └────┘         dropped side below
//
// Geometry in local metres around the parent's first vertex (bisectors are right angles only
// there), written back as degrees.

using Ring = std::vector<Coord>; // open: no repeated closing vertex

bool in_rings(const std::vector<std::vector<Coord>>& rings, Coord p) {
    bool odd = false;
    for (const auto& ring : rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const Coord a = ring[i], b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (b.x - a.x) * (p.y - a.y) / (b.y - a.y)) odd = !odd;
        }
    return odd;
}

/// The parts of `rings` where a·x + b·y < c.
std::vector<Ring> clip(const std::vector<Ring>& rings, double a, double b, double c) {
    std::vector<Ring> out;
    for (const Ring& ring : rings) {
        struct Node {
            Coord at;
            bool in = false;         ///< a vertex on the kept side
            int crossing = 0;        ///< +1 entry (out → in), -1 exit (in → out), 0 vertex
            double t = 0;            ///< along the line, for crossings
            std::size_t partner = 0; ///< an exit's entry across the chord
        };
        std::vector<Node> nodes;
        std::vector<std::size_t> crossings;
        const std::size_t n = ring.size();
        auto side = [&](Coord p) { return a * p.x + b * p.y - c; };
        for (std::size_t i = 0; i < n; ++i) {
            const Coord p = ring[i], q = ring[(i + 1) % n];
            const double sp = side(p), sq = side(q);
            nodes.push_back({p, sp < 0, 0, 0, 0});
            if ((sp < 0) != (sq < 0)) {
                const double f = sp / (sp - sq);
                const Coord x{p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f};
                crossings.push_back(nodes.size());
                nodes.push_back({x, false, sp < 0 ? -1 : +1, -b * x.x + a * x.y, 0});
            }
        }
        if (crossings.empty()) {
            if (nodes.front().in) out.push_back(ring);
            continue;
        }
        std::sort(crossings.begin(), crossings.end(), [&](std::size_t x, std::size_t y) { return nodes[x].t < nodes[y].t; });
        if (crossings.size() % 2 != 0) throw Error("demo generator: a grid cell's clipping found an odd number of crossings");
        for (std::size_t k = 0; k < crossings.size(); k += 2) {
            Node &u = nodes[crossings[k]], &v = nodes[crossings[k + 1]];
            if (u.crossing == v.crossing) throw Error("demo generator: a grid cell's clipping paired two crossings of one kind");
            (u.crossing < 0 ? u : v).partner = u.crossing < 0 ? crossings[k + 1] : crossings[k];
        }
        std::vector<bool> used(nodes.size(), false);
        for (std::size_t start : crossings) {
            if (nodes[start].crossing != +1 || used[start]) continue;
            Ring piece;
            std::size_t at = start;
            for (std::size_t guard = 0; guard <= nodes.size() * 2; ++guard) {
                used[at] = true;
                piece.push_back(nodes[at].at);
                if (nodes[at].crossing == -1) at = nodes[at].partner; // along the chord to its entry
                else at = (at + 1) % nodes.size();
                if (at == start) break;
                if (nodes[at].crossing == 0 && !nodes[at].in) throw Error("demo generator: a grid cell's walk left the kept side");
            }
            out.push_back(std::move(piece));
        }
    }
    return out;
}

double area_m2(const Ring& r) {
    double s = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) s += (r[j].x + r[i].x) * (r[j].y - r[i].y);
    return std::fabs(s) / 2;
}

struct Local {
    Coord origin;
    Coord to_m(Coord p) const { return {(p.x - origin.x) * k_m_per_deg_lon, (p.y - origin.y) * k_m_per_deg_lat}; }
    Coord to_deg(Coord p) const { return {origin.x + p.x / k_m_per_deg_lon, origin.y + p.y / k_m_per_deg_lat}; }
};

/// `parent` (rings in metres) cut into the cells of `count` seeds scattered in it, kept apart
/// so that the cells come out of comparable size.
std::vector<std::vector<Ring>> voronoi_cells(Rng& rng, const std::vector<Ring>& parent, std::size_t count) {
    geo::BBox box;
    double area = 0;
    for (const auto& r : parent) {
        for (Coord p : r) box.add(p);
        area += area_m2(r);
    }
    double spacing = 0.6 * std::sqrt(area / static_cast<double>(count));
    std::vector<Coord> seeds;
    for (int attempt = 0; seeds.size() < count; ++attempt) {
        if (attempt > 20000) throw Error("demo generator: cannot scatter grid seeds");
        if (attempt % 300 == 299) spacing *= 0.85;
        const Coord p{rng.uniform(box.min_x, box.max_x), rng.uniform(box.min_y, box.max_y)};
        if (!in_rings(parent, p)) continue;
        const bool apart = std::all_of(seeds.begin(), seeds.end(), [&](Coord s) { return std::hypot(s.x - p.x, s.y - p.y) >= spacing; });
        if (apart) seeds.push_back(p);
    }
    std::vector<std::vector<Ring>> cells;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        std::vector<Ring> cell = parent;
        for (std::size_t j = 0; j < seeds.size() && !cell.empty(); ++j) {
            if (j == i) continue;
            // Nearer to seed i than to seed j: 2(sj − si)·p < |sj|² − |si|².
            const Coord si = seeds[i], sj = seeds[j];
            cell = clip(cell, 2 * (sj.x - si.x), 2 * (sj.y - si.y), (sj.x * sj.x + sj.y * sj.y) - (si.x * si.x + si.y * si.y));
        }
        cells.push_back(std::move(cell));
    }
    return cells;
}

/// A cell as the file writes it: degrees rounded to 6 decimals, repeated vertices dropped,
/// slivers (under 500 m², or fewer than three distinct vertices) left out.
std::vector<std::vector<Coord>> written(const std::vector<Ring>& cell, const Local& local) {
    std::vector<std::vector<Coord>> out;
    for (const Ring& r : cell) {
        if (area_m2(r) < 500) continue;
        std::vector<Coord> ring;
        for (Coord p : r) {
            const Coord d = local.to_deg(p);
            const Coord q{round6(d.x), round6(d.y)};
            if (ring.empty() || !(ring.back() == q)) ring.push_back(q);
        }
        while (ring.size() > 1 && ring.back() == ring.front()) ring.pop_back();
        if (ring.size() < 3) continue;
        ring.push_back(ring.front());
        out.push_back(std::move(ring));
    }
    return out;
}

Json multipolygon(const std::vector<std::vector<Coord>>& rings) {
    Json coords = Json::array();
    for (const auto& ring : rings) {
        Json r = Json::array();
        for (Coord p : ring) r.push_back({p.x, p.y});
        coords.push_back(Json::array({std::move(r)}));
    }
    return coords;
}

constexpr std::array<std::string_view, 20> k_village_first{"东", "西", "南", "北", "前", "后", "上", "下", "大", "小",
                                                           "张", "王", "李", "赵", "陈", "刘", "杨", "马", "孙", "郭"};
constexpr std::array<std::string_view, 10> k_village_second{"庄", "营", "屯", "寨", "堡", "沟", "店", "集", "河", "岭"};

} // namespace

std::string write_hidden_hazards(const std::vector<EnterpriseBrief>& enterprises, const std::vector<CountyBrief>& counties,
                                 std::size_t& count) {
    const auto records = ledger(enterprises, counties);
    std::string csv = "\xEF\xBB\xBF隐患编号,企业编号,企业名称,隐患描述,隐患级别,隐患类别,排查日期,整改期限,整改完成日期,整改状态,"
                      "整改措施,整改责任人,联系电话,经度,纬度,备注,模拟数据\r\n";
    for (const auto& r : records) {
        const std::vector<std::string> row{r.id,
                                           r.enterprise_id,
                                           r.enterprise_name,
                                           r.description,
                                           r.level,
                                           r.category,
                                           r.found,
                                           r.deadline,
                                           r.rectified,
                                           r.status,
                                           r.measures,
                                           r.responsible,
                                           r.phone,
                                           fmt::format("{:.6f}", r.pos.x),
                                           fmt::format("{:.6f}", r.pos.y),
                                           std::string(k_generated),
                                           "是"};
        for (std::size_t i = 0; i < row.size(); ++i) csv += (i ? "," : "") + cell(row[i]);
        csv += "\r\n";
    }
    count = records.size();
    return csv;
}

std::string write_grids(const std::vector<CountyBrief>& counties, std::string_view village_county, std::size_t& count) {
    Rng rng("vigil-demo/jiaozuo/grids/1");
    const std::string remark_cell =
        "网格范围为演示生成：以乡镇（街道）名单为种子的泰森多边形，裁剪到县界，非真实网格边界；网格员与电话为模拟";
    std::vector<Json> features;
    for (const auto& c : counties) {
        const Local local{c.rings.front().front()};
        std::vector<Ring> county;
        for (const auto& r : c.rings) {
            Ring m;
            for (std::size_t i = 0; i + 1 < r.size(); ++i) m.push_back(local.to_m(r[i]));
            county.push_back(std::move(m));
        }
        const std::string county_id = "WG" + c.adcode;
        features.push_back(feature({{"id", county_id},
                                    {"name", c.name + "网格"},
                                    {"level", "一级网格"},
                                    {"parent_id", ""},
                                    {"member", names::person(rng)},
                                    {"phone", names::landline(rng)},
                                    {"manager", names::person(rng)},
                                    {"remarks", "县级网格范围即县界（阿里云DataV边界）；网格员与电话为模拟"},
                                    {"synthetic", true}},
                                   "MultiPolygon", multipolygon(written(county, local))));
        const auto towns = voronoi_cells(rng, county, c.towns.size());
        for (std::size_t t = 0; t < towns.size(); ++t) {
            const std::string town_id = "WG" + c.town_ids[t];
            features.push_back(feature({{"id", town_id},
                                        {"name", c.towns[t] + "网格"},
                                        {"level", "二级网格"},
                                        {"parent_id", county_id},
                                        {"member", names::person(rng)},
                                        {"phone", names::mobile(rng)},
                                        {"manager", names::person(rng)},
                                        {"remarks", remark_cell},
                                        {"synthetic", true}},
                                       "MultiPolygon", multipolygon(written(towns[t], local))));
            if (c.adcode != village_county) continue;
            const std::size_t n = static_cast<std::size_t>(rng.range(3, 6));
            const auto villages = voronoi_cells(rng, towns[t], n);
            std::set<std::string> names_used;
            for (std::size_t v = 0; v < villages.size(); ++v) {
                std::string name;
                do {
                    name = std::string(rng.pick(k_village_first));
                    name += std::string(rng.pick(k_village_second)) + "村";
                } while (!names_used.insert(name).second);
                features.push_back(feature({{"id", fmt::format("{}{:03}", town_id, 200 + v + 1)},
                                            {"name", name + "网格"},
                                            {"level", "三级网格"},
                                            {"parent_id", town_id},
                                            {"member", names::person(rng)},
                                            {"phone", names::mobile(rng)},
                                            {"manager", ""},
                                            {"remarks", remark_cell},
                                            {"synthetic", true}},
                                           "MultiPolygon", multipolygon(written(villages[v], local))));
            }
        }
    }
    count = features.size();
    return feature_collection("jiaozuo_grids_synthetic", features);
}

} // namespace vigil::demo::parts
