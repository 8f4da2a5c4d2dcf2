/// @file
/// The HTTP/1.1 request head parser of `vigil serve`: a pure function over the bytes received
/// so far on a connection. It never reads a socket, allocates only for what it returns and
/// decides as early as the bytes allow, so the connection loop can call it after every read
/// and a fuzzer can call it on anything (tests/fuzz/fuzz_http_head.cpp).
///
/// What it accepts is deliberately narrower than RFC 9112 allows where the extra latitude is
/// only useful to request smugglers: CRLF line ends only, single spaces in the request line, no
/// whitespace before a colon, no obsolete line folding, one decimal Content-Length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::web::detail {

struct HeadLimits {
    std::size_t max_request_line = 8 * 1024; ///< longer: 414 (without CRLF, as soon as this many bytes arrived)
    std::size_t max_header_line = 8 * 1024;  ///< one longer header line: 431
    std::size_t max_head = 32 * 1024;        ///< request line + headers + blank line; larger: 431
    std::size_t max_headers = 100;           ///< more header lines: 431
    std::size_t max_leading_blank = 64;      ///< empty lines before a request line (RFC 9112 2.2); more: 400
};

struct HeaderField {
    std::string name;  ///< as sent (compare case-insensitively)
    std::string value; ///< leading and trailing blanks removed
};

struct ParsedHead {
    enum class State {
        NeedMore, ///< nothing wrong yet: wait for more bytes
        Complete, ///< a whole head; `consumed` bytes of the input belong to it
        Refused,  ///< answer `status` (400, 414 or 431) with `problem`, then close
    };
    State state = State::NeedMore;
    int status = 0;
    std::string problem;
    std::size_t consumed = 0;

    /// Filled as far as the request line could be split (also for refusals: the access log).
    std::string method, target, version;
    std::vector<HeaderField> headers;
    bool has_body = false;   ///< a Content-Length other than 0, or any Transfer-Encoding
    bool keep_alive = false; ///< HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"

    /// The value of the first field named `name` (case-insensitive); nullptr when there is none.
    const std::string* field(std::string_view name) const;
    /// The same value, or "" when there is none (a missing field and an empty one read alike).
    std::string_view value(std::string_view name) const;
    std::size_t count(std::string_view name) const;
};

/// Parses the request head at the start of `bytes`. Bytes after the head (a pipelined request)
/// are left alone: `consumed` says where the next one starts.
ParsedHead parse_head(std::string_view bytes, const HeadLimits& limits = {});

bool iequals_ascii(std::string_view a, std::string_view b);

} // namespace vigil::web::detail
