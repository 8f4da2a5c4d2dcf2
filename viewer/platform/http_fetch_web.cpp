/// @file
/// http_get in the browser: emscripten_fetch, answered on the calling thread.

#include "http_fetch.hpp"

#include <emscripten/fetch.h>

#include <cstring>
#include <memory>

namespace vigil::viewer::platform {

namespace {

struct Pending {
    std::function<void(HttpResponse)> done;
};

void finish(emscripten_fetch_t* f, bool ok) {
    std::unique_ptr<Pending> p(static_cast<Pending*>(f->userData));
    HttpResponse r;
    r.status = f->status;
    if (ok && f->status == 200 && f->numBytes > 0) {
        const auto* data = reinterpret_cast<const std::uint8_t*>(f->data);
        r.body.emplace(data, data + f->numBytes);
    } else if (!(f->status == 200 || f->status == 204 || f->status == 404)) {
        r.error = std::string(f->url) + ": HTTP " + std::to_string(f->status);
    }
    emscripten_fetch_close(f);
    p->done(std::move(r));
}

} // namespace

void http_get(const std::string& url, std::function<void(HttpResponse)> done) {
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strcpy(attr.requestMethod, "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.userData = new Pending{std::move(done)};
    attr.onsuccess = [](emscripten_fetch_t* f) { finish(f, true); };
    attr.onerror = [](emscripten_fetch_t* f) { finish(f, false); };
    emscripten_fetch(&attr, url.c_str());
}

bool http_available() { return true; }

} // namespace vigil::viewer::platform
