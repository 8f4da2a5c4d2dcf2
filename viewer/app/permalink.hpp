/// @file
/// The view as a URL fragment and back: centre, zoom, hidden layers, filters, the selection and
/// the day hidden hazards are shown at (`asof=2026-12-01`, only when one was set), so that a link
/// copied from the browser build opens the same view elsewhere (and the native viewer can print
/// one). Platform-free; the browser glue only moves the string in and out of
/// `location.hash`.
///
///     v=13.20/35.22000/113.24000&hide=roads,rivers&f.enterprises=risk_level:red|orange;county:温县
///       &f.rescue_teams=@need:hazmat;@status:available&sel=rescue_teams/JZDW-002
///
/// `@need` and `@status` are the capability and status conditions (FilterSpec::need/status); other
/// names are fields. Values are percent-encoded UTF-8 where they hold one of `%&=;:|/#+` or
/// whitespace; Chinese characters may appear raw or percent-encoded (browsers encode them).
#pragma once

#include "app_state.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// The fragment for the current view, without the leading '#'. Stable: the same view gives the
/// same string (layers in drawing order, filters as the user set them).
std::string make_permalink(const AppState& state);

/// Applies a fragment (with or without the leading '#'). What is understood is applied; what is
/// not (an unknown layer, field or value, a malformed part) is skipped and described in the
/// returned list, so a link from a database with other layers still opens as much as it can.
/// Layers the fragment does not name in `hide` are shown; layers without an `f.` entry lose
/// their filter. An empty fragment changes nothing.
std::vector<std::string> apply_permalink(AppState& state, std::string_view fragment);

/// Percent-decoding of a URL component ('+' stays '+'); malformed escapes are kept as they are.
std::string percent_decode(std::string_view text);
/// Percent-encoding of the characters the fragment syntax uses, controls and spaces; other
/// UTF-8 (Chinese) is left as it is.
std::string percent_encode(std::string_view text);

} // namespace vigil::viewer
