/// @file
/// Where raster tiles come from: an MBTiles file (SQLite, TMS rows) or an XYZ folder
/// ({z}/{x}/{y}.png|.jpg|.jpeg, rows from the north), behind one interface that hands out the
/// encoded bytes of a tile; and decode_tile(), PNG/JPEG bytes to RGBA pixels (stb_image).
///
/// A source is opened on the GL thread (so errors reach the user at once) and then read only by
/// the loader thread: it is never used from two threads at the same time.
#pragma once

#include "tile_grid.hpp"

#include <vigil/geo/geometry.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::viewer {

enum class TileFormat { Png, Jpeg };

struct TileSourceInfo {
    std::filesystem::path path;
    std::string name; ///< metadata `name`, or the file/folder name
    TileFormat format = TileFormat::Png;
    int min_zoom = 0;
    int max_zoom = 0;
    geo::BBox bounds;     ///< lon/lat; the Web Mercator world when the source does not say
    bool mbtiles = false; ///< false: an XYZ folder

    /// The tiles of zoom z inside `bounds` (empty outside [min_zoom, max_zoom]).
    TileRange tiles_at(int z) const;
};

class TileSource {
public:
    virtual ~TileSource() = default;
    const TileSourceInfo& info() const { return m_info; }
    /// The encoded bytes (PNG or JPEG) of a tile; nullopt when the source has no such tile.
    /// Throws vigil::IoError or vigil::DatabaseError when the source cannot be read.
    virtual std::optional<std::vector<std::uint8_t>> read(const TileId& tile) = 0;

    /// What fetch() hands back: the bytes, nothing (no such tile), or why it failed.
    struct Fetched {
        TileId id;
        std::optional<std::vector<std::uint8_t>> bytes;
        std::string error;
    };
    /// True for sources that answer later (over HTTP in the browser build): the loader then
    /// calls fetch() instead of read(), on the frame's thread, with at most a few in flight.
    virtual bool asynchronous() const { return false; }
    /// Starts fetching a tile; `done` is called exactly once, later, on the same thread.
    virtual void fetch(const TileId& tile, std::function<void(Fetched)> done);

protected:
    TileSourceInfo m_info;
};

/// Tiles over HTTP, for the browser build: `url_template` with {z}/{x}/{y} (XYZ rows), the
/// source's zooms, bounds and format as the server's manifest gives them. A 204 or 404 answer
/// is "no such tile". Natively it cannot fetch (the desktop viewer reads files) and throws.
std::unique_ptr<TileSource> open_http_tile_source(const std::string& url_template, TileSourceInfo info);

/// Opens a .mbtiles file or an XYZ folder, chosen by what `path` is. Throws vigil::IoError when
/// it does not exist, vigil::FormatError when it is a file that is not MBTiles (not SQLite, no
/// `tiles` table, no tiles, vector or WebP tiles) or a folder without {z}/{x}/{y} tiles.
std::unique_ptr<TileSource> open_tile_source(const std::filesystem::path& path);

/// MBTiles 1.x: `tiles(zoom_level, tile_column, tile_row, tile_data)` with TMS rows and
/// `metadata(name, value)` (format, minzoom, maxzoom, bounds), opened read-only.
class MbtilesSource final : public TileSource {
public:
    explicit MbtilesSource(const std::filesystem::path& file);
    ~MbtilesSource() override;
    std::optional<std::vector<std::uint8_t>> read(const TileId& tile) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A folder of {z}/{x}/{y}.png (or .jpg/.jpeg) tiles, rows from the north (XYZ / slippy map).
/// Zoom levels are the numeric sub-folders that hold tiles; bounds are those of the tiles at the
/// lowest zoom (one small directory listing, not a walk over the whole pyramid).
class XyzSource final : public TileSource {
public:
    explicit XyzSource(const std::filesystem::path& folder);
    std::optional<std::vector<std::uint8_t>> read(const TileId& tile) override;

private:
    std::vector<std::string> m_extensions; ///< the detected one first
};

/// Decoded RGBA pixels, rows from the top (north).
struct RgbaImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    std::size_t bytes() const { return pixels.size(); }
};

/// PNG or JPEG bytes -> RGBA (any channel count in, four out). Throws vigil::FormatError naming
/// `what` (e.g. "tiles.mbtiles 11/1667/812") when the bytes are not a decodable image.
RgbaImage decode_tile(std::span<const std::uint8_t> bytes, const std::string& what);

} // namespace vigil::viewer
