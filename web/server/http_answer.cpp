// The text of an answer, apart from the connection loop that sends it (event_loop.hpp): a
// response's headers and body, the reason phrases, the refusals the loop writes itself.

#include "event_loop.hpp"

#include "http_head.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace vigil::web::detail {

void Response::set_header(std::string name, std::string value) {
    for (auto& [n, v] : headers)
        if (iequals_ascii(n, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (iequals_ascii(n, name)) return v;
    return {};
}

void Response::set_body(std::string bytes) {
    auto owned = std::make_shared<const std::string>(std::move(bytes));
    body = *owned;
    owner = std::move(owned);
}

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";   // i18n: not shown: HTTP's reason phrases and headers
    case 304: return "Not Modified"; // i18n: not shown: HTTP's reason phrases and headers
    case 400: return "Bad Request";  // i18n: not shown: HTTP's reason phrases and headers
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";          // i18n: not shown: HTTP's reason phrases and headers
    case 405: return "Method Not Allowed"; // i18n: not shown: HTTP's reason phrases and headers
    case 408: return "Request Timeout";    // i18n: not shown: HTTP's reason phrases and headers
    case 409: return "Conflict";
    case 411: return "Length Required";                 // i18n: not shown: HTTP's reason phrases and headers
    case 413: return "Content Too Large";               // i18n: not shown: HTTP's reason phrases and headers
    case 414: return "URI Too Long";                    // i18n: not shown: HTTP's reason phrases and headers
    case 415: return "Unsupported Media Type";          // i18n: not shown: HTTP's reason phrases and headers
    case 422: return "Unprocessable Content";           // i18n: not shown: HTTP's reason phrases and headers
    case 429: return "Too Many Requests";               // i18n: not shown: HTTP's reason phrases and headers
    case 431: return "Request Header Fields Too Large"; // i18n: not shown: HTTP's reason phrases and headers
    case 500: return "Internal Server Error";           // i18n: not shown: HTTP's reason phrases and headers
    case 503: return "Service Unavailable";             // i18n: not shown: HTTP's reason phrases and headers
    default: return "Error";
    }
}

std::string refusal_response(int status, std::string_view method, std::string_view message, const HeaderList& standard,
                             std::string_view extra) {
    std::string body = std::to_string(status) + " " + std::string(reason_phrase(status)) + ": " + std::string(message) + "\n";
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    for (const auto& [name, value] : standard) out += name + ": " + value + "\r\n";
    out += extra;
    out += "Content-Type: text/plain; charset=utf-8\r\n"; // i18n: not shown: HTTP's reason phrases and headers
    out += "Cache-Control: no-store\r\n";                 // i18n: not shown: HTTP's reason phrases and headers
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n"; // i18n: not shown: HTTP's reason phrases and headers
    if (method != "HEAD") out += body;
    return out;
}

} // namespace vigil::web::detail
