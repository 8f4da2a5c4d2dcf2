/// @file
/// Pasquill–Gifford atmospheric stability classes A (very unstable) .. F (stable) from the surface
/// wind, the time of day and the sun or the cloud cover, after Turner (1970) as tabulated in
/// docs/domain.md §4.1. The class picks the Briggs/Slade dispersion coefficients
/// (dispersion.hpp). Where Turner's table gives two classes ("A–B") Vigil takes the more stable
/// one, because it gives the longer toxic distances (the safe side for a responder).
#pragma once

#include <vigil/hazard/erg.hpp> // DayNight

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// The classes Turner's table allows for a wind and a time of day when the sky is not known:
/// every sun or cloud column of the wind's row (two-class cells resolved as above) and D for a
/// full overcast, most stable first. By day at 1.5 m/s: D, B, A; by night at 1.5 m/s: F, E, D.
/// Throws UsageError for a bad wind speed.
std::vector<Stability> possible_classes(double wind_m_s, DayNight time);

/// What the stability class rests on, for a model to resolve and for the output to say.
struct StabilityBasis {
    /// The classes to consider, most stable first: one when the class or the cloud cover is
    /// known, else possible_classes() (the caller keeps the one that reaches farthest).
    std::vector<Stability> candidates;
    bool assumed = false; ///< true when the cloud cover (and the class) was not given
    std::string why;      ///< "given (--stability)", "Turner (1970): wind 2 m/s, night, cloud 0.2", ...
};

/// The basis from what the user knows: a given class wins; else a given cloud cover picks one
/// class from Turner's table; else every class the table allows for the wind and the time of
/// day is a candidate. A safety tool may be imprecise, never optimistic: an unknown sky must not
/// become the average sky (cloud 0.5 at night gives E, where a clear night gives F and about
/// twice the toxic reach). Throws UsageError for a bad wind speed or cloud cover.
StabilityBasis stability_basis(double wind_m_s, DayNight time, std::optional<double> cloud_cover,
                               std::optional<Stability> given = std::nullopt);

} // namespace vigil::hazard
