#include "cli_common.hpp"

#include <vigil/app/edits.hpp>
#include <vigil/app/incident_place.hpp>
#include <vigil/importing/coordinate_transform.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace vigil::cli {

app::Editor editor_of(const std::string& by, const std::string& seat) {
    app::Editor e;
    e.user = by;
    if (e.user.empty()) {
        const char* u = std::getenv("USER");
        e.user = u && *u ? u : "unknown";
    }
    e.seat = seat;
    if (e.seat.empty()) {
        char host[256] = {};
        e.seat = ::gethostname(host, sizeof host - 1) == 0 && host[0] ? host : "unknown";
    }
    return e;
}

Globals& globals() {
    static Globals g;
    return g;
}

namespace {
std::filesystem::path catalogue_dir() {
    const auto& dir = globals().layers_dir;
    return dir.empty() ? catalog::Catalog::default_directory() : std::filesystem::path(dir);
}
} // namespace

catalog::Catalog load_catalog() { return catalog::Catalog::load_directory(catalogue_dir()); }

std::optional<CatalogueFile> read_catalogue_file(const std::string& file, const std::filesystem::path& relative, std::string_view what) {
    std::filesystem::path path = file;
    if (path.empty()) {
        path = catalogue_dir() / relative;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(trf("cannot read the {} '{}'", what, path.string()));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw IoError(trf("error reading the {} '{}'", what, path.string()));
    return CatalogueFile{std::move(text), path.string()};
}

void require_layer(const std::string& layer) {
    if (!vigil::text::trim(layer).empty()) return;
    std::string known;
    try {
        known = load_catalog().kinds_text();
    } catch (const Error& e) {
        known = trf("(the catalogue cannot be read: {})", e.what());
    }
    throw UsageError(trf("--layer is required; {}", known));
}

geo::Coord parse_lon_lat(const std::string& typed) {
    // "113.0791，34.9412" and "１１３．０７９１ ３４．９４１２" as a Chinese keyboard types them.
    const std::string text = std::string(vigil::text::trim(vigil::text::fold_number_text(typed)));
    auto parts = vigil::text::split(text, ',');
    if (parts.size() != 2) parts = vigil::text::split(text, ' ');
    std::optional<double> lon, lat;
    if (parts.size() == 2) {
        lon = vigil::text::parse_double(parts[0]);
        lat = vigil::text::parse_double(parts[1]);
    }
    if (!lon || !lat) throw UsageError(trf("'{}' is not LON,LAT (decimal degrees, e.g. 113.0791,34.9412)", typed));
    if (std::fabs(*lon) > 180 || std::fabs(*lat) > 90)
        throw UsageError(trf("'{}' is outside longitude -180..180 / latitude -90..90 (longitude comes first)", typed));
    return {*lon, *lat};
}

geo::Coord query_point(const std::string& at, const std::string& crs) {
    geo::Coord p = parse_lon_lat(at);
    if (crs.empty()) return p;
    auto t = importing::make_core_transform(crs);
    if (!t) throw UsageError(trf("--crs {}: for a query point use wgs84, cgcs2000, gcj02 or bd09", crs));
    t->to_wgs84(std::span<geo::Coord>(&p, 1));
    return p;
}

geo::Coord query_point(const std::string& db, const std::string& at, const std::string& crs) {
    try {
        return query_point(at, crs);
    } catch (const UsageError&) {
        // Numbers that do not read as LON,LAT stay refused as such (a decimal comma, a stray
        // separator); text with a word in it is a place.
        const std::string folded = vigil::text::fold_number_text(at);
        if (std::none_of(folded.begin(), folded.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return u >= 0x80 || std::isalpha(u);
            }))
            throw;
    }
    // Not plain coordinates: a place (or coordinates with a datum word, 全角 digits).
    app::PlaceDatum datum = app::PlaceDatum::Auto;
    if (!crs.empty()) {
        const auto d = app::parse_place_datum(crs);
        if (!d) throw UsageError(trf("--crs {}: for a query point use wgs84, cgcs2000, gcj02 or bd09", crs));
        datum = *d;
    }
    const auto project = store::Project::open(db);
    const auto layers = app::LayerSet::load(project, {"roads", "admin_areas", "enterprises", "hazard_sources", "incidents"});
    const auto place = app::locate_incident(layers, at, datum);
    if (!place.ok()) throw UsageError(fmt::format("--at {}: {}", at, place.error));
    const std::string where = trf("incident at: {} → WGS84 {:.6f},{:.6f}", place.label, place.at.x, place.at.y);
    std::fprintf(stderr, "%s%s%s\n", where.c_str(), place.county.empty() ? "" : " · ", place.county.c_str());
    for (const auto& a : place.assumptions) std::fprintf(stderr, "  %s\n", trf("assumed: {}", a).c_str());
    return place.at;
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(trf("cannot write '{}'", path));
    out << text;
    if (!out.flush()) throw IoError(trf("cannot write '{}' (disk full?)", path));
}

std::vector<std::string> parse_words(const std::string& text) { return vigil::text::split_list(text); }

std::string pad_columns(const std::string& s, std::size_t width) {
    std::size_t cols = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cols += len >= 3 ? 2 : 1; // three- and four-byte UTF-8: CJK and beyond, two columns
        i += len;
    }
    return cols >= width ? s + " " : s + std::string(width - cols, ' ');
}

ProgressBar::ProgressBar(std::string label) : m_label(std::move(label)), m_enabled(::isatty(2) && !globals().quiet) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
    if (!m_enabled) return;
    auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last < std::chrono::milliseconds(100) && done < total) return;
    m_last = now;
    m_drawn = true;
    constexpr int width = 30;
    if (total > 0) {
        double f = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
        int filled = static_cast<int>(f * width);
        std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", m_label.c_str(), filled, "##############################", width - filled, "",
                     static_cast<int>(f * 100));
    } else {
        std::fprintf(stderr, "\r%s %llu", m_label.c_str(), static_cast<unsigned long long>(done));
    }
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (m_enabled && m_drawn) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        m_drawn = false;
    }
}

} // namespace vigil::cli
