/// @file
/// The top of the `vigil` command line, shared by its two programs (see CMakeLists.txt here for
/// why there are two): the description, --version and the global options, and how a command's
/// exceptions become messages and exit codes. Written once, so that the lean front and the full
/// program answer a command line they both accept with the same words and exit code.
#pragma once

#include "cli_common.hpp"

#include <functional>

namespace vigil::cli {

/// The language of every word the command prints: `--lang` (anywhere on the command line, read
/// before the options are declared, so that their help is in it too), else VIGIL_LANG, else
/// Chinese. Adds the CLI's catalogue (tools/cli/po). Throws UsageError for a language Vigil does
/// not speak. Call first, inside with_error_messages.
void choose_language(int argc, const char* const* argv);

/// Sets the program's description, --version, --layers, --lang and -q/--quiet on `app`, and that it
/// takes exactly one subcommand.
void configure_app(CLI::App& app);

/// Lets every numeric option of `app` and its subcommands take numbers as a Chinese keyboard
/// types them (full-width digits, '．', '－'): text::fold_number_text before CLI11 reads them.
/// Call once every subcommand is added.
void fold_number_options(CLI::App& app);

/// Runs `body` and returns its exit code; a vigil::UsageError, vigil::Error or other exception
/// escaping it becomes "vigil: ..." on stderr and k_exit_usage / k_exit_error.
int with_error_messages(const std::function<int()>& body);

} // namespace vigil::cli
