// `vigil serve` as users (and tools/run.sh) run it: the Serving line, clear errors, clean
// shutdown on SIGTERM and Ctrl-C.

#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <regex>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;
using namespace vigil::test::web;

namespace test_cli_serve_cases {

/// A child process with its stdout and stderr on pipes; killed and reaped if the test leaves early.
class Child {
public:
    Child(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
        int out[2], err[2];
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_adddup2(&actions, err[1], 2);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) env.emplace_back(*e);
        env.push_back("VIGIL_LAYERS=" + vigil::test::layers_dir().string());
        for (const auto& e : extra_env) env.push_back(e);
        std::vector<char*> argv, envp;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
        envp.push_back(nullptr);
        int rc = posix_spawn(&m_pid, argv[0], &actions, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        ::close(out[1]);
        ::close(err[1]);
        m_out = out[0];
        m_err = err[0];
        REQUIRE(rc == 0);
    }
    ~Child() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_out);
        ::close(m_err);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    /// The first line on stdout (without the newline), or "" if none came in time.
    std::string first_line(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (m_stdout.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) read_some(m_out, m_stdout, 100);
        auto nl = m_stdout.find('\n');
        return nl == std::string::npos ? std::string() : m_stdout.substr(0, nl);
    }
    void signal(int sig) { ::kill(m_pid, sig); }
    /// The exit code, or -1 when it did not exit in time (or died of a signal).
    int wait(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            read_some(m_err, m_stderr, 10);
            read_some(m_out, m_stdout, 10);
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                while (read_some(m_err, m_stderr, 10)) {}
                while (read_some(m_out, m_stdout, 10)) {}
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
        }
        return -1;
    }
    const std::string& err() const { return m_stderr; }
    const std::string& out() const { return m_stdout; }

private:
    static bool read_some(int fd, std::string& into, int timeout_ms) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return false;
        std::array<char, 4096> buf{};
        auto n = ::read(fd, buf.data(), buf.size());
        if (n <= 0) return false;
        into.append(buf.data(), static_cast<std::size_t>(n));
        return true;
    }
    pid_t m_pid = -1;
    int m_out = -1, m_err = -1;
    std::string m_stdout, m_stderr;
};

struct Folder {
    fs::path dir, web, db;
    Folder() {
        dir = vigil::test::scratch_dir("web-cli");
        web = dir / "web";
        db = dir / "project.sqlite";
        write_file(web / "index.html", "<!doctype html><title>Vigil</title>\n");
        write_file(web / "vigil.js", "console.log('vigil');\n");
        fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", db);
    }
};

int vigil_serve_fails(const std::vector<std::string>& args, const std::vector<std::string>& env, std::string& err) {
    std::vector<std::string> argv{VIGIL_EXECUTABLE};
    argv.insert(argv.end(), args.begin(), args.end());
    Child child(argv, env);
    int code = child.wait(std::chrono::seconds(30));
    err = child.err();
    CHECK(child.out().find("Serving") == std::string::npos);
    return code;
}


TEST_CASE("vigil serve: a missing web build or database is a clear error", "[web][cli]") {
    Folder f;
    std::string err;
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0", "--web", (f.dir / "nowhere").string()}, {}, err) == 1);
    CHECK(err.find("no web build in " + (f.dir / "nowhere").string() + ": build it with tools/build-web.sh or pass --web DIR") !=
          std::string::npos);

    fs::create_directories(f.dir / "empty");
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0", "--web", (f.dir / "empty").string()}, {}, err) == 1);
    CHECK(err.find("no web build in " + (f.dir / "empty").string()) != std::string::npos);

    // The default comes from $VIGIL_WEB.
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0"}, {"VIGIL_WEB=" + (f.dir / "envweb").string()}, err) == 1);
    CHECK(err.find("no web build in " + (f.dir / "envweb").string()) != std::string::npos);

    CHECK(vigil_serve_fails({"serve", (f.dir / "missing.sqlite").string(), "--port", "0", "--web", f.web.string()}, {}, err) == 1);
    CHECK(err.find("database '" + (f.dir / "missing.sqlite").string() + "' does not exist") != std::string::npos);

    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "70000", "--web", f.web.string()}, {}, err) == 2);
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0", "--web", f.web.string(), "--tiles", (f.dir / "no.mbtiles").string()},
                            {}, err) == 1);
    CHECK(err.find("no.mbtiles") != std::string::npos);
}

TEST_CASE("vigil serve: prints the Serving line, answers, stops cleanly on SIGTERM and Ctrl-C", "[web][cli]") {
    Folder f;
    auto tmp = f.dir / "tmp";
    fs::create_directories(tmp);
    for (int sig : {SIGTERM, SIGINT}) {
        INFO("signal " << sig);
        Child child({VIGIL_EXECUTABLE, "serve", f.db.string(), "--port", "0", "--web", f.web.string()}, {"TMPDIR=" + tmp.string()});
        auto line = child.first_line(std::chrono::seconds(30));
        INFO("stderr: " << child.err());
        std::smatch m;
        REQUIRE(std::regex_match(line, m, std::regex(R"(Serving (http://127\.0\.0\.1:(\d+)/) \(read-only snapshot of (.+)\))")));
        CHECK(m[3] == f.db.string());
        int port = std::stoi(m[2]);
        CHECK(port > 0);
        auto index = get(port, "/");
        CHECK(index.status == 200);
        CHECK(index.body == "<!doctype html><title>Vigil</title>\n");
        CHECK(get(port, "/data/manifest.json").status == 200);
        CHECK(get(port, "/data/project.sqlite").status == 200);
        CHECK(std::distance(fs::directory_iterator(tmp), fs::directory_iterator()) == 1); // its snapshot folder
        child.signal(sig);
        CHECK(child.wait(std::chrono::seconds(10)) == 0);
        CHECK(child.err().find("\"GET / HTTP/1.1\" 200") != std::string::npos);           // the access log
        CHECK(std::distance(fs::directory_iterator(tmp), fs::directory_iterator()) == 0); // removed on exit
    }
}

TEST_CASE("vigil -q serve: no access log", "[web][cli]") {
    Folder f;
    Child child({VIGIL_EXECUTABLE, "-q", "serve", f.db.string(), "--port", "0", "--web", f.web.string(), "--tiles",
                 (vigil::test::data_dir() / "tiles" / "jiaozuo_counties.mbtiles").string()},
                {});
    auto line = child.first_line(std::chrono::seconds(30));
    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex(R"(Serving http://127\.0\.0\.1:(\d+)/ \(read-only snapshot of .+\))")));
    int port = std::stoi(m[1]);
    CHECK(get(port, "/vigil.js").status == 200);
    CHECK(get(port, "/data/tiles/8/208/101").status == 200);
    child.signal(SIGTERM);
    CHECK(child.wait(std::chrono::seconds(10)) == 0);
    CHECK(child.err().empty());
}

TEST_CASE("vigil serve --cert --key: serves HTTPS and says so", "[web][cli][tls]") {
    Folder f;
    const auto& tls = test_tls_files();
    Child child({VIGIL_EXECUTABLE, "-q", "serve", f.db.string(), "--port", "0", "--web", f.web.string(), "--cert", tls.cert.string(),
                 "--key", tls.key.string()},
                {});
    auto line = child.first_line(std::chrono::seconds(30));
    INFO("stderr: " << child.err());
    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex(R"(Serving https://127\.0\.0\.1:(\d+)/ \(read-only snapshot of .+\))")));
    const int port = std::stoi(m[1]);
    {
        TlsClient client(port, tls.cert);
        client.send("GET /vigil.js HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nConnection: close\r\n\r\n");
        auto r = client.response();
        CHECK(r.status == 200);
        CHECK(r.body == "console.log('vigil');\n");
    }
    child.signal(SIGTERM);
    CHECK(child.wait(std::chrono::seconds(10)) == 0);

    // One without the other is a usage error (exit code 2), before anything starts.
    std::string err;
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0", "--web", f.web.string(), "--cert", tls.cert.string()}, {}, err) == 2);
    CHECK(err.find("--key") != std::string::npos);
    CHECK(vigil_serve_fails({"serve", f.db.string(), "--port", "0", "--web", f.web.string(), "--cert", (f.dir / "none.pem").string(),
                             "--key", tls.key.string()},
                            {}, err) == 2);
    CHECK(err.find("none.pem") != std::string::npos);
}

} // namespace test_cli_serve_cases
