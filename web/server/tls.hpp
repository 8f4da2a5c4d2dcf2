/// @file
/// TLS for `vigil serve` (--cert/--key, docs/server.md "TLS"): the server's one SSL_CTX, made
/// and checked when the server is constructed, and the SSL object of each connection. The
/// connection loop (event_loop.cpp) drives the SSL objects over its non-blocking sockets.
#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>
#include <string>

namespace vigil::web::detail {

/// OpenSSL's reasons for the last failure on this thread (its error queue, emptied), "; "
/// between them; "no reason given" when the queue is empty.
std::string openssl_reason();

struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

class TlsContext {
public:
    /// The context of a TLS server: TLS 1.2 at least, forward-secret AEAD ciphers (TLS 1.2),
    /// the server's cipher preference, no compression, no renegotiation. `cert`: PEM, the
    /// certificate then any intermediates; `key`: its private key (PEM, not encrypted).
    /// @throws vigil::IoError naming the file and OpenSSL's reason when a file cannot be read or
    /// used, or when the key is not the certificate's.
    TlsContext(const std::filesystem::path& cert, const std::filesystem::path& key);
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    /// A server-side SSL object on the connected socket `fd` (handshake not begun: it happens
    /// inside the first reads). Null when OpenSSL cannot make one (memory); `why` says so.
    SslPtr accept(int fd, std::string& why) const;

    const std::filesystem::path& cert_file() const { return m_cert; }

private:
    struct CtxFree {
        void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
    };
    std::unique_ptr<SSL_CTX, CtxFree> m_ctx;
    std::filesystem::path m_cert;
};

} // namespace vigil::web::detail
