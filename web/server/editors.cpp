// The editors file and its password hashes (include/vigil/web/editors.hpp).

#include <vigil/web/editors.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::web {

namespace {

// scrypt's cost: N = 2^15, r = 8, p = 1 (RFC 7914's interactive-login figures): 32 MiB and about
// 0.1 s a try on this project's machines.
constexpr int k_log_n = 15;
constexpr std::uint64_t k_r = 8, k_p = 1;
constexpr std::size_t k_salt_bytes = 16, k_hash_bytes = 32;
constexpr std::string_view k_prefix = "$scrypt$ln=15,r=8,p=1$";

std::string base64(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(len));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text, std::size_t expected) {
    if (text.size() % 4 != 0 || text.size() > 256) return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3);
    int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (len < 0) return std::nullopt;
    std::size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
    out.resize(static_cast<std::size_t>(len) - pad);
    if (out.size() != expected) return std::nullopt;
    return out;
}

bool scrypt(std::string_view password, const unsigned char* salt, std::size_t salt_len, unsigned char* out, std::size_t out_len) {
    const std::uint64_t n = std::uint64_t{1} << k_log_n;
    const std::uint64_t maxmem = 2 * 128 * n * k_r * k_p; // twice what it needs: OpenSSL's own margin
    return EVP_PBE_scrypt(password.data(), password.size(), salt, salt_len, n, k_r, k_p, maxmem, out, out_len) == 1;
}

} // namespace

void check_user_name(std::string_view user) {
    if (user.empty()) throw UsageError(tr("a user name is needed"));
    if (user.size() > 64) throw UsageError(trf("the user name is longer than {} bytes", 64));
    if (!text::is_valid_utf8(user)) throw UsageError(tr("the user name is not valid UTF-8"));
    for (unsigned char c : user)
        if (c < 0x20 || c == 0x7f) throw UsageError(tr("the user name holds a tab, a line break or a control character"));
    if (user.front() == '#') throw UsageError(tr("a user name cannot start with '#' (the editors file's comments)"));
}

std::string hash_password(std::string_view password) {
    if (password.size() < 8) throw UsageError(trf("the password is shorter than {} characters", 8));
    if (password.size() > 1024) throw UsageError(trf("the password is longer than {} bytes", 1024));
    std::array<unsigned char, k_salt_bytes> salt{};
    std::array<unsigned char, k_hash_bytes> hash{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw Error(trf("no random bytes for a password salt ({})", "OpenSSL RAND_bytes"));
    if (!scrypt(password, salt.data(), salt.size(), hash.data(), hash.size())) throw Error(trf("{} failed ({})", "scrypt", "OpenSSL"));
    return std::string(k_prefix) + base64(salt.data(), salt.size()) + "$" + base64(hash.data(), hash.size());
}

bool verify_password(std::string_view password, std::string_view stored) {
    if (!stored.starts_with(k_prefix) || password.size() > 1024) return false;
    auto rest = stored.substr(k_prefix.size());
    auto dollar = rest.find('$');
    if (dollar == std::string_view::npos) return false;
    auto salt = unbase64(rest.substr(0, dollar), k_salt_bytes);
    auto expected = unbase64(rest.substr(dollar + 1), k_hash_bytes);
    if (!salt || !expected) return false;
    std::array<unsigned char, k_hash_bytes> hash{};
    if (!scrypt(password, salt->data(), salt->size(), hash.data(), hash.size())) return false;
    return CRYPTO_memcmp(hash.data(), expected->data(), hash.size()) == 0;
}

EditorsFile EditorsFile::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(trf("{}: cannot read the editors file: {}", path.string(), std::strerror(errno)));
    EditorsFile file;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const std::string where = path.string() + ":" + std::to_string(number) + ": ";
        auto parts = text::split(line, '\t');
        if (parts.size() != 3) throw FormatError(where + tr("expected user, role and password hash separated by tabs"));
        EditorAccount a;
        a.user = std::string(parts[0]);
        try {
            check_user_name(a.user);
        } catch (const UsageError& e) {
            throw FormatError(where + e.what());
        }
        auto role = app::parse_role(parts[1]);
        // i18n: not shown: the role codes, typed as they are
        if (!role) throw FormatError(where + trf("unknown role \"{}\" ({})", parts[1], "viewer, dispatcher, duty_officer"));
        a.role = *role;
        a.password_hash = std::string(parts[2]);
        if (!a.password_hash.starts_with(k_prefix))
            throw FormatError(where + trf("the password hash is not a Vigil {} hash (make it with `vigil user add`)", "scrypt"));
        if (file.find(a.user)) throw FormatError(where + trf("user \"{}\" is named twice", a.user));
        file.m_accounts.push_back(std::move(a));
    }
    return file;
}

EditorsFile EditorsFile::load_or_empty(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    return load(path);
}

const EditorAccount* EditorsFile::find(std::string_view user) const {
    auto it = std::find_if(m_accounts.begin(), m_accounts.end(), [&](const EditorAccount& a) { return a.user == user; });
    return it == m_accounts.end() ? nullptr : &*it;
}

void EditorsFile::set(EditorAccount account) {
    for (auto& a : m_accounts)
        if (a.user == account.user) {
            a = std::move(account);
            return;
        }
    m_accounts.push_back(std::move(account));
}

bool EditorsFile::remove(std::string_view user) {
    auto it = std::find_if(m_accounts.begin(), m_accounts.end(), [&](const EditorAccount& a) { return a.user == user; });
    if (it == m_accounts.end()) return false;
    m_accounts.erase(it);
    return true;
}

void EditorsFile::save(const std::filesystem::path& path) const {
    std::ostringstream out;
    out << "# vigil editors: user, role, scrypt password hash (tab-separated; made by `vigil user add`)\n";
    for (const auto& a : m_accounts) out << a.user << '\t' << app::role_code(a.role) << '\t' << a.password_hash << '\n';
    const std::string bytes = out.str();
    auto tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    // Created 0600 from the start: the hashes are never readable by others, not even for a moment.
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw IoError(trf("{}: cannot write the editors file: {}", path.string(), std::strerror(errno)));
    std::size_t done = 0;
    while (done < bytes.size()) {
        auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw IoError(trf("{}: cannot write the editors file: {}", path.string(), std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw IoError(trf("{}: cannot write the editors file: {}", path.string(), std::strerror(err)));
    }
}

} // namespace vigil::web
