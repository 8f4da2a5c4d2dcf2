/// @file
/// Little-endian writing and checked reading of the road graph's byte buffer (private to
/// core/src/routing). Both targets Vigil builds for (x86-64, wasm32) are little-endian, so a
/// field is its bytes in memory order; the static_assert keeps a big-endian port honest.
#pragma once

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace vigil::routing::detail {

// i18n: not shown: a compile-time assertion
static_assert(std::endian::native == std::endian::little, "road graph bytes are written in memory order: port put_le/get_le");

template <class T> void put(std::vector<std::byte>& out, T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
}

template <class T> void put_array(std::vector<std::byte>& out, const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::size_t at = out.size();
    out.resize(at + v.size() * sizeof(T));
    if (!v.empty()) std::memcpy(out.data() + at, v.data(), v.size() * sizeof(T));
}

/// Reads a T at pos (advancing it); `what` names the field in the error.
template <class T> T get(std::span<const std::byte> in, std::size_t& pos, const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in.size() < pos || in.size() - pos < sizeof(T))
        throw FormatError(trf("road graph bytes: truncated at {} (offset {} of {})", what, pos, in.size()));
    T v;
    std::memcpy(&v, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
}

template <class T> std::vector<T> get_array(std::span<const std::byte> in, std::size_t& pos, std::uint64_t count, const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in.size() < pos || count > (in.size() - pos) / sizeof(T))
        throw FormatError(trf("road graph bytes: truncated in {} ({} entries at offset {} of {})", what, count, pos, in.size()));
    std::vector<T> v(static_cast<std::size_t>(count));
    if (count) std::memcpy(v.data(), in.data() + pos, static_cast<std::size_t>(count) * sizeof(T));
    pos += static_cast<std::size_t>(count) * sizeof(T);
    return v;
}

} // namespace vigil::routing::detail
