#include "tiles.hpp"

#include "http_rules.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::web::detail {

// One connection with its prepared lookup. SQLite connections here are opened NOMUTEX (one
// thread at a time), so each request borrows a whole Reader and gives it back.
struct TileSource::Reader {
    store::Database db;
    store::Statement lookup;
};

TileSource::TileSource(std::filesystem::path mbtiles) : m_path(std::move(mbtiles)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_path, ec)) throw IoError(trf("MBTiles file '{}' does not exist", m_path.string()));
    auto reader = open_reader(); // checks that the file is there and is SQLite with a tiles table
    auto& db = reader->db;
    std::string format, bounds;
    std::optional<std::int64_t> minzoom, maxzoom;
    if (db.table_exists("metadata")) {
        auto st = db.prepare("SELECT name, value FROM metadata");
        while (st.step()) {
            auto name = st.column_text(0);
            auto value = std::string(text::trim(st.column_text(1)));
            if (name == "format") format = text::to_lower_ascii(value);
            else if (name == "bounds") bounds = value;
            else if (name == "minzoom") minzoom = text::parse_int64(value);
            else if (name == "maxzoom") maxzoom = text::parse_int64(value);
        }
    }
    if (!minzoom || !maxzoom) {
        // Optional in the MBTiles spec; the tiles themselves say it.
        auto st = db.prepare("SELECT min(zoom_level), max(zoom_level) FROM tiles");
        if (st.step() && !st.column_is_null(0)) {
            if (!minzoom) minzoom = st.column_int64(0);
            if (!maxzoom) maxzoom = st.column_int64(1);
        }
    }
    m_info.minzoom = static_cast<int>(std::clamp<std::int64_t>(minzoom.value_or(0), 0, k_max_zoom));
    m_info.maxzoom = static_cast<int>(std::clamp<std::int64_t>(maxzoom.value_or(m_info.minzoom), m_info.minzoom, k_max_zoom));
    if (format == "jpeg") format = "jpg";
    if (format.empty()) {
        // Not written by every tool: look at a tile.
        auto st = db.prepare("SELECT tile_data FROM tiles LIMIT 1");
        if (st.step()) {
            auto blob = st.column_blob(0);
            auto type = sniff_image_type(std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
            format = type == "image/jpeg" ? "jpg" : type == "image/webp" ? "webp" : "png";
        } else {
            format = "png";
        }
    }
    m_info.format = format;
    if (!bounds.empty()) {
        auto parts = text::split(bounds, ',');
        std::array<double, 4> b{};
        bool ok = parts.size() == 4;
        for (std::size_t i = 0; ok && i < 4; ++i) {
            auto v = text::parse_double(parts[i]);
            ok = v.has_value() && std::isfinite(*v);
            if (ok) b[i] = *v;
        }
        if (ok && b[0] < b[2] && b[1] < b[3] && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90) m_info.bounds = b;
    }
    m_idle.push_back(std::move(reader));
}

TileSource::~TileSource() = default;

std::unique_ptr<TileSource::Reader> TileSource::open_reader() const {
    auto reader = std::make_unique<Reader>();
    reader->db = store::Database::open(m_path, store::Database::Mode::ReadOnly);
    if (!reader->db.table_exists("tiles"))
        throw FormatError(trf("'{}' is not an MBTiles file: it has no {} table", m_path.string(), "tiles"));
    // The Statement keeps a pointer to its Database, which stays put inside the heap Reader.
    reader->lookup = reader->db.prepare("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
    return reader;
}

std::optional<std::string> TileSource::tile(int z, std::uint32_t x, std::uint32_t y) const {
    std::unique_ptr<Reader> reader;
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            reader = std::move(m_idle.back());
            m_idle.pop_back();
        }
    }
    if (!reader) reader = open_reader();
    // A reader whose query threw is dropped rather than given back: its statement may be mid-step.
    const std::uint64_t tms_row = ((std::uint64_t{1} << z) - 1) - y;
    auto& st = reader->lookup;
    st.bind(1, static_cast<std::int64_t>(z));
    st.bind(2, static_cast<std::int64_t>(x));
    st.bind(3, static_cast<std::int64_t>(tms_row));
    std::optional<std::string> out;
    if (st.step()) {
        auto blob = st.column_blob(0);
        out.emplace();
        if (!blob.empty()) out->assign(reinterpret_cast<const char*>(blob.data()), blob.size());
    }
    st.reset();
    std::lock_guard lock(m_mutex);
    if (m_idle.size() < 32) m_idle.push_back(std::move(reader));
    return out;
}

} // namespace vigil::web::detail
