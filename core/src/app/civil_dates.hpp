/// @file
/// Internal to the application services: calendar dates as the store keeps them (YYYY-MM-DD),
/// as days since 1970-01-01, for the services that reckon with an as-of date (the check's
/// staleness and revisions, the hidden-hazard ledger's deadlines). No clock: the shells pass
/// the date.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::app::civil_dates {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t y;
    unsigned m, d;
};

inline Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

inline bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline unsigned month_days(std::int64_t y, unsigned m) {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/// The date at the start of `text` (YYYY-MM-DD, as the store keeps dates and the start of its
/// ISO timestamps), as days since 1970-01-01; nullopt for anything else.
inline std::optional<Civil> parse_civil(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto digits = [&](std::size_t at, std::size_t n) -> std::optional<unsigned> {
        unsigned v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            v = v * 10 + static_cast<unsigned>(text[i] - '0');
        }
        return v;
    };
    const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m)) return std::nullopt;
    if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
    return Civil{*y, *m, *d};
}

inline std::optional<std::int64_t> parse_days(std::string_view text) {
    const auto c = parse_civil(text);
    if (!c) return std::nullopt;
    return days_from_civil(c->y, c->m, c->d);
}

inline std::string date_text(std::int64_t days) {
    const Civil c = civil_from_days(days);
    return fmt::format("{:04}-{:02}-{:02}", c.y, c.m, c.d);
}

/// `years` whole years after a date: the same day of the month (29 February → 28 February).
inline std::int64_t add_years(const Civil& c, std::int64_t years) {
    const std::int64_t y = c.y + years;
    return days_from_civil(y, c.m, std::min(c.d, month_days(y, c.m)));
}

} // namespace vigil::app::civil_dates
