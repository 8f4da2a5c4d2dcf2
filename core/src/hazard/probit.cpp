/// @file
/// Probits: toxic (table layers/reference/probit_constants.csv), thermal and overpressure
/// (docs/domain.md §4.6).

#include <vigil/hazard/probit.hpp>

#include <vigil/hazard/gb18218.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "csv_table.hpp"

#include <cmath>
#include <limits>

namespace vigil::hazard {
namespace {

/// `what`: an N_("…") msgid (shown translated).
void check_non_negative(double v, const char* what) {
    if (std::isnan(v) || v < 0) throw UsageError(trf("{} {}: must be 0 or more", tr(what), text::format_double(v)));
}

// The part of a name before " (": "Sulfuric acid (mg/m3)" -> "sulfuric acid".
std::string base_key(std::string_view name) {
    auto open = name.find('(');
    return text::to_lower_ascii(text::trim(name.substr(0, open)));
}

} // namespace

double probit_to_probability(double y) {
    if (std::isnan(y)) return y;
    return 0.5 * (1 + std::erf((y - 5) / std::sqrt(2.0)));
}

double probability_to_probit(double p) {
    if (!(p > 0 && p < 1)) throw UsageError(trf("probability {}: must lie strictly between 0 and 1", text::format_double(p)));
    // Bisection on the monotonic Φ: 200 halvings of [−40, 40] are far below double precision.
    double lo = -40, hi = 40;
    for (int i = 0; i < 200; ++i) {
        double mid = 0.5 * (lo + hi);
        (0.5 * (1 + std::erf(mid / std::sqrt(2.0))) < p ? lo : hi) = mid;
    }
    return 5 + 0.5 * (lo + hi);
}

ProbitTable ProbitTable::from_csv(std::string_view text) {
    auto t = detail::read_table(text, "probit_constants.csv");
    const std::size_t c_effect = t.col("effect"), c_sub = t.col("substance"), c_a = t.col("a"), c_b = t.col("b"), c_n = t.col("n"),
                      c_unit = t.col("concentration_or_load_unit"), c_src = t.col("source");
    ProbitTable out;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const auto& r = t.rows[i];
        if (r[c_effect] != "toxic_lethality") continue; // thermal and blast probits are in the code
        auto num = [&](std::size_t c) {
            auto v = text::parse_double(text::trim(r[c]));
            if (!v) // i18n: not shown: built-in table
                throw FormatError(fmt::format("reference table probit_constants.csv, line {}, column {}: '{}' is not a number", i + 2,
                                              t.header[c], r[c]));
            return *v;
        };
        ToxicProbit p;
        p.substance = r[c_sub];
        p.a = num(c_a);
        p.b = num(c_b);
        p.n = num(c_n);
        p.concentration_unit = r[c_unit];
        if (p.concentration_unit == "mg/m3") p.form = ProbitForm::Tno;
        else if (p.concentration_unit == "ppm") p.form = ProbitForm::Ccps;
        else // i18n: not shown: built-in table
            throw FormatError(fmt::format("reference table probit_constants.csv, line {}: unit '{}' (expected mg/m3 or ppm)", i + 2,
                                          p.concentration_unit));
        p.source = r[c_src];
        out.m_toxic.push_back(std::move(p));
    }
    return out;
}

const ProbitTable& ProbitTable::builtin() {
    static const ProbitTable table = from_csv(embedded::probit_constants());
    return table;
}

const ToxicProbit& ProbitTable::toxic(std::string_view substance, ProbitForm form) const {
    const std::string key = base_key(substance);
    for (const auto& p : m_toxic)
        if (p.form == form && base_key(p.substance) == key) return p;
    std::string known;
    for (const auto& p : m_toxic)
        if (p.form == form) known += (known.empty() ? "" : ", ") + p.substance;
    throw UnknownSubstance(trf("no {} toxic probit for '{}' in layers/reference/probit_constants.csv; it has: {}",
                               form == ProbitForm::Tno ? "TNO" : "CCPS", substance, known));
}

double toxic_probit(const ToxicProbit& p, double c, double minutes) {
    check_non_negative(c, N_("concentration"));
    check_non_negative(minutes, N_("exposure time (min)"));
    if (c == 0 || minutes == 0) return -std::numeric_limits<double>::infinity();
    return p.a + p.b * (p.n * std::log(c) + std::log(minutes));
}

double toxic_probit_mg(const ToxicProbit& p, double c_mg_m3, double minutes, double mol_weight) {
    if (p.form == ProbitForm::Tno) return toxic_probit(p, c_mg_m3, minutes);
    if (!(mol_weight > 0)) throw UsageError(trf("molar mass {} g/mol: must be positive", text::format_double(mol_weight)));
    check_non_negative(c_mg_m3, N_("concentration"));
    return toxic_probit(p, mg_m3_to_ppm(c_mg_m3, mol_weight), minutes);
}

double toxic_probit_from_load(const ToxicProbit& p, double load) {
    check_non_negative(load, N_("toxic load"));
    if (load == 0) return -std::numeric_limits<double>::infinity();
    return p.a + p.b * std::log(load);
}

double thermal_probit_eisenberg(double q_w_m2, double t_s) {
    check_non_negative(q_w_m2, N_("heat flux (W/m2)"));
    check_non_negative(t_s, N_("exposure time (s)"));
    if (q_w_m2 == 0 || t_s == 0) return -std::numeric_limits<double>::infinity();
    return -14.9 + 2.56 * std::log(t_s * std::pow(q_w_m2, 4.0 / 3.0) / 1e4);
}

double overpressure_probit(BlastEffect effect, double p_pa) {
    check_non_negative(p_pa, N_("overpressure (Pa)"));
    if (p_pa == 0) return -std::numeric_limits<double>::infinity();
    double lp = std::log(p_pa);
    switch (effect) {
    case BlastEffect::LungHaemorrhageDeath: return -77.1 + 6.91 * lp;
    case BlastEffect::EardrumRupture: return -15.6 + 1.93 * lp;
    case BlastEffect::StructuralDamage: return -23.8 + 2.92 * lp;
    case BlastEffect::GlassBreakage: return -18.1 + 2.79 * lp;
    }
    throw UsageError("unknown blast effect"); // i18n: not shown: unreachable, every enumerator is handled
}

} // namespace vigil::hazard
