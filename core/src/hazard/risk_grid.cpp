/// @file
/// The individual-risk grid engine, its iso-risk contours and the F–N curve (see risk_grid.hpp).

#include <vigil/hazard/risk_grid.hpp>

#include <vigil/geo/angles.hpp>
#include <vigil/util/assert.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <thread>
#include <unordered_map>

namespace vigil::hazard {

namespace {

constexpr double k_earth_radius_m = 6371008.8;

std::string six_digits(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

/// `where` builds the place for the message only when p is bad: the tables check every sample,
/// and formatting the place eagerly was 40 % of `vigil risk`'s scenario time.
template <class Where> void check_probability(double p, Where&& where) {
    if (!(p >= 0.0 && p <= 1.0)) throw FormatError(trf("lethality {} outside [0, 1] at {}", six_digits(p), where()));
}

// Per-cell terms shared by the banded loops and brute_force(), so that both evaluate each
// term with exactly the same operations (the bit-identity the tests prove rests on this).
inline double radial_term(const RadialTable& t, double f, double dx, double dy2) {
    const double d2 = dx * dx + dy2;
    return f * t.at_d2(d2);
}
inline double sector_term(const SectorTable& t, double f, double dx, double dy) { return f * t.at(dx, dy); }
// The Gaussian is separable: f·exp(−dx²k)·exp(−dy²k) with k = 1/(2σ²); the x factor is computed
// once per column and the y factor once per row.
inline double gaussian_x(double dx, double k) { return std::exp(-(dx * dx) * k); }
inline double gaussian_y(double f, double dy2, double k) { return f * std::exp(-dy2 * k); }
inline double gaussian_term(double fy, double ex, double dx, double dy2, double r2) {
    const double d2 = dx * dx + dy2;
    return d2 <= r2 ? fy * ex : 0.0;
}

struct Span {
    int lo = 0, hi = 0; // [lo, hi)
    bool empty() const { return lo >= hi; }
};

// Columns or rows whose centres may lie in [a, b], widened by one cell on each side so that
// rounding in the division never drops a cell the exact test would keep (the kernels return 0
// for cells outside the reach, and adding 0 leaves a value unchanged).
Span centres_within(double a, double b, double origin, double step, int n) {
    double lo = std::floor((a - origin) / step - 0.5) - 1;
    double hi = std::ceil((b - origin) / step - 0.5) + 2;
    lo = std::max(lo, 0.0);
    hi = std::min(hi, static_cast<double>(n));
    if (!(lo < hi)) return {};
    return {static_cast<int>(lo), static_cast<int>(hi)};
}

// Sector-averaged lethality below this is left out of a SectorTable's tail by default...
constexpr double k_sector_cut = 1e-6;
// ...and in RiskGrid, a source's IR below this (per year): 3e-4 of GB 36894's lowest limit;
// the old ray tables dropped up to 1e-9 /a per scenario (P < 1e-4 of a 1e-5 /a scenario).
constexpr double k_grid_cut_per_year = 1e-10;

// Into (−π, π]. Two compares where the argument is a difference of two angles in [0, 2π) (the
// sector tables' inner loop: std::remainder was 30 % of `vigil risk`), remainder otherwise.
double wrap_angle(double a) {
    if (!(a > -3 * std::numbers::pi && a <= 3 * std::numbers::pi)) a = std::remainder(a, 2 * std::numbers::pi);
    if (a > std::numbers::pi) return a - 2 * std::numbers::pi;
    if (a <= -std::numbers::pi) return a + 2 * std::numbers::pi;
    return a;
}

geo::BBox reach_box(geo::Coord at, double r) {
    geo::BBox b;
    b.add(geo::Coord{at.x - r, at.y - r});
    b.add(geo::Coord{at.x + r, at.y + r});
    return b;
}

// The farthest a directional table reaches from the source, in any direction.
double table_reach(const DirectionalTable& t) { return std::hypot(t.u_max(), t.v_max()); }

// The sector averages of one scenario's outcomes at (dx, dy) from the source, one value per
// outcome (the definition that SectorTable samples). `arcs` is scratch, one per distinct table.
template <class PerOutcome>
void sector_means(const std::vector<WindOutcome>& outcomes, double dx, double dy,
                  std::vector<std::pair<const DirectionalTable*, ArcIntegral>>& arcs, PerOutcome&& per_outcome) {
    const double r = std::hypot(dx, dy);
    const double phi = r > 0 ? std::atan2(dy, dx) : 0.0;
    arcs.clear();
    for (std::size_t k = 0; k < outcomes.size(); ++k) {
        const WindOutcome& w = outcomes[k];
        if (!(r < table_reach(*w.table))) continue;
        ArcIntegral* arc = nullptr;
        for (auto& [t, a] : arcs)
            if (t == w.table.get()) arc = &a;
        if (!arc) {
            arcs.emplace_back(w.table.get(), ArcIntegral{});
            arc = &arcs.back().second;
            arc->build(*w.table, r);
        }
        per_outcome(k, arc->sector_mean(wrap_angle(phi - w.toward_rad), w.half_sector_rad));
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------

LocalFrame::LocalFrame(geo::Coord origin) : m_origin(origin) {
    if (!(origin.x >= -180 && origin.x <= 180 && origin.y > -85 && origin.y < 85))
        throw UsageError(trf("local frame origin {},{} is not a lon,lat in degrees", six_digits(origin.x), six_digits(origin.y)));
    m_my = k_earth_radius_m * geo::k_rad_per_deg;
    m_mx = m_my * std::cos(origin.y * geo::k_rad_per_deg);
}

geo::Coord LocalFrame::to_local(geo::Coord p) const { return {(p.x - m_origin.x) * m_mx, (p.y - m_origin.y) * m_my}; }
geo::Coord LocalFrame::to_lonlat(geo::Coord p) const { return {m_origin.x + p.x / m_mx, m_origin.y + p.y / m_my}; }

void GridSpec::validate() const {
    if (!(std::isfinite(x0) && std::isfinite(y0))) throw UsageError(tr("risk grid: origin is not finite"));
    if (!(dx > 0 && dy > 0 && std::isfinite(dx) && std::isfinite(dy)))
        throw UsageError(trf("risk grid: cell size {} x {} m must be positive", six_digits(dx), six_digits(dy)));
    if (nx <= 0 || ny <= 0) throw UsageError(trf("risk grid: {} x {} cells", nx, ny));
    if (static_cast<double>(nx) * static_cast<double>(ny) > static_cast<double>(1u << 28))
        throw UsageError(trf("risk grid: {} x {} cells is more than 2^28; use a larger cell or a smaller area", nx, ny));
}

RadialTable::RadialTable(const std::function<double(double)>& p, double r_max_m, int samples) {
    if (!(r_max_m > 0 && std::isfinite(r_max_m))) throw UsageError(trf("radial lethality table: maximum radius {} m", six_digits(r_max_m)));
    if (samples < 2) throw UsageError(tr("radial lethality table: fewer than 2 samples"));
    m_r_max = r_max_m;
    m_r_max2 = r_max_m * r_max_m;
    const double step = m_r_max2 / samples;
    m_inv_step = 1.0 / step;
    m_p.resize(static_cast<std::size_t>(samples) + 2, 0.0);
    for (int k = 0; k <= samples; ++k) {
        const double r = std::sqrt(k * step);
        const double v = p(r);
        check_probability(v, [&] { return fmt::format("r = {} m", six_digits(r)); });
        m_p[static_cast<std::size_t>(k)] = v;
    }
}

DirectionalTable::DirectionalTable(const std::function<double(double, double)>& p, double u_max_m, double v_max_m, int nu, int nv) {
    if (!(u_max_m > 0 && v_max_m > 0 && std::isfinite(u_max_m) && std::isfinite(v_max_m)))
        throw UsageError(trf("directional lethality table: extent {} x {} m", six_digits(u_max_m), six_digits(v_max_m)));
    if (nu < 2 || nv < 2) throw UsageError(tr("directional lethality table: fewer than 2 samples per axis"));
    m_u_max = u_max_m;
    m_v_max = v_max_m;
    const double du = u_max_m / nu, dv = v_max_m / nv;
    m_inv_du = 1.0 / du;
    m_inv_dv = 1.0 / dv;
    m_stride = static_cast<std::size_t>(nv) + 2;
    // One extra row and column of zeros so iu + 1 and iv + 1 are always in range.
    m_p.assign((static_cast<std::size_t>(nu) + 2) * m_stride, 0.0);
    for (int a = 0; a <= nu; ++a)
        for (int b = 0; b <= nv; ++b) {
            const double v = p(a * du, b * dv);
            check_probability(v, [&] { return fmt::format("u = {} m, v = {} m", six_digits(a * du), six_digits(b * dv)); });
            m_p[static_cast<std::size_t>(a) * m_stride + static_cast<std::size_t>(b)] = v;
        }
}

void ArcIntegral::build(const DirectionalTable& t, double r) {
    VIGIL_ASSERT(r >= 0 && std::isfinite(r));
    // P = 0 where |v| = r·|sin β| ≥ v_max (beyond b) and where u = r·cos β ≥ u_max (short of
    // a0). The table jumps to 0 at those edges, so the samples start and end exactly on them,
    // taken from inside: a trapezoid across a jump would lose half a step there.
    m_b = r <= t.v_max() ? std::numbers::pi / 2 : std::asin(t.v_max() / r);
    m_a0 = r > t.u_max() ? std::acos(t.u_max() / r) : 0.0;
    m_total = 0;
    if (!(m_a0 < m_b)) {
        m_b = 0;
        return;
    }
    // Steps at most half a table cell along the arc, and at most π/128 near the source.
    const double cell = 0.5 * std::min(t.du(), t.dv());
    const double h_max = r > 0 ? std::min(std::numbers::pi / 128, cell / r) : std::numbers::pi / 128;
    const int n = static_cast<int>(std::clamp(std::ceil((m_b - m_a0) / h_max), 1.0, 65536.0));
    const double h = (m_b - m_a0) / n;
    m_inv_h = 1.0 / h;
    m_g.resize(static_cast<std::size_t>(n) + 2);
    const double u_in = t.u_max() * (1 - 1e-12), v_in = t.v_max() * (1 - 1e-12);
    auto p = [&](double c, double s) { return t.at(std::min(std::max(r * c, 0.0), u_in), std::min(r * s, v_in)); };
    // The arc's points by rotation (one sincos for the step, not one per sample).
    const double ch = std::cos(h), sh = std::sin(h);
    double c = std::cos(m_a0), s = std::sin(m_a0), prev = p(c, s), g = 0;
    m_g[0] = 0;
    for (int i = 1; i <= n; ++i) {
        const double c2 = c * ch - s * sh;
        s = s * ch + c * sh;
        c = c2;
        const double pi = p(c, s);
        g += h * (prev + pi) / 2;
        prev = pi;
        m_g[static_cast<std::size_t>(i)] = g;
    }
    m_g[static_cast<std::size_t>(n) + 1] = g; // so g() may read i + 1 at a = b after rounding
    m_total = g;
}

SectorTable::SectorTable(const std::vector<WindOutcome>& outcomes, int nr, int nq, double cut) {
    if (outcomes.empty()) throw UsageError(tr("wind sector table: no wind outcomes"));
    if (nr < 2 || nq < 2) throw UsageError(tr("wind sector table: fewer than 2 samples per axis"));
    std::vector<const DirectionalTable*> tables;
    std::vector<std::size_t> table_of;
    for (const auto& w : outcomes) {
        if (!w.table) throw UsageError(tr("wind sector table: a wind outcome has no lethality table"));
        if (!(w.weight >= 0 && std::isfinite(w.weight))) throw UsageError(trf("wind sector table: wind weight {}", six_digits(w.weight)));
        if (!std::isfinite(w.toward_rad)) throw UsageError(tr("wind sector table: wind direction is not finite"));
        if (!(w.half_sector_rad > 0 && w.half_sector_rad <= std::numbers::pi / 2))
            throw UsageError(trf("wind sector table: half sector {} rad outside (0, π/2]", six_digits(w.half_sector_rad)));
        const auto it = std::find(tables.begin(), tables.end(), w.table.get());
        table_of.push_back(static_cast<std::size_t>(it - tables.begin()));
        if (it == tables.end()) tables.push_back(w.table.get());
        m_r_max = std::max(m_r_max, table_reach(*w.table));
    }
    m_r_max2 = m_r_max * m_r_max;
    const double ds = std::sqrt(m_r_max) / nr;
    m_inv_ds = 1.0 / ds;
    m_nq = nq;
    const auto cols = 4 * static_cast<std::size_t>(nq);
    m_stride = cols + 2;
    m_q.assign((static_cast<std::size_t>(nr) + 2) * m_stride, 0.0);
    // The true angle of each column (the inverse of diamond_angle: in a quadrant, the fraction
    // f is sin/(cos + sin), so the angle is atan2(f, 1 − f)).
    std::vector<double> angle(cols);
    for (std::size_t j = 0; j < cols; ++j) {
        const double t = static_cast<double>(j) / nq;
        const double q = std::floor(t), f = t - q;
        angle[j] = q * std::numbers::pi / 2 + std::atan2(f, 1 - f);
    }
    auto column = [&](double a) { // the column at or below angle a
        const double t = diamond_angle(std::cos(a), std::sin(a)) * nq;
        return static_cast<std::ptrdiff_t>(std::floor(t));
    };
    std::vector<ArcIntegral> arcs(tables.size());
    for (int k = 0; k <= nr; ++k) {
        const double r = (k * ds) * (k * ds);
        for (std::size_t c = 0; c < tables.size(); ++c) arcs[c].build(*tables[c], r);
        double* row = &m_q[static_cast<std::size_t>(k) * m_stride];
        for (std::size_t o = 0; o < outcomes.size(); ++o) {
            const WindOutcome& w = outcomes[o];
            const ArcIntegral& arc = arcs[table_of[o]];
            if (w.weight == 0 || arc.total() == 0) continue;
            // Only the angles within Δ + support of the sector's centre get anything.
            const double window = w.half_sector_rad + arc.support();
            std::ptrdiff_t j0 = 0, count = static_cast<std::ptrdiff_t>(cols);
            if (window < std::numbers::pi - 0.01) {
                j0 = column(w.toward_rad - window) - 1;
                const std::ptrdiff_t j1 = column(w.toward_rad + window) + 1;
                const auto n = static_cast<std::ptrdiff_t>(cols);
                count = std::min(n, ((j1 - j0) % n + n) % n + 1);
            }
            const double scale = w.weight / (2 * w.half_sector_rad);
            const double toward = wrap_angle(w.toward_rad); // so angle − toward is within ±3π
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                const auto n = static_cast<std::ptrdiff_t>(cols);
                const auto j = static_cast<std::size_t>(((j0 + m) % n + n) % n);
                const double gamma = wrap_angle(angle[j] - toward);
                row[j] += scale * arc.between(gamma - w.half_sector_rad, gamma + w.half_sector_rad);
            }
        }
        row[cols] = row[0];
        row[cols + 1] = row[1];
    }
    // The tail where no direction reaches the cut is dropped: the sectors spread a far plume's
    // lethality thin, and a disk of its full reach would cost every cell of a county for
    // nothing.
    if (cut < 0) {
        double weights = 0;
        for (const auto& w : outcomes) weights += w.weight;
        cut = k_sector_cut * weights;
    }
    int last = 0;
    for (int k = 0; k <= nr; ++k) {
        const double* row = &m_q[static_cast<std::size_t>(k) * m_stride];
        if (*std::max_element(row, row + cols) >= cut) last = k;
    }
    const int keep = std::min(nr, last + 1);
    m_r_max = std::min(m_r_max, (keep * ds) * (keep * ds));
    m_r_max2 = m_r_max * m_r_max;
    std::fill(m_q.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(keep + 1) * m_stride), m_q.end(), 0.0);
}

geo::BBox reach(const Scenario& s) {
    geo::BBox b;
    if (s.radial) {
        const double r = s.radial->r_max();
        b.add(geo::Coord{s.at.x - r, s.at.y - r});
        b.add(geo::Coord{s.at.x + r, s.at.y + r});
    }
    for (const auto& w : s.directional) {
        const double r = table_reach(*w.table);
        b.add(geo::Coord{s.at.x - r, s.at.y - r});
        b.add(geo::Coord{s.at.x + r, s.at.y + r});
    }
    if (s.gaussian_sigma_m > 0) {
        const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
        b.add(geo::Coord{s.at.x - r, s.at.y - r});
        b.add(geo::Coord{s.at.x + r, s.at.y + r});
    }
    return b;
}

double lethality(const Scenario& s, double x, double y) {
    const double dx = x - s.at.x, dy = y - s.at.y;
    double p = 0;
    if (s.radial) p += radial_term(*s.radial, 1.0, dx, dy * dy);
    std::vector<std::pair<const DirectionalTable*, ArcIntegral>> arcs;
    sector_means(s.directional, dx, dy, arcs, [&](std::size_t k, double mean) { p += s.directional[k].weight * mean; });
    if (s.gaussian_sigma_m > 0) {
        const double k = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
        const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
        p += gaussian_term(gaussian_y(1.0, dy * dy, k), gaussian_x(dx, k), dx, dy * dy, r * r);
    }
    return p;
}

// ---------------------------------------------------------------------------------------------

RiskGrid::RiskGrid(GridSpec spec, std::vector<Scenario> scenarios, unsigned threads) : m_spec(spec), m_scenarios(std::move(scenarios)) {
    m_spec.validate();
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        const auto& s = m_scenarios[k];
        auto where = [&] { return s.label.empty() ? trf("scenario {}", k) : trf("scenario {} ({})", k, s.label); };
        if (!(std::isfinite(s.at.x) && std::isfinite(s.at.y))) throw UsageError(trf("{}: position is not finite", where()));
        if (!(s.frequency >= 0 && std::isfinite(s.frequency)))
            throw UsageError(trf("{}: frequency {} per year", where(), six_digits(s.frequency)));
        double sum = 0;
        for (const auto& w : s.directional) {
            if (!w.table) throw UsageError(trf("{}: a wind outcome has no lethality table", where()));
            if (!(w.weight >= 0 && w.weight <= 1)) throw UsageError(trf("{}: wind weight {}", where(), six_digits(w.weight)));
            if (!std::isfinite(w.toward_rad)) throw UsageError(trf("{}: wind direction is not finite", where()));
            if (!(w.half_sector_rad > 0 && w.half_sector_rad <= std::numbers::pi / 2))
                throw UsageError(trf("{}: wind half sector {} rad outside (0, π/2]", where(), six_digits(w.half_sector_rad)));
            sum += w.weight;
        }
        if (sum > 1 + 1e-9) throw UsageError(trf("{}: wind weights add up to {} (more than 1)", where(), six_digits(sum)));
        if (s.gaussian_sigma_m < 0 || !std::isfinite(s.gaussian_sigma_m) || !(s.gaussian_cutoff_sigmas > 0))
            throw UsageError(
                trf("{}: Gaussian sigma {} m, cutoff {}", where(), six_digits(s.gaussian_sigma_m), six_digits(s.gaussian_cutoff_sigmas)));
        m_reach.push_back(reach(s));
    }
    // One sector table per distinct outcome set: sources with the same inventory under the
    // same rose share theirs (the tables are what costs; a linear search over a few dozen is not).
    auto same = [](const std::vector<WindOutcome>& a, const std::vector<WindOutcome>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            if (a[k].table != b[k].table || a[k].weight != b[k].weight || a[k].toward_rad != b[k].toward_rad ||
                a[k].half_sector_rad != b[k].half_sector_rad)
                return false;
        return true;
    };
    // The scenarios at one place (a source's loss-of-containment cases) share one sector table
    // of their outcomes weighted by frequency: one look-up per source and cell, not one per
    // scenario. It sits with the first of them (m_sector_f = 1: the frequencies are inside);
    // a lone scenario keeps a table of its own outcomes, scaled by its frequency per cell.
    std::vector<std::vector<WindOutcome>> merged(m_scenarios.size());
    std::vector<char> joint(m_scenarios.size(), 0);
    m_sector_f.assign(m_scenarios.size(), 0.0);
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        const Scenario& s = m_scenarios[k];
        if (s.directional.empty()) continue;
        std::size_t home = k;
        for (std::size_t b = 0; b < k; ++b)
            if (!merged[b].empty() && m_scenarios[b].at.x == s.at.x && m_scenarios[b].at.y == s.at.y) {
                home = b;
                break;
            }
        if (home == k) {
            merged[k] = s.directional;
            m_sector_f[k] = s.frequency;
            continue;
        }
        if (!joint[home]) { // the first to join: fold the home scenario's frequency in
            for (auto& w : merged[home]) w.weight *= m_sector_f[home];
            m_sector_f[home] = 1.0;
            joint[home] = 1;
        }
        for (auto w : s.directional) {
            w.weight *= s.frequency;
            merged[home].push_back(w);
        }
    }
    std::vector<std::size_t> firsts; // homes whose outcome sets are the first of their kind
    std::vector<std::size_t> first_of(m_scenarios.size(), 0);
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        if (merged[k].empty()) continue;
        const auto it =
            std::find_if(firsts.begin(), firsts.end(), [&](std::size_t b) { return joint[b] == joint[k] && same(merged[b], merged[k]); });
        if (it != firsts.end()) {
            first_of[k] = *it;
        } else {
            first_of[k] = k;
            firsts.push_back(k);
        }
    }
    // Built on `threads` threads, tables handed out from a counter (each is independent).
    m_sectors.resize(m_scenarios.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
#if defined(__EMSCRIPTEN__)
    threads = 1; // see compute()
#endif
    std::atomic<std::size_t> next{0};
    auto build = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < firsts.size();) {
            const std::size_t k = firsts[i];
            // The table's values times m_sector_f are IR per year; cut them at k_grid_cut_per_year.
            const double cut = m_sector_f[k] > 0 ? k_grid_cut_per_year / m_sector_f[k] : -1.0;
            m_sectors[k] = std::make_shared<SectorTable>(merged[k], 160, 128, cut);
        }
    };
    {
        std::vector<std::thread> pool;
        const auto n = static_cast<unsigned>(std::min<std::size_t>(threads, firsts.size()));
        for (unsigned t = 1; t < n; ++t) pool.emplace_back(build);
        build();
        for (auto& t : pool) t.join();
    }
    for (std::size_t k = 0; k < m_scenarios.size(); ++k)
        if (!merged[k].empty()) {
            m_sectors[k] = m_sectors[first_of[k]];
            m_reach[k].add(reach_box(m_scenarios[k].at, m_sectors[k]->r_max())); // the merged outcomes reach this far
        }
    m_values.assign(m_spec.cells(), 0.0);
    m_ex_start.assign(1, 0);
    for (const auto& s : m_scenarios) {
        Span cols;
        if (s.gaussian_sigma_m > 0) {
            const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
            cols = centres_within(s.at.x - r, s.at.x + r, m_spec.x0, m_spec.dx, m_spec.nx);
        }
        m_ex_col.push_back(cols.lo);
        m_ex_start.push_back(m_ex_start.back() + static_cast<std::size_t>(std::max(0, cols.hi - cols.lo)));
    }
    m_ex.assign(m_ex_start.back(), 0.0);
    m_xc.resize(static_cast<std::size_t>(m_spec.nx));
    for (int i = 0; i < m_spec.nx; ++i) m_xc[static_cast<std::size_t>(i)] = m_spec.cx(i);
}

void RiskGrid::prepare_factors(std::size_t k0, std::size_t k1) {
    for (std::size_t k = k0; k < k1; ++k) {
        const Scenario& s = m_scenarios[k];
        if (!(s.gaussian_sigma_m > 0)) continue;
        const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
        const double kk = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
        const Span cols = centres_within(s.at.x - r, s.at.x + r, m_spec.x0, m_spec.dx, m_spec.nx);
        double* ex = m_ex.data() + m_ex_start[k];
        for (int i = cols.lo; i < cols.hi; ++i) *ex++ = gaussian_x(m_xc[static_cast<std::size_t>(i)] - s.at.x, kk);
    }
}

void RiskGrid::add_scenario_rows(std::size_t index, int r0, int r1, std::size_t& terms) {
    const Scenario& s = m_scenarios[index];
    const GridSpec& g = m_spec;
    const double* xc = m_xc.data();
    const double f = s.frequency;
    const double sx = s.at.x, sy = s.at.y;
    const auto nx = static_cast<std::size_t>(g.nx);

    if (s.radial) {
        const RadialTable& t = *s.radial;
        const double r = t.r_max();
        const Span rows = centres_within(sy - r, sy + r, g.y0, g.dy, g.ny);
        for (int j = std::max(rows.lo, r0); j < std::min(rows.hi, r1); ++j) {
            const double dy = g.cy(j) - sy, dy2 = dy * dy;
            const double half = std::sqrt(std::max(0.0, t.r_max2() - dy2));
            const Span cols = centres_within(sx - half, sx + half, g.x0, g.dx, g.nx);
            double* row = &m_values[static_cast<std::size_t>(j) * nx];
            for (int i = cols.lo; i < cols.hi; ++i) row[i] += radial_term(t, f, xc[i] - sx, dy2);
            terms += static_cast<std::size_t>(std::max(0, cols.hi - cols.lo));
        }
    }
    if (const SectorTable* st = m_sectors[index].get()) {
        // A disk, like the radial part: the sectors fan out all round the source.
        const double r = st->r_max();
        const Span rows = centres_within(sy - r, sy + r, g.y0, g.dy, g.ny);
        for (int j = std::max(rows.lo, r0); j < std::min(rows.hi, r1); ++j) {
            const double dy = g.cy(j) - sy, dy2 = dy * dy;
            const double half = std::sqrt(std::max(0.0, st->r_max2() - dy2));
            const Span cols = centres_within(sx - half, sx + half, g.x0, g.dx, g.nx);
            double* row = &m_values[static_cast<std::size_t>(j) * nx];
            const double fs = m_sector_f[index];
            for (int i = cols.lo; i < cols.hi; ++i) row[i] += sector_term(*st, fs, xc[i] - sx, dy);
            terms += static_cast<std::size_t>(std::max(0, cols.hi - cols.lo));
        }
    }
    if (s.gaussian_sigma_m > 0) {
        const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m, r2 = r * r;
        const double k = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
        const Span rows = centres_within(sy - r, sy + r, g.y0, g.dy, g.ny);
        const Span cols = centres_within(sx - r, sx + r, g.x0, g.dx, g.nx);
        const int j0 = std::max(rows.lo, r0), j1 = std::min(rows.hi, r1);
        if (j0 >= j1 || cols.empty()) return;
        // The x factors were computed once per column of the window (prepare_factors). In a row the cells with d² ≤ r² form one
        // run (d² is monotone in |dx| even after rounding), found from sqrt and then corrected
        // with the exact test of gaussian_term(), so the run holds exactly the cells the
        // brute force keeps; the run itself is a plain multiply-add that gcc vectorises.
        const auto w = static_cast<std::size_t>(cols.hi - cols.lo);
        VIGIL_ASSERT(m_factors_ready && m_ex_col[index] == cols.lo && m_ex_start[index + 1] - m_ex_start[index] == w);
        const double* ex = m_ex.data() + m_ex_start[index];
        const double* xw = xc + cols.lo;
        const auto wi = static_cast<std::ptrdiff_t>(w);
        std::size_t row_terms = 0;
        for (int j = j0; j < j1; ++j) {
            const double dy = g.cy(j) - sy, dy2 = dy * dy;
            if (!(dy2 <= r2)) continue;
            auto inside = [&](std::ptrdiff_t i) {
                const double dx = xw[i] - sx;
                return dx * dx + dy2 <= r2;
            };
            const double half = std::sqrt(r2 - dy2);
            std::ptrdiff_t lo = std::clamp<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(std::ceil((sx - half - xw[0]) / g.dx)), 0, wi);
            std::ptrdiff_t hi = std::clamp<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(std::floor((sx + half - xw[0]) / g.dx)) + 1, lo, wi);
            while (lo < hi && !inside(lo)) ++lo;
            while (lo > 0 && inside(lo - 1)) --lo;
            while (hi > lo && !inside(hi - 1)) --hi;
            while (hi < wi && inside(hi)) ++hi;
            const double fy = gaussian_y(f, dy2, k);
            double* row = &m_values[static_cast<std::size_t>(j) * nx + static_cast<std::size_t>(cols.lo)];
            for (std::ptrdiff_t i = lo; i < hi; ++i) row[i] += fy * ex[i];
            row_terms += static_cast<std::size_t>(hi - lo);
        }
        terms += row_terms;
    }
}

void RiskGrid::compute_rows(int r0, int r1) {
    r0 = std::clamp(r0, 0, m_spec.ny);
    r1 = std::clamp(r1, r0, m_spec.ny);
    const auto nx = static_cast<std::size_t>(m_spec.nx);
    std::fill(m_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r0) * nx),
              m_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r1) * nx), 0.0);
    if (!m_factors_ready) {
        prepare_factors(0, m_scenarios.size());
        m_factors_ready = true;
    }
    std::size_t terms = 0;
    const double ylo = m_spec.y0 + r0 * m_spec.dy - m_spec.dy, yhi = m_spec.y0 + r1 * m_spec.dy + m_spec.dy;
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        const geo::BBox& b = m_reach[k];
        if (b.empty() || b.max_y < ylo || b.min_y > yhi) continue; // cannot touch these rows
        add_scenario_rows(k, r0, r1, terms);
    }
    m_terms += terms;
}

void RiskGrid::compute(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
#if defined(__EMSCRIPTEN__)
    // Under Emscripten this runs on the page's main thread (or node's), which must not block in
    // join(): a browser forbids it, and a std::thread that is not already in the worker pool
    // starts only once the main thread returns to the event loop, so joining it would deadlock.
    // One thread gives the same bits; the page spreads compute_rows() over frames instead.
    threads = 1;
#endif
    m_terms = 0;
    // Blocks of rows handed out in order from a counter: each block belongs to one thread,
    // and within it the scenarios are added in their given order, so the sums do not depend
    // on the thread count or on which thread took which block.
    constexpr int k_block = 16;
    const int blocks = (m_spec.ny + k_block - 1) / k_block;
    if (threads == 1 || blocks == 1) {
        compute_rows(0, m_spec.ny);
        return;
    }
    std::vector<std::thread> pool;
    const unsigned n = std::min<unsigned>(threads, static_cast<unsigned>(blocks));
    if (!m_factors_ready) {
        // Phase 1: the Gaussian factors, scenarios split evenly (each writes its own slice).
        const std::size_t ns = m_scenarios.size();
        auto part = [&](unsigned t) { prepare_factors(ns * t / n, ns * (t + 1) / n); };
        for (unsigned t = 1; t < n; ++t) pool.emplace_back(part, t);
        part(0);
        for (auto& t : pool) t.join();
        pool.clear();
        m_factors_ready = true;
    }
    std::atomic<int> next{0};
    std::atomic<std::size_t> total_terms{0};
    auto worker = [&] {
        std::size_t terms = 0;
        const auto nx = static_cast<std::size_t>(m_spec.nx);
        for (int b; (b = next.fetch_add(1)) < blocks;) {
            const int r0 = b * k_block, r1 = std::min(m_spec.ny, r0 + k_block);
            std::fill(m_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r0) * nx),
                      m_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r1) * nx), 0.0);
            const double ylo = m_spec.y0 + r0 * m_spec.dy - m_spec.dy, yhi = m_spec.y0 + r1 * m_spec.dy + m_spec.dy;
            for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
                const geo::BBox& bb = m_reach[k];
                if (bb.empty() || bb.max_y < ylo || bb.min_y > yhi) continue;
                add_scenario_rows(k, r0, r1, terms);
            }
        }
        total_terms += terms;
    };
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    m_terms = total_terms;
}

double RiskGrid::max_value() const {
    double m = 0;
    for (double v : m_values) m = std::max(m, v);
    return m;
}

std::vector<double> RiskGrid::brute_force() const {
    const GridSpec& g = m_spec;
    std::vector<double> out(g.cells(), 0.0);
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            double& cell = out[static_cast<std::size_t>(j) * static_cast<std::size_t>(g.nx) + static_cast<std::size_t>(i)];
            cell = evaluate({m_xc[static_cast<std::size_t>(i)], g.cy(j)});
        }
    return out;
}

double RiskGrid::evaluate(geo::Coord p) const {
    // Every term of every scenario, without the grid's culling: brute_force() is this per cell.
    double ir = 0;
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        const Scenario& s = m_scenarios[k];
        const double dx = p.x - s.at.x, dy = p.y - s.at.y, dy2 = dy * dy;
        if (s.radial) ir += radial_term(*s.radial, s.frequency, dx, dy2);
        if (m_sectors[k]) ir += sector_term(*m_sectors[k], m_sector_f[k], dx, dy);
        if (s.gaussian_sigma_m > 0) {
            const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
            const double kk = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
            ir += gaussian_term(gaussian_y(s.frequency, dy2, kk), gaussian_x(dx, kk), dx, dy2, r * r);
        }
    }
    return ir;
}

// ---------------------------------------------------------------------------------------------
// Marching squares
//
//   c3 ──e2── c2      corners counter-clockwise from the south-west; edge ek runs from ck to
//   │          │      ck+1. A segment starts on an edge where the value falls below the level
//   e3        e1      (ck ≥ L > ck+1) and ends on one where it rises, so the high side is on its
//   │          │      left. Saddles (two of each) pair by the centre average: centre high →
//   c0 ──e0── c1      ek → ek+1 (low corners cut off), centre low → ek → ek−1.

std::vector<std::vector<geo::Coord>> contour_rings(const GridSpec& spec, const std::vector<double>& values, double level) {
    spec.validate();
    if (values.size() != spec.cells()) throw UsageError(trf("contour: {} values for a {} x {} grid", values.size(), spec.nx, spec.ny));
    if (!(level > 0 && std::isfinite(level))) throw UsageError(trf("contour level {} must be positive", six_digits(level)));
    // Padded lattice: node (a, b), a in [0, nx + 1], is cell (a − 1, b − 1); the border is 0.
    const std::int64_t w = spec.nx + 2, h = spec.ny + 2;
    auto val = [&](std::int64_t a, std::int64_t b) -> double {
        if (a == 0 || b == 0 || a == w - 1 || b == h - 1) return 0.0;
        return values[static_cast<std::size_t>((b - 1) * spec.nx + (a - 1))];
    };
    auto pos = [&](std::int64_t a, std::int64_t b) -> geo::Coord {
        return {spec.cx(static_cast<int>(a - 1)), spec.cy(static_cast<int>(b - 1))};
    };
    // Edge ids: horizontal edge from node (a, b) to (a + 1, b) = 2·(b·w + a); vertical edge from
    // (a, b) to (a, b + 1) = 2·(b·w + a) + 1. The crossing point is computed from the edge's lower
    // node, so the two squares sharing an edge agree on it exactly.
    auto crossing = [&](std::int64_t id) -> geo::Coord {
        const std::int64_t n = id / 2, a = n % w, b = n / w;
        const std::int64_t a2 = (id & 1) ? a : a + 1, b2 = (id & 1) ? b + 1 : b;
        const double v0 = val(a, b), v1 = val(a2, b2);
        const double t = (level - v0) / (v1 - v0);
        const geo::Coord p0 = pos(a, b), p1 = pos(a2, b2);
        return {p0.x + t * (p1.x - p0.x), p0.y + t * (p1.y - p0.y)};
    };
    std::unordered_map<std::int64_t, std::int64_t> next; // segment start edge → end edge
    for (std::int64_t b = 0; b + 1 < h; ++b)
        for (std::int64_t a = 0; a + 1 < w; ++a) {
            const double c[4] = {val(a, b), val(a + 1, b), val(a + 1, b + 1), val(a, b + 1)};
            const bool hi[4] = {c[0] >= level, c[1] >= level, c[2] >= level, c[3] >= level};
            if (hi[0] == hi[1] && hi[1] == hi[2] && hi[2] == hi[3]) continue;
            const std::int64_t e[4] = {2 * (b * w + a), 2 * (b * w + a + 1) + 1, 2 * ((b + 1) * w + a), 2 * (b * w + a) + 1};
            int falls[2], rises[2], nf = 0, nr = 0;
            for (int k = 0; k < 4; ++k) {
                if (hi[k] && !hi[(k + 1) % 4]) falls[nf++] = k;
                if (!hi[k] && hi[(k + 1) % 4]) rises[nr++] = k;
            }
            VIGIL_ASSERT(nf == nr && nf >= 1 && nf <= 2);
            if (nf == 1) {
                next[e[falls[0]]] = e[rises[0]];
            } else {
                const bool centre_high = (c[0] + c[1] + c[2] + c[3]) / 4 >= level;
                for (int q = 0; q < 2; ++q) {
                    const int k = falls[q];
                    next[e[k]] = e[centre_high ? (k + 1) % 4 : (k + 3) % 4];
                }
            }
        }
    std::vector<std::vector<geo::Coord>> rings;
    // Walk in a fixed order (smallest start edge first) so the output does not depend on the
    // hash map's iteration order.
    std::vector<std::int64_t> starts;
    starts.reserve(next.size());
    for (const auto& kv : next) starts.push_back(kv.first);
    std::sort(starts.begin(), starts.end());
    for (std::int64_t start : starts) {
        auto it = next.find(start);
        if (it == next.end()) continue; // already walked
        std::vector<geo::Coord> ring;
        std::int64_t e = start;
        while (true) {
            auto cur = next.find(e);
            VIGIL_ASSERT(cur != next.end()); // every crossing ends one segment and starts another
            ring.push_back(crossing(e));
            const std::int64_t to = cur->second;
            next.erase(cur);
            e = to;
            if (e == start) break;
        }
        ring.push_back(ring.front());
        rings.push_back(std::move(ring));
    }
    return rings;
}

bool inside_rings(const std::vector<std::vector<geo::Coord>>& rings, geo::Coord p) {
    bool in = false;
    for (const auto& r : rings) {
        if (r.empty()) continue;
        for (std::size_t k = 0, l = r.size() - 1; k < r.size(); l = k++)
            if ((r[k].y > p.y) != (r[l].y > p.y) && p.x < (r[l].x - r[k].x) * (p.y - r[k].y) / (r[l].y - r[k].y) + r[k].x) in = !in;
    }
    return in;
}

double area_at_or_above(const GridSpec& spec, const std::vector<double>& values, double level) {
    std::size_t n = 0;
    for (double v : values) n += v >= level;
    return static_cast<double>(n) * spec.dx * spec.dy;
}

std::vector<FnPoint> fn_curve(const std::vector<Scenario>& scenarios, const std::vector<PopulationPoint>& population) {
    struct Outcome {
        double n, f;
    };
    std::vector<Outcome> outcomes;
    std::vector<std::pair<const DirectionalTable*, ArcIntegral>> arcs;
    for (const auto& s : scenarios) {
        if (s.frequency <= 0) continue;
        // Deaths from the parts that do not depend on the wind, then per wind direction.
        double base = 0;
        std::vector<double> dir(s.directional.size(), 0.0);
        for (const auto& p : population) {
            const double dx = p.at.x - s.at.x, dy = p.at.y - s.at.y;
            double pb = 0;
            if (s.radial) pb += radial_term(*s.radial, 1.0, dx, dy * dy);
            if (s.gaussian_sigma_m > 0) {
                const double k = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
                const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
                pb += gaussian_term(gaussian_y(1.0, dy * dy, k), gaussian_x(dx, k), dx, dy * dy, r * r);
            }
            base += p.people * std::min(1.0, pb);
            sector_means(s.directional, dx, dy, arcs,
                         [&](std::size_t k, double pd) { dir[k] += p.people * (std::min(1.0, pb + pd) - std::min(1.0, pb)); });
        }
        double weight_left = 1;
        for (std::size_t k = 0; k < s.directional.size(); ++k) {
            outcomes.push_back({base + dir[k], s.frequency * s.directional[k].weight});
            weight_left -= s.directional[k].weight;
        }
        if (weight_left > 1e-12) outcomes.push_back({base, s.frequency * weight_left});
    }
    std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) { return a.n > b.n; });
    std::vector<FnPoint> curve;
    double cumulative = 0;
    for (const auto& o : outcomes) {
        if (o.n < 1) break;
        cumulative += o.f;
        if (!curve.empty() && curve.back().n == o.n) curve.back().f = cumulative;
        else curve.push_back({o.n, cumulative});
    }
    std::reverse(curve.begin(), curve.end()); // N ascending, F descending
    return curve;
}

} // namespace vigil::hazard
