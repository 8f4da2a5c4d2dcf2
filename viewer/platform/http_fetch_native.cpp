/// @file
/// http_get natively: the native viewer reads its basemap from MBTiles files and tile folders;
/// HTTP tile sources belong to the browser build, and are refused here with the reason.

#include "http_fetch.hpp"

#include <vigil/util/i18n.hpp>

namespace vigil::viewer::platform {

void http_get(const std::string& url, std::function<void(HttpResponse)> done) {
    HttpResponse r;
    r.error = trf("tiles over HTTP need the browser build: {}", url);
    done(std::move(r));
}

void http_send(const HttpRequest& request, std::function<void(HttpResponse)> done) {
    // The native viewer edits its project file directly (EditDesk's store route).
    HttpResponse r;
    r.error = trf("HTTP requests need the browser build: {}", request.url);
    done(std::move(r));
}

bool http_available() { return false; }

} // namespace vigil::viewer::platform
