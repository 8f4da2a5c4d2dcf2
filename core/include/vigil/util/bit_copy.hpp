/// @file
/// vigil::bit_copy: std::bit_cast for the toolchains Vigil targets. The libc++ of Debian's
/// Emscripten 3.1.6 (clang 14) has no std::bit_cast, so the byte codecs and indexes use this.
#pragma once

#include <cstring>

namespace vigil {

/// The bytes of `from` reinterpreted as a `To` of the same size.
template <class To, class From> To bit_copy(const From& from) {
    static_assert(sizeof(To) == sizeof(From),
                  "bit_copy needs types of the same size"); // i18n: not shown: a compile-time check for developers
    To to;
    std::memcpy(&to, &from, sizeof to);
    return to;
}

} // namespace vigil
