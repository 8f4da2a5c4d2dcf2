/// @file
/// Degrees and radians: the two conversion factors, defined once.
#pragma once

#include <numbers>

namespace vigil::geo {

inline constexpr double k_rad_per_deg = std::numbers::pi / 180.0;
inline constexpr double k_deg_per_rad = 180.0 / std::numbers::pi;

} // namespace vigil::geo
