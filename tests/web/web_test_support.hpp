/// @file
/// What the server tests share: a scratch web folder with small fake files (and traps: hidden
/// files, odd names, symbolic links to a secret outside it), a copy of a real project database,
/// an in-process server on a free port, and a raw HTTP/1.1 client. The client is hand-made on
/// purpose: it sends request targets byte for byte, which a client library would normalise.
#pragma once

#include <vigil/web/server.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// OpenSSL's SSL and SSL_CTX, without its headers in every test.
struct ssl_st;
struct ssl_ctx_st;

namespace vigil::test::web {

/// Written to outside/secret.txt, beside (not inside) the web folder; no answer may contain it.
inline constexpr std::string_view k_secret = "VIGIL-TEST-SECRET-6d1f0c";

struct HttpResponse {
    int status = 0;
    std::string status_line;
    std::multimap<std::string, std::string> headers; ///< names lower-cased
    std::string body;                                ///< as sent (still gzip-coded if it was)
    std::string raw;

    bool has(const std::string& name) const { return headers.count(name) > 0; }
    std::string header(const std::string& name) const;
    /// The body with any gzip Content-Encoding undone.
    std::string decoded_body() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Parses one response (status line, headers, then everything else as the body).
HttpResponse parse_response(std::string_view raw);

/// A blocking TCP connection to 127.0.0.1:port (the caller closes it). Throws
/// std::runtime_error (not Catch assertions: callable from any thread) when it cannot connect.
int connect_loopback(int port);

/// Connects to 127.0.0.1:port, sends `request` as is, reads until the server closes (or the
/// timeout), returns all bytes. Send errors are ignored: a server may refuse early and close.
std::string raw_exchange(int port, std::string_view request, std::chrono::milliseconds timeout = std::chrono::seconds(15));

/// METHOD TARGET HTTP/1.1 with Host and Connection: close, plus `headers`.
std::string make_request(int port, std::string_view method, std::string_view target, const HeaderList& headers = {});

/// make_request + exchange + parse_response.
HttpResponse fetch(int port, std::string_view method, std::string_view target, const HeaderList& headers = {});
inline HttpResponse get(int port, std::string_view target, const HeaderList& headers = {}) { return fetch(port, "GET", target, headers); }

/// A self-signed certificate for "localhost" (valid a day) and its unencrypted key, PEM, made in
/// `dir` with the openssl command.
struct TlsFiles {
    std::filesystem::path cert, key;
};
TlsFiles make_tls_files(const std::filesystem::path& dir);
/// One such pair for the whole run: an RSA key takes a moment to make.
const TlsFiles& test_tls_files();

/// A TLS client on a blocking socket to 127.0.0.1:port that trusts only `trusted` (a PEM
/// certificate) and checks that the server presents it for "localhost"; reads and writes fail
/// after 15 s of silence rather than hang.
class TlsClient {
public:
    /// `receive_buffer` (SO_RCVBUF): a small one keeps the server's writes blocking.
    TlsClient(int port, const std::filesystem::path& trusted, int receive_buffer = 0);
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    /// "TLSv1.3", "TLSv1.2".
    std::string protocol() const;
    void send(std::string_view bytes);
    /// More bytes into received(); false at the end of the stream (or a timeout).
    bool receive();
    /// The next answer: by its Content-Length (keep-alive), else all that comes until the end.
    HttpResponse response();
    /// Reads until `text` has arrived (true) or the stream ends.
    bool wait_for(std::string_view text);
    const std::string& received() const { return m_in; }

private:
    int m_fd = -1;
    ::ssl_ctx_st* m_ctx = nullptr;
    ::ssl_st* m_ssl = nullptr;
    std::string m_in;
};

/// Lines given to a LogSink, kept for inspection.
class LogCapture {
public:
    vigil::web::LogSink sink();
    std::vector<std::string> lines() const;
    std::size_t count_containing(std::string_view needle) const;

private:
    struct State {
        mutable std::mutex mutex;
        std::vector<std::string> lines;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view bytes);

/// Rows of `SELECT count(*) ...` on a database file (opened read-only).
long long count_rows(const std::filesystem::path& db, const std::string& sql);
/// "ok" when the bytes, saved to `save_as`, are an SQLite database passing PRAGMA integrity_check.
std::string integrity_of(std::string_view sqlite_bytes, const std::filesystem::path& save_as);

/// A scratch folder with web/ (fake build), outside/ (the secret) and project.sqlite (a copy of
/// tests/data/project_small.sqlite), and a server over them, started on a free port.
struct Site {
    std::filesystem::path dir, web, db;
    std::map<std::string, std::string> files; ///< what web/ serves: relative path -> bytes
    LogCapture access, errors;
    std::unique_ptr<vigil::web::Server> server;

    /// `adjust` may change the server's options before it is made (limits, threads).
    explicit Site(const std::string& name, bool with_tiles = false, std::chrono::milliseconds watch = std::chrono::milliseconds(200),
                  const std::function<void(vigil::web::ServerOptions&)>& adjust = {});
    ~Site();
    int port() const { return server->port(); }
};

} // namespace vigil::test::web
