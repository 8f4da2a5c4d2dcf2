# cmake -P script run at build time by vigil_embed_messages: a .mo file's bytes as a C++ function.
file(READ ${IN} _hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
file(WRITE ${OUT}.tmp "// Generated from ${SOURCE} (msgfmt, then cmake/embed_messages.cmake). Edit the PO file.
#include <span>

namespace ${NAMESPACE} {
std::span<const unsigned char> ${FUNCTION}();
std::span<const unsigned char> ${FUNCTION}() {
    alignas(4) static const unsigned char k_bytes[] = {${_bytes}};
    return k_bytes;
}
} // namespace ${NAMESPACE}
")
file(RENAME ${OUT}.tmp ${OUT})
