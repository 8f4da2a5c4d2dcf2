/// @file
/// Offline raster basemap: tiles from an MBTiles file (SQLite) or an XYZ folder
/// ({z}/{x}/{y}.png|.jpg), drawn under the vector layers. Tiles are read and decoded off the
/// frame by a loader thread, uploaded to GL textures on the frame's thread, and kept in an LRU
/// cache of bounded memory; while a tile loads, its nearest loaded ancestor is drawn magnified.
#pragma once

#include "../app/camera.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>

namespace vigil::viewer {

class TileSource;

class TileBasemap {
public:
    /// Opens `source` (a .mbtiles file or an XYZ folder). Throws vigil::IoError when it does not
    /// exist and vigil::FormatError when it is neither. `cache_bytes` bounds the GPU/CPU cache.
    static std::unique_ptr<TileBasemap> open(const std::filesystem::path& source, std::size_t cache_bytes = 192u << 20);
    /// Over an already opened source (e.g. open_http_tile_source in the browser build).
    static std::unique_ptr<TileBasemap> open(std::unique_ptr<TileSource> source, std::size_t cache_bytes = 192u << 20);
    virtual ~TileBasemap() = default;

    /// Uploads tiles decoded since the last call (GL thread; call once per frame before draw()).
    virtual void pump() = 0;
    /// Draws the tiles covering the camera's view, requesting missing ones (GL thread).
    virtual void draw(const Camera& camera) = 0;
    /// True when no requested tile is still loading (screenshots wait for this).
    virtual bool idle() const = 0;

    virtual std::size_t cached_tiles() const = 0;
    virtual std::size_t cached_bytes() const = 0;
};

} // namespace vigil::viewer
