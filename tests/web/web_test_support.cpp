#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <http_rules.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/text.hpp>

#include <catch2/catch.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace vigil::test::web {

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string HttpResponse::decoded_body() const {
    return header("content-encoding") == "gzip" ? vigil::web::detail::gzip_decompress(body) : body;
}

HttpResponse parse_response(std::string_view raw) {
    HttpResponse r;
    r.raw = std::string(raw);
    auto end = raw.find("\r\n\r\n");
    if (end == std::string_view::npos) return r;
    auto head = raw.substr(0, end + 2);
    r.body = std::string(raw.substr(end + 4));
    auto line_end = head.find("\r\n");
    r.status_line = std::string(head.substr(0, line_end));
    auto sp = r.status_line.find(' ');
    if (sp != std::string::npos) r.status = std::atoi(r.status_line.c_str() + sp + 1);
    head.remove_prefix(line_end + 2);
    while (!head.empty()) {
        auto e = head.find("\r\n");
        auto line = head.substr(0, e);
        head.remove_prefix(e + 2);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto value = vigil::text::trim(line.substr(colon + 1));
        r.headers.emplace(vigil::text::to_lower_ascii(line.substr(0, colon)), std::string(value));
    }
    return r;
}

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        int err = errno;
        ::close(fd);
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(err));
    }
    return fd;
}

std::string raw_exchange(int port, std::string_view request, std::chrono::milliseconds timeout) {
    // Called from many threads at once (the concurrency test): throws instead of using Catch's
    // assertions, which are not thread-safe.
    int fd = connect_loopback(port);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t sent = 0;
    std::string out;
    std::array<char, 64 * 1024> buf{};
    bool eof = false;
    while (!eof && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        if ((p.revents & POLLOUT) && sent < request.size()) {
            auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) sent += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR) sent = request.size(); // refused early: just read
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            auto n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
            if (n > 0) out.append(buf.data(), static_cast<std::size_t>(n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) eof = true;
        }
    }
    ::close(fd);
    return out;
}

std::string make_request(int port, std::string_view method, std::string_view target, const HeaderList& headers) {
    std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (const auto& [k, v] : headers) r += k + ": " + v + "\r\n";
    r += "Connection: close\r\n\r\n";
    return r;
}

HttpResponse fetch(int port, std::string_view method, std::string_view target, const HeaderList& headers) {
    return parse_response(raw_exchange(port, make_request(port, method, target, headers)));
}

TlsFiles make_tls_files(const fs::path& dir) {
    fs::create_directories(dir);
    TlsFiles f{dir / "cert.pem", dir / "key.pem"};
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout '" + f.key.string() +
                                "' -out '" + f.cert.string() + "' >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    REQUIRE(fs::file_size(f.cert) > 0);
    return f;
}

const TlsFiles& test_tls_files() {
    static const TlsFiles files = make_tls_files(vigil::test::scratch_dir("web-tls-cert"));
    return files;
}

namespace {

std::string openssl_errors() {
    std::string out;
    while (unsigned long code = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(code, buf.data(), buf.size());
        out += std::string(buf.data()) + "; ";
    }
    return out;
}

} // namespace

TlsClient::TlsClient(int port, const fs::path& trusted, int receive_buffer) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_fd >= 0);
    if (receive_buffer) ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    timeval timeout{15, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);

    m_ctx = SSL_CTX_new(TLS_client_method());
    REQUIRE(m_ctx);
    REQUIRE(SSL_CTX_load_verify_locations(m_ctx, trusted.c_str(), nullptr) == 1);
    SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER, nullptr);
    m_ssl = SSL_new(m_ctx);
    REQUIRE(m_ssl);
    SSL_set_fd(m_ssl, m_fd);
    SSL_set_tlsext_host_name(m_ssl, "localhost");
    REQUIRE(SSL_set1_host(m_ssl, "localhost") == 1);
    ERR_clear_error();
    const int rc = SSL_connect(m_ssl);
    INFO("SSL_connect: " << openssl_errors());
    REQUIRE(rc == 1);
    REQUIRE(SSL_get_verify_result(m_ssl) == X509_V_OK);
}

TlsClient::~TlsClient() {
    SSL_free(m_ssl);
    SSL_CTX_free(m_ctx);
    ::close(m_fd);
}

std::string TlsClient::protocol() const { return SSL_get_version(m_ssl); }

void TlsClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        int n = SSL_write(m_ssl, bytes.data(), static_cast<int>(bytes.size()));
        REQUIRE(n > 0);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool TlsClient::receive() {
    std::array<char, 16 * 1024> buf{};
    int n = SSL_read(m_ssl, buf.data(), static_cast<int>(buf.size()));
    if (n <= 0) return false;
    m_in.append(buf.data(), static_cast<std::size_t>(n));
    return true;
}

HttpResponse TlsClient::response() {
    while (m_in.find("\r\n\r\n") == std::string::npos)
        if (!receive()) break;
    auto end = m_in.find("\r\n\r\n");
    if (end == std::string::npos) return parse_response(std::exchange(m_in, {}));
    auto head = parse_response(m_in.substr(0, end + 4));
    if (!head.has("content-length")) {
        while (receive()) {}
        return parse_response(std::exchange(m_in, {}));
    }
    const std::size_t total = end + 4 + static_cast<std::size_t>(std::stoull(head.header("content-length")));
    while (m_in.size() < total)
        if (!receive()) break;
    const auto take = std::min(total, m_in.size());
    auto r = parse_response(m_in.substr(0, take));
    m_in.erase(0, take);
    return r;
}

bool TlsClient::wait_for(std::string_view text) {
    while (m_in.find(text) == std::string::npos)
        if (!receive()) return false;
    return true;
}

vigil::web::LogSink LogCapture::sink() {
    return [state = m_state](std::string_view line) {
        std::lock_guard lock(state->mutex);
        state->lines.emplace_back(line);
    };
}

std::vector<std::string> LogCapture::lines() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->lines;
}

std::size_t LogCapture::count_containing(std::string_view needle) const {
    std::size_t n = 0;
    for (const auto& l : lines())
        if (l.find(needle) != std::string::npos) ++n;
    return n;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& path, std::string_view bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

long long count_rows(const fs::path& db, const std::string& sql) {
    auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadOnly);
    return d.query_int(sql, -1);
}

std::string integrity_of(std::string_view bytes, const fs::path& save_as) {
    write_file(save_as, bytes);
    try {
        auto d = vigil::store::Database::open(save_as, vigil::store::Database::Mode::ReadOnly);
        return d.query_text("PRAGMA integrity_check");
    } catch (const std::exception& e) {
        return e.what();
    }
}

namespace {

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + seed + (i >> 9)) & 0xff);
    return s;
}

std::string noise(std::size_t n, std::uint64_t seed) {
    std::string s(n, '\0');
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (auto& c : s) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x & 0xff);
    }
    return s;
}

} // namespace

Site::Site(const std::string& name, bool with_tiles, std::chrono::milliseconds watch,
           const std::function<void(vigil::web::ServerOptions&)>& adjust) {
    dir = vigil::test::scratch_dir("web-" + name);
    web = dir / "web";
    db = dir / "project.sqlite";

    std::string html = "<!doctype html>\n<html><head><meta charset=utf-8><title>Vigil</title>"
                       "<link rel=stylesheet href=vigil.css><script src=vigil.js></script></head><body>\n";
    for (int i = 0; i < 40; ++i) html += "<p>placeholder paragraph " + std::to_string(i) + " of the fake viewer page</p>\n";
    html += "</body></html>\n";
    std::string js = "// fake Emscripten glue\n";
    for (int i = 0; i < 200; ++i) js += "console.log('line " + std::to_string(i) + "');\n";
    std::string css;
    for (int i = 0; i < 50; ++i) css += ".c" + std::to_string(i) + "{margin:0;padding:0}\n";
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">";
    for (int i = 0; i < 30; ++i) svg += "<rect x=\"1\" y=\"1\" width=\"8\" height=\"8\"/>";
    svg += "</svg>\n";

    files = {
        {"index.html", html},
        {"vigil.js", js},
        {"vigil.css", css},
        {"vigil.wasm", std::string("\0asm\x01\0\0\0", 8) + pattern(256 * 1024, 3)},
        {"config.json", "{\"name\": \"vigil\", \"padding\": \"" + std::string(400, 'x') + "\"}\n"},
        {"logo.svg", svg},
        {"favicon.ico", std::string("\0\0\1\0", 4) + pattern(1000, 5)},
        {"fonts/vigil-cjk.otf", "OTTO" + pattern(4000, 7)},
        {"fonts/vigil.ttf", std::string("\0\1\0\0", 4) + pattern(4000, 8)},
        {"fonts/vigil.woff2", "wOF2" + noise(3000, 9)},
        {"images/icon.png", std::string("\x89PNG\r\n\x1a\n", 8) + noise(2000, 10)},
        {"notes.xyz", pattern(500, 11)},
        {"empty.txt", ""},
    };
    for (const auto& [rel, bytes] : files) write_file(web / rel, bytes);
    // Traps: never served.
    write_file(web / ".hidden.txt", "hidden");
    write_file(web / "bad name.txt", "bad name");
    write_file(web / "data" / "shadowed.txt", "the server owns /data/");
    write_file(dir / "outside" / "secret.txt", std::string(k_secret) + "\n");
    fs::create_symlink(dir / "outside" / "secret.txt", web / "link.txt");
    fs::create_symlink("../outside", web / "linked");
    fs::create_symlink("../../outside/secret.txt", web / "fonts" / "up.otf");

    fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", db);
    // Vigil writes its projects in WAL mode (the fixture is stored in rollback-journal mode).
    vigil::store::Database::open(db, vigil::store::Database::Mode::ReadWrite).exec("PRAGMA journal_mode = WAL");

    vigil::web::ServerOptions o;
    o.database = db;
    o.web_dir = web;
    if (with_tiles) o.tiles = vigil::test::data_dir() / "tiles" / "jiaozuo_counties.mbtiles";
    o.port = 0;
    o.watch_interval = watch;
    o.access_log = access.sink();
    o.error_log = errors.sink();
    if (adjust) adjust(o);
    server = std::make_unique<vigil::web::Server>(o);
    server->start();
}

Site::~Site() {
    if (server) server->stop();
}

} // namespace vigil::test::web
