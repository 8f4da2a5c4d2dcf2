/// @file
/// ERG 2024 look-ups: table 1 (TIH), table 3 (six gases, large spills), guide evacuation
/// distances for the other materials through the UN → guide index.

#include <vigil/hazard/erg.hpp>

#include <vigil/hazard/gb18218.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "csv_table.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace vigil::hazard {
namespace {

using detail::read_table;

std::optional<double> number(std::string s, bool* plus, const std::string& where) {
    if (plus) *plus = false;
    s = std::string(text::trim(s));
    if (s.empty()) return std::nullopt;
    if (s.back() == '+') { // "11.0+": more than 11 km
        if (plus) *plus = true;
        s.pop_back();
    }
    auto v = text::parse_double(s);
    if (!v) throw InventoryError(where + ": '" + s + "' is not a number"); // i18n: not shown: built-in table
    return v;
}

double required(const std::string& s, bool* plus, const std::string& where) {
    auto v = number(s, plus, where);
    if (!v) throw InventoryError(where + ": empty value"); // i18n: not shown: built-in table
    return *v;
}

int un_of(const std::string& s, const std::string& where) {
    auto v = text::parse_int64(s);
    if (!v || *v <= 0 || *v > 9999) throw InventoryError(where + ": '" + s + "' is not a UN number"); // i18n: not shown: built-in table
    return static_cast<int>(*v);
}

std::string first_name(const std::string& names) {
    auto p = names.find(" | ");
    return p == std::string::npos ? names : names.substr(0, p);
}

std::string guide_number(std::string g) {
    if (!g.empty() && (g.back() == 'P' || g.back() == 'p')) g.pop_back(); // 117P: same guide page as 117
    return g;
}

// ERG table 3's wind columns (translated where shown).
constexpr const char* k_wind_names[3] = {N_("low wind"), N_("moderate wind"), N_("high wind")};

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The words of `s`, lower-case ASCII ("Highway tank truck or trailer" -> highway, tank, ...).
std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string w;
    for (char c : s) {
        if (is_word_char(c)) w += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        else if (!w.empty()) out.push_back(std::exchange(w, {}));
    }
    if (!w.empty()) out.push_back(w);
    return out;
}

// Whether the user's container text fits ERG's container name: every word of the text begins a
// word of the name. A plain substring test let "rail" pick "Highway tank truck or trailer".
bool container_fits(std::string_view wanted, std::string_view name) {
    auto want = words(wanted), have = words(name);
    if (want.empty()) return true;
    return std::all_of(want.begin(), want.end(), [&](const std::string& w) {
        return std::any_of(have.begin(), have.end(), [&](const std::string& h) { return h.rfind(w, 0) == 0; });
    });
}

} // namespace

WindBand wind_band(double speed_m_s) {
    if (!std::isfinite(speed_m_s) || speed_m_s < 0)
        throw UsageError(trf("wind speed {} m/s: give a speed of 0 or more", text::format_double(speed_m_s)));
    // A hair of slack: 10 km/h typed as 2.7778 m/s belongs to the moderate band.
    double kmh = speed_m_s * 3.6;
    if (kmh < 10 * (1 - 1e-9)) return WindBand::Low;
    if (kmh <= 20 * (1 + 1e-9)) return WindBand::Moderate;
    return WindBand::High;
}

double ErgZone::isolation_circle_m() const { return std::max(isolation_m, precautionary_isolation_m.value_or(0.0)); }

const Erg2024& Erg2024::builtin() {
    static const Erg2024 tables =
        from_csv(embedded::erg2024_table1(), embedded::erg2024_table3(), embedded::erg2024_guides(), embedded::erg2024_index());
    return tables;
}

Erg2024 Erg2024::from_csv(std::string_view table1, std::string_view table3, std::string_view guides, std::string_view index) {
    Erg2024 e;
    {
        auto t = read_table(table1, "ERG 2024 table 1");
        auto un = t.col("un_number"), guide = t.col("guide"), names = t.col("material_names"), si = t.col("small_isolate_m"),
             sd = t.col("small_day_km"), sn = t.col("small_night_km"), li = t.col("large_isolate_m"), ld = t.col("large_day_km"),
             ln = t.col("large_night_km");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            Table1Row row;
            row.un = un_of(r[un], where);
            row.guide = r[guide];
            row.names = r[names];
            row.small_isolate_m = required(r[si], nullptr, where);
            row.small_day_km = required(r[sd], &row.small_day_plus, where);
            row.small_night_km = required(r[sn], &row.small_night_plus, where);
            row.large_isolate_m = number(r[li], nullptr, where);
            row.large_day_km = number(r[ld], &row.large_day_plus, where);
            row.large_night_km = number(r[ln], &row.large_night_plus, where);
            e.m_table1.push_back(std::move(row));
        }
    }
    {
        auto t = read_table(table3, "ERG 2024 table 3");
        auto un = t.col("un_number"), mat = t.col("material"), cont = t.col("container"), iso = t.col("initial_isolation_m");
        const char* day[3] = {"day_low_wind_km", "day_moderate_wind_km", "day_high_wind_km"};
        const char* night[3] = {"night_low_wind_km", "night_moderate_wind_km", "night_high_wind_km"};
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            Table3Row row;
            row.un = un_of(r[un], where);
            row.material = r[mat];
            row.container = r[cont];
            row.isolate_m = required(r[iso], nullptr, where);
            for (int w = 0; w < 3; ++w) {
                row.day_km[w] = required(r[t.col(day[w])], &row.day_plus[w], where);
                row.night_km[w] = required(r[t.col(night[w])], &row.night_plus[w], where);
            }
            e.m_table3.push_back(std::move(row));
        }
    }
    {
        auto t = read_table(guides, "ERG 2024 guides");
        auto g = t.col("guide"), iso = t.col("immediate_isolation_m"), sol = t.col("immediate_isolation_solids_m"),
             ev = t.col("large_spill_evacuation_m"), down = t.col("large_spill_downwind"), fire = t.col("fire_isolation_m");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            Guide guide;
            guide.guide = guide_number(r[g]);
            guide.isolation_m = number(r[iso], nullptr, where);
            guide.isolation_solids_m = number(r[sol], nullptr, where);
            guide.large_evacuation_m = number(r[ev], nullptr, where);
            guide.large_downwind = r[down] == "yes";
            guide.fire_isolation_m = number(r[fire], nullptr, where);
            e.m_guides.push_back(std::move(guide));
        }
    }
    {
        auto t = read_table(index, "ERG 2024 index");
        auto un = t.col("un_number"), name = t.col("material_name"), guide = t.col("guide"), tih = t.col("tih");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            e.m_index.push_back({un_of(r[un], t.name + " row " + std::to_string(i + 1)), r[name], r[guide], r[tih] == "yes"});
        }
    }
    return e;
}

std::vector<std::string> Erg2024::containers(int un_number) const {
    std::vector<std::string> out;
    for (const auto& r : m_table3)
        if (r.un == un_number) out.push_back(r.container);
    return out;
}

ErgZone Erg2024::lookup(int un_number, Spill spill, DayNight time, std::optional<WindBand> wind, std::string_view container) const {
    ErgZone z;
    z.un_number = un_number;
    const bool night = time == DayNight::Night;

    std::vector<const Table1Row*> t1;
    for (const auto& r : m_table1)
        if (r.un == un_number) t1.push_back(&r);
    const IndexRow* idx = nullptr;
    for (const auto& r : m_index)
        if (r.un == un_number) {
            idx = &r;
            break;
        }
    if (t1.empty() && !idx)
        throw UnknownUnNumber(trf("UN {} is not in the ERG 2024 index (check the number on the placard or shipping papers)", un_number));

    std::string guide = !t1.empty() ? t1.front()->guide : idx->guide;
    z.guide = guide;
    z.material = !t1.empty() ? first_name(t1.front()->names) : idx->name;
    for (const auto& g : m_guides)
        if (g.guide == guide_number(guide)) {
            z.fire_isolation_m = g.fire_isolation_m;
            if (!t1.empty()) z.precautionary_isolation_m = g.isolation_m;
        }

    if (!t1.empty()) {
        z.tih = true;
        // Several table 1 rows for one number (e.g. "when spilled in water"): the largest
        // distances, so that a responder who does not know which applies is on the safe side.
        auto key = [&](const Table1Row* r) {
            if (spill == Spill::Small) return night ? r->small_night_km : r->small_day_km;
            return (night ? r->large_night_km : r->large_day_km).value_or(0.0);
        };
        const Table1Row* row = *std::max_element(t1.begin(), t1.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
        if (t1.size() > 1)
            z.notes.push_back(trf("ERG 2024 table 1 has {} rows for UN {}; the largest distances were taken", t1.size(), un_number));
        // Both isolation distances are reported; the circle drawn is the larger (isolation_circle_m).
        auto note_precautionary = [&] {
            if (z.precautionary_isolation_m && *z.precautionary_isolation_m > z.isolation_m)
                z.notes.push_back(
                    trf("guide {}'s immediate precautionary isolation, {} m, exceeds the {} m of {}: the circle is drawn at {} m", guide,
                        text::format_double(*z.precautionary_isolation_m), text::format_double(z.isolation_m), z.source,
                        text::format_double(*z.precautionary_isolation_m)));
        };
        if (spill == Spill::Small) {
            z.source = tr("ERG 2024 table 1, small spill");
            z.isolation_m = row->small_isolate_m;
            z.protective_m = 1000 * (night ? row->small_night_km : row->small_day_km);
            z.protective_more_than = night ? row->small_night_plus : row->small_day_plus;
            note_precautionary();
            return z;
        }
        if (row->large_isolate_m) {
            z.source = tr("ERG 2024 table 1, large spill");
            z.isolation_m = *row->large_isolate_m;
            if (auto km = night ? row->large_night_km : row->large_day_km) z.protective_m = 1000 * *km;
            z.protective_more_than = night ? row->large_night_plus : row->large_day_plus;
            note_precautionary();
            return z;
        }
        // "Refer to table 3": by container and wind.
        std::vector<const Table3Row*> t3;
        const std::string want(text::trim(container));
        const bool exact = std::any_of(m_table3.begin(), m_table3.end(), [&](const Table3Row& r) {
            return r.un == un_number && text::to_lower_ascii(r.container) == text::to_lower_ascii(want);
        });
        for (const auto& r : m_table3)
            if (r.un == un_number &&
                (exact ? text::to_lower_ascii(r.container) == text::to_lower_ascii(want) : container_fits(want, r.container)))
                t3.push_back(&r);
        if (t3.empty()) {
            std::string list;
            for (const auto& c : containers(un_number)) list += (list.empty() ? "" : "; ") + c;
            throw UsageError(trf("UN {}: no ERG table 3 container matches '{}' (containers: {})", un_number, container, list));
        }
        int w = wind ? static_cast<int>(*wind) : 0;
        if (!wind) z.notes.push_back(tr("no wind speed given: the low-wind column (the largest distance) was used"));
        auto dist = [&](const Table3Row* r) { return night ? r->night_km[w] : r->day_km[w]; };
        const Table3Row* row3 = *std::max_element(t3.begin(), t3.end(), [&](auto* a, auto* b) { return dist(a) < dist(b); });
        if (t3.size() > 1) {
            std::string others;
            for (const auto* r : t3)
                if (r != row3) others += (others.empty() ? "" : "; ") + r->container;
            z.notes.push_back(want.empty()
                                  ? trf("container not given: '{}' (the largest distance) was used, not {}", row3->container, others)
                                  : trf("container '{}' fits {} rows: '{}' (the largest distance) was used, not {}", want, t3.size(),
                                        row3->container, others));
        }
        z.source = trf("ERG 2024 table 3, {}, {}", row3->container, tr(k_wind_names[w]));
        z.isolation_m = row3->isolate_m;
        z.protective_m = 1000 * dist(row3);
        z.protective_more_than = night ? row3->night_plus[w] : row3->day_plus[w];
        note_precautionary();
        return z;
    }

    // Not TIH: the orange guide's distances.
    z.source = trf("ERG 2024 guide {}", guide);
    const Guide* g = nullptr;
    for (const auto& candidate : m_guides)
        if (candidate.guide == guide_number(guide)) g = &candidate;
    if (!g || !g->isolation_m) // i18n: not shown: built-in table (every guide of the index has its distances)
        throw InventoryError("ERG 2024 guides: no evacuation distances for guide " + guide);
    z.isolation_m = *g->isolation_m;
    if (g->isolation_solids_m)
        z.notes.push_back(trf("guide {}: initial isolation {} m for liquids, {} m for solids", guide, text::format_double(*g->isolation_m),
                              text::format_double(*g->isolation_solids_m)));
    if (spill == Spill::Large && g->large_evacuation_m) {
        z.protective_m = *g->large_evacuation_m;
        z.evacuation_all_directions = !g->large_downwind;
    }
    return z;
}

} // namespace vigil::hazard
