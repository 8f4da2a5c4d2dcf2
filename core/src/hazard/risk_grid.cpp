/// @file
/// The individual-risk grid engine, its iso-risk contours and the F–N curve (see risk_grid.hpp).

#include <vigil/hazard/risk_grid.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/error.hpp>

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
constexpr double k_deg = std::numbers::pi / 180.0;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

/// `where` builds the place for the message only when p is bad: the tables check every sample,
/// and formatting the place eagerly was 40 % of `vigil risk`'s scenario time.
template <class Where>
void check_probability(double p, Where&& where) {
    if (!(p >= 0.0 && p <= 1.0)) throw FormatError("lethality " + num(p) + " outside [0, 1] at " + where());
}

// Per-cell terms shared by the banded loops and brute_force(), so that both evaluate each
// term with exactly the same operations (the bit-identity the tests prove rests on this).
inline double radial_term(const RadialTable& t, double f, double dx, double dy2) {
    const double d2 = dx * dx + dy2;
    return f * t.at_d2(d2);
}
inline double directional_term(const DirectionalTable& t, double fw, double c, double s, double dx, double dy) {
    const double u = dx * c + dy * s;
    const double v = dy * c - dx * s;
    return fw * t.at(u, v);
}
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

geo::BBox rotated_reach(const Scenario& s, const WindOutcome& w) {
    const double c = std::cos(w.toward_rad), sn = std::sin(w.toward_rad);
    const double um = w.table->u_max(), vm = w.table->v_max();
    geo::BBox b;
    for (double u : {0.0, um})
        for (double v : {-vm, vm}) b.add(geo::Coord{s.at.x + u * c - v * sn, s.at.y + u * sn + v * c});
    return b;
}

} // namespace

// ---------------------------------------------------------------------------------------------

LocalFrame::LocalFrame(geo::Coord origin) : m_origin(origin) {
    if (!(origin.x >= -180 && origin.x <= 180 && origin.y > -85 && origin.y < 85))
        throw UsageError("local frame origin " + num(origin.x) + "," + num(origin.y) + " is not a lon,lat in degrees");
    m_my = k_earth_radius_m * k_deg;
    m_mx = m_my * std::cos(origin.y * k_deg);
}

geo::Coord LocalFrame::to_local(geo::Coord p) const { return {(p.x - m_origin.x) * m_mx, (p.y - m_origin.y) * m_my}; }
geo::Coord LocalFrame::to_lonlat(geo::Coord p) const { return {m_origin.x + p.x / m_mx, m_origin.y + p.y / m_my}; }

void GridSpec::validate() const {
    if (!(std::isfinite(x0) && std::isfinite(y0))) throw UsageError("risk grid: origin is not finite");
    if (!(dx > 0 && dy > 0 && std::isfinite(dx) && std::isfinite(dy)))
        throw UsageError("risk grid: cell size " + num(dx) + " x " + num(dy) + " m must be positive");
    if (nx <= 0 || ny <= 0) throw UsageError("risk grid: " + std::to_string(nx) + " x " + std::to_string(ny) + " cells");
    if (static_cast<double>(nx) * static_cast<double>(ny) > static_cast<double>(1u << 28))
        throw UsageError("risk grid: " + std::to_string(nx) + " x " + std::to_string(ny) +
                         " cells is more than 2^28; use a larger cell or a smaller area");
}

RadialTable::RadialTable(const std::function<double(double)>& p, double r_max_m, int samples) {
    if (!(r_max_m > 0 && std::isfinite(r_max_m))) throw UsageError("radial lethality table: maximum radius " + num(r_max_m) + " m");
    if (samples < 2) throw UsageError("radial lethality table: fewer than 2 samples");
    m_r_max = r_max_m;
    m_r_max2 = r_max_m * r_max_m;
    const double step = m_r_max2 / samples;
    m_inv_step = 1.0 / step;
    m_p.resize(static_cast<std::size_t>(samples) + 2, 0.0);
    for (int k = 0; k <= samples; ++k) {
        const double r = std::sqrt(k * step);
        const double v = p(r);
        check_probability(v, [&] { return "r = " + num(r) + " m"; });
        m_p[static_cast<std::size_t>(k)] = v;
    }
}

DirectionalTable::DirectionalTable(const std::function<double(double, double)>& p, double u_max_m, double v_max_m, int nu,
                                   int nv) {
    if (!(u_max_m > 0 && v_max_m > 0 && std::isfinite(u_max_m) && std::isfinite(v_max_m)))
        throw UsageError("directional lethality table: extent " + num(u_max_m) + " x " + num(v_max_m) + " m");
    if (nu < 2 || nv < 2) throw UsageError("directional lethality table: fewer than 2 samples per axis");
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
            check_probability(v, [&] { return "u = " + num(a * du) + " m, v = " + num(b * dv) + " m"; });
            m_p[static_cast<std::size_t>(a) * m_stride + static_cast<std::size_t>(b)] = v;
        }
}

geo::BBox reach(const Scenario& s) {
    geo::BBox b;
    if (s.radial) {
        const double r = s.radial->r_max();
        b.add(geo::Coord{s.at.x - r, s.at.y - r});
        b.add(geo::Coord{s.at.x + r, s.at.y + r});
    }
    for (const auto& w : s.directional) b.add(rotated_reach(s, w));
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
    for (const auto& w : s.directional)
        p += directional_term(*w.table, w.weight, std::cos(w.toward_rad), std::sin(w.toward_rad), dx, dy);
    if (s.gaussian_sigma_m > 0) {
        const double k = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
        const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
        p += gaussian_term(gaussian_y(1.0, dy * dy, k), gaussian_x(dx, k), dx, dy * dy, r * r);
    }
    return p;
}

// ---------------------------------------------------------------------------------------------

RiskGrid::RiskGrid(GridSpec spec, std::vector<Scenario> scenarios) : m_spec(spec), m_scenarios(std::move(scenarios)) {
    m_spec.validate();
    for (std::size_t k = 0; k < m_scenarios.size(); ++k) {
        const auto& s = m_scenarios[k];
        auto where = [&] { return "scenario " + std::to_string(k) + (s.label.empty() ? "" : " (" + s.label + ")"); };
        if (!(std::isfinite(s.at.x) && std::isfinite(s.at.y))) throw UsageError(where() + ": position is not finite");
        if (!(s.frequency >= 0 && std::isfinite(s.frequency)))
            throw UsageError(where() + ": frequency " + num(s.frequency) + " per year");
        double sum = 0;
        for (const auto& w : s.directional) {
            if (!w.table) throw UsageError(where() + ": a wind outcome has no lethality table");
            if (!(w.weight >= 0 && w.weight <= 1)) throw UsageError(where() + ": wind weight " + num(w.weight));
            if (!std::isfinite(w.toward_rad)) throw UsageError(where() + ": wind direction is not finite");
            sum += w.weight;
        }
        if (sum > 1 + 1e-9) throw UsageError(where() + ": wind weights add up to " + num(sum) + " (more than 1)");
        if (s.gaussian_sigma_m < 0 || !std::isfinite(s.gaussian_sigma_m) || !(s.gaussian_cutoff_sigmas > 0))
            throw UsageError(where() + ": Gaussian sigma " + num(s.gaussian_sigma_m) + " m, cutoff " +
                             num(s.gaussian_cutoff_sigmas));
        m_reach.push_back(reach(s));
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
    for (const auto& w : s.directional) {
        const DirectionalTable& t = *w.table;
        const double fw = f * w.weight, c = std::cos(w.toward_rad), sn = std::sin(w.toward_rad);
        const geo::BBox b = rotated_reach(s, w);
        const Span rows = centres_within(b.min_y, b.max_y, g.y0, g.dy, g.ny);
        const Span cols = centres_within(b.min_x, b.max_x, g.x0, g.dx, g.nx);
        for (int j = std::max(rows.lo, r0); j < std::min(rows.hi, r1); ++j) {
            const double dy = g.cy(j) - sy;
            double* row = &m_values[static_cast<std::size_t>(j) * nx];
            for (int i = cols.lo; i < cols.hi; ++i) row[i] += directional_term(t, fw, c, sn, xc[i] - sx, dy);
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
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    // The web build has no threads (no -pthread, so no COOP/COEP on the host): std::thread would
    // throw. One thread gives the same bits; the page spreads compute_rows() over frames instead.
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
            const double x = m_xc[static_cast<std::size_t>(i)], y = g.cy(j);
            for (const auto& s : m_scenarios) {
                const double dx = x - s.at.x, dy = y - s.at.y, dy2 = dy * dy;
                if (s.radial) cell += radial_term(*s.radial, s.frequency, dx, dy2);
                for (const auto& w : s.directional)
                    cell += directional_term(*w.table, s.frequency * w.weight, std::cos(w.toward_rad), std::sin(w.toward_rad), dx, dy);
                if (s.gaussian_sigma_m > 0) {
                    const double r = s.gaussian_cutoff_sigmas * s.gaussian_sigma_m;
                    const double k = 1.0 / (2 * s.gaussian_sigma_m * s.gaussian_sigma_m);
                    cell += gaussian_term(gaussian_y(s.frequency, dy2, k), gaussian_x(dx, k), dx, dy2, r * r);
                }
            }
        }
    return out;
}

double RiskGrid::evaluate(geo::Coord p) const {
    double ir = 0;
    for (const auto& s : m_scenarios) ir += s.frequency * lethality(s, p.x, p.y);
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
    if (values.size() != spec.cells())
        throw UsageError("contour: " + std::to_string(values.size()) + " values for a " + std::to_string(spec.nx) + " x " +
                         std::to_string(spec.ny) + " grid");
    if (!(level > 0 && std::isfinite(level))) throw UsageError("contour level " + num(level) + " must be positive");
    // Padded lattice: node (a, b), a in [0, nx + 1], is cell (a − 1, b − 1); the border is 0.
    const std::int64_t w = spec.nx + 2, h = spec.ny + 2;
    auto val = [&](std::int64_t a, std::int64_t b) -> double {
        if (a == 0 || b == 0 || a == w - 1 || b == h - 1) return 0.0;
        return values[static_cast<std::size_t>((b - 1) * spec.nx + (a - 1))];
    };
    auto pos = [&](std::int64_t a, std::int64_t b) -> geo::Coord { return {spec.cx(static_cast<int>(a - 1)), spec.cy(static_cast<int>(b - 1))}; };
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
            for (std::size_t k = 0; k < s.directional.size(); ++k) {
                const auto& w = s.directional[k];
                const double pd = directional_term(*w.table, 1.0, std::cos(w.toward_rad), std::sin(w.toward_rad), dx, dy);
                dir[k] += p.people * (std::min(1.0, pb + pd) - std::min(1.0, pb));
            }
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
