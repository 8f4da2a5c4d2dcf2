// placeholder until the tile loader lands (this session): opening a basemap is refused clearly.
#include "tile_basemap.hpp"

#include <vigil/util/error.hpp>

namespace vigil::viewer {

std::unique_ptr<TileBasemap> TileBasemap::open(const std::filesystem::path& source, std::size_t) {
    throw Error("raster basemaps are not supported yet: " + source.string());
}

} // namespace vigil::viewer
