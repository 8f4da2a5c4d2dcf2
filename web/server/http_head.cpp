#include "http_head.hpp"

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace vigil::web::detail {

namespace {

bool is_token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c));
}

bool is_control(char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Content-Length: digits only (no sign, no blanks inside), at most 2^63 - 1.
bool parse_length(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return out <= (~std::uint64_t{0} >> 1);
}

// Splits "METHOD SP TARGET SP VERSION" into the head; an empty string, or why not.
std::string split_request_line(std::string_view line, ParsedHead& head) {
    // Whatever can be split is kept, even when refused: the access log names it.
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    head.method = std::string(line.substr(0, std::min<std::size_t>(sp1, 32)));
    if (sp2 != std::string_view::npos) {
        head.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
        head.version = std::string(line.substr(sp2 + 1, 16));
    }
    if (std::any_of(line.begin(), line.end(), is_control)) return tr("control byte in the request line");
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return trf("request line is not '{}' with single spaces", "METHOD TARGET HTTP/1.1");
    if (head.method.empty() || !std::all_of(head.method.begin(), head.method.end(), is_token_char)) return tr("bad method");
    if (head.target.empty()) return tr("empty request target");
    if (head.version != "HTTP/1.1" && head.version != "HTTP/1.0")
        return trf("unsupported HTTP version ({} and {} are served)", "HTTP/1.0", "HTTP/1.1");
    return {};
}

struct FieldState {
    int content_lengths = 0;
    bool close = false, keep_alive = false;
};

std::string add_field(std::string_view line, ParsedHead& head, FieldState& state) {
    // RFC 9112: no whitespace before the colon, no obsolete line folding; both are old
    // request-smuggling tricks.
    if (line.front() == ' ' || line.front() == '\t') return tr("obsolete line folding (a header line starting with whitespace)");
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return trf("header line without '{}'", "Name:");
    auto name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), is_token_char)) return tr("whitespace or a bad byte in a header name");
    auto value = trim_blanks(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) { return c != '\t' && is_control(c); }))
        return tr("control byte in a header value");

    if (iequals_ascii(name, "Content-Length")) {
        std::uint64_t length = 0;
        if (++state.content_lengths > 1) return trf("repeated {}", "Content-Length");
        if (!parse_length(value, length)) return trf("{} is not a decimal number", "Content-Length");
        if (length > 0) head.has_body = true;
    } else if (iequals_ascii(name, "Transfer-Encoding")) {
        head.has_body = true;
    } else if (iequals_ascii(name, "Connection")) {
        // A comma-separated list of options; only these two matter here.
        std::string_view rest = value;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto option = trim_blanks(rest.substr(0, comma));
            if (iequals_ascii(option, "close")) state.close = true;
            if (iequals_ascii(option, "keep-alive")) state.keep_alive = true;
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    head.headers.push_back({std::string(name), std::string(value)});
    return {};
}

ParsedHead refused(ParsedHead&& head, int status, std::string problem) {
    head.state = ParsedHead::State::Refused;
    head.status = status;
    head.problem = std::move(problem);
    return std::move(head);
}

} // namespace

bool iequals_ascii(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return text::to_lower_ascii(x) == text::to_lower_ascii(y); });
}

const std::string* ParsedHead::field(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals_ascii(h.name, name)) return &h.value;
    return nullptr;
}

std::string_view ParsedHead::value(std::string_view name) const {
    const auto* v = field(name);
    return v ? std::string_view(*v) : std::string_view{};
}

std::size_t ParsedHead::count(std::string_view name) const {
    return static_cast<std::size_t>(
        std::count_if(headers.begin(), headers.end(), [&](const HeaderField& h) { return iequals_ascii(h.name, name); }));
}

ParsedHead parse_head(std::string_view bytes, const HeadLimits& limits) {
    ParsedHead head;
    constexpr auto npos = std::string_view::npos;

    // RFC 9112 2.2: empty lines before a request line are ignored (a few of them).
    std::size_t start = 0;
    for (std::size_t blanks = 0; bytes.size() - start >= 2 && bytes[start] == '\r' && bytes[start + 1] == '\n'; start += 2)
        if (++blanks > limits.max_leading_blank) return refused(std::move(head), 400, tr("too many empty lines before the request line"));

    auto lf = bytes.find('\n', start);
    if (lf == npos) {
        // Decided as soon as the limit is passed: a line that never ends is not buffered forever.
        if (bytes.size() - start > limits.max_request_line) {
            auto partial = bytes.substr(start, 32);
            head.method = std::string(partial.substr(0, partial.find(' ')));
            return refused(std::move(head), 414, trf("request line longer than {} bytes", limits.max_request_line));
        }
        return head;
    }
    if (lf == start || bytes[lf - 1] != '\r') {
        (void)split_request_line(bytes.substr(start, lf - start), head);
        return refused(std::move(head), 400, trf("request line not terminated by {}", "CRLF"));
    }
    auto request_line = bytes.substr(start, lf - 1 - start);
    if (request_line.size() > limits.max_request_line) {
        (void)split_request_line(request_line, head);
        return refused(std::move(head), 414, trf("request line longer than {} bytes", limits.max_request_line));
    }
    if (auto problem = split_request_line(request_line, head); !problem.empty()) return refused(std::move(head), 400, std::move(problem));

    const std::string too_large = trf("request head larger than {} bytes", limits.max_head);
    FieldState state;
    std::size_t lines = 0;
    for (std::size_t pos = lf + 1;;) {
        lf = bytes.find('\n', pos);
        if (lf == npos) {
            // An unfinished line: refused as soon as it, or the head, is certain to be too long
            // (+1: its CR may have arrived without the LF).
            if (bytes.size() - pos > limits.max_header_line + 1)
                return refused(std::move(head), 431, trf("a header line longer than {} bytes", limits.max_header_line));
            if (bytes.size() - start > limits.max_head) return refused(std::move(head), 431, too_large);
            head.headers.clear();
            return head;
        }
        if (lf == pos || bytes[lf - 1] != '\r') return refused(std::move(head), 400, trf("header line not terminated by {}", "CRLF"));
        if (lf + 1 - start > limits.max_head) return refused(std::move(head), 431, too_large);
        auto line = bytes.substr(pos, lf - 1 - pos);
        pos = lf + 1;
        if (line.empty()) {
            head.consumed = pos;
            break;
        }
        if (++lines > limits.max_headers) return refused(std::move(head), 431, trf("more than {} header lines", limits.max_headers));
        if (line.size() > limits.max_header_line)
            return refused(std::move(head), 431, trf("a header line longer than {} bytes", limits.max_header_line));
        if (auto problem = add_field(line, head, state); !problem.empty()) return refused(std::move(head), 400, std::move(problem));
    }
    head.keep_alive = head.version == "HTTP/1.1" ? !state.close : state.keep_alive && !state.close;
    head.state = ParsedHead::State::Complete;
    return head;
}

} // namespace vigil::web::detail
