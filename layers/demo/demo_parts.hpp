/// @file
/// Internal to the demo generator: what its parts share (the GeoJSON writers, the rounding that
/// makes the output deterministic, the degree lengths at Jiaozuo) and the parts written apart
/// from demo_generator.cpp.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <initializer_list>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::demo::parts {

using Json = nlohmann::ordered_json;

inline constexpr double k_m_per_deg_lat = 111320.0;
inline constexpr double k_m_per_deg_lon = 91130.0; // 111320·cos 35°: the demo area spans 34.8–35.5°N

/// Six decimals, the precision every generated coordinate is written with.
inline double round6(double v) { return std::round(v * 1e6) / 1e6; }

inline std::string feature_collection(std::string_view name, const std::vector<Json>& features) {
    std::string out = "{\"type\":\"FeatureCollection\",\"name\":" + Json(name).dump() + ",\"features\":[\n";
    for (std::size_t i = 0; i < features.size(); ++i) out += features[i].dump() + (i + 1 < features.size() ? ",\n" : "\n");
    return out + "]}\n";
}

inline Json feature(Json properties, std::string_view geometry_type, Json coordinates) {
    return Json{{"type", "Feature"},
                {"properties", std::move(properties)},
                {"geometry", {{"type", geometry_type}, {"coordinates", std::move(coordinates)}}}};
}

/// `p` moved by metres east and north (flat, at the demo's latitude).
inline geo::Coord offset_m(geo::Coord p, double east_m, double north_m) {
    return {p.x + east_m / k_m_per_deg_lon, p.y + north_m / k_m_per_deg_lat};
}

/// A file's bytes; IoError naming it when it cannot be read (demo_generator.cpp).
std::string read_text(const std::filesystem::path& p);
/// Writes a demo source; IoError naming it when it cannot (a full disk said so).
void write_text(const std::filesystem::path& p, const std::string& text);
/// Rows of a reference CSV as column-name -> value maps (read with the importer's CSV reader).
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& p);

/// CSV the way spreadsheets export it: UTF-8 with BOM, CRLF, quotes only where needed.
class Csv {
public:
    explicit Csv(std::initializer_list<std::string_view> header) { add(std::vector<std::string>(header.begin(), header.end())); }
    void add(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string& s = cells[i];
            if (i) m_text += ',';
            if (s.find_first_of(",\"\r\n") == std::string::npos) {
                m_text += s;
                continue;
            }
            m_text += '"';
            for (char ch : s) m_text += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            m_text += '"';
        }
        m_text += "\r\n";
    }
    std::string text() const { return "\xEF\xBB\xBF" + m_text; }

private:
    std::string m_text;
};

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm): the demo's
/// registers date their records from fixed days, never from the clock.
inline int days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Ymd {
    int y, m, d;
};

inline Ymd civil_from_days(int z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    return {yoe + era * 400 + (m <= 2), m, d};
}

/// YYYY-MM-DD, as the store keeps dates.
inline std::string iso_date(int days) {
    const Ymd c = civil_from_days(days);
    return fmt::format("{:04}-{:02}-{:02}", c.y, c.m, c.d);
}

/// The synthetic road network: corridors between the county seats, junctions where they cross
/// (demo_roads.cpp).
std::string write_roads();

/// What the ledger and the grids need of a generated enterprise (demo_hazard_records.cpp).
struct EnterpriseBrief {
    std::string id, name, contact, phone;
    geo::Coord pos{};                        ///< WGS84
    std::size_t county = 0;                  ///< index into the counties
    int open = 0, overdue = 0, findings = 0; ///< the register's 未整改隐患数, 逾期未整改隐患, 检查发现问题数
    bool chemical = false, dust = false, confined = false, high_risk = false;
};

/// What the ledger and the grids need of a county.
struct CountyBrief {
    std::string adcode, name;
    std::vector<std::vector<geo::Coord>> rings; ///< WGS84, closed, one per polygon part (no holes)
    std::vector<std::string> towns, town_ids;   ///< the AreaCity townships: full names and codes
};

/// The hidden-hazard ledger of the enterprises as a clerk's CSV (Chinese headers, WGS84
/// lon/lat), agreeing with their typed-in counts as of 2026-12-01 (demo_hazard_records.cpp).
std::string write_hidden_hazards(const std::vector<EnterpriseBrief>& enterprises, const std::vector<CountyBrief>& counties,
                                 std::size_t& count);

/// The county, township and (in `village_county`) village grids as GeoJSON in WGS84
/// (demo_hazard_records.cpp).
std::string write_grids(const std::vector<CountyBrief>& counties, std::string_view village_county, std::size_t& count);

} // namespace vigil::demo::parts
