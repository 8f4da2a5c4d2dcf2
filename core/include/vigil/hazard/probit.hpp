/// @file
/// Probit dose–response relations (docs/domain.md §4.6, layers/reference/
/// probit_constants.csv): a probit Y turns into a probability P = Φ(Y − 5) =
/// ½[1 + erf((Y − 5)/√2)]. Toxic lethality Y = a + b·ln(Cⁿ·t) with the table's constants and
/// units (TNO Purple Book: mg/m³ and min; CCPS/Crowl & Louvar: ppm and min); thermal lethality
/// after Eisenberg (1975) Y = −14.9 + 2.56·ln(t·q^{4/3}/10⁴), q in W/m², t in s; overpressure
/// Y = a + b·ln(p), p in Pa. Used by the regional individual-risk grid, which is why these are
/// plain functions without allocation in the hot path.
#pragma once

#include <vigil/util/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard {

/// Φ(Y − 5): the probability a probit stands for. Y = ±inf gives 1 / 0; NaN gives NaN.
double probit_to_probability(double y);

/// The inverse: Y with Φ(Y − 5) = p. Throws UsageError for p outside (0, 1).
double probability_to_probit(double p);

/// Which of the table's two toxic sets.
enum class ProbitForm {
    Tno,  ///< TNO Purple Book CPR18E: C in mg/m³, t in min
    Ccps, ///< CCPS (2000) / Crowl & Louvar table 2-5: C in ppm, t in min
};

struct ToxicProbit {
    std::string substance; ///< the table's name (English, as toxic_endpoints.csv)
    ProbitForm form = ProbitForm::Tno;
    double a = 0, b = 0, n = 1;
    std::string concentration_unit; ///< "mg/m3" or "ppm"
    std::string source;
};

class ProbitTable {
public:
    /// The table embedded at build time. Parsed once.
    static const ProbitTable& builtin();
    /// From CSV text (columns as in layers/reference/probit_constants.csv); FormatError with
    /// the row on a bad number.
    static ProbitTable from_csv(std::string_view text);

    /// The toxic lethality probit of `substance` (English name as in toxic_endpoints.csv,
    /// case-insensitive) in the form asked for. Throws UnknownSubstance (toxic_endpoints.hpp)
    /// when the table has no such row, naming the substances it has.
    const ToxicProbit& toxic(std::string_view substance, ProbitForm form = ProbitForm::Tno) const;
    const std::vector<ToxicProbit>& toxic_rows() const { return m_toxic; }

private:
    std::vector<ToxicProbit> m_toxic;
};

/// Y = a + b·ln(Cⁿ·t), C in the probit's unit, t in minutes. C <= 0 gives −inf (no effect).
/// Throws UsageError for a negative or NaN C or t.
double toxic_probit(const ToxicProbit& p, double concentration, double minutes);

/// The same from mg/m³, converting to ppm with `mol_weight` (g/mol) for a CCPS probit.
double toxic_probit_mg(const ToxicProbit& p, double c_mg_m3, double minutes, double mol_weight);

/// Y = a + b·ln(L) for a toxic load L = ∫Cⁿ dt already integrated (in the probit's units).
double toxic_probit_from_load(const ToxicProbit& p, double load);

/// Eisenberg (1975) thermal lethality: Y = −14.9 + 2.56·ln(t·q^{4/3}/10⁴), q in W/m², t in s.
double thermal_probit_eisenberg(double q_w_m2, double t_s);

/// Eisenberg (1975) overpressure probits, p = peak side-on overpressure in Pa.
enum class BlastEffect {
    LungHaemorrhageDeath, ///< −77.1 + 6.91 ln p
    EardrumRupture,       ///< −15.6 + 1.93 ln p
    StructuralDamage,     ///< −23.8 + 2.92 ln p
    GlassBreakage,        ///< −18.1 + 2.79 ln p
};
double overpressure_probit(BlastEffect effect, double p_pa);

} // namespace vigil::hazard
