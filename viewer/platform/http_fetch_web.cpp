/// @file
/// http_get in the browser: emscripten_fetch, answered on the calling thread.

#include "http_fetch.hpp"

#include <emscripten/fetch.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace vigil::viewer::platform {

namespace {

struct Pending {
    std::function<void(HttpResponse)> done;
    bool any_body = false;           ///< http_send: every status's body comes back
    std::vector<std::string> header; ///< http_send: the names and values requestHeaders points into
    std::string body;
};

void finish(emscripten_fetch_t* f, bool ok) {
    std::unique_ptr<Pending> p(static_cast<Pending*>(f->userData));
    HttpResponse r;
    r.status = f->status;
    if (p->any_body && f->status != 0) {
        const auto* data = reinterpret_cast<const std::uint8_t*>(f->data);
        r.body.emplace(data, data + f->numBytes);
        if (f->status >= 400 && f->numBytes == 0) r.error = std::string(f->url) + ": HTTP " + std::to_string(f->status);
    } else if (ok && f->status == 200 && f->numBytes > 0) {
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

void http_send(const HttpRequest& request, std::function<void(HttpResponse)> done) {
    auto pending = std::make_unique<Pending>();
    pending->done = std::move(done);
    pending->any_body = true;
    pending->body = request.body;
    for (const auto& [name, value] : request.headers) {
        pending->header.push_back(name);
        pending->header.push_back(value);
    }
    std::vector<const char*> headers;
    for (const auto& h : pending->header) headers.push_back(h.c_str());
    headers.push_back(nullptr);
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strncpy(attr.requestMethod, request.method.c_str(), sizeof(attr.requestMethod) - 1);
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.requestHeaders = headers.data(); // copied by emscripten_fetch
    attr.requestData = pending->body.data();
    attr.requestDataSize = pending->body.size();
    attr.onsuccess = [](emscripten_fetch_t* f) { finish(f, true); };
    attr.onerror = [](emscripten_fetch_t* f) { finish(f, false); };
    attr.userData = pending.release();
    emscripten_fetch(&attr, request.url.c_str());
}

bool http_available() { return true; }

} // namespace vigil::viewer::platform
