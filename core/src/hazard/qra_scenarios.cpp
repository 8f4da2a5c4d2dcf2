/// @file
/// QRA loss-of-containment scenarios and their lethality tables (see qra_scenarios.hpp).
// i18n: input vocabulary — k_props's Chinese names are matched against the inventories' substance
// names (as registers write them), never shown.

#include <vigil/hazard/qra_scenarios.hpp>

#include <vigil/hazard/dispersion.hpp>
#include <vigil/hazard/explosion.hpp>
#include <vigil/hazard/fire.hpp>
#include <vigil/hazard/probit.hpp>
#include <vigil/hazard/stability.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

namespace vigil::hazard {

namespace {

// Lethality below this is not worth a cell: 1e-4 of a 1e-5 /yr scenario is 1e-9 /yr, far
// below GB 36894's lowest limit (3e-7).
constexpr double k_p_min = 1e-4;
constexpr double k_max_range_m = 30000;

// Purple Book (CPR 18E, 2005) table 3.3 (pressurised) and 3.4 (atmospheric, single containment).
constexpr double k_f_pressurised[3] = {5e-7, 5e-7, 1e-5};
constexpr double k_f_atmospheric[3] = {5e-6, 5e-6, 1e-4};
constexpr const char* k_loc_names[3] = {N_("rupture"), N_("10-min release"), N_("10 mm leak")};

// Ignition probabilities (assumed; docs/hazard.md): immediate ignition of an instantaneous
// flashing release → BLEVE; delayed ignition → VCE; a flammable liquid pool.
constexpr double k_p_bleve = 0.7, k_p_vce = 0.3, k_p_pool = 0.065;
constexpr double k_vce_yield = 0.03;     // TNT efficiency η (domain.md §4.4: 0.01–0.10)
constexpr double k_pool_exposure_s = 20; // Purple Book: 20 s to escape the radiation
constexpr double k_hole_m = 0.010;
constexpr double k_cd = 0.62;

struct Props {
    const char* cas;
    const char* name_zh;
    SubstanceKind kind;
    double hc_j_kg; // lower heat of combustion
    double boiling_k;
    double cp_j_kg_k;     // liquid
    double hv_j_kg;       // heat of vaporisation
    double density_kg_m3; // liquid
    double head_pa;       // driving pressure for a 10 mm leak
    double lfl_mg_m3 = 0; // lower flammable limit (gases): the edge of a flash fire
};

// Property values: CRC Handbook / Perry's (9th ed.) rounded; toxic ones only need the density
// and the driving pressure (their vapour pressure at 20 °C above ambient, rounded). Lower
// flammable limits: IEC 60079-20-1 (vol %: propane 1.7, vinyl chloride 3.6, hydrogen 4.0,
// methane 4.4, acetylene 2.3), the lower of the published sets (NFPA/CRC give 2.1, 3.6, 4.0,
// 5.0, 2.5), turned into mg/m³ at 25 °C (vol % × 10⁴ × M / 24.45). LPG's composition is not in
// the registers: propane's limit is taken, the lowest in mass per m³ of propane and the butanes
// (n-butane 1.4 % × 58.12 = 33 300 mg/m³ against propane's 30 700), so its cloud is the largest.
const Props k_props[] = {
    {"7782-50-5", "氯", SubstanceKind::Toxic, 0, 239, 0, 0, 1410, 5.8e5},
    {"7664-41-7", "氨", SubstanceKind::Toxic, 0, 240, 0, 0, 610, 7.6e5},
    {"7647-01-0", "氯化氢", SubstanceKind::Toxic, 0, 188, 0, 0, 1190, 4.1e6},
    {"7446-09-5", "二氧化硫", SubstanceKind::Toxic, 0, 263, 0, 0, 1380, 2.3e5},
    {"7783-06-4", "硫化氢", SubstanceKind::Toxic, 0, 213, 0, 0, 990, 1.7e6},
    {"68476-85-7", "液化石油气", SubstanceKind::LiquefiedFlammableGas, 46.0e6, 231, 2500, 4.3e5, 510, 7.0e5, 30700},
    {"75-01-4", "氯乙烯", SubstanceKind::LiquefiedFlammableGas, 18.8e6, 260, 1380, 3.3e5, 910, 2.4e5, 92000},
    {"1333-74-0", "氢", SubstanceKind::FlammableGas, 120.0e6, 20, 0, 0, 71, 1.5e7, 3300},
    {"8006-14-2", "天然气", SubstanceKind::FlammableGas, 50.0e6, 112, 0, 0, 420, 1.0e6, 28900},
    {"74-86-2", "乙炔", SubstanceKind::FlammableGas, 48.2e6, 189, 0, 0, 620, 1.5e6, 24500},
    {"67-56-1", "甲醇", SubstanceKind::FlammableLiquid, 19.9e6, 337.8, 2510, 1.10e6, 792, 7.0e4},
    {"86290-81-5", "汽油", SubstanceKind::FlammableLiquid, 43.7e6, 333, 2220, 3.5e5, 740, 7.0e4},
    {"68334-30-5", "柴油", SubstanceKind::FlammableLiquid, 42.6e6, 453, 2050, 2.5e5, 840, 7.0e4},
    {"108-88-3", "甲苯", SubstanceKind::FlammableLiquid, 40.5e6, 383.8, 1700, 3.6e5, 867, 7.0e4},
    {"1330-20-7", "二甲苯", SubstanceKind::FlammableLiquid, 40.8e6, 412, 1720, 3.4e5, 864, 7.0e4},
    {"64-17-5", "乙醇", SubstanceKind::FlammableLiquid, 26.8e6, 351.4, 2440, 8.4e5, 789, 7.0e4},
    {"67-64-1", "丙酮", SubstanceKind::FlammableLiquid, 28.6e6, 329.2, 2160, 5.2e5, 784, 7.0e4},
    {"100-42-5", "苯乙烯", SubstanceKind::FlammableLiquid, 40.5e6, 418, 1750, 3.6e5, 906, 7.0e4},
    {"141-78-6", "乙酸乙酯", SubstanceKind::FlammableLiquid, 23.4e6, 350.2, 1920, 3.7e5, 902, 7.0e4},
    {"78-93-3", "丁酮", SubstanceKind::FlammableLiquid, 31.4e6, 352.7, 2200, 4.4e5, 805, 7.0e4},
    {"71-43-2", "苯", SubstanceKind::FlammableLiquid, 40.1e6, 353.2, 1740, 3.9e5, 876, 7.0e4},
    {"110-54-3", "正己烷", SubstanceKind::FlammableLiquid, 44.8e6, 341.9, 2270, 3.6e5, 655, 7.0e4},
};

const Props* props_of(const InventoryItem& item) {
    for (const auto& p : k_props)
        if ((!item.cas.empty() && item.cas == p.cas) || item.substance == p.name_zh) return &p;
    return nullptr;
}


// The farthest r at which a decreasing-then-zero function is still ≥ k_p_min: geometric scan,
// then bisection. 0 when it never is.
double reach_of(const std::function<double(double)>& p) {
    double last_in = 0;
    for (double r = 1; r <= k_max_range_m; r *= 1.15)
        if (p(r) >= k_p_min) last_in = r;
    if (last_in == 0) return p(0.5) >= k_p_min ? 1.0 : 0.0;
    double lo = last_in, hi = std::min(last_in * 1.15, k_max_range_m);
    for (int k = 0; k < 40; ++k) {
        const double mid = (lo + hi) / 2;
        (p(mid) >= k_p_min ? lo : hi) = mid;
    }
    return hi;
}

double clamp01(double p) { return std::isnan(p) ? 0.0 : std::clamp(p, 0.0, 1.0); }

} // namespace

WindRose WindRose::uniform() {
    WindRose r;
    r.frequency.fill(1.0 / 16);
    r.classes = {{'D', 3.5, 1.0}};
    r.source = tr("uniform rose, class D at 3.5 m/s (built-in default)");
    return r;
}

WindRose WindRose::from_json(std::string_view text, std::string_view name) {
    auto fail = [&](const std::string& what) { return FormatError(trf("{}: {}", name, what)); };
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw fail(tr("not a JSON object"));
    WindRose r;
    if (!j.contains("frequency") || !j["frequency"].is_array() || j["frequency"].size() != 16)
        throw fail(tr("'frequency' must be an array of 16 numbers (N, NNE, ... NNW)"));
    double sum = 0;
    for (std::size_t k = 0; k < 16; ++k) {
        if (!j["frequency"][k].is_number() || j["frequency"][k].get<double>() < 0)
            throw fail(trf("frequency[{}] is not a non-negative number", k));
        sum += r.frequency[k] = j["frequency"][k].get<double>();
    }
    if (std::fabs(sum - 1) > 1e-6) throw fail(trf("the 16 frequencies add up to {}, not 1", text::format_double(sum)));
    if (!j.contains("classes") || !j["classes"].is_array() || j["classes"].empty()) throw fail(tr("'classes' must be a non-empty array"));
    double fsum = 0;
    for (std::size_t k = 0; k < j["classes"].size(); ++k) {
        const auto& c = j["classes"][k];
        const std::string where = "classes[" + std::to_string(k) + "]"; // i18n: not shown: a JSON path
        if (!c.is_object() || !c.contains("stability") || !c["stability"].is_string() || !c.contains("wind_m_s") ||
            !c["wind_m_s"].is_number() || !c.contains("fraction") || !c["fraction"].is_number())
            throw fail(trf("{} needs stability (A..F), wind_m_s and fraction", where));
        WeatherClass w;
        try {
            w.stability = stability_letter(parse_stability(c["stability"].get<std::string>()));
        } catch (const UsageError& e) {
            throw fail(trf("{}: {}", where, e.what()));
        }
        w.wind_m_s = c["wind_m_s"].get<double>();
        w.fraction = c["fraction"].get<double>();
        if (!(w.wind_m_s > 0)) throw fail(trf("{}: wind_m_s must be positive", where));
        if (!(w.fraction >= 0)) throw fail(trf("{}: fraction must not be negative", where));
        fsum += w.fraction;
        r.classes.push_back(w);
    }
    if (std::fabs(fsum - 1) > 1e-6) throw fail(trf("the class fractions add up to {}, not 1", text::format_double(fsum)));
    r.source = j.value("source", std::string(name));
    return r;
}

SubstanceKind ScenarioBuilder::kind_of(const InventoryItem& item) {
    const Props* p = props_of(item);
    return p ? p->kind : SubstanceKind::None;
}

ScenarioBuilder::ScenarioBuilder(WindRose rose) : m_rose(std::move(rose)) {}

std::shared_ptr<const RadialTable> ScenarioBuilder::radial(const std::string& key, const std::function<double(double)>& p) {
    for (const auto& [k, t] : m_radial)
        if (k == key) return t;
    const double r = reach_of(p);
    std::shared_ptr<const RadialTable> t;
    if (r > 0) t = std::make_shared<RadialTable>([&](double x) { return clamp01(p(x)); }, r * 1.02, 2048);
    m_radial.emplace_back(key, t);
    return t;
}

std::shared_ptr<const DirectionalTable> ScenarioBuilder::directional(const std::string& key,
                                                                     const std::function<double(double, double)>& p) {
    for (const auto& [k, t] : m_directional)
        if (k == key) return t;
    const double u_max = reach_of([&](double u) { return p(u, 0); });
    std::shared_ptr<const DirectionalTable> t;
    if (u_max > 0) {
        double v_max = 1;
        for (int k = 1; k <= 24; ++k) {
            const double u = u_max * k / 24;
            v_max = std::max(v_max, reach_of([&](double v) { return p(u, v); }));
        }
        t = std::make_shared<DirectionalTable>([&](double u, double v) { return clamp01(p(u, v)); }, u_max * 1.02, v_max * 1.05, 256, 64);
    }
    m_directional.emplace_back(key, t);
    return t;
}

SourceScenarios ScenarioBuilder::build(const std::vector<InventoryItem>& inventory, geo::Coord at, std::string_view label) {
    SourceScenarios out;
    const Atmosphere air;
    for (const auto& item : inventory) {
        const Props* pr = props_of(item);
        const std::string who = std::string(label) + " " + item.substance;
        if (!pr) {
            out.notes.push_back(trf("{}: no loss-of-containment model for this substance; not in the risk grid", who));
            continue;
        }
        if (!(item.quantity_t > 0)) {
            out.notes.push_back(trf("{}: no quantity; not in the risk grid", who));
            continue;
        }
        const double m = item.quantity_t * 1000;
        const bool pressurised = pr->kind != SubstanceKind::FlammableLiquid;
        const double* f = pressurised ? k_f_pressurised : k_f_atmospheric;
        // 10 mm hole, Bernoulli: Q = Cd·A·sqrt(2·ρ·Δp); lasts until empty, at most 30 min.
        const double q_leak = k_cd * std::numbers::pi * k_hole_m * k_hole_m / 4 * std::sqrt(2 * pr->density_kg_m3 * pr->head_pa);
        const double t_leak_s = std::min(1800.0, m / q_leak);
        const std::string qkey = std::string(pr->cas) + "|" + text::format_double(item.quantity_t);
        auto add = [&](int loc, double freq, std::shared_ptr<const RadialTable> r, std::vector<WindOutcome> dir, const char* effect) {
            if (!r && dir.empty()) return;
            Scenario s;
            s.at = at;
            s.frequency = freq;
            s.radial = std::move(r);
            s.directional = std::move(dir);
            s.label = trf("{} {} ({})", who, tr(k_loc_names[loc]), tr(effect));
            out.scenarios.push_back(std::move(s));
        };
        // The wind outcomes of one directional lethality per weather class.
        auto per_wind = [&](const std::string& key, const std::function<double(double, double, const WeatherClass&)>& p) {
            std::vector<WindOutcome> dir;
            for (const auto& wc : m_rose.classes) {
                auto t = directional(key + "|" + wc.stability + text::format_double(wc.wind_m_s),
                                     [&](double u, double v) { return p(u, v, wc); });
                if (!t) continue;
                for (int d = 0; d < 16; ++d) {
                    // From bearing 22.5·d (clockwise from north) toward bearing +180, as an angle
                    // from +x counter-clockwise.
                    const double toward_bearing = 22.5 * d + 180;
                    const double theta = (90 - toward_bearing) * std::numbers::pi / 180;
                    const double w = m_rose.frequency[static_cast<std::size_t>(d)] * wc.fraction;
                    if (w > 0) dir.push_back({w, theta, t});
                }
            }
            return dir;
        };
        switch (pr->kind) {
        case SubstanceKind::Toxic: {
            const ToxicProbit* probit = nullptr;
            try {
                const auto& sub = ToxicEndpoints::builtin().find(item.cas.empty() ? item.substance : item.cas);
                probit = &ProbitTable::builtin().toxic(sub.name_en, ProbitForm::Tno);
            } catch (const UsageError&) {
                out.notes.push_back(trf("{}: no toxic probit; not in the risk grid", who));
                break;
            }
            // Rupture: a puff of the whole inventory; toxic load from its passage.
            add(0, f[0], nullptr,
                per_wind(qkey + "|puff",
                         [&](double u, double v, const WeatherClass& wc) {
                             if (u <= 0) return 0.0;
                             PuffRelease r{m, wc.wind_m_s, 0, parse_stability(std::string(1, wc.stability)), 0};
                             const double load = puff_toxic_load(r, u, v, 0, probit->n);
                             return load > 0 ? probit_to_probability(toxic_probit_from_load(*probit, load)) : 0.0;
                         }),
                N_("toxic puff"));
            // 10-min release and leak: a plume for the release's duration.
            auto plume = [&](double rate, double minutes) {
                return [=](double u, double v, const WeatherClass& wc) {
                    if (u <= 0) return 0.0;
                    PlumeRelease r{rate, wc.wind_m_s, 0, parse_stability(std::string(1, wc.stability)), Terrain::Rural, 0};
                    const double c = plume_concentration(r, u, v, 0);
                    return c > 0 ? probit_to_probability(toxic_probit(*probit, c, minutes)) : 0.0;
                };
            };
            add(1, f[1], nullptr, per_wind(qkey + "|plume10", plume(m / 600, 10)), N_("toxic plume"));
            add(2, f[2], nullptr, per_wind(qkey + "|leak", plume(q_leak, t_leak_s / 60)), N_("toxic plume"));
            break;
        }
        case SubstanceKind::LiquefiedFlammableGas:
        case SubstanceKind::FlammableGas: {
            // Delayed ignition: the cloud burns back to the source (flash fire: P = 1 inside it
            // to the lower flammable limit, Purple Book §4.9) and may explode (VCE: P from the
            // overpressure). The Purple Book splits delayed ignition 0.6 flash fire / 0.4
            // explosion; Vigil counts each delayed ignition as both, P = max(P_vce, in cloud),
            // so neither split understates: radial = VCE, directional = (1 − P_vce)·[C ≥ LFL].
            auto vce_p = [&](double mass) {
                const double tnt = tnt_equivalent_kg(mass, pr->hc_j_kg, k_vce_yield);
                return [tnt](double r) {
                    if (r <= 0) return 1.0;
                    const double z = r / std::cbrt(tnt);
                    if (z < k_kb_min_scaled_distance) return 1.0; // inside the charge
                    auto p = overpressure_kpa(tnt, r);
                    if (!p) return 0.0;
                    return probit_to_probability(overpressure_probit(BlastEffect::LungHaemorrhageDeath, *p * 1000));
                };
            };
            auto vce = [&](double mass) { return radial(std::string(pr->cas) + "|vce|" + text::format_double(mass), vce_p(mass)); };
            const double lfl = pr->lfl_mg_m3;
            // Rupture: a puff of the inventory; the cloud is where its peak concentration
            // reaches the LFL. Release and leak: the steady plume's C ≥ LFL.
            auto flash_puff = [&, lfl](double mass) {
                return [mass, lfl, blast = vce_p(mass)](double u, double v, const WeatherClass& wc) {
                    if (u <= 0) return 0.0;
                    PuffRelease r{mass, wc.wind_m_s, 0, parse_stability(std::string(1, wc.stability)), 0};
                    return puff_peak_concentration(r, u, v, 0) >= lfl ? 1.0 - blast(std::hypot(u, v)) : 0.0;
                };
            };
            auto flash_plume = [&, lfl](double rate, double mass) {
                return [rate, lfl, blast = vce_p(mass)](double u, double v, const WeatherClass& wc) {
                    if (u <= 0) return 0.0;
                    PlumeRelease r{rate, wc.wind_m_s, 0, parse_stability(std::string(1, wc.stability)), Terrain::Rural, 0};
                    return plume_concentration(r, u, v, 0) >= lfl ? 1.0 - blast(std::hypot(u, v)) : 0.0;
                };
            };
            if (pr->kind == SubstanceKind::LiquefiedFlammableGas) {
                Fireball ball{m, pr->hc_j_kg, 0.3, air};
                const double t = ball.duration_s();
                add(0, f[0] * k_p_bleve,
                    radial(qkey + "|bleve",
                           [ball, t](double r) { return probit_to_probability(thermal_probit_eisenberg(ball.flux_kw_m2(r) * 1000, t)); }),
                    {}, N_("BLEVE fireball"));
            }
            const double m_leak = std::min(m, q_leak * 600);
            add(0, f[0] * k_p_vce, vce(m), per_wind(qkey + "|flash-puff", flash_puff(m)), N_("flash fire + VCE"));
            add(1, f[1] * k_p_vce, vce(m), per_wind(qkey + "|flash10", flash_plume(m / 600, m)), N_("flash fire + VCE"));
            add(2, f[2] * k_p_vce, vce(m_leak), per_wind(qkey + "|flash-leak", flash_plume(q_leak, m_leak)), N_("flash fire + VCE"));
            break;
        }
        case SubstanceKind::FlammableLiquid: {
            // The bund holds 110 % of the tank at 1 m depth; a leak's pool spreads to 5 cm, at
            // most over the bund.
            const double volume = m / pr->density_kg_m3;
            const double bund = 1.1 * volume;
            const double rate = burgess_burning_rate(pr->hc_j_kg, pr->cp_j_kg_k, pr->boiling_k, air.temperature_k, pr->hv_j_kg);
            auto pool = [&](double area) {
                PoolFire fire{area, pr->hc_j_kg, rate, 0.25, 1.2, air};
                return radial(std::string(pr->cas) + "|pool|" + text::format_double(area), [fire](double r) {
                    return probit_to_probability(thermal_probit_eisenberg(fire.flux_kw_m2(r) * 1000, k_pool_exposure_s));
                });
            };
            add(0, f[0] * k_p_pool, pool(bund), {}, N_("pool fire"));
            add(1, f[1] * k_p_pool, pool(bund), {}, N_("pool fire"));
            add(2, f[2] * k_p_pool, pool(std::min(bund, q_leak * t_leak_s / pr->density_kg_m3 / 0.05)), {}, N_("pool fire"));
            break;
        }
        case SubstanceKind::None: break;
        }
    }
    return out;
}

} // namespace vigil::hazard
