// Named value checks a catalogue field can ask for ("check": "uscc" ...). Each returns the
// problem in words, or "", and may rewrite the value into its canonical form.

#include <vigil/catalog/normalize.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace vigil::catalog {

namespace {

// Full-width ASCII to half-width, so "９１４１" and "ＵＮ１０１７" pass.
std::string fold(std::string_view s) {
    std::string out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        char32_t cp = vigil::text::decode_utf8(s, pos);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;
        if (cp == 0x3000) cp = U' ';
        vigil::text::append_utf8(out, cp);
    }
    return std::string(vigil::text::trim(out));
}

// GB 32100-2015, 法人和其他组织统一社会信用代码编码规则: 18 characters over an alphabet of 31
// (digits and capitals without I, O, S, V, Z); the last is a check character.
std::string check_uscc(std::string& value, bool& only_check_character) {
    static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    std::string v = fold(value);
    for (auto& ch : v) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (v.size() != 18) return trf("a unified social credit code has 18 characters, this has {}", v.size());
    int sum = 0;
    for (std::size_t i = 0; i < 18; ++i) {
        auto pos = alphabet.find(v[i]);
        if (pos == std::string_view::npos)
            return trf("character '{}' at position {} cannot appear in a unified social credit code", v[i], i + 1);
        if (i < 17) sum += static_cast<int>(pos) * weights[i];
    }
    int check = (31 - sum % 31) % 31;
    value = v;
    if (alphabet[static_cast<std::size_t>(check)] != v[17]) {
        only_check_character = true;
        return trf("check character is '{}' but the code needs '{}' (mistyped digit?)", v[17], alphabet[static_cast<std::size_t>(check)]);
    }
    return {};
}

// CAS Registry Number: 2-7 digits, 2 digits, check digit = sum of digits times their position
// counted from the right (excluding the check digit), mod 10.
std::string check_cas(std::string& value, bool& only_check_character) {
    std::string v = fold(value);
    std::size_t d1 = v.find('-');
    std::size_t d2 = d1 == std::string::npos ? std::string::npos : v.find('-', d1 + 1);
    auto all_digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (d2 == std::string::npos || v.find('-', d2 + 1) != std::string::npos) return tr("a CAS number looks like 7782-50-5");
    std::string_view a(v.data(), d1), b(v.data() + d1 + 1, d2 - d1 - 1), c(v.data() + d2 + 1, v.size() - d2 - 1);
    if (!all_digits(a) || !all_digits(b) || !all_digits(c) || a.size() < 2 || a.size() > 7 || b.size() != 2 || c.size() != 1)
        return tr("a CAS number looks like 7782-50-5");
    std::string digits = std::string(a) + std::string(b);
    int sum = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) sum += (digits[digits.size() - 1 - i] - '0') * static_cast<int>(i + 1);
    value = v;
    if (sum % 10 != c[0] - '0') {
        only_check_character = true;
        return trf("check digit is {} but the number needs {} (mistyped?)", c, sum % 10);
    }
    return {};
}

// UN number: four digits, often written "UN1017" or "UN 1017"; stored as the four digits.
std::string check_un(std::string& value) {
    std::string v;
    for (char ch : fold(value))
        if (ch != ' ') v.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (v.rfind("UN", 0) == 0) v.erase(0, 2);
    if (v.size() != 4 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) || v == "0000")
        return tr("a UN number has four digits, like UN1017");
    value = v;
    return {};
}

// Chinese phone numbers: mobiles (1[3-9] + 9 digits), landlines with or without the area code
// (0 + 2-3 digits, then 7-8 digits, optional extension), and short service numbers (110, 119,
// 120, 12345, 95xxx). Several numbers may share a cell ("0391-1234567/13912345678").
bool plausible_phone(std::string_view one) {
    std::string d;
    std::string s = fold(one);
    if (s.rfind("+86", 0) == 0) s.erase(0, 3);
    else if (s.rfind("0086", 0) == 0) s.erase(0, 4);
    // An extension follows 转 ("transfer to"), x or #.
    std::size_t ext = std::min(s.find("转"), s.find_first_of("xX#")); // i18n: not shown: an extension as clerks write it (parsed)
    std::string main = s.substr(0, ext);
    for (char ch : main) {
        if (ch >= '0' && ch <= '9') d.push_back(ch);
        else if (ch != '-' && ch != ' ' && ch != '(' && ch != ')') return false;
    }
    if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') return true;    // mobile
    if (d.size() >= 10 && d.size() <= 12 && d[0] == '0') return true;                // area code + local
    if ((d.size() == 7 || d.size() == 8) && d[0] != '0' && d[0] != '1') return true; // local only
    if (d.size() >= 3 && d.size() <= 5 && (d[0] == '1' || d[0] == '9')) return true; // 110, 12345, 95598
    return false;
}

std::string check_phone(std::string& value) {
    std::string v = fold(value);
    // Several numbers in one cell are separated by '/', ',', '、' ... ('-' belongs to a number).
    auto parts = vigil::text::split_list(v);
    if (parts.empty()) return tr("empty phone number");
    for (const auto& p : parts)
        if (!plausible_phone(p)) return trf("'{}' is not a Chinese phone number (mobile, 0xxx-xxxxxxx or a service number)", p);
    value = v;
    return {};
}

} // namespace

std::string apply_check(std::string_view check, std::string& value, bool* only_check_character) {
    bool only = false;
    if (only_check_character) *only_check_character = false;
    std::string problem;
    if (check == "uscc") problem = check_uscc(value, only);
    else if (check == "cas") problem = check_cas(value, only);
    if (check == "uscc" || check == "cas") {
        if (only_check_character) *only_check_character = only;
        return problem;
    }
    if (check == "un_number") return check_un(value);
    if (check == "phone_cn") return check_phone(value);
    return trf("unknown check '{}'", check);
}

} // namespace vigil::catalog
