/// @file
/// Pasquill–Gifford atmospheric stability classes A (very unstable) .. F (stable) from the surface
/// wind, the time of day and the sun or the cloud cover, after Turner (1970) as tabulated in
/// ../shared/docs/domain.md §4.1. The class picks the Briggs/Slade dispersion coefficients
/// (dispersion.hpp). Where Turner's table gives two classes ("A–B") Vigil takes the more stable
/// one, because it gives the longer toxic distances (the safe side for a responder).
#pragma once

#include <vigil/hazard/erg.hpp> // DayNight

#include <string_view>

namespace vigil::hazard {

enum class Stability { A, B, C, D, E, F };

/// Incoming solar radiation by day (Turner's day columns).
enum class Insolation { Strong, Moderate, Slight };

/// Night columns: "thin overcast or >= 4/8 low cloud" and "<= 3/8 cloud".
enum class NightCloud { Cloudy, Clear };

/// "A".."F".
char stability_letter(Stability s);

/// Parses "A".."F" (case-insensitive). Throws UsageError naming the value otherwise.
Stability parse_stability(std::string_view text);

/// Turner's table by day. `wind_m_s` is the wind at 10 m in m/s (> 0, finite): throws
/// UsageError otherwise (a calm has no Gaussian plume).
Stability pasquill_day(double wind_m_s, Insolation sun);

/// Turner's table by night (same wind rules).
Stability pasquill_night(double wind_m_s, NightCloud cloud);

/// The class from the wind, day or night and the cloud cover as a fraction of the sky (0..1,
/// oktas/8). By day the cover stands in for the sun Vigil cannot compute without a date:
/// <= 4/8 -> moderate sun, 5/8..7/8 -> slight sun; by night <= 3/8 -> clear, more -> cloudy.
/// A full overcast (8/8, cover >= 0.95) is D, day or night (Turner). Throws UsageError for a
/// cover outside 0..1 or NaN, and for a bad wind speed.
Stability pasquill_class(double wind_m_s, DayNight time, double cloud_cover);

} // namespace vigil::hazard
