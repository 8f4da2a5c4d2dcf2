/// @file
/// The stock item catalogue (layers/supplies/stock_items.json) compiled into the core, so the
/// viewer and the browser build know the synonyms without a file system. Defined in the .cpp
/// that core/CMakeLists.txt generates from stock_items.cpp.in.
#pragma once

#include <string_view>

namespace vigil::dispatch::embedded {

/// The file's text as it was at build time.
std::string_view stock_items();

} // namespace vigil::dispatch::embedded
