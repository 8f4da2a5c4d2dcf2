/// @file
/// Regional individual risk (QRA) on a grid: IR(cell) = Σ_s f_s · P_s(cell), the annual death
/// frequency of an unprotected person permanently at the cell centre (GB 36894-2018's
/// definition), from loss-of-containment scenarios s with frequency f_s per year and a
/// lethality P_s(x, y) in [0, 1].
///
/// Lethality models (all precomputed once per scenario kind and shared between scenarios):
///
///     RadialTable       P(r), isotropic (fire, BLEVE, explosion): tabulated uniformly in r²,
///                       so a cell needs no sqrt: P = lerp(tab, d² / step)
///     DirectionalTable  P(u, v), u downwind ≥ 0, v crosswind (symmetric): a toxic plume or a
///                       flammable cloud for one weather class; a scenario carries it once per
///                       wind-rose direction, weighted by that direction's probability:
///
///                             y (north)         u =  dx·cosθ + dy·sinθ   (θ: direction the
///                             |    / u               wind blows toward, from +x, counter-
///                             |   /                   clockwise)
///                             |  / θ            v = −dx·sinθ + dy·cosθ
///                             +--------- x
///     SectorTable       a scenario's wind outcomes together, each direction's probability
///                       spread evenly over its sector (22.5° for a 16-point rose), as the TNO
///                       Purple Book (CPR 18E §4) integrates the wind rose: a narrow plume then
///                       reaches the points between the rose's directions, not only those on
///                       them. Tabulated on a polar lattice per distinct set of outcomes: one
///                       bilinear look-up per cell instead of one per direction.
///     GaussianKernel    f·exp(−d²/2σ²), cut at d > kσ: the peers' synthetic risk task
///                       (../shared/peers risk_grid_cutoff); separable, exp(−dx²/2σ²)·exp(−dy²/2σ²),
///                       so a cell costs one compare and one multiply-add.
///
/// Speed: a scenario only touches the rows and columns of its bounding box (its maximum
/// effect radius); the inner loops over a row are branch-free and auto-vectorise at -O3.
/// Threads own whole blocks of rows and add the scenarios in their given order, so the result
/// is bit-identical whatever the thread count, and identical to brute_force() (every cell ×
/// every scenario), which the tests prove. compute_rows() is the browser's chunked entry point:
/// the page computes a few rows per frame.
///
/// Coordinates are metres in a local plane (LocalFrame: equirectangular about an origin,
/// good to ~0.3 % in distance over a 50 km county; see docs/hazard.md).
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cmath>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vigil::hazard {

/// A local metric plane about an origin: x east, y north, metres. Equirectangular on a sphere of
/// radius 6 371 008.8 m (the IUGG mean radius): the scale error grows as tan(lat0)·Δlat, about
/// 0.25 % at 20 km north or south of the origin at Jiaozuo's latitude.
class LocalFrame {
public:
    /// Throws UsageError for an origin outside lon [-180, 180], lat (-85, 85).
    explicit LocalFrame(geo::Coord origin_lonlat);
    geo::Coord origin() const { return m_origin; }
    geo::Coord to_local(geo::Coord lonlat) const;
    geo::Coord to_lonlat(geo::Coord xy) const;

private:
    geo::Coord m_origin;
    double m_mx = 0; ///< metres per degree of longitude at the origin
    double m_my = 0; ///< metres per degree of latitude
};

/// The grid: cell (i, j) has its centre at (x0 + (i + 0.5)·dx, y0 + (j + 0.5)·dy); row j = 0 is
/// the southern row; values are stored row-major, index j·nx + i.
struct GridSpec {
    double x0 = 0, y0 = 0; ///< south-west corner, metres
    double dx = 0, dy = 0; ///< cell size, metres
    int nx = 0, ny = 0;

    double cx(int i) const { return x0 + (i + 0.5) * dx; }
    double cy(int j) const { return y0 + (j + 0.5) * dy; }
    std::size_t cells() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
    /// Throws UsageError for a non-positive or non-finite size, or more than 2^28 cells.
    void validate() const;
};

/// Isotropic lethality P(r) tabulated on r² ∈ [0, r_max²]; 0 beyond r_max. Uniform steps in r²
/// resolve r to r_max²/(2·r·N) (0.6 m at r = r_max/10 for r_max = 500 m, N = 4096): fine where
/// lethality falls off, coarse only at the very centre, where it is saturated at 1 for every
/// real source model.
class RadialTable {
public:
    /// Samples `p` (r in metres → probability) at `samples` + 1 points uniform in r².
    /// Throws UsageError for r_max ≤ 0 or fewer than 2 samples, FormatError if p returns a value
    /// outside [0, 1] or NaN (naming r).
    RadialTable(const std::function<double(double r_m)>& p, double r_max_m, int samples = 4096);

    double r_max() const { return m_r_max; }
    double r_max2() const { return m_r_max2; }
    /// P at squared distance d2 (m²): linear interpolation in r²; 0 when d2 ≥ r_max².
    double at_d2(double d2) const {
        if (!(d2 < m_r_max2)) return 0.0;
        const double t = d2 * m_inv_step;
        const auto k = static_cast<std::size_t>(t);
        const double a = m_p[k];
        return a + (t - static_cast<double>(k)) * (m_p[k + 1] - a);
    }
    const std::vector<double>& samples() const { return m_p; }

private:
    std::vector<double> m_p; ///< samples + 2 entries: the last repeats 0 so k + 1 is always valid
    double m_r_max = 0, m_r_max2 = 0, m_inv_step = 0;
};

/// Bilinear interpolation in a row-major table at cell `row0` (its right neighbour row0[1], the
/// row below row0[stride]), fractions `f_row` down and `f_col` across: the inner loop of the
/// directional and the sector tables.
inline double bilinear(const double* row0, std::size_t stride, double f_row, double f_col) {
    const double* row1 = row0 + stride;
    const double a = row0[0] + f_col * (row0[1] - row0[0]);
    const double b = row1[0] + f_col * (row1[1] - row1[0]);
    return a + f_row * (b - a);
}

/// Directional lethality P(u, v): u ∈ [0, u_max] downwind, |v| ≤ v_max crosswind (the plume is
/// symmetric about its axis), bilinear between samples; 0 outside.
class DirectionalTable {
public:
    /// Samples `p(u, |v|)` on an nu × nv lattice (nu, nv ≥ 2). Throws like RadialTable.
    DirectionalTable(const std::function<double(double u_m, double v_m)>& p, double u_max_m, double v_max_m, int nu = 512, int nv = 128);

    double u_max() const { return m_u_max; }
    double v_max() const { return m_v_max; }
    double du() const { return 1.0 / m_inv_du; }
    double dv() const { return 1.0 / m_inv_dv; }
    double at(double u, double v) const {
        v = std::fabs(v);
        if (!(u >= 0.0 && u < m_u_max && v < m_v_max)) return 0.0;
        const double tu = u * m_inv_du, tv = v * m_inv_dv;
        const auto iu = static_cast<std::size_t>(tu), iv = static_cast<std::size_t>(tv);
        const double fu = tu - static_cast<double>(iu), fv = tv - static_cast<double>(iv);
        return bilinear(&m_p[iu * m_stride + iv], m_stride, fu, fv);
    }

private:
    std::vector<double> m_p; ///< (nu + 1) rows of (nv + 1) samples, u-major
    std::size_t m_stride = 0;
    double m_u_max = 0, m_v_max = 0, m_inv_du = 0, m_inv_dv = 0;
};

inline constexpr double k_rose16_half_sector_rad = 3.14159265358979323846 / 16; ///< 11.25°

/// One wind case of a directional scenario: the wind blows toward directions within
/// `half_sector_rad` of `toward_rad` (radians from +x, counter-clockwise: 0 = toward east, π/2 =
/// toward north), evenly spread over that sector, with probability `weight` in all. A wind
/// rose's direction stands for its whole sector (a 16-point rose: ±11.25°); treating it as one
/// ray leaves a narrow plume's lethality on 16 spokes and almost none between them.
struct WindOutcome {
    double weight = 0;
    double toward_rad = 0;
    std::shared_ptr<const DirectionalTable> table;
    double half_sector_rad = k_rose16_half_sector_rad; ///< (0, π/2]
};

/// ∫ P dβ of a directional table along the circle of radius r about the source, β the angle
/// from the downwind axis: the building block of the sector average. Trapezoids at most half a
/// table cell long along the arc, so the integral is that of the bilinear table to ~1e-3.
class ArcIntegral {
public:
    /// (Re)builds for table `t` at radius r ≥ 0 (reuses its buffer).
    void build(const DirectionalTable& t, double r);
    /// ∫_{a0}^{a1} P dβ for −3π/2 ≤ a0 ≤ a1 ≤ 3π/2 (P = 0 upwind, |β| > π/2).
    double between(double a0, double a1) const { return g(a1) - g(a0); }
    /// The half-angle beyond which P is 0 at this radius; ∫ over the whole circle.
    double support() const { return m_b; }
    double total() const { return 2 * m_total; }
    /// The average of P over the wind directions θ ∈ [−Δ, Δ] about the point's angle γ from
    /// the sector's centre (γ ∈ [−π, π], 0 < Δ ≤ π/2): the lethality of the sector's outcome.
    double sector_mean(double gamma, double half_sector) const {
        return between(gamma - half_sector, gamma + half_sector) / (2 * half_sector);
    }

private:
    // G(a) = ∫_0^a P dβ, odd in a because P is symmetric about the axis; P = 0 for |β| < a0
    // (beyond u_max) and |β| > b (beyond v_max), so samples run over [a0, b] only.
    double g(double a) const {
        const double s = a < 0 ? -1.0 : 1.0;
        a = std::fabs(a);
        if (!(a < m_b)) return s * m_total;
        if (!(a > m_a0)) return 0.0;
        const double t = (a - m_a0) * m_inv_h;
        const auto i = static_cast<std::size_t>(t);
        return s * (m_g[i] + (t - static_cast<double>(i)) * (m_g[i + 1] - m_g[i]));
    }
    std::vector<double> m_g;
    double m_a0 = 0, m_b = 0, m_inv_h = 0, m_total = 0;
};

/// The lethality of a set of wind outcomes together, each spread over its sector:
///
///     Q(r, φ) = Σ_o w_o · (1/2Δ_o) ∫_{−Δ_o}^{Δ_o} P_o(r·cos(φ − θ_o − δ), r·sin(φ − θ_o − δ)) dδ
///
/// at distance r and angle φ from the source, sampled on a polar lattice (nr + 1 radii uniform
/// in √r over [0, r_max], 4·nq angles) and bilinear between samples. √r puts the radii where
/// lethality changes fastest, near the source: a toxic puff's table reaching 30 km is sampled
/// every 22 m at 100 m from the source, every 220 m at 10 km. The angle is the "diamond angle"
/// (monotone in atan2, one division, no trigonometry per cell; its step varies between
/// π/(2nq)/2 and π/(2nq)). Samples are built from ArcIntegral, only over the angles each
/// outcome can reach; built once per distinct outcome set (RiskGrid: per source).
class SectorTable {
public:
    /// Weights may carry frequencies (RiskGrid merges the scenarios of one place). Radii beyond
    /// which no direction reaches `cut` are left out (cut < 0: 1e-6 × Σ weights). Throws
    /// UsageError for no outcomes, a missing table, a negative weight or a half sector outside
    /// (0, π/2].
    explicit SectorTable(const std::vector<WindOutcome>& outcomes, int nr = 160, int nq = 128, double cut = -1);

    double r_max() const { return m_r_max; }
    double r_max2() const { return m_r_max2; }
    double at(double dx, double dy) const {
        const double d2 = dx * dx + dy * dy;
        if (!(d2 < m_r_max2)) return 0.0;
        if (d2 == 0) return m_q[0]; // the diamond angle is 0/0 there; every angle is r = 0
        const double tr = std::sqrt(std::sqrt(d2)) * m_inv_ds;
        const double tq = diamond_angle(dx, dy) * m_nq;
        const auto ir = static_cast<std::size_t>(tr), iq = static_cast<std::size_t>(tq);
        const double fr = tr - static_cast<double>(ir), fq = tq - static_cast<double>(iq);
        return bilinear(&m_q[ir * m_stride + iq], m_stride, fr, fq);
    }
    /// A pseudo-angle in [0, 4): 0 toward +x, 1 toward +y, ..., monotone in atan2(y, x);
    /// (x, y) ≠ (0, 0).
    static double diamond_angle(double x, double y) {
        if (y >= 0) return x >= 0 ? y / (x + y) : 1 - x / (y - x);
        return x < 0 ? 2 - y / (-x - y) : 3 + x / (x - y);
    }

private:
    std::vector<double> m_q; ///< (nr + 2) rows of 4·nq + 2 samples (wrapped columns, a zero row)
    std::size_t m_stride = 0;
    double m_r_max = 0, m_r_max2 = 0, m_inv_ds = 0, m_nq = 0; ///< ds: the step in √r
};

/// f·exp(−d²/(2σ²)) cut at d > cutoff_sigmas·σ (the peers' synthetic task).
struct GaussianKernel {
    double sigma_m = 0;
    double cutoff_sigmas = 4;
};

/// One scenario (loss-of-containment outcome): where, how often, how lethal. Its lethality is
/// the sum of the parts it has: radial + Σ weight·directional + gaussian.
struct Scenario {
    geo::Coord at;        ///< local metres
    double frequency = 0; ///< per year
    std::shared_ptr<const RadialTable> radial;
    std::vector<WindOutcome> directional;
    double gaussian_sigma_m = 0; ///< > 0: a GaussianKernel part
    double gaussian_cutoff_sigmas = 4;
    std::string label; ///< for reports ("H01 chlorine catastrophic rupture")
};

/// Bounding box of what a scenario can touch (local metres): its directional parts reach a
/// disk, since a sector's directions fan out around it.
geo::BBox reach(const Scenario& s);

/// P of scenario s at local point (x, y), without its frequency (the sum of its parts), each
/// wind outcome averaged over its sector by ArcIntegral (the definition the grid's SectorTable
/// samples; RiskGrid::evaluate uses the grid's tables instead, to match its cells).
double lethality(const Scenario& s, double x, double y);

class RiskGrid {
public:
    /// Validates the grid and each scenario (finite position, frequency ≥ 0, weights in [0, 1],
    /// half sectors in (0, π/2]); throws UsageError naming the scenario's index and label.
    /// Builds the SectorTables on `threads` threads (0 = hardware concurrency; always 1 in the
    /// web build): the directional outcomes of the scenarios at one place in one table, their
    /// frequencies folded into the weights (one look-up per source and cell), shared between
    /// places with the same outcomes, cut where no direction adds 1e-10 /a.
    RiskGrid(GridSpec spec, std::vector<Scenario> scenarios, unsigned threads = 0);

    const GridSpec& spec() const { return m_spec; }
    const std::vector<Scenario>& scenarios() const { return m_scenarios; }

    /// Computes rows [r0, r1) (overwriting them): the browser's chunk of work for one frame.
    void compute_rows(int r0, int r1);
    /// All rows on `threads` std::threads (0 = hardware concurrency; 1 = this thread only; always
    /// 1 in the web build, which has no threads).
    void compute(unsigned threads = 0);

    /// IR per cell, row-major (j·nx + i), per year.
    const std::vector<double>& values() const { return m_values; }
    double value(int i, int j) const { return m_values[static_cast<std::size_t>(j) * m_spec.nx + i]; }
    double max_value() const;

    /// Reference: every cell × every scenario, no bounding boxes, same summation order; the
    /// tests prove compute() equals it bit for bit.
    std::vector<double> brute_force() const;
    /// IR at any local point (sum over scenarios, through the grid's tables: at a cell centre it
    /// is the cell's value), for protection targets off cell centres.
    double evaluate(geo::Coord xy) const;

    /// Cell-scenario terms evaluated by the last compute() (for throughput figures).
    std::size_t terms() const { return m_terms; }

private:
    void add_scenario_rows(std::size_t k, int r0, int r1, std::size_t& terms);
    /// The Gaussian x factors of scenarios [k0, k1) (once per compute, not once per row block).
    void prepare_factors(std::size_t k0, std::size_t k1);
    GridSpec m_spec;
    std::vector<Scenario> m_scenarios;
    std::vector<geo::BBox> m_reach;
    std::vector<std::shared_ptr<const SectorTable>> m_sectors; ///< per scenario (null but the first at a place), shared
    std::vector<double> m_sector_f;                            ///< the factor of its table: its frequency, or 1 for a merged one
    std::vector<double> m_values;
    std::vector<double> m_xc;            ///< cell-centre x of each column
    std::vector<double> m_ex;            ///< Gaussian x factors, per scenario over its column window
    std::vector<std::size_t> m_ex_start; ///< scenario k's factors: m_ex[m_ex_start[k] ...]
    std::vector<int> m_ex_col;           ///< scenario k's first column
    bool m_factors_ready = false;
    std::size_t m_terms = 0;
};

// ---------------------------------------------------------------------------------------------
// Iso-risk contours and what lies inside them

/// GB 36894-2018 individual-risk limits, per year (table 1 and the 2014 trial criteria).
inline constexpr double k_gb36894_limits[] = {3e-7, 1e-6, 3e-6, 1e-5};

/// Contour lines of `values` (nx × ny at cell centres) at `level`, by marching squares with
/// linear interpolation along cell edges; the field is padded with a ring of zeros so every
/// line closes: each returned ring is closed (first == last) and encloses values ≥ level on
/// its left (counter-clockwise around maxima). Saddles are resolved by the centre average.
/// Coordinates are local metres (cell centres as in GridSpec).
std::vector<std::vector<geo::Coord>> contour_rings(const GridSpec& spec, const std::vector<double>& values, double level);

/// Whether p lies inside the region contour_rings() traced (even-odd over all its rings, so a
/// hole's inside is outside): the test that puts a protection target inside a level exactly
/// when it lies inside the polygon drawn for it.
bool inside_rings(const std::vector<std::vector<geo::Coord>>& rings, geo::Coord p);

/// Area (m²) of the cells whose value is ≥ level (the cell-count area of a contour).
double area_at_or_above(const GridSpec& spec, const std::vector<double>& values, double level);

/// Societal risk: one point of an F–N curve: F = frequency per year of outcomes killing N or more.
struct FnPoint {
    double n = 0;
    double f = 0;
};

/// A population at a point (local metres): `people` always present there.
struct PopulationPoint {
    geo::Coord at;
    double people = 0;
};

/// F–N curve from point populations: each outcome (scenario, wind direction) kills
/// N = Σ_p people_p · P(p); the curve gives, at each distinct N ≥ 1 (sorted), the summed
/// frequency of outcomes with at least that N. Radial and Gaussian parts count as one outcome
/// together with each wind direction (their P adds to each direction's P). A direction's P at
/// a point is its sector average (ArcIntegral), as in the grid.
std::vector<FnPoint> fn_curve(const std::vector<Scenario>& scenarios, const std::vector<PopulationPoint>& population);

} // namespace vigil::hazard
