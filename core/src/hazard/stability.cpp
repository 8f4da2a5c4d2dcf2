/// @file
/// Turner's (1970) stability table (docs/domain.md §4.1).

#include <vigil/hazard/stability.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil::hazard {
namespace {

void check_wind(double wind_m_s) {
    if (!std::isfinite(wind_m_s) || wind_m_s <= 0)
        throw UsageError(
            trf("wind speed {} m/s: give a positive wind speed (a calm has no Gaussian plume)", text::format_double(wind_m_s)));
}

// Rows of Turner's table: < 2, 2–3, 3–5, 5–6, > 6 m/s.
int wind_row(double u) {
    if (u < 2) return 0;
    if (u < 3) return 1;
    if (u < 5) return 2;
    if (u < 6) return 3;
    return 4;
}

using S = Stability;
// Where Turner gives two classes, the more stable one (longer toxic distances).
constexpr Stability k_day[5][3] = {
    {S::A, S::B, S::B}, // < 2: A, A–B, B
    {S::B, S::B, S::C}, // 2–3: A–B, B, C
    {S::B, S::C, S::C}, // 3–5: B, B–C, C
    {S::C, S::D, S::D}, // 5–6: C, C–D, D
    {S::C, S::D, S::D}, // > 6: C, D, D
};
constexpr Stability k_night[5][2] = {
    {S::E, S::F}, // < 2: (E), (F)
    {S::E, S::F}, {S::D, S::E}, {S::D, S::D}, {S::D, S::D},
};

} // namespace

char stability_letter(Stability s) { return static_cast<char>('A' + static_cast<int>(s)); }

Stability parse_stability(std::string_view text) {
    auto t = text::trim(text);
    if (t.size() == 1) {
        char c = t[0];
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (c >= 'A' && c <= 'F') return static_cast<Stability>(c - 'A');
    }
    throw UsageError(trf("stability class '{}': give one of A, B, C, D, E, F (Pasquill-Gifford)", text));
}

Stability pasquill_day(double wind_m_s, Insolation sun) {
    check_wind(wind_m_s);
    return k_day[wind_row(wind_m_s)][static_cast<int>(sun)];
}

Stability pasquill_night(double wind_m_s, NightCloud cloud) {
    check_wind(wind_m_s);
    return k_night[wind_row(wind_m_s)][static_cast<int>(cloud)];
}

Stability pasquill_class(double wind_m_s, DayNight time, double cloud_cover) {
    check_wind(wind_m_s);
    if (!std::isfinite(cloud_cover) || cloud_cover < 0 || cloud_cover > 1)
        throw UsageError(trf("cloud cover {}: give a fraction of the sky from 0 to 1 (oktas/8)", text::format_double(cloud_cover)));
    if (cloud_cover >= 0.95) return Stability::D; // full overcast, day or night (Turner)
    if (time == DayNight::Day) return pasquill_day(wind_m_s, cloud_cover <= 0.5 ? Insolation::Moderate : Insolation::Slight);
    return pasquill_night(wind_m_s, cloud_cover <= 3.0 / 8 + 1e-9 ? NightCloud::Clear : NightCloud::Cloudy);
}

std::vector<Stability> possible_classes(double wind_m_s, DayNight time) {
    check_wind(wind_m_s);
    const int row = wind_row(wind_m_s);
    // D: Turner's full overcast, which no one can rule out without looking at the sky.
    std::vector<Stability> out{Stability::D};
    if (time == DayNight::Day) out.insert(out.end(), std::begin(k_day[row]), std::end(k_day[row]));
    else out.insert(out.end(), std::begin(k_night[row]), std::end(k_night[row]));
    std::sort(out.begin(), out.end(), [](Stability a, Stability b) { return a > b; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

StabilityBasis stability_basis(double wind_m_s, DayNight time, std::optional<double> cloud_cover, std::optional<Stability> given) {
    check_wind(wind_m_s);
    const char* when = time == DayNight::Day ? trc("time of day", "day") : trc("time of day", "night");
    StabilityBasis b;
    if (given) {
        b.candidates = {*given};
        b.why = trf("class {} given", stability_letter(*given));
        return b;
    }
    if (cloud_cover) {
        b.candidates = {pasquill_class(wind_m_s, time, *cloud_cover)};
        b.why = trf("Turner (1970) from wind {} m/s, {}, cloud cover {}", text::format_double(wind_m_s), when,
                    text::format_double(*cloud_cover));
        return b;
    }
    b.candidates = possible_classes(wind_m_s, time);
    b.assumed = true;
    std::string list;
    for (auto s : b.candidates) list += (list.empty() ? "" : ", ") + std::string(1, stability_letter(s));
    b.why = trf("cloud cover not given: by {} at {} m/s Turner's (1970) table allows {}; the class that reaches farthest is used", when,
                text::format_double(wind_m_s), list);
    return b;
}

} // namespace vigil::hazard
