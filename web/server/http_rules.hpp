/// @file
/// The server's pure rules, kept apart from sockets so that tests can state them directly:
/// which request targets are acceptable, file names and MIME types, content negotiation,
/// entity tags, gzip, hashes and timestamps. Private to vigil_web_server (and its tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::web::detail {

/// Why a request target was refused, and the status that says so.
struct TargetRefusal {
    int status;         ///< 400 (malformed or dangerous) or 404 (well-formed, names nothing)
    std::string reason; ///< for the error body and the log
};

/// The checked path of a request target, or why it is refused.
struct TargetCheck {
    std::string path; ///< decoded, starts with '/', no query; empty when refused
    std::optional<TargetRefusal> refusal;
};

/// Checks the raw request-target of a request line (before any decoding) and returns its path.
/// Only origin-form is accepted ("/a/b?query"). Refused with 400: absolute-form
/// ("http://x/..."), "*", an empty or relative target, a fragment, backslashes, NUL or control
/// bytes, "//", "." or ".." segments, malformed percent escapes, and percent-encoded '.', '/',
/// '\\', '%' or control bytes in any form (%2e, %2F, %5c, %25 and so double-encoded %252e).
/// Other escapes are decoded. The query string is ignored (cache busters like ?v=3 are fine).
TargetCheck check_target(std::string_view raw_target);

/// True for a file or folder name the server will serve: 1..128 bytes of [A-Za-z0-9._-], not
/// starting with '.' (no hidden files, no "." or ".."). Everything else is skipped at the scan.
bool is_safe_name(std::string_view name);

/// True for the name of an SQLite database or one of its companion files (*.sqlite, *.sqlite3,
/// *-wal, *-shm, *-journal; case-insensitive). A copy of a project left in the web folder must
/// not be published beside the read-only snapshot, and a live -wal file would leak
/// uncommitted pages: such files are skipped at the scan.
bool is_database_name(std::string_view name);

/// Which Host header values the server answers (protection against DNS rebinding: a page on
/// evil.example whose name resolves to this machine makes the browser send "Host: evil.example").
/// Loopback names (localhost, 127.x.x.x, [::1]) are always allowed; a server bound beyond
/// loopback also allows the machine's own addresses and host names, given to the constructor.
class HostPolicy {
public:
    HostPolicy() = default;
    /// `names`: addresses (IPv6 without brackets) and host names, any case, any trailing dot.
    explicit HostPolicy(const std::vector<std::string>& names);
    /// `host`: a Host header value, with or without a port ("[::1]:8080", "Name.local.").
    bool allows(std::string_view host) const;
    const std::vector<std::string>& names() const { return m_names; }

private:
    std::vector<std::string> m_names; ///< normalised: lower case, no trailing dot
};

/// The Content-Type for a file name, by its extension (case-insensitive);
/// application/octet-stream for anything unknown.
std::string_view mime_type_for(std::string_view file_name);

/// True when a gzip copy of content of this type is worth keeping (text, JSON, JavaScript,
/// WebAssembly, SVG, fonts other than WOFF2, SQLite); false for already compressed images.
bool is_compressible(std::string_view mime_type);

/// True when an Accept-Encoding value accepts gzip: "gzip" or "x-gzip" (or "*" when gzip is not
/// listed) with a q-value above 0. Parsed per RFC 9110 12.5.3, case-insensitively.
bool accepts_gzip(std::string_view accept_encoding);

/// True when an If-None-Match value matches an entity tag: "*", or any listed tag equal to
/// `etag` by weak comparison (W/ prefixes ignored). `etag` is a quoted tag, e.g. "\"abc\"".
bool if_none_match(std::string_view header, std::string_view etag);

/// The entity tag of a representation: the quoted hash, with "-gz" inside the quotes for the
/// gzip-coded one (a strong tag must differ between content codings).
std::string make_etag(std::string_view hash, bool gzip);

/// Lower-case hex of the first 16 bytes of SHA-256 (plenty to tell versions apart).
std::string content_hash(std::span<const std::uint8_t> bytes);
inline std::string content_hash(std::string_view bytes) {
    return content_hash(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

/// gzip (RFC 1952) at the default level. Throws vigil::Error if zlib fails.
std::string gzip_compress(std::string_view data);
/// The inverse, for tests and checks. Throws vigil::FormatError on bad input.
std::string gzip_decompress(std::string_view data);

/// The Content-Type of a raster tile from its first bytes: image/png, image/jpeg, image/webp,
/// else application/octet-stream.
std::string_view sniff_image_type(std::string_view bytes);

/// "2025-05-20T08:30:00.123Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);

/// A printable, bounded copy of untrusted text for the log: control bytes, quotes, backslashes
/// and non-ASCII become \xNN escapes, and anything past `max` bytes becomes "...".
std::string log_safe(std::string_view s, std::size_t max = 200);

/// Parses an unsigned decimal made of digits only (no sign, no spaces), at most `max`.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max);

} // namespace vigil::web::detail
