#include <vigil/util/text.hpp>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace vigil::text {

bool is_valid_utf8(std::string_view s, std::size_t* bad_offset) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        if (i + len > n) {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) {
                if (bad_offset) *bad_offset = i;
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        i += len;
    }
    return true;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    while (!s.empty()) {
        std::size_t bad = 0;
        if (is_valid_utf8(s, &bad)) {
            out.append(s);
            break;
        }
        out.append(s.substr(0, bad));
        out += "\xEF\xBF\xBD";
        s.remove_prefix(bad + 1);
    }
    return out;
}

namespace {

// Length of a whitespace sequence at the front of s, 0 if none.
std::size_t leading_space(std::string_view s) {
    if (s.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(s[0]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (s.size() >= 3 && c == 0xE3 && static_cast<unsigned char>(s[1]) == 0x80 && static_cast<unsigned char>(s[2]) == 0x80)
        return 3; // U+3000
    if (s.size() >= 3 && c == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB && static_cast<unsigned char>(s[2]) == 0xBF) return 3; // BOM
    if (s.size() >= 2 && c == 0xC2 && static_cast<unsigned char>(s[1]) == 0xA0) return 2; // U+00A0
    return 0;
}

std::size_t trailing_space(std::string_view s) {
    if (s.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    std::size_t n = s.size();
    if (n >= 3 && static_cast<unsigned char>(s[n - 3]) == 0xE3 && static_cast<unsigned char>(s[n - 2]) == 0x80 && c == 0x80) return 3;
    if (n >= 2 && static_cast<unsigned char>(s[n - 2]) == 0xC2 && c == 0xA0) return 2;
    return 0;
}

} // namespace

std::string_view trim(std::string_view s) {
    for (std::size_t k; (k = leading_space(s)) != 0;) s.remove_prefix(k);
    for (std::size_t k; (k = trailing_space(s)) != 0;) s.remove_suffix(k);
    return s;
}

std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

char32_t decode_utf8(std::string_view s, std::size_t& pos) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c = byte(pos);
    if (c < 0x80) {
        ++pos;
        return c;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || pos + len > s.size()) {
        ++pos;
        return 0xFFFD;
    }
    char32_t cp = c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(pos + k) & 0xC0) != 0x80) {
            ++pos;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(pos + k) & 0x3F);
    }
    pos += len;
    return cp;
}

namespace {

// Full-width ASCII variants (U+FF01..U+FF5E) map to U+0021..U+007E; U+3000 to a space.
char32_t fold_width(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFF01 + 0x21;
    if (cp == 0x3000) return U' ';
    return cp;
}

// fold_width, and the characters that stand for ASCII ones in numbers only.
char32_t fold_number_char(char32_t cp) {
    cp = fold_width(cp);
    if (cp == 0x2212) return U'-'; // MINUS SIGN, as Word and some IMEs write it
    if (cp == U'、') return U',';
    return cp;
}

} // namespace

std::string match_key(std::string_view s) {
    s = trim(s);
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    while (pos < s.size()) {
        char32_t cp = fold_width(decode_utf8(s, pos));
        if (cp == U' ' || cp == U'_' || cp == U'-' || cp == U'.' || cp == U'\t') continue;
        if (cp >= U'A' && cp <= U'Z') cp = cp - U'A' + U'a';
        append_utf8(out, cp);
    }
    return out;
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    std::string current;
    std::size_t pos = 0;
    auto flush = [&] {
        auto t = trim(current);
        if (!t.empty()) out.emplace_back(t);
        current.clear();
    };
    while (pos < s.size()) {
        std::size_t start = pos;
        char32_t cp = decode_utf8(s, pos);
        switch (cp) {
        case U',':
        case U'，':
        case U';':
        case U'；':
        case U'、':
        case U'|':
        case U'/':
        case U'\n':
        case U'\r': flush(); break;
        default: current.append(s.substr(start, pos - start));
        }
    }
    flush();
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto p = s.find(sep, start);
        if (p == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

namespace {

// Folds full-width digits, signs and the decimal point to ASCII; drops grouping commas when
// allowed. Returns nullopt for anything that cannot be part of a plain decimal number.
std::optional<std::string> ascii_number(std::string_view s, bool allow_grouping) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    while (pos < s.size()) {
        char32_t cp = decode_utf8(s, pos);
        cp = cp == U'、' ? cp : fold_number_char(cp); // '、' never belongs inside one number
        if (cp >= 0x80) return std::nullopt;
        out.push_back(static_cast<char>(cp));
    }
    if (out.find(',') == std::string::npos) return out;
    if (!allow_grouping) return std::nullopt;
    // Grouping commas only in their proper places ("1,234,567.5"): a decimal comma ("116,40")
    // must never be read as 11640 or 116.4 without a word.
    std::size_t int_end = out.find_first_of(".eE");
    if (int_end == std::string::npos) int_end = out.size();
    std::size_t digits_start = (out[0] == '-' || out[0] == '+') ? 1 : 0;
    std::string_view int_part(out.data() + digits_start, int_end - digits_start);
    auto groups = split(int_part, ',');
    if (groups.front().empty() || groups.front().size() > 3) return std::nullopt;
    for (std::size_t i = 1; i < groups.size(); ++i)
        if (groups[i].size() != 3) return std::nullopt;
    if (out.find(',', int_end) != std::string::npos) return std::nullopt;
    std::string cleaned;
    for (char ch : out)
        if (ch != ',') cleaned.push_back(ch);
    return cleaned;
}

} // namespace

std::string fold_number_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    while (pos < s.size()) append_utf8(out, fold_number_char(decode_utf8(s, pos)));
    return out;
}

std::optional<double> parse_double(std::string_view s, bool allow_grouping) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    auto ascii = ascii_number(s, allow_grouping);
    if (!ascii) return std::nullopt;
    std::string_view a = *ascii;
    if (!a.empty() && a[0] == '+') a.remove_prefix(1);
    if (a.empty()) return std::nullopt;
    // fast_float accepts "nan"/"inf"; a coordinate or a quantity never is one.
    for (char ch : a)
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == 'e' || ch == 'E' || ch == '+')) return std::nullopt;
    double v = 0;
    auto res = fast_float::from_chars(a.data(), a.data() + a.size(), v);
    if (res.ec != std::errc() || res.ptr != a.data() + a.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_int64(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    auto ascii = ascii_number(s, false);
    if (!ascii) return std::nullopt;
    std::string_view a = *ascii;
    if (!a.empty() && a[0] == '+') a.remove_prefix(1);
    std::int64_t v = 0;
    auto res = std::from_chars(a.data(), a.data() + a.size(), v);
    if (res.ec == std::errc() && res.ptr == a.data() + a.size()) return v;
    // "12.0" from a spreadsheet: accept when the value is integral and exactly representable.
    auto d = parse_double(a);
    if (d && std::floor(*d) == *d && std::fabs(*d) < 9.0e15) return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

// fmt rather than std::to_chars(double): Emscripten 3.1.6's libc++ lacks the floating-point
// overloads, and fmt's Dragonbox gives the same shortest round-trip text everywhere.
std::string format_double(double v) { return fmt::format("{}", v); }

std::string format_fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

std::string csv_quote(std::string_view s) {
    bool needs = s.find_first_of(",\"\r\n") != std::string_view::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!needs) return std::string(s);
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out.push_back('"');
        out.push_back(ch);
    }
    out.push_back('"');
    return out;
}

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out.push_back(ch);
            }
        }
    }
    return out;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (suffix.size() > s.size()) return false;
    return to_lower_ascii(s.substr(s.size() - suffix.size())) == to_lower_ascii(suffix);
}

} // namespace vigil::text
