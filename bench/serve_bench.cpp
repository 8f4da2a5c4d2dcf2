// serve_bench: load on `vigil serve` (web/server) and, with --url, on any other static server
// (python3 -m http.server is the measuring stick in docs/server.md). C concurrent keep-alive
// clients fetch one path as fast as they can for D seconds; each request is timed.
//
// Prints the peers' line format (../shared/peers/README.md), median and p99 per request:
//   peer=vigil_serve task=http_static_small n=C median_ms=X
//   peer=vigil_serve task=http_static_small.p99 n=C median_ms=X
// and a `rate` line with requests/s, p50, p99, throughput and errors.
//
//   serve_bench --make-web DIR            write the two test files (index.html 2 KiB,
//                                         vigil.wasm 3 MiB) into DIR and exit
//   serve_bench                           start the server in-process (temporary web folder,
//                                         tests/data/project_small.sqlite) and load it
//   serve_bench --url http://H:P/ --peer NAME   load a server started elsewhere on DIR
//   serve_bench --idle 64 --drip 32       the same, while 64 connections send nothing and 32
//                                         send a request head one byte a second (docs/server.md:
//                                         idle and slow clients must not delay real requests)

#include <vigil/web/server.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <random>
#include <regex>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_small_bytes = 2 * 1024;
constexpr std::size_t k_large_bytes = 3 * 1024 * 1024; // the size of a release vigil.wasm

void write_file(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Both files are identical for every server measured: the same bytes from the same folder.
void make_web(const fs::path& dir) {
    std::string html = "<!doctype html>\n<html><head><meta charset=utf-8><title>Vigil</title></head><body>\n";
    while (html.size() < k_small_bytes - 16) html += "<p>vigil serve benchmark page</p>\n";
    html.resize(k_small_bytes - 15, ' ');
    html += "</body></html>\n";
    std::string wasm("\0asm\x01\0\0\0", 8);
    std::mt19937_64 rng(20240601);
    while (wasm.size() < k_large_bytes) {
        // Half noise, half repetition: about as compressible as real WebAssembly (not that the
        // clients here ask for gzip: both servers send the bytes as they are).
        auto word = rng();
        for (int i = 0; i < 8; ++i) wasm.push_back(static_cast<char>((word >> (8 * i)) & (i < 4 ? 0xff : 0x0f)));
    }
    wasm.resize(k_large_bytes);
    write_file(dir / "index.html", html);
    write_file(dir / "vigil.wasm", wasm);
}

struct Result {
    std::vector<double> latencies_ms;
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;
    double seconds = 0;
};

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)];
}

Result run_load(const std::string& host, int port, const std::string& path, std::size_t expected_bytes, int clients, double seconds) {
    std::vector<Result> per_client(static_cast<std::size_t>(clients));
    std::latch ready(clients + 1);
    std::atomic<bool> go{false};
    Clock::time_point deadline;
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            httplib::Client client(host, port);
            client.set_keep_alive(true);
            client.set_connection_timeout(10);
            client.set_read_timeout(30);
            auto& r = per_client[static_cast<std::size_t>(c)];
            r.latencies_ms.reserve(100000);
            ready.arrive_and_wait();
            while (!go.load()) std::this_thread::yield();
            while (Clock::now() < deadline) {
                auto t0 = Clock::now();
                auto res = client.Get(path);
                auto t1 = Clock::now();
                if (!res || res->status != 200 || res->body.size() != expected_bytes) {
                    if (r.errors++ < 3)
                        std::cerr << "# error: " << (res ? "status " + std::to_string(res->status) : httplib::to_string(res.error()))
                                  << "\n";
                    continue;
                }
                r.bytes += res->body.size();
                r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            }
        });
    }
    ready.arrive_and_wait();
    auto start = Clock::now();
    deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    go = true;
    for (auto& t : threads) t.join();
    Result total;
    total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& r : per_client) {
        total.latencies_ms.insert(total.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
        total.bytes += r.bytes;
        total.errors += r.errors;
    }
    std::sort(total.latencies_ms.begin(), total.latencies_ms.end());
    return total;
}

// Connections that hold a server slot without ever completing a request: `idle` ones send
// nothing, `drip` ones send a request head one byte a second. They stay open until destroyed.
class Loiterers {
public:
    Loiterers(const std::string& host, int port, int idle, int drip) : m_host(host), m_port(port) {
        for (int i = 0; i < idle + drip; ++i) m_fds.push_back({connect_to(host, port), i >= idle, 0});
        m_thread = std::thread([this] { tend(); });
    }
    ~Loiterers() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
        for (auto& c : m_fds) ::close(c.fd);
    }
    Loiterers(const Loiterers&) = delete;
    Loiterers& operator=(const Loiterers&) = delete;

private:
    struct Loiterer {
        int fd;
        bool drips;
        std::size_t sent;
    };
    static int connect_to(const std::string& host, int port) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (fd < 0 || ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
            ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
            if (fd >= 0) ::close(fd);
            throw std::runtime_error("loiterer: cannot connect to " + host + ":" + std::to_string(port) + " (an IPv4 address is needed)");
        }
        return fd;
    }
    // Once a second: a drip sends its next byte; one the server closed (a timeout) is opened
    // again, so that the pressure lasts as long as the runs.
    void tend() {
        static const std::string head = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'z') + "\r\n\r\n";
        std::array<char, 4096> buf{};
        while (!m_stop) {
            for (auto& c : m_fds) {
                auto n = ::recv(c.fd, buf.data(), buf.size(), MSG_DONTWAIT);
                bool closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
                if (!closed && c.drips && ::send(c.fd, &head[c.sent++ % head.size()], 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
                    errno != EAGAIN)
                    closed = true;
                if (closed) {
                    ::close(c.fd);
                    c.fd = connect_to(m_host, m_port);
                    c.sent = 0;
                    ++reconnects;
                }
            }
            for (int t = 0; t < 20 && !m_stop; ++t) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    std::string m_host;
    int m_port;
    std::vector<Loiterer> m_fds;

public:
    std::atomic<std::size_t> reconnects{0};

private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace

int main(int argc, char** argv) try {
    CLI::App app{"Load on vigil serve (or any static server): C keep-alive clients for D seconds"};
    std::string url, peer = "vigil_serve", make_web_dir, db = VIGIL_BENCH_DB, small_path = "/index.html", large_path = "/vigil.wasm";
    std::vector<int> clients{16, 64};
    double seconds = 10;
    std::size_t threads = 0;
    int idle = 0, drip = 0;
    std::vector<std::string> tasks{"small", "large"};
    app.add_option("--url", url, "Load this server (http://HOST:PORT/) instead of starting one");
    app.add_option("--peer", peer, "Name on the result lines");
    app.add_option("-c,--clients", clients, "Concurrent clients, one run per value")->delimiter(',');
    app.add_option("-d,--seconds", seconds, "Seconds per run");
    app.add_option("--tasks", tasks, "small (index.html, 2 KiB) and/or large (vigil.wasm, 3 MiB)")->delimiter(',');
    app.add_option("--make-web", make_web_dir, "Write the two files into this folder and exit");
    app.add_option("--db", db, "Database for the in-process server");
    app.add_option("--threads", threads, "Worker threads of the in-process server (0: its default)");
    app.add_option("--idle", idle, "Connections kept open without sending anything during the runs");
    app.add_option("--drip", drip, "Connections sending a request head one byte a second during the runs");
    CLI11_PARSE(app, argc, argv);

    if (!make_web_dir.empty()) {
        make_web(make_web_dir);
        return 0;
    }

    std::unique_ptr<vigil::web::Server> server;
    fs::path temp_web;
    std::string host = "127.0.0.1";
    int port = 0;
    if (url.empty()) {
        temp_web = fs::temp_directory_path() / fmt::format("vigil-serve-bench-{}", ::getpid());
        make_web(temp_web);
        vigil::web::ServerOptions o;
        o.database = db;
        o.web_dir = temp_web;
        o.port = 0;
        o.threads = threads;
        server = std::make_unique<vigil::web::Server>(o);
        server->start();
        port = server->port();
    } else {
        std::smatch m;
        if (!std::regex_match(url, m, std::regex(R"(http://([^/:]+):(\d+)/?)")))
            throw std::runtime_error("--url must look like http://127.0.0.1:8080/");
        host = m[1];
        port = std::stoi(m[2]);
    }

    std::unique_ptr<Loiterers> loiterers;
    if (idle > 0 || drip > 0) loiterers = std::make_unique<Loiterers>(host, port, idle, drip);
    if (loiterers) std::cout << fmt::format("# with {} idle and {} slow-drip connections open\n", idle, drip);

    for (const auto& task : tasks) {
        const bool small = task == "small";
        const auto& path = small ? small_path : large_path;
        const auto expected = small ? k_small_bytes : k_large_bytes;
        const std::string name = small ? "http_static_small" : "http_static_large";
        for (int c : clients) {
            auto r = run_load(host, port, path, expected, c, seconds);
            const auto n = r.latencies_ms.size();
            std::cout << fmt::format("peer={} task={} n={} median_ms={:.4f}\n", peer, name, c, percentile(r.latencies_ms, 0.5));
            std::cout << fmt::format("peer={} task={}.p99 n={} median_ms={:.4f}\n", peer, name, c, percentile(r.latencies_ms, 0.99));
            std::cout << fmt::format("rate peer={} task={} n={} seconds={:.1f} requests={} req_per_s={:.1f} p50_ms={:.3f} p99_ms={:.3f} "
                                     "MiB_per_s={:.1f} errors={}\n",
                                     peer, name, c, r.seconds, n, static_cast<double>(n) / r.seconds, percentile(r.latencies_ms, 0.5),
                                     percentile(r.latencies_ms, 0.99), static_cast<double>(r.bytes) / r.seconds / (1 << 20), r.errors);
            std::cout.flush();
        }
    }
    if (loiterers) std::cout << fmt::format("# loiterers closed by the server and reopened: {}\n", loiterers->reconnects.load());
    loiterers.reset();
    if (server) server->stop();
    if (!temp_web.empty()) fs::remove_all(temp_web);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "serve_bench: " << e.what() << "\n";
    return 1;
}
