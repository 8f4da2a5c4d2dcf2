#include "http_rules.hpp"

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <vigil/util/error.hpp>

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <memory>

namespace vigil::web::detail {

namespace {

constexpr char k_hex[] = "0123456789abcdef";


bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return text::to_lower_ascii(x) == text::to_lower_ascii(y); });
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

TargetCheck refuse(int status, std::string reason) { return TargetCheck{{}, TargetRefusal{status, std::move(reason)}}; }

// A q-value ("1", "0.5", "0.000"); anything unparsable counts as 1, as most servers do.
double parse_qvalue(std::string_view params) {
    // params: the text after the token, e.g. ";q=0.5" or " ; Q=0 ; foo=bar"
    while (!params.empty()) {
        auto semi = params.find(';');
        if (semi == std::string_view::npos) break;
        params.remove_prefix(semi + 1);
        auto next = params.find(';');
        auto param = trim_ows(params.substr(0, next));
        if (param.size() >= 2 && text::to_lower_ascii(param[0]) == 'q' && param[1] == '=') {
            auto v = param.substr(2);
            if (v.empty() || (v[0] != '0' && v[0] != '1')) return 1.0;
            double q = v[0] - '0';
            if (v.size() > 2 && v[1] == '.') {
                double scale = 0.1;
                for (std::size_t i = 2; i < v.size() && i < 5 && v[i] >= '0' && v[i] <= '9'; ++i, scale /= 10) q += (v[i] - '0') * scale;
            }
            return std::min(q, 1.0);
        }
    }
    return 1.0;
}

} // namespace

TargetCheck check_target(std::string_view raw) {
    if (raw == "*") return refuse(400, trf("{} request target", "asterisk-form"));
    if (raw.find("://") != std::string_view::npos && (raw.empty() || raw.front() != '/'))
        return refuse(400, trf("{} request target", "absolute-form"));
    if (raw.empty() || raw.front() != '/') return refuse(400, tr("request target does not start with '/'"));
    for (unsigned char c : raw) {
        if (is_control(c)) return refuse(400, tr("control byte in request target"));
        if (c >= 0x80) return refuse(400, trf("raw non-{} byte in request target", "ASCII"));
    }
    if (raw.find('#') != std::string_view::npos) return refuse(400, tr("fragment in request target"));
    auto raw_path = raw.substr(0, raw.find('?'));
    if (raw_path.find('\\') != std::string_view::npos) return refuse(400, tr("backslash in path"));

    std::string path;
    path.reserve(raw_path.size());
    for (std::size_t i = 0; i < raw_path.size(); ++i) {
        char c = raw_path[i];
        if (c != '%') {
            path.push_back(c);
            continue;
        }
        int hi = i + 1 < raw_path.size() ? text::hex_digit_value(raw_path[i + 1]) : -1;
        int lo = i + 2 < raw_path.size() ? text::hex_digit_value(raw_path[i + 2]) : -1;
        if (hi < 0 || lo < 0) return refuse(400, tr("malformed percent escape in path"));
        auto decoded = static_cast<unsigned char>(hi * 16 + lo);
        // Encoded separators, dots and percents exist only to smuggle "..", "/" or a second
        // round of decoding past a check; no file name the server serves needs them.
        if (decoded == '.' || decoded == '/' || decoded == '\\' || decoded == '%' || is_control(decoded))
            // xgettext:no-c-format
            return refuse(400, tr("percent-encoded '.', '/', '\\', '%' or control byte in path"));
        path.push_back(static_cast<char>(decoded));
        i += 2;
    }

    // Segments: no empty ones except a trailing slash ("/fonts/" is well-formed and names no
    // file), no "." or "..".
    std::string_view rest(path);
    rest.remove_prefix(1);
    while (!rest.empty()) {
        auto slash = rest.find('/');
        auto segment = rest.substr(0, slash);
        if (segment.empty()) return refuse(400, tr("empty path segment ('//')"));
        if (segment == "." || segment == "..") return refuse(400, tr("'.' or '..' segment in path"));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return TargetCheck{std::move(path), std::nullopt};
}

bool is_safe_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

bool is_database_name(std::string_view name) {
    auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && iequals(name.substr(name.size() - suffix.size()), suffix);
    };
    return ends_with(".sqlite") || ends_with(".sqlite3") || ends_with("-wal") || ends_with("-shm") || ends_with("-journal");
}

namespace {

// "Name.Example.:8080" -> "name.example"; "[::1]:80" -> "::1"; empty when malformed.
std::string host_name_of(std::string_view host) {
    std::string_view name;
    if (host.starts_with('[')) {
        auto close = host.find(']');
        if (close == std::string_view::npos) return {};
        auto rest = host.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !parse_decimal(rest.substr(1), 65535))) return {};
        name = host.substr(1, close - 1);
    } else {
        auto colon = host.rfind(':');
        if (colon != std::string_view::npos && !parse_decimal(host.substr(colon + 1), 65535)) return {};
        name = host.substr(0, colon);
    }
    if (name.ends_with('.')) name.remove_suffix(1);
    std::string out(name);
    for (auto& c : out) c = text::to_lower_ascii(c);
    return out;
}

bool is_loopback_name(std::string_view name) {
    if (name == "localhost" || name == "::1") return true;
    // 127.a.b.c, digits only
    if (!name.starts_with("127.")) return false;
    int parts = 0;
    for (;;) {
        auto dot = name.find('.');
        if (!parse_decimal(name.substr(0, dot), 255)) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        name.remove_prefix(dot + 1);
    }
    return parts == 4;
}

} // namespace

HostPolicy::HostPolicy(const std::vector<std::string>& names) {
    for (const auto& n : names) {
        std::string name = n;
        if (name.ends_with('.')) name.pop_back();
        for (auto& c : name) c = text::to_lower_ascii(c);
        if (!name.empty() && std::find(m_names.begin(), m_names.end(), name) == m_names.end()) m_names.push_back(std::move(name));
    }
}

bool HostPolicy::allows(std::string_view host) const {
    auto name = host_name_of(host);
    if (name.empty()) return false;
    return is_loopback_name(name) || std::find(m_names.begin(), m_names.end(), name) != m_names.end();
}

std::string_view mime_type_for(std::string_view file_name) {
    struct Entry {
        std::string_view ext, type;
    };
    static constexpr std::array<Entry, 21> table{{
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".css", "text/css"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
        {".otf", "font/otf"},
        {".ttf", "font/ttf"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".gif", "image/gif"},
        {".svg", "image/svg+xml"},
        {".ico", "image/vnd.microsoft.icon"},
        {".sqlite", "application/vnd.sqlite3"},
    }};
    auto dot = file_name.rfind('.');
    if (dot != std::string_view::npos) {
        auto ext = file_name.substr(dot);
        for (const auto& e : table)
            if (iequals(ext, e.ext)) return e.type;
    }
    return "application/octet-stream";
}

bool is_compressible(std::string_view type) {
    auto base = type.substr(0, type.find(';'));
    if (base.starts_with("text/")) return true;
    static constexpr std::array<std::string_view, 9> types{
        "application/javascript",   "application/json", "application/wasm", "image/svg+xml",
        "image/vnd.microsoft.icon", "font/otf",         "font/ttf",         "application/vnd.sqlite3",
        "application/octet-stream"};
    return std::find(types.begin(), types.end(), base) != types.end();
}

bool accepts_gzip(std::string_view header) {
    std::optional<double> gzip_q, star_q;
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = trim_ows(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        auto semi = item.find(';');
        auto coding = trim_ows(item.substr(0, semi));
        double q = semi == std::string_view::npos ? 1.0 : parse_qvalue(item.substr(semi));
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip_q = std::max(gzip_q.value_or(0.0), q);
        else if (coding == "*") star_q = q;
    }
    if (gzip_q) return *gzip_q > 0;
    return star_q && *star_q > 0;
}

bool if_none_match(std::string_view header, std::string_view etag) {
    auto opaque = [](std::string_view tag) {
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        return tag;
    };
    auto wanted = opaque(etag);
    header = trim_ows(header);
    if (header == "*") return true;
    std::size_t i = 0;
    while (i < header.size()) {
        while (i < header.size() && (header[i] == ' ' || header[i] == '\t' || header[i] == ',')) ++i;
        if (i >= header.size()) break;
        std::size_t start = i;
        if (header.compare(i, 2, "W/") == 0) i += 2;
        if (i >= header.size() || header[i] != '"') return false; // not an entity-tag list
        auto close = header.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        if (opaque(header.substr(start, close + 1 - start)) == wanted) return true;
        i = close + 1;
    }
    return false;
}

std::string make_etag(std::string_view hash, bool gzip) {
    std::string tag = "\"";
    tag += hash;
    if (gzip) tag += "-gz";
    tag += '"';
    return tag;
}

std::string content_hash(std::span<const std::uint8_t> bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 || len < 16)
        // i18n: not shown: an internal failure (logged), for developers
        throw Error("SHA-256 is not available (OpenSSL)");
    std::string out;
    for (unsigned int i = 0; i < 16; ++i) {
        out.push_back(k_hex[digest[i] >> 4]);
        out.push_back(k_hex[digest[i] & 15]);
    }
    return out;
}

std::string gzip_compress(std::string_view data) {
    z_stream zs{};
    // windowBits 15 + 16: a gzip wrapper rather than zlib's.
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        // i18n: not shown: an internal failure (logged), for developers
        throw Error("zlib: deflateInit2 failed");
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, &deflateEnd);
    std::string out;
    std::array<char, 1 << 16> buf{};
    std::size_t offset = 0;
    int flush = Z_NO_FLUSH;
    do {
        if (zs.avail_in == 0 && offset < data.size()) {
            auto n = std::min<std::size_t>(data.size() - offset, 1u << 30);
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
            zs.avail_in = static_cast<uInt>(n);
            offset += n;
        }
        flush = offset == data.size() ? Z_FINISH : Z_NO_FLUSH;
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        int rc = deflate(&zs, flush);
        // i18n: not shown: an internal failure (logged), for developers
        if (rc == Z_STREAM_ERROR) throw Error("zlib: deflate failed");
        out.append(buf.data(), buf.size() - zs.avail_out);
        if (rc == Z_STREAM_END) break;
    } while (true);
    return out;
}

std::string gzip_decompress(std::string_view data) {
    z_stream zs{};
    // i18n: not shown: an internal failure (logged), for developers
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw Error("zlib: inflateInit2 failed");
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, &inflateEnd);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    std::array<char, 1 << 16> buf{};
    for (;;) {
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        int rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - zs.avail_out);
        if (rc == Z_STREAM_END) return out;
        // i18n: not shown: an internal failure (logged), for developers
        if (rc != Z_OK) throw FormatError("not valid gzip data (zlib error " + std::to_string(rc) + ")");
        // i18n: not shown: an internal failure (logged), for developers
        if (zs.avail_in == 0 && zs.avail_out != 0) throw FormatError("truncated gzip data");
    }
}

std::string_view sniff_image_type(std::string_view b) {
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
    return "application/octet-stream";
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    // Sized for any int fields, so that the compiler can prove nothing is cut.
    std::array<char, 96> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf.data();
}

std::string log_safe(std::string_view s, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            out += "\\x";
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (v > max) return std::nullopt;
    return v;
}

} // namespace vigil::web::detail
