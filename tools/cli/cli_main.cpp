#include "cli_main.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

namespace vigil::cli {

// The CLI's Chinese texts (tools/cli/po/zh_CN.po, embedded by CMake).
std::span<const unsigned char> messages_zh_CN();

void choose_language(int argc, const char* const* argv) {
    i18n::add_catalogue(i18n::Language::zh_CN, messages_zh_CN());
    std::optional<std::string> tag;
    std::string source = "--lang";
    for (int i = 1; i < argc && !tag; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") break;
        if (a == "--lang" && i + 1 < argc) tag = argv[i + 1];
        else if (a.starts_with("--lang=")) tag = std::string(a.substr(7));
    }
    if (!tag) {
        if (const char* env = std::getenv("VIGIL_LANG"); env && *env) {
            tag = env;
            source = "VIGIL_LANG";
        }
    }
    if (!tag) {
        i18n::set_language(i18n::Language::zh_CN);
        return;
    }
    const auto lang = i18n::parse_language(*tag);
    if (!lang) throw UsageError(i18n::unknown_language_message(source, *tag));
    i18n::set_language(*lang);
    if (source == "VIGIL_LANG") return;
    // The viewer and the server this process may start, and any vigil it runs, speak the same.
    ::setenv("VIGIL_LANG", std::string(i18n::language_tag(*lang)).c_str(), 1);
}

void configure_app(CLI::App& app) {
    app.description("Vigil (守夜): enterprises, hazard sources and rescue resources on one map.\n"
                    "Run 'vigil COMMAND --help' for the options of a command.");
    app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION);
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();
    app.add_option("--layers", globals().layers_dir, "Layer catalogue folder (default: $VIGIL_LAYERS or the built-in layers/)");
    app.add_flag("-q,--quiet", globals().quiet, tr("No progress bar or notes, only results and errors"));
    // Read by choose_language before this; declared so that it is accepted and listed.
    app.add_option("--lang", globals().language,
                   tr("Language of every message: zh (Chinese, the default) or en (English); also VIGIL_LANG"));
}

void fold_number_options(CLI::App& app) {
    for (CLI::Option* opt : app.get_options()) {
        const std::string type = opt->get_type_name();
        if (type.rfind("FLOAT", 0) != 0 && type.rfind("INT", 0) != 0 && type.rfind("UINT", 0) != 0 && type.rfind("NUMBER", 0) != 0)
            continue;
        // Runs before the option's own checks and conversion (transform() puts it first).
        opt->transform(CLI::Validator(
            [](std::string& value) {
                value = std::string(vigil::text::trim(vigil::text::fold_number_text(value)));
                return std::string();
            },
            ""));
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) fold_number_options(*sub);
}

int with_error_messages(const std::function<int()>& body) {
    try {
        return body();
    } catch (const vigil::UsageError& e) {
        std::cerr << "vigil: " << e.what() << "\n";
        return k_exit_usage;
    } catch (const vigil::Error& e) {
        std::cerr << "vigil: " << e.what() << "\n";
        return k_exit_error;
    } catch (const std::exception& e) {
        std::cerr << "vigil: internal error: " << e.what() << "\n";
        return k_exit_error;
    }
}

} // namespace vigil::cli
