// vigil user add|remove|list FILE: the editors file of `vigil serve --editors` (web/editors.hpp).
// A password is read from the terminal with echo off (twice), or from the first line of stdin
// with --password-stdin (scripts); it is never an argument, where `ps` and shell history would
// show it.

#include "cli_common.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/web/editors.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace vigil::cli {

namespace {

constexpr const char* k_user_user_example = "王调度"; // i18n: not shown: an input example, typed as it is

std::string read_line_no_echo(const std::string& prompt) {
    std::fprintf(stderr, "%s", prompt.c_str());
    std::fflush(stderr);
    termios old{};
    const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::fprintf(stderr, "\n");
    }
    return line;
}

std::string read_password(bool from_stdin) {
    if (from_stdin) {
        std::string line;
        if (!std::getline(std::cin, line)) throw UsageError(tr("--password-stdin: no password on standard input"));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    if (!::isatty(STDIN_FILENO))
        throw UsageError(tr("no terminal to ask for the password: give it on standard input with --password-stdin"));
    auto first = read_line_no_echo(std::string(tr("password:")) + " ");
    auto again = read_line_no_echo(std::string(tr("again:")) + " ");
    if (first != again) throw UsageError(tr("the two passwords differ; nothing was changed"));
    return first;
}

} // namespace

void add_user_command(CLI::App& app, Runner& run) {
    struct UserArgs {
        std::string file, user, role = "dispatcher";
        bool password_stdin = false, json = false;
    };
    auto a = std::make_shared<UserArgs>();
    auto* cmd = app.add_subcommand("user", tr("Accounts that may sign in to `vigil serve --editors FILE` and edit from a browser"));
    cmd->require_subcommand(1);

    auto* add = cmd->add_subcommand("add", tr("Add an account, or give an existing one a new password and role"));
    add->add_option("FILE", a->file, tr("The editors file (created when missing, mode 0600)"))->required();
    add->add_option("USER", a->user, trf("The user name (as shown in the audit: {}, duty-1 …)", k_user_user_example))->required();
    add->add_option("--role", a->role, tr("viewer, dispatcher or duty_officer (also undo and any field)"));
    add->add_flag("--password-stdin", a->password_stdin, tr("Read the password from the first line of standard input"));
    add->callback([&run, a] {
        run = [a] {
            web::check_user_name(a->user);
            auto role = app::parse_role(a->role);
            if (!role) throw UsageError(trf("unknown role '{}' (viewer, dispatcher, duty_officer)", a->role));
            auto file = web::EditorsFile::load_or_empty(a->file);
            const bool existed = file.find(a->user) != nullptr;
            file.set({a->user, *role, web::hash_password(read_password(a->password_stdin))});
            file.save(a->file);
            if (!globals().quiet)
                std::printf("%s\n", (existed ? trf("updated {} ({}) in {}", a->user, app::role_label(*role), a->file)
                                             : trf("added {} ({}) in {}", a->user, app::role_label(*role), a->file))
                                        .c_str());
            return static_cast<int>(k_exit_ok);
        };
    });

    auto* remove = cmd->add_subcommand("remove", tr("Remove an account (its open sessions end at their next request)"));
    remove->add_option("FILE", a->file, tr("The editors file"))->required();
    remove->add_option("USER", a->user, tr("The user name"))->required();
    remove->callback([&run, a] {
        run = [a] {
            auto file = web::EditorsFile::load(a->file);
            if (!file.remove(a->user)) throw UsageError(trf("no user '{}' in {}", a->user, a->file));
            file.save(a->file);
            if (!globals().quiet) std::printf("%s\n", trf("removed {} from {}", a->user, a->file).c_str());
            return static_cast<int>(k_exit_ok);
        };
    });

    auto* list = cmd->add_subcommand("list", tr("List the accounts and their roles (never their hashes)"));
    list->add_option("FILE", a->file, tr("The editors file"))->required();
    list->add_flag("--json", a->json, tr("As JSON: [{\"user\", \"role\"}]"));
    list->callback([&run, a] {
        run = [a] {
            auto file = web::EditorsFile::load(a->file);
            if (a->json) {
                auto j = nlohmann::ordered_json::array();
                for (const auto& acc : file.accounts()) j.push_back({{"user", acc.user}, {"role", app::role_code(acc.role)}});
                std::printf("%s\n", j.dump(2).c_str());
            } else {
                for (const auto& acc : file.accounts()) std::printf("%s\t%s\n", acc.user.c_str(), app::role_label(acc.role).c_str());
            }
            return static_cast<int>(k_exit_ok);
        };
    });
}

} // namespace vigil::cli
