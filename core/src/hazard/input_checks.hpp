/// @file
/// The checks the hazard models share on their inputs (private to core/src/hazard).
#pragma once

#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <string>

namespace vigil::hazard::detail {

/// Throws UsageError "WHAT V: must be a positive number" unless v is finite and > 0.
inline void check_positive(double v, const std::string& what) {
    if (!std::isfinite(v) || v <= 0) throw UsageError(what + " " + text::format_double(v) + ": must be a positive number");
}

} // namespace vigil::hazard::detail
