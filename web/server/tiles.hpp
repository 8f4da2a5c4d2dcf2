/// @file
/// Raster tiles from an MBTiles file (SQLite: metadata + tiles(zoom_level, tile_column,
/// tile_row, tile_data)), addressed the web's way: XYZ, rows counted from the north. MBTiles
/// counts rows from the south (TMS), so y is flipped here and nowhere else.
#pragma once

#include <vigil/store/sqlite.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vigil::web::detail {

struct TileSetInfo {
    std::string format; ///< "png", "jpg" or "webp"
    int minzoom = 0;
    int maxzoom = 0;
    std::array<double, 4> bounds{-180.0, -85.0511287798066, 180.0, 85.0511287798066}; ///< w, s, e, n
};

class TileSource {
public:
    static constexpr int k_max_zoom = 30; ///< deeper than any raster basemap; keeps 2^z in range

    /// Opens the file read-only and reads its metadata. Throws vigil::IoError (missing file),
    /// vigil::FormatError (not SQLite, or no tiles table).
    explicit TileSource(std::filesystem::path mbtiles);
    ~TileSource();
    TileSource(const TileSource&) = delete;
    TileSource& operator=(const TileSource&) = delete;

    const TileSetInfo& info() const { return m_info; }

    /// The tile bytes at XYZ z/x/y, or nullopt when the file has none there. Expects
    /// z <= k_max_zoom and x, y < 2^z. Thread-safe: each caller borrows its own connection.
    std::optional<std::string> tile(int z, std::uint32_t x, std::uint32_t y) const;

private:
    struct Reader;
    std::unique_ptr<Reader> open_reader() const;

    std::filesystem::path m_path;
    TileSetInfo m_info;
    mutable std::mutex m_mutex;
    mutable std::vector<std::unique_ptr<Reader>> m_idle; ///< connections not in use
};

} // namespace vigil::web::detail
