/// @file
/// The checks the hazard models share on their inputs (private to core/src/hazard).
#pragma once

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <string>

namespace vigil::hazard::detail {

/// Throws UsageError "WHAT V: must be a positive number" unless v is finite and > 0. `what`: an
/// N_("…") msgid (shown translated).
inline void check_positive(double v, const char* what) {
    if (!std::isfinite(v) || v <= 0) throw UsageError(trf("{} {}: must be a positive number", tr(what), text::format_double(v)));
}

} // namespace vigil::hazard::detail
