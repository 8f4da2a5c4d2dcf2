/// @file
/// Levels of concern from layers/reference/toxic_endpoints.csv, with the AEGL -> ERPG -> IDLH
/// fallback of each tier.

#include <vigil/hazard/toxic_endpoints.hpp>

#include <vigil/hazard/gb18218.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "csv_table.hpp"

#include <cmath>

namespace vigil::hazard {
namespace {

constexpr double k_molar_volume_l = 24.45; // 25 °C, 1 atm

struct Cell {
    std::optional<double> value;
    bool mg = false; ///< the cell says mg/m3
};

// A table cell: blank, "NR" (not recommended), "NA", "Ca (no value)" -> nothing; otherwise the
// leading number ("20 (1994) / 13 (2017)" -> 20, the value in force in the table's main source;
// "2100 (10% LEL)" -> 2100), with "mg/m3" marking the unit.
Cell cell(const std::string& raw, std::size_t row, std::string_view column) {
    auto s = text::trim(raw);
    if (s.empty() || s == "NR" || s == "NA" || s.substr(0, 2) == "Ca") return {};
    std::size_t end = 0;
    while (end < s.size() && ((s[end] >= '0' && s[end] <= '9') || s[end] == '.')) ++end;
    auto v = text::parse_double(s.substr(0, end));
    if (!v || *v < 0) // i18n: not shown: built-in table
        throw FormatError("reference table toxic_endpoints.csv, line " + std::to_string(row + 2) + ", column " + std::string(column) +
                          ": '" + std::string(s) + "' is not a concentration"); // i18n: not shown: built-in table
    return {v, s.find("mg/m3") != std::string_view::npos};
}

// Lower-case keys a name is found by: the whole name, the part before "(", the part in
// parentheses and the parts around "/" ("Propane (LPG)" -> propane, lpg; "甲烷/天然气").
void add_keys(std::vector<std::string>& keys, std::string_view name) {
    auto add = [&](std::string_view k) {
        auto t = text::trim(k);
        if (!t.empty() && t != "mg/m3") keys.push_back(text::to_lower_ascii(t));
    };
    add(name);
    auto open = name.find('(');
    if (open != std::string_view::npos) {
        add(name.substr(0, open));
        auto close = name.find(')', open);
        if (close != std::string_view::npos) add(name.substr(open + 1, close - open - 1));
    }
    if (name.find('/') != std::string_view::npos)
        for (auto part : text::split(name.substr(0, open), '/')) add(part);
}

} // namespace

LevelSet parse_level_set(std::string_view text) {
    auto t = text::to_lower_ascii(text::trim(text));
    if (t == "aegl") return LevelSet::Aegl;
    if (t == "hj169") return LevelSet::Hj169;
    throw UsageError(trf("level set '{}': give aegl (AEGL -> ERPG -> IDLH) or hj169", text));
}

double ppm_to_mg_m3(double ppm, double mol_weight) { return ppm * mol_weight / k_molar_volume_l; }
double mg_m3_to_ppm(double mg_m3, double mol_weight) { return mg_m3 * k_molar_volume_l / mol_weight; }

ToxicEndpoints ToxicEndpoints::from_csv(std::string_view text) {
    auto t = detail::read_table(text, "toxic_endpoints.csv");
    const std::size_t c_en = t.col("name_en"), c_zh = t.col("name_zh"), c_cas = t.col("cas"), c_un = t.col("un_numbers"),
                      c_mw = t.col("mol_weight"), c_conf = t.col("confidence"), c_notes = t.col("notes");
    const std::size_t c_aegl[3] = {t.col("aegl1_60min_ppm"), t.col("aegl2_60min_ppm"), t.col("aegl3_60min_ppm")};
    const std::size_t c_erpg[3] = {t.col("erpg1_ppm"), t.col("erpg2_ppm"), t.col("erpg3_ppm")};
    const std::size_t c_idlh = t.col("idlh_ppm"), c_lel = t.col("lel_vol_pct"), c_uel = t.col("uel_vol_pct");
    const std::size_t c_pac3 = t.col("pac3_60min_mgm3_computed"), c_pac2 = t.col("pac2_60min_mgm3_computed");
    ToxicEndpoints out;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const auto& r = t.rows[i];
        ToxicSubstance s;
        s.name_en = r[c_en];
        s.name_zh = r[c_zh];
        s.cas = std::string(text::trim(r[c_cas]));
        for (auto part : text::split(r[c_un], ';')) {
            auto un = text::parse_int64(text::trim(part));
            if (!un) // i18n: not shown: built-in table
                throw FormatError("reference table toxic_endpoints.csv, line " + std::to_string(i + 2) + ", column un_numbers: '" +
                                  r[c_un] + "' is not a list of UN numbers"); // i18n: not shown: built-in table
            s.un_numbers.push_back(static_cast<int>(*un));
        }
        auto mw = text::parse_double(text::trim(r[c_mw]));
        if (!mw || *mw <= 0) // i18n: not shown: built-in table
            throw FormatError("reference table toxic_endpoints.csv, line " + std::to_string(i + 2) + ", column mol_weight: '" + r[c_mw] +
                              "' is not a molar mass"); // i18n: not shown: built-in table
        s.mol_weight = *mw;
        auto conc = [&](std::size_t c) -> std::optional<double> {
            Cell v = cell(r[c], i, t.header[c]);
            if (!v.value) return std::nullopt;
            if (v.mg) {
                s.mg_units = true;
                return *v.value;
            }
            return ppm_to_mg_m3(*v.value, s.mol_weight);
        };
        for (int k = 0; k < 3; ++k) {
            s.aegl_mg_m3[k] = conc(c_aegl[k]);
            s.erpg_mg_m3[k] = conc(c_erpg[k]);
        }
        s.idlh_mg_m3 = conc(c_idlh);
        // The HJ 169 columns are in mg/m3 already.
        s.hj169_1_mg_m3 = cell(r[c_pac3], i, "pac3_60min_mgm3_computed").value;
        s.hj169_2_mg_m3 = cell(r[c_pac2], i, "pac2_60min_mgm3_computed").value;
        s.lel_vol_pct = cell(r[c_lel], i, "lel_vol_pct").value;
        s.uel_vol_pct = cell(r[c_uel], i, "uel_vol_pct").value;
        s.confidence = r[c_conf];
        s.notes = r[c_notes];
        out.m_rows.push_back(std::move(s));
    }
    return out;
}

const ToxicEndpoints& ToxicEndpoints::builtin() {
    static const ToxicEndpoints table = from_csv(embedded::toxic_endpoints());
    return table;
}

const ToxicSubstance& ToxicEndpoints::find(std::string_view query) const {
    auto q = text::to_lower_ascii(text::trim(query));
    if (q.empty()) throw UnknownSubstance(tr("no substance given: give a name, CAS or UN number"));
    std::string digits = q;
    if (digits.size() > 2 && digits.substr(0, 2) == "un") digits = std::string(text::trim(digits.substr(2)));
    auto un = text::parse_int64(digits);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const auto& s = m_rows[i];
        if (s.cas == q) return s;
        if (un && q.find('-') == std::string::npos)
            for (int n : s.un_numbers)
                if (n == *un) return s;
        std::vector<std::string> keys;
        add_keys(keys, s.name_en);
        add_keys(keys, s.name_zh);
        for (const auto& k : keys)
            if (k == q) return s;
    }
    std::string known;
    for (const auto& s : m_rows) known += (known.empty() ? "" : ", ") + s.name_en;
    throw UnknownSubstance(
        trf("substance '{}' is not in the toxic endpoint table (layers/reference/toxic_endpoints.csv); it has: {}", query, known));
}

std::vector<LevelOfConcern> ToxicSubstance::levels(LevelSet set) const {
    const std::string table = "layers/reference/toxic_endpoints.csv";
    std::vector<LevelOfConcern> out;
    auto make = [&](int tier, const std::string& name, double mg, const std::string& source) {
        LevelOfConcern l;
        l.tier = tier;
        l.name = name;
        l.mg_m3 = mg;
        if (!mg_units) l.ppm = mg_m3_to_ppm(mg, mol_weight);
        l.source = source + "; " + table;
        return l;
    };
    auto aegl_tier = [&](int tier) -> std::optional<LevelOfConcern> {
        std::string n = std::to_string(tier);
        if (aegl_mg_m3[tier - 1]) return make(tier, "AEGL-" + n, *aegl_mg_m3[tier - 1], trf("AEGL-{} (60 min), US EPA/NRC", n));
        if (erpg_mg_m3[tier - 1]) return make(tier, "ERPG-" + n, *erpg_mg_m3[tier - 1], trf("ERPG-{0}, AIHA (no AEGL-{0})", n));
        if (tier == 3 && idlh_mg_m3) return make(tier, "IDLH", *idlh_mg_m3, tr("IDLH, NIOSH (no AEGL-3 or ERPG-3)"));
        return std::nullopt;
    };
    for (int tier = 3; tier >= 1; --tier) {
        std::optional<LevelOfConcern> l;
        if (set == LevelSet::Hj169) {
            if (tier == 1) break; // HJ 169 has two endpoints
            const auto& v = tier == 3 ? hj169_1_mg_m3 : hj169_2_mg_m3;
            std::string name = tier == 3 ? "HJ169 endpoint-1" : "HJ169 endpoint-2";
            if (v) l = make(tier, name, *v, trf("HJ 169-2018 appendix H (= PAC-{} at 25 C)", tier));
            else if ((l = aegl_tier(tier))) l->source = trf("{} (no HJ 169 value in the table)", l->source);
        } else {
            l = aegl_tier(tier);
        }
        if (l) out.push_back(std::move(*l));
    }
    return out;
}

} // namespace vigil::hazard
