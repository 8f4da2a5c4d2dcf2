/// @file
/// Text encodings of old registers (GBK/GB18030 from Windows Excel and desktop GIS) to UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace vigil::native {

/// Converts `bytes` from `encoding` (GBK, GB18030, GB2312, CP936, BIG5, UTF-16, LATIN1 ... as
/// iconv names them; "UTF-8" returns the input) to UTF-8. Throws vigil::FormatError naming
/// `display_path`, the line and the byte offset of the first sequence that is not valid in that
/// encoding, and vigil::UsageError for an unknown encoding name.
std::string to_utf8(std::string_view bytes, std::string_view encoding, const std::string& display_path);

/// The encoding name as GDAL's shapefile driver wants it (GBK -> CP936, ...).
std::string gdal_encoding_name(std::string_view encoding);

} // namespace vigil::native
