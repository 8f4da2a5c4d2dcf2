/// @file
/// Small text helpers shared by the readers, the catalogue and the CLI. All strings are UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::text {

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
/// On false, `bad_offset` (if given) receives the byte offset of the first bad sequence.
bool is_valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr);

/// Replaces every byte that is not part of a well-formed UTF-8 sequence by U+FFFD, so that
/// nothing downstream (SQLite, messages, the viewer) ever sees invalid text.
std::string sanitize_utf8(std::string_view s);

/// Strips ASCII whitespace, U+3000 (ideographic space), U+00A0 and a leading UTF-8 BOM.
std::string_view trim(std::string_view s);

/// ASCII lower-casing; other bytes are kept.
std::string to_lower_ascii(std::string_view s);
constexpr char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// The key used to match column names and enum synonyms: trimmed, full-width ASCII
/// (ＡＢＣ１２３) folded to half-width, ASCII lower-cased, and spaces, '_', '-', '.' removed,
/// so "Risk Level", "risk_level" and "ＲＩＳＫ－ＬＥＶＥＬ" all become "risklevel".
std::string match_key(std::string_view s);

/// Splits on any of the list separators people use in one cell: , ， ; ； 、 | / and
/// line breaks. Pieces are trimmed; empty pieces are dropped.
std::vector<std::string> split_list(std::string_view s);

/// Splits on one ASCII character, keeping empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep);

/// A number or coordinate as typed on a Chinese keyboard, in ASCII: full-width digits, signs and
/// punctuation (１１３．０７９１，３４．９４１２) folded to half-width, the minus sign U+2212 and the
/// ideographic space too, and '、' (the enumeration comma an IME gives for ',') made ','.
/// Everything else is kept. The one place every option parser of numbers and coordinates goes
/// through (parse_double and parse_int64 fold the same characters themselves).
std::string fold_number_text(std::string_view s);

/// Parses the whole of `s` (after trim) as a finite decimal number. Accepts a leading '+',
/// full-width digits, and thousands separators only when `allow_grouping`. Never accepts
/// NaN, Infinity, hex, or trailing garbage.
std::optional<double> parse_double(std::string_view s, bool allow_grouping = false);

/// Parses the whole of `s` (after trim) as a base-10 signed 64-bit integer. "12.0" is accepted
/// (a spreadsheet's way of writing 12); "12.5" is not.
std::optional<std::int64_t> parse_int64(std::string_view s);

/// Shortest decimal text that reads back as exactly `v`.
std::string format_double(double v);

/// Formats with a fixed number of decimals.
std::string format_fixed(double v, int decimals);

/// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, char32_t cp);

/// Decodes one UTF-8 code point at `pos`, advancing it; returns U+FFFD on a bad sequence
/// (advancing one byte).
char32_t decode_utf8(std::string_view s, std::size_t& pos);

/// Quotes a value for a CSV cell (RFC 4180): adds quotes when needed, doubles inner quotes.
std::string csv_quote(std::string_view s);

/// Escapes a string for JSON output (without the surrounding quotes).
std::string json_escape(std::string_view s);

/// Case-insensitive ASCII suffix test (for file extensions).
bool ends_with_ci(std::string_view s, std::string_view suffix);

/// The value of a hexadecimal digit (either case), -1 for anything else: for \uXXXX escapes,
/// %XX in URLs and the like.
constexpr int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace vigil::text
