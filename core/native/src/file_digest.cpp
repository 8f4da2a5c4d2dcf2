#include <vigil/native/file_digest.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace vigil::native {

std::string sha256_file(const std::filesystem::path& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw IoError(trf("cannot read '{}' to compute its SHA-256", path.string()));
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw IoError(tr("SHA-256 is not available"));
    std::vector<unsigned char> buf(1 << 20);
    for (;;) {
        std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
        if (n > 0) EVP_DigestUpdate(ctx.get(), buf.data(), n);
        if (n < buf.size()) {
            if (std::ferror(f.get())) throw IoError(trf("error reading '{}'", path.string()));
            break;
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

} // namespace vigil::native
