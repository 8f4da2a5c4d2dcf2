/// @file
/// Who may sign in to `vigil serve` and edit from a browser: the editors file (`vigil serve
/// --editors FILE`, written by `vigil user add`). One account per line, tab-separated:
///
///     # vigil editors: user, role, scrypt password hash
///     王调度	dispatcher	$scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>
///
/// Passwords are kept only as salted scrypt hashes (RFC 7914; N = 2^15, r = 8, p = 1: about
/// 0.1 s and 32 MiB a try, so a stolen file is slow to attack). The file is written atomically
/// with mode 0600; the server reads it again when it changes, so an account added, removed or
/// given another role counts from the next request (docs/server.md, "Editing from a browser").
///
/// @attention Native only (OpenSSL's libcrypto), part of vigil_web_server.
#pragma once

#include <vigil/app/edit_command.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::web {

struct EditorAccount {
    std::string user;
    app::Role role = app::Role::Viewer;
    std::string password_hash; ///< "$scrypt$ln=15,r=8,p=1$salt$hash"
};

class EditorsFile {
public:
    /// Reads `path`. @throws vigil::IoError when it cannot be read, vigil::FormatError naming the
    /// file and line for a line that is not "user TAB role TAB hash", an unknown role, a hash in
    /// another form, or a user named twice.
    static EditorsFile load(const std::filesystem::path& path);
    /// As load(), or no accounts when `path` does not exist (the first `vigil user add`).
    static EditorsFile load_or_empty(const std::filesystem::path& path);

    const std::vector<EditorAccount>& accounts() const { return m_accounts; }
    /// The account of `user`, or null.
    const EditorAccount* find(std::string_view user) const;
    /// Adds the account, or replaces the one of the same user.
    void set(EditorAccount account);
    /// False when there was no such user.
    bool remove(std::string_view user);
    /// Writes the file atomically (a temporary file beside it, renamed), mode 0600.
    /// @throws vigil::IoError naming the file.
    void save(const std::filesystem::path& path) const;

private:
    std::vector<EditorAccount> m_accounts;
};

/// @throws vigil::UsageError for a name that is empty, longer than 64 bytes, or holds a tab, a
/// line break, a control byte or invalid UTF-8 (names may be Chinese).
void check_user_name(std::string_view user);

/// A new salted scrypt hash of `password` (16 random bytes of salt).
/// @throws vigil::UsageError for a password shorter than 8 bytes or longer than 1024.
std::string hash_password(std::string_view password);

/// True when `password` matches `stored` (compared in constant time). False for a hash in any
/// other form.
bool verify_password(std::string_view password, std::string_view stored);

} // namespace vigil::web
