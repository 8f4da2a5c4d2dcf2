/// @file
/// The GeoJSON reader's JSON cursor (internal to core/src/io): the sliding window over the file,
/// the position in it, and the scanners for JSON tokens — whitespace, literals, strings, numbers —
/// and for skipping values we do not interpret, with syntax errors located by line and column.
/// It knows nothing about GeoJSON; geojson_reader.cpp builds the feature parser on top of it.
///
/// Header-only because the scanners are the hot path of an import (a million features a few
/// seconds): they must inline into the parser that calls them.

#pragma once

#include "sliding_window.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::io::detail {
// Internal linkage, as if written in the including file: the scanners are then inlined as
// freely as before they moved here (external inline functions measured 15% slower imports).
namespace {

/// NUL bytes after the window's end: the sentinel that stops every scanner, and room for the
/// 8-byte loads of the string scanner.
constexpr std::size_t k_padding = 64;

/// What a scanner or a parse step came to: Done, or NeedMore when it ran into the end of the
/// window before the end of the file. NeedMore goes back up, function by function, to the retry
/// loop, which refills the window and runs the step again; it never leaves the reader. Every
/// step ends with a closing bracket, so a scanner that stops at the window's NUL always ends in
/// fail() (which answers NeedMore there) before the step can complete: a token cut at the
/// boundary is never taken for a whole one. A value rather than an exception: running out of
/// window is the expected end of every window, not an error. [[nodiscard]]: dropping it would
/// parse on past the end of the data.
enum class [[nodiscard]] Scan : std::uint8_t{Done, NeedMore};

/// Returns NeedMore from the enclosing function (which returns Scan) when `expr` does.
#define VIGIL_SCAN(expr)                                                                                                                   \
    do {                                                                                                                                   \
        if ((expr) == Scan::NeedMore) [[unlikely]]                                                                                         \
            return Scan::NeedMore;                                                                                                         \
    } while (false)

using detail::FilePtr;

/// Bytes of a word equal to zero get their high bit set (exact for the lowest such byte,
/// which is all we use).
inline std::uint64_t zero_bytes(std::uint64_t v) { return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL; }

#if defined(__GNUC__) || defined(__clang__)
#define VIGIL_IO_INLINE [[gnu::always_inline]] inline
#else
#define VIGIL_IO_INLINE inline
#endif

/// Byte equality for short names without a libc call (property names are a few bytes).
VIGIL_IO_INLINE bool same_name(std::string_view a, const std::string& b) {
    if (a.size() != b.size()) return false;
    if (a.size() > 16) return std::memcmp(a.data(), b.data(), a.size()) == 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k] != b[k]) return false;
    return true;
}

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/// What may follow a scalar token: anything else ("1.2.3", "truex") is a syntax error.
inline bool is_delimiter(char c) { return c == ',' || c == ']' || c == '}' || is_ws(c) || c == '\0'; }

inline bool starts_number(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'N' || c == 'n' || c == 'I' || c == 'i'; }

/// Reads four hex digits; stops at the first non-hex character, so it never reads past the
/// NUL that terminates the buffer.
inline bool read_hex4(const char* s, char32_t& cp) {
    cp = 0;
    for (int k = 0; k < 4; ++k) {
        int h = text::hex_digit_value(s[k]);
        if (h < 0) return false;
        cp = (cp << 4) | static_cast<char32_t>(h);
    }
    return true;
}

using text::sanitize_utf8;

inline std::string utf8_problem(std::string_view s) {
    std::size_t bad = 0;
    text::is_valid_utf8(s, &bad);
    return trf("not valid UTF-8 (byte 0x{:02X} at offset {}); GeoJSON must be UTF-8, "
               "convert the file from its encoding (GBK?) first",
               static_cast<unsigned char>(s[bad]), bad);
}

/// A token quoted for a message, cut short when it is a 309-digit monster.
inline std::string shorten(std::string_view s) {
    if (s.size() <= 24) return std::string(s);
    return trf("{}... ({} characters)", s.substr(0, 20), s.size());
}

enum class NumberClass : std::uint8_t { Integer, Real, NaN, Infinite, Overflow };

/// What the iterative skipper saw inside a value it passed over.
struct SkipInfo {
    int max_depth = 0;       ///< deepest container, counted from the feature (= depth 1)
    bool non_finite = false; ///< a NaN / Infinity token
    bool overflow = false;   ///< a number beyond the range of double
    bool bad_utf8 = false;
};

struct StringFlags {
    bool high = false;          ///< a byte >= 0x80 was seen: UTF-8 must be validated
    bool bad_surrogate = false; ///< an unpaired \uD800..\uDFFF escape (replaced by U+FFFD)
};

/// The window over a file and a position in it, with the JSON scanners. Members are public: the
/// GeoJSON reader's Impl derives from it and moves m_p as it parses.
struct JsonCursor {
    std::string m_path;
    SlidingWindow<k_padding> m_window;
    std::size_t m_bom = 0; ///< 3 when the file starts with a UTF-8 BOM
    const char* m_p = nullptr;
    const char* m_end = nullptr; ///< m_window.data() + m_window.size(); *m_end is NUL
    std::vector<char> m_stack;   ///< open containers while skipping a value

    /// Reads a file through the sliding window.
    JsonCursor(std::string path, std::size_t window_bytes) : m_path(std::move(path)), m_window(m_path, window_bytes) {}
    /// Reads a buffer held in memory: the window is the whole buffer from the start.
    JsonCursor(std::string path, std::string contents) : m_path(std::move(path)), m_window(std::move(contents)) {}

    // ------------------------------------------------------------------ the window

    /// Slides the window to start at `keep` (growing it when `keep` already holds more than
    /// half of it, so that every retry of a step sees more data than the last). Afterwards
    /// m_p is the new address of `keep`.
    void refill(const char* keep) {
        m_window.refill(keep);
        m_p = m_window.data();
        m_end = m_p + m_window.size();
    }

    /// Whether q is the end of the window but not of the file: whatever is read there may go on
    /// in the next bytes.
    bool cut_at(const char* q) const { return q >= m_end && !m_window.is_final(); }

    std::uint64_t offset_of(const char* at) const { return m_window.offset_of(at); }

    /// Line and column (in characters, as an editor shows them) of a file offset. Only ever
    /// needed for an error message, so a streamed file is simply read again up to there.
    std::pair<std::uint64_t, std::uint64_t> location(std::uint64_t offset) const {
        std::uint64_t line = 1;
        std::uint64_t column = 1;
        auto count = [&](const char* s, const char* t) {
            for (; s < t; ++s) {
                if (*s == '\n') {
                    ++line;
                    column = 1;
                } else if ((static_cast<unsigned char>(*s) & 0xC0) != 0x80) {
                    ++column;
                }
            }
        };
        if (m_window.base() == 0) {
            const char* d = m_window.data();
            count(d + std::min<std::uint64_t>(m_bom, offset), d + offset);
        } else {
            FilePtr f(std::fopen(m_path.c_str(), "rb"));
            if (!f) return {0, 0};
            std::string chunk(std::size_t{1} << 16, '\0');
            std::uint64_t pos = 0;
            while (pos < offset) {
                std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), offset - pos));
                std::size_t got = std::fread(chunk.data(), 1, want, f.get());
                if (got == 0) break;
                std::size_t skip = pos < m_bom ? static_cast<std::size_t>(std::min<std::uint64_t>(m_bom - pos, got)) : 0;
                count(chunk.data() + skip, chunk.data() + got);
                pos += got;
            }
        }
        return {line, column};
    }

    // ------------------------------------------------------------------ errors

    /// A syntax error (thrown as FormatError), unless the window simply ended: then NeedMore, and
    /// the step is retried with more data (so an error is only ever reported once everything up
    /// to the end of the file is seen).
    Scan fail(const char* at, std::string_view what) const {
        if (!m_window.is_final()) return Scan::NeedMore;
        auto [line, column] = location(offset_of(at));
        if (at >= m_end) throw FormatError(trf("{}: line {}, column {}: unexpected end of the file ({})", m_path, line, column, what));
        throw FormatError(trf("{}: line {}, column {}: {}", m_path, line, column, what));
    }

    /// Whether the character at q may follow a number or literal. The NUL at the end of a
    /// window that is not the file's end says nothing (the token may go on in the next bytes):
    /// callers ask cut_at(q) first.
    static bool delim(const char* q) { return is_delimiter(*q); }

    Scan fail_unexpected(const char* at, const char* expected) const {
        unsigned char c = static_cast<unsigned char>(*at);
        // `expected` is a message marked with N_ where it is named (a literal: NUL-terminated).
        const char* shown = tr(expected);
        if (at < m_end && c >= 0x20 && c < 0x7F) return fail(at, trf("expected {}, found '{}'", shown, static_cast<char>(c)));
        return fail(at, trf("expected {}", shown));
    }

    /// After an item of an array or object, at optional white space: `more` is true at ','
    /// (stepped over with the white space after it: the next item follows), false at `close`
    /// (stepped over); anything else is a syntax error naming what was `expected`. Inlined: it
    /// ends every number of every position.
    VIGIL_IO_INLINE Scan next_item(char close, const char* expected, bool& more) {
        ws();
        if (*m_p == ',') {
            ++m_p;
            ws();
            more = true;
            return Scan::Done;
        }
        if (*m_p == close) {
            ++m_p;
            more = false;
            return Scan::Done;
        }
        return fail_unexpected(m_p, expected);
    }


    // ------------------------------------------------------------------ lexing

    VIGIL_IO_INLINE void ws() {
        while (is_ws(*m_p)) ++m_p;
    }

    Scan expect_colon() {
        ws();
        if (*m_p != ':') return fail_unexpected(m_p, N_("':' after a member name"));
        ++m_p;
        ws();
        return Scan::Done;
    }

    /// Matches a literal (true/false/null) at m_p (`matched`: whether it was there, then
    /// stepped over). Comparing byte by byte stops at the buffer's terminating NUL at the
    /// latest, so no bounds check is needed.
    Scan match_literal(std::string_view lit, bool& matched) {
        matched = false;
        for (std::size_t k = 0; k < lit.size(); ++k) {
            if (m_p[k] == lit[k]) continue;
            // "nul" at the window's end may still be "null".
            if (cut_at(m_p + k)) return Scan::NeedMore;
            return Scan::Done;
        }
        const char* after = m_p + lit.size();
        if (cut_at(after)) return Scan::NeedMore;
        if (!delim(after)) return Scan::Done;
        m_p = after;
        matched = true;
        return Scan::Done;
    }

    Scan expect_literal(std::string_view lit) {
        bool matched = false;
        VIGIL_SCAN(match_literal(lit, matched));
        if (!matched) return fail(m_p, tr("invalid literal (expected true, false or null)"));
        return Scan::Done;
    }

    /// Reads a string at m_p (the opening quote) into `out`: a view of the decoded text, into
    /// the file when there are no escapes (the common case, no copy), else into `scratch`.
    VIGIL_IO_INLINE Scan read_string(std::string& scratch, StringFlags& flags, std::string_view& out) {
        const char* q = m_p + 1;
        unsigned char acc = 0;
        if constexpr (std::endian::native == std::endian::little) {
            // Eight bytes at a time: stop at '"', '\\' or a control byte (the window's NUL included).
            std::uint64_t high = 0;
            for (;;) {
                std::uint64_t w = 0;
                std::memcpy(&w, q, 8);
                std::uint64_t stop = zero_bytes(w ^ 0x2222222222222222ULL) | zero_bytes(w ^ 0x5C5C5C5C5C5C5C5CULL) |
                                     ((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL);
                if (stop) {
                    int k = std::countr_zero(stop) / 8;
                    if (k > 0) high |= w & (~std::uint64_t{0} >> (64 - 8 * k));
                    q += k;
                    break;
                }
                high |= w;
                q += 8;
            }
            acc = (high & 0x8080808080808080ULL) ? 0x80 : 0;
        }
        for (;;) {
            unsigned char c = static_cast<unsigned char>(*q);
            if (c == '"') {
                flags.high = (acc & 0x80) != 0;
                out = std::string_view(m_p + 1, static_cast<std::size_t>(q - m_p - 1));
                m_p = q + 1;
                return Scan::Done;
            }
            if (c == '\\' || c < 0x20) break;
            acc |= c;
            ++q;
        }
        const char* open = m_p;
        scratch.assign(m_p + 1, q);
        m_p = q;
        VIGIL_SCAN(read_string_slow(open, scratch, acc, flags));
        out = scratch;
        return Scan::Done;
    }

    /// Escapes, control characters and the end of the file; continues at m_p.
    Scan read_string_slow(const char* open, std::string& out, unsigned char acc, StringFlags& flags) {
        for (;;) {
            const char* run = m_p;
            unsigned char c = 0;
            for (;;) {
                c = static_cast<unsigned char>(*m_p);
                if (c == '"' || c == '\\' || (c < 0x20 && c != '\t')) break;
                acc |= c;
                ++m_p;
            }
            out.append(run, m_p);
            if (c == '"') {
                ++m_p;
                flags.high = (acc & 0x80) != 0;
                return Scan::Done;
            }
            if (c == '\\') {
                char e = m_p[1];
                switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    char32_t cp = 0;
                    if (!read_hex4(m_p + 2, cp)) return fail(m_p, tr("invalid \\u escape (four hexadecimal digits expected)"));
                    m_p += 4; // the common += 2 below covers the backslash and the 'u'
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (m_end - m_p < 8 && !m_window.is_final()) return Scan::NeedMore; // the low half may follow
                        char32_t low = 0;
                        if (m_p[2] == '\\' && m_p[3] == 'u' && read_hex4(m_p + 4, low) && low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                            m_p += 6;
                        } else {
                            cp = 0xFFFD;
                            flags.bad_surrogate = true;
                        }
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        cp = 0xFFFD;
                        flags.bad_surrogate = true;
                    }
                    text::append_utf8(out, cp);
                    break;
                }
                default:
                    if (m_p + 1 >= m_end) return fail(open, tr("unterminated string (it starts here)"));
                    return fail(m_p, trf("invalid escape '\\{}' in a string", e));
                }
                m_p += 2;
                continue;
            }
            // A control character: the end of the buffer, a raw line break or another one.
            if (m_p >= m_end) return fail(open, tr("unterminated string (it starts here)"));
            if (c == '\n' || c == '\r') return fail(m_p, tr("line break inside a string (is a closing quote missing?)"));
            return fail(m_p, trf("control character U+{:04X} inside a string (it must be escaped)", static_cast<unsigned>(c)));
        }
    }

    /// Reads a string value into `out`, reusing its capacity.
    Scan read_string_into(std::string& out, StringFlags& flags) {
        std::string_view v;
        VIGIL_SCAN(read_string(out, flags, v));
        if (v.data() != out.data()) out.assign(v.data(), v.size());
        return Scan::Done;
    }

    /// Classifies a non-finite parse result by the token's spelling.
    static NumberClass classify_non_finite(const char* token) {
        const char* q = token;
        if (*q == '-' || *q == '+') ++q;
        if (*q == 'n' || *q == 'N') return NumberClass::NaN;
        if (*q == 'i' || *q == 'I') return NumberClass::Infinite;
        return NumberClass::Overflow;
    }

    /// Parses a number at m_p as a double (coordinates) and says what it was in `cls`.
    /// NaN/Infinity tokens are accepted here (they are not JSON, but Python and others write
    /// them) so they can be reported on the feature.
    VIGIL_IO_INLINE Scan read_double(double& d, NumberClass& cls) {
        const char* s = m_p;
        const char* q = s + (*s == '+' ? 1 : 0);
        auto r = fast_float::from_chars(q, m_end, d);
        if (r.ec == std::errc::invalid_argument || r.ptr == q) return fail(s, tr("invalid value (a number was expected)"));
        if (cut_at(r.ptr)) return Scan::NeedMore; // the digits may go on
        m_p = r.ptr;
        if (!delim(m_p)) return fail(s, tr("invalid number"));
        // Real includes underflow to 0 / subnormals.
        cls = std::isfinite(d) ? NumberClass::Real : classify_non_finite(s);
        return Scan::Done;
    }

    /// Like read_double, but keeps integers (no '.', no exponent, within int64) exact.
    Scan read_number(double& d, std::int64_t& i, NumberClass& cls) {
        const char* s = m_p;
        if (*s == '-' || (*s >= '0' && *s <= '9')) {
            auto r = std::from_chars(s, m_end, i);
            if (r.ec == std::errc() && *r.ptr != '.' && *r.ptr != 'e' && *r.ptr != 'E') {
                if (cut_at(r.ptr)) return Scan::NeedMore;
                m_p = r.ptr;
                if (!delim(m_p)) return fail(s, tr("invalid number"));
                cls = NumberClass::Integer;
                return Scan::Done;
            }
        }
        return read_double(d, cls);
    }

    std::string number_problem(NumberClass cls, const char* token, const char* token_end) const {
        std::string_view t(token, static_cast<std::size_t>(token_end - token));
        switch (cls) {
        case NumberClass::NaN:
        case NumberClass::Infinite: return trf("{} is not a valid JSON number (not finite)", shorten(t));
        default: return trf("{} is out of the range of a double", shorten(t));
        }
    }

    // ------------------------------------------------------------------ skipping

    /// Scans a string at m_p without decoding it (validating escapes and, when asked, UTF-8).
    Scan skip_string(SkipInfo& info, bool check_utf8) {
        const char* open = m_p;
        const char* q = m_p + 1;
        unsigned char acc = 0;
        for (;;) {
            unsigned char c = static_cast<unsigned char>(*q);
            if (c == '"') break;
            if (c == '\\') {
                char e = q[1];
                if (e == 'u') {
                    char32_t cp = 0;
                    if (!read_hex4(q + 2, cp)) {
                        if (q + 1 >= m_end) return fail(open, tr("unterminated string (it starts here)"));
                        return fail(q, tr("invalid \\u escape (four hexadecimal digits expected)"));
                    }
                    q += 6;
                    continue;
                }
                if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    q += 2;
                    continue;
                }
                if (q + 1 >= m_end) return fail(open, tr("unterminated string (it starts here)"));
                return fail(q, trf("invalid escape '\\{}' in a string", e));
            }
            if (c < 0x20 && c != '\t') {
                if (q >= m_end) return fail(open, tr("unterminated string (it starts here)"));
                if (c == '\n' || c == '\r') return fail(q, tr("line break inside a string (is a closing quote missing?)"));
                return fail(q, trf("control character U+{:04X} inside a string (it must be escaped)", static_cast<unsigned>(c)));
            }
            acc |= c;
            ++q;
        }
        if (check_utf8 && (acc & 0x80) && !text::is_valid_utf8(std::string_view(open + 1, static_cast<std::size_t>(q - open - 1))))
            info.bad_utf8 = true;
        m_p = q + 1;
        return Scan::Done;
    }

    /// `check`: validate UTF-8 in strings (for values kept as Json). Numbers are always parsed:
    /// a skipped member must still be valid JSON, and NaN/overflow are noted in `info`.
    Scan skip_scalar(SkipInfo& info, bool check) {
        char c = *m_p;
        if (c == '"') return skip_string(info, check);
        if (c == 't') return expect_literal("true");
        if (c == 'f') return expect_literal("false");
        bool null = false;
        if (c == 'n') VIGIL_SCAN(match_literal("null", null));
        if (null) return Scan::Done;
        if (!starts_number(c)) return fail_unexpected(m_p, N_("a JSON value"));
        double d = 0;
        NumberClass cls = NumberClass::Real;
        VIGIL_SCAN(read_double(d, cls)); // "nan", "NaN" and the like
        if (cls == NumberClass::NaN || cls == NumberClass::Infinite) info.non_finite = true;
        if (cls == NumberClass::Overflow) info.overflow = true;
        return Scan::Done;
    }

    Scan skip_member_name(SkipInfo& info, bool check) {
        ws();
        if (*m_p != '"') return fail_unexpected(m_p, N_("a member name in double quotes"));
        VIGIL_SCAN(skip_string(info, check));
        return expect_colon();
    }

    /// Skips one JSON value of any depth without recursion: the open containers live in
    /// m_stack. `value_depth` is the depth a container at this position has (the feature
    /// object itself is depth 1).
    Scan skip_value(int value_depth, SkipInfo& info, bool check) {
        m_stack.clear();
        for (;;) {
            ws();
            char c = *m_p;
            if (c == '{' || c == '[') {
                char close = c == '{' ? '}' : ']';
                m_stack.push_back(close);
                info.max_depth = std::max(info.max_depth, value_depth + static_cast<int>(m_stack.size()) - 1);
                ++m_p;
                ws();
                if (*m_p == close) {
                    ++m_p;
                    m_stack.pop_back();
                } else {
                    if (close == '}') VIGIL_SCAN(skip_member_name(info, check));
                    continue; // a value is expected next
                }
            } else {
                VIGIL_SCAN(skip_scalar(info, check));
            }
            // After a value: close containers, or move on to the next element.
            for (;;) {
                if (m_stack.empty()) return Scan::Done;
                ws();
                char n = *m_p;
                if (n == ',') {
                    ++m_p;
                    if (m_stack.back() == '}') VIGIL_SCAN(skip_member_name(info, check));
                    break;
                }
                if (n == m_stack.back()) {
                    ++m_p;
                    m_stack.pop_back();
                    continue;
                }
                return fail_unexpected(m_p, m_stack.back() == '}' ? N_("',' or '}'") : N_("',' or ']'"));
            }
        }
    }
};

} // namespace
} // namespace vigil::io::detail
