/// @file
/// The platform seam for HTTP: how the shared viewer fetches a URL (basemap tiles from `vigil
/// serve`). One declaration, two implementations chosen by the build: http_fetch_web.cpp
/// (emscripten_fetch, the browser's own HTTP stack) and http_fetch_native.cpp (the native viewer
/// reads tiles from files; an HTTP source there is refused with a message). Shared viewer files
/// include this instead of testing __EMSCRIPTEN__.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vigil::viewer::platform {

struct HttpResponse {
    int status = 0;                                ///< 0 when no response came (network error, refused)
    std::optional<std::vector<std::uint8_t>> body; ///< the bytes of a 200 with content (http_send: of any answer)
    std::string error;                             ///< why there is no body, "" for 200/204/404
};

/// Starts a GET of `url`; `done` runs once with the answer, on the thread that called http_get
/// (the frame's thread), after http_get has returned.
void http_get(const std::string& url, std::function<void(HttpResponse)> done);

/// A request with a body (the edit API): any status's body comes back in HttpResponse::body.
struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Starts `request`; `done` runs once with the answer, as for http_get. Same-origin: the page's
/// cookies go with it.
void http_send(const HttpRequest& request, std::function<void(HttpResponse)> done);

/// Whether http_get can reach anything on this platform.
bool http_available();

} // namespace vigil::viewer::platform
