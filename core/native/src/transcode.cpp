#include <vigil/native/transcode.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <iconv.h>

#include <algorithm>
#include <cerrno>

namespace vigil::native {

namespace {

std::string canonical(std::string_view encoding) {
    std::string e = vigil::text::to_lower_ascii(vigil::text::trim(encoding));
    e.erase(std::remove(e.begin(), e.end(), '-'), e.end());
    e.erase(std::remove(e.begin(), e.end(), '_'), e.end());
    if (e == "gbk" || e == "cp936" || e == "936" || e == "gb2312" || e == "euccn") return "GBK";
    if (e == "gb18030") return "GB18030";
    if (e == "utf8") return "UTF-8";
    if (e == "big5" || e == "cp950") return "BIG5";
    if (e == "utf16" || e == "utf16le") return "UTF-16LE";
    if (e == "latin1" || e == "iso88591" || e == "cp1252") return "CP1252";
    return std::string(encoding);
}

} // namespace

std::string gdal_encoding_name(std::string_view encoding) {
    std::string c = canonical(encoding);
    if (c == "GBK") return "CP936";
    return c;
}

std::string to_utf8(std::string_view bytes, std::string_view encoding, const std::string& display_path) {
    std::string from = canonical(encoding);
    if (from == "UTF-8") return std::string(bytes);
    // GB18030 is a superset of GBK and GB2312, so decoding GBK text with it loses nothing and
    // accepts the extra characters some "GBK" files really contain.
    std::string iconv_from = from == "GBK" ? "GB18030" : from;
    iconv_t cd = iconv_open("UTF-8", iconv_from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) // NOLINT(performance-no-int-to-ptr): iconv_open's failure value
        throw UsageError(trf("unknown encoding '{}' (try GBK, GB18030, BIG5, UTF-16, LATIN1)", encoding));
    std::string out;
    out.resize(bytes.size() * 2 + 16);
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    while (in_left > 0) {
        std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
        if (rc != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            std::size_t used = static_cast<std::size_t>(dst - out.data());
            out.resize(out.size() * 2);
            dst = out.data() + used;
            out_left = out.size() - used;
            continue;
        }
        std::size_t offset = static_cast<std::size_t>(in - bytes.data());
        std::size_t line =
            1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
        iconv_close(cd);
        throw FormatError(
            trf("{}: line {} (byte {}): bytes are not valid {} (is the file really in {}?)", display_path, line, offset, from, from));
    }
    iconv_close(cd);
    out.resize(static_cast<std::size_t>(dst - out.data()));
    return out;
}

} // namespace vigil::native
