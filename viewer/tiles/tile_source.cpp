/// @file
/// MBTiles and XYZ folder readers, and tile decoding with stb_image.
#include "tile_source.hpp"

#include "platform/http_fetch.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

namespace vigil::viewer {

namespace fs = std::filesystem;

namespace {

geo::BBox world_lonlat() { return {-180.0, -geo::k_web_mercator_max_lat, 180.0, geo::k_web_mercator_max_lat}; }

std::optional<int> parse_int(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// "west,south,east,north" in degrees; nullopt when malformed (the caller falls back).
std::optional<geo::BBox> parse_bounds(const std::string& s) {
    double v[4];
    const char* p = s.c_str();
    for (int i = 0; i < 4; ++i) {
        char* end = nullptr;
        v[i] = std::strtod(p, &end);
        if (end == p) return std::nullopt;
        p = end;
        while (*p == ' ') ++p;
        if (i < 3) {
            if (*p != ',') return std::nullopt;
            ++p;
        }
    }
    if (!(v[0] < v[2] && v[1] < v[3])) return std::nullopt;
    return geo::BBox{std::max(v[0], -180.0), std::max(v[1], -geo::k_web_mercator_max_lat), std::min(v[2], 180.0),
                     std::min(v[3], geo::k_web_mercator_max_lat)};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

TileFormat format_of(const std::string& name, const fs::path& where) {
    std::string f = lower(name);
    if (f == "png") return TileFormat::Png;
    if (f == "jpg" || f == "jpeg") return TileFormat::Jpeg;
    if (f == "pbf" || f == "mvt")
        throw FormatError(trf("'{}' holds vector tiles (format {}); the basemap needs raster PNG or JPEG tiles", where.string(), name));
    throw FormatError(trf("'{}': tile format '{}' is not supported (PNG or JPEG)", where.string(), name));
}

bool is_sqlite_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char magic[16] = {};
    in.read(magic, sizeof magic);
    return in.gcount() == 16 && std::memcmp(magic, "SQLite format 3", 16) == 0; // i18n: not shown: a file's magic
}

} // namespace

TileRange TileSourceInfo::tiles_at(int z) const {
    if (z < min_zoom || z > max_zoom) return {z, 0, 0, -1, -1};
    return tiles_for_lonlat(bounds, z);
}

// ---------------------------------------------------------------------------- MBTiles

struct MbtilesSource::Impl {
    store::Database db;
    store::Statement tile;
};

MbtilesSource::MbtilesSource(const fs::path& file) : m_impl(std::make_unique<Impl>()) {
    const std::string where = file.string();
    if (!fs::exists(file)) throw IoError(trf("basemap '{}': no such file", where));
    if (!is_sqlite_file(file)) throw FormatError(trf("basemap '{}' is not an MBTiles file (not an SQLite database)", where));
    m_impl->db = store::Database::open(file, store::Database::Mode::ReadOnly);
    auto& db = m_impl->db;
    auto cols = db.table_columns("tiles");
    for (const char* c : {"zoom_level", "tile_column", "tile_row", "tile_data"})
        if (std::find(cols.begin(), cols.end(), c) == cols.end())
            throw FormatError(trf(
                "basemap '{}' is an SQLite database but not MBTiles: it has no table tiles(zoom_level, tile_column, tile_row, tile_data)",
                where));
    if (db.query_int("SELECT count(*) FROM (SELECT 1 FROM tiles LIMIT 1)") == 0)
        throw FormatError(trf("basemap '{}' has no tiles (the tiles table is empty)", where));

    std::map<std::string, std::string> meta;
    if (db.table_exists("metadata")) {
        auto st = db.prepare("SELECT name, value FROM metadata");
        while (st.step())
            if (!st.column_is_null(0) && !st.column_is_null(1))
                meta[lower(std::string(st.column_text(0)))] = std::string(st.column_text(1));
    }
    TileSourceInfo& info = m_info;
    info.path = file;
    info.mbtiles = true;
    info.name = meta.count("name") ? meta["name"] : file.stem().string();
    // Zooms and format from the metadata when it has them (cheap); otherwise from the tiles
    // themselves (min/max use the index every MBTiles writer creates on the tile key).
    auto minz = meta.count("minzoom") ? parse_int(meta["minzoom"]) : std::nullopt;
    auto maxz = meta.count("maxzoom") ? parse_int(meta["maxzoom"]) : std::nullopt;
    info.min_zoom = minz ? *minz : static_cast<int>(db.query_int("SELECT min(zoom_level) FROM tiles"));
    info.max_zoom = maxz ? *maxz : static_cast<int>(db.query_int("SELECT max(zoom_level) FROM tiles"));
    info.min_zoom = std::clamp(info.min_zoom, 0, k_max_tile_zoom);
    info.max_zoom = std::clamp(info.max_zoom, info.min_zoom, k_max_tile_zoom);
    auto bounds = meta.count("bounds") ? parse_bounds(meta["bounds"]) : std::nullopt;
    info.bounds = bounds ? *bounds : world_lonlat();
    if (meta.count("format")) {
        info.format = format_of(meta["format"], file);
    } else {
        auto st = db.prepare("SELECT tile_data FROM tiles LIMIT 1");
        st.step();
        auto b = st.column_blob(0);
        info.format = b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 ? TileFormat::Jpeg : TileFormat::Png;
    }
    m_impl->tile = db.prepare("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
}

MbtilesSource::~MbtilesSource() = default;

std::optional<std::vector<std::uint8_t>> MbtilesSource::read(const TileId& t) {
    auto& st = m_impl->tile;
    st.reset();
    st.bind(1, t.z).bind(2, t.x).bind(3, flip_row(t.z, t.y));
    if (!st.step() || st.column_is_null(0)) return std::nullopt;
    auto b = st.column_blob(0);
    std::vector<std::uint8_t> out(b.begin(), b.end());
    st.reset();
    return out;
}

// ---------------------------------------------------------------------------- XYZ folder

namespace {

// Numeric names of the entries of `dir` that satisfy `keep` (non-numeric names are ignored).
template <class Keep> std::vector<int> numeric_entries(const fs::path& dir, Keep&& keep) {
    std::vector<int> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto n = parse_int(it->path().filename().string());
        if (n && *n >= 0 && keep(*it)) out.push_back(*n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_tile_file(const fs::directory_entry& e) {
    std::string ext = lower(e.path().extension().string());
    return (ext == ".png" || ext == ".jpg" || ext == ".jpeg") && e.is_regular_file();
}

} // namespace

XyzSource::XyzSource(const fs::path& folder) {
    const std::string where = folder.string();
    if (!fs::exists(folder)) throw IoError(trf("basemap '{}': no such folder", where));
    if (!fs::is_directory(folder)) throw FormatError(trf("basemap '{}' is not a folder", where));
    m_info.path = folder;
    m_info.name = folder.filename().empty() ? folder.parent_path().filename().string() : folder.filename().string();

    // Zooms: numeric folders with at least one {x}/{y}.ext inside. At the lowest such zoom the
    // x folders and y files give the bounds; only that level is listed in full.
    std::string ext;
    auto has_tiles = [&](const fs::directory_entry& zdir) {
        if (!zdir.is_directory()) return false;
        std::error_code ec;
        for (fs::directory_iterator x(zdir.path(), ec), end; !ec && x != end; x.increment(ec)) {
            if (!x->is_directory() || !parse_int(x->path().filename().string())) continue;
            std::error_code ec2;
            for (fs::directory_iterator y(x->path(), ec2); !ec2 && y != end; y.increment(ec2))
                if (is_tile_file(*y) && parse_int(y->path().stem().string())) {
                    if (ext.empty()) ext = lower(y->path().extension().string());
                    return true;
                }
        }
        return false;
    };
    std::vector<int> zooms = numeric_entries(folder, has_tiles);
    zooms.erase(std::remove_if(zooms.begin(), zooms.end(), [](int z) { return z > k_max_tile_zoom; }), zooms.end());
    if (zooms.empty()) throw FormatError(trf("basemap '{}' holds no tiles: expected {{z}}/{{x}}/{{y}}.png, .jpg or .jpeg files", where));
    m_info.min_zoom = zooms.front();
    m_info.max_zoom = zooms.back();
    m_info.format = ext == ".png" ? TileFormat::Png : TileFormat::Jpeg;
    m_extensions = {ext};
    for (const char* e : {".png", ".jpg", ".jpeg"})
        if (ext != e) m_extensions.emplace_back(e);

    const int z = m_info.min_zoom;
    const fs::path zdir = folder / std::to_string(z);
    TileRange r{z, 1 << 30, 1 << 30, -1, -1};
    for (int x : numeric_entries(zdir, [](const fs::directory_entry& e) { return e.is_directory(); })) {
        std::error_code ec;
        for (fs::directory_iterator y(zdir / std::to_string(x), ec), end; !ec && y != end; y.increment(ec)) {
            auto row = is_tile_file(*y) ? parse_int(y->path().stem().string()) : std::nullopt;
            if (!row) continue;
            r.x0 = std::min(r.x0, x);
            r.x1 = std::max(r.x1, x);
            r.y0 = std::min(r.y0, *row);
            r.y1 = std::max(r.y1, *row);
        }
    }
    geo::BBox nw = tile_world_bounds({z, r.x0, r.y0}), se = tile_world_bounds({z, r.x1, r.y1});
    geo::Coord a = geo::mercator_to_lonlat({nw.min_x, se.min_y}), b = geo::mercator_to_lonlat({se.max_x, nw.max_y});
    m_info.bounds = {a.x, a.y, b.x, b.y};
}

std::optional<std::vector<std::uint8_t>> XyzSource::read(const TileId& t) {
    const fs::path dir = m_info.path / std::to_string(t.z) / std::to_string(t.x);
    for (const auto& ext : m_extensions) {
        fs::path file = dir / (std::to_string(t.y) + ext);
        std::ifstream in(file, std::ios::binary);
        if (!in) continue;
        std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) throw IoError(trf("basemap tile '{}': read error", file.string()));
        return bytes;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------- opening, decoding

std::unique_ptr<TileSource> open_tile_source(const fs::path& path) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) throw IoError(trf("basemap '{}': no such file or folder", path.string()));
    if (fs::is_directory(st)) return std::make_unique<XyzSource>(path);
    return std::make_unique<MbtilesSource>(path);
}

RgbaImage decode_tile(std::span<const std::uint8_t> bytes, const std::string& what) {
    if (bytes.empty() || bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw FormatError(trf("basemap tile {}: empty or oversized", what));
    int w = 0, h = 0, channels = 0;
    stbi_uc* px = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &channels, 4);
    if (!px) {
        const char* why = stbi_failure_reason();
        throw FormatError(trf("basemap tile {}: cannot decode ({})", what, why ? why : tr("unknown image format")));
    }
    RgbaImage img;
    // 4096² is far beyond any tile (256 or 512); larger is a corrupt header, not a tile.
    if (w > 0 && h > 0 && w <= 4096 && h <= 4096) {
        img.width = w;
        img.height = h;
        img.pixels.assign(px, px + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    }
    stbi_image_free(px);
    if (img.pixels.empty()) throw FormatError(trf("basemap tile {}: unusable size {}x{}", what, w, h));
    return img;
}

void TileSource::fetch(const TileId& tile, std::function<void(Fetched)> done) {
    Fetched f{tile, std::nullopt, {}};
    try {
        f.bytes = read(tile);
    } catch (const std::exception& e) {
        f.error = e.what();
    }
    done(std::move(f));
}

namespace {

std::string expand_template(const std::string& url, const TileId& t) {
    std::string out;
    for (std::size_t i = 0; i < url.size(); ++i) {
        auto at = [&](std::string_view key) { return url.compare(i, key.size(), key) == 0; };
        if (at("{z}")) out += std::to_string(t.z), i += 2;
        else if (at("{x}")) out += std::to_string(t.x), i += 2;
        else if (at("{y}")) out += std::to_string(t.y), i += 2;
        else out += url[i];
    }
    return out;
}

class HttpTileSource final : public TileSource {
public:
    HttpTileSource(std::string url_template, TileSourceInfo info) : m_template(std::move(url_template)) {
        if (m_template.find("{z}") == std::string::npos || m_template.find("{x}") == std::string::npos ||
            m_template.find("{y}") == std::string::npos)
            throw UsageError(trf("tile URL '{}' lacks {{z}}, {{x}} or {{y}}", m_template));
        m_info = std::move(info);
        if (m_info.name.empty()) m_info.name = m_template;
    }
    std::optional<std::vector<std::uint8_t>> read(const TileId&) override {
        throw IoError("tiles over HTTP (" + m_template + ") are fetched asynchronously, not read"); // i18n: not shown: a bug
    }
    bool asynchronous() const override { return true; }
    void fetch(const TileId& tile, std::function<void(Fetched)> done) override;

private:
    std::string m_template;
};

void HttpTileSource::fetch(const TileId& tile, std::function<void(Fetched)> done) {
    platform::http_get(expand_template(m_template, tile), [tile, done = std::move(done)](platform::HttpResponse r) {
        done({tile, std::move(r.body), std::move(r.error)});
    });
}

} // namespace

std::unique_ptr<TileSource> open_http_tile_source(const std::string& url_template, TileSourceInfo info) {
    return std::make_unique<HttpTileSource>(url_template, std::move(info));
}

} // namespace vigil::viewer
