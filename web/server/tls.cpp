#include "tls.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <openssl/err.h>

#include <array>
#include <fstream>

namespace vigil::web::detail {

namespace {

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AEAD ciphers only. TLS 1.3 has only
// such suites and keeps OpenSSL's default list.
constexpr const char* k_tls12_ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20";

// OpenSSL's "no such file" is vague about which file; say it first, in our words.
void require_readable(const std::filesystem::path& file, bool certificate) {
    std::ifstream probe(file, std::ios::binary);
    if (!probe)
        throw IoError(certificate ? trf("TLS certificate '{}' cannot be read", file.string())
                                  : trf("TLS key '{}' cannot be read", file.string()));
}

} // namespace

std::string openssl_reason() {
    std::string out;
    while (unsigned long code = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(code, buf.data(), buf.size());
        if (!out.empty()) out += "; ";
        out += buf.data();
    }
    return out.empty() ? std::string(tr("no reason given")) : out;
}

TlsContext::TlsContext(const std::filesystem::path& cert, const std::filesystem::path& key) : m_cert(cert) {
    require_readable(cert, true);
    require_readable(key, false);
    ERR_clear_error();
    m_ctx.reset(SSL_CTX_new(TLS_server_method()));
    if (!m_ctx) throw IoError(trf("TLS: cannot make a context: {}", openssl_reason()));
    auto* ctx = m_ctx.get();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    // Partial writes: SSL_write returns what fit, like send(); a moving buffer: a stream's
    // pending text may be reallocated (appended to) between a write that would block and its retry.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_set_cipher_list(ctx, k_tls12_ciphers) != 1) throw IoError(trf("TLS: cannot set the ciphers: {}", openssl_reason()));
    // An encrypted key would make OpenSSL ask for its passphrase on the terminal, which a
    // server must never wait for: no passphrase, so such a key fails to load and says so.
    SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });

    if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
        throw IoError(trf("TLS certificate '{}' is not usable ({} certificate expected): {}", cert.string(), "PEM", openssl_reason()));
    if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1)
        throw IoError(trf("TLS key '{}' is not usable (the unencrypted {} private key of '{}' expected): {}", key.string(), "PEM",
                          cert.string(), openssl_reason()));
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw IoError(trf("TLS key '{}' is not the key of the certificate '{}': {}", key.string(), cert.string(), openssl_reason()));
}

SslPtr TlsContext::accept(int fd, std::string& why) const {
    ERR_clear_error();
    SslPtr ssl(SSL_new(m_ctx.get()));
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
        why = openssl_reason();
        return nullptr;
    }
    SSL_set_accept_state(ssl.get());
    return ssl;
}

} // namespace vigil::web::detail
