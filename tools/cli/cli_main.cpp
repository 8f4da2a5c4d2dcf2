#include "cli_main.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <regex>
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

namespace {

/// What CLI11 says of a wrong command line, in the user's language: CLI11 writes its messages in
/// English; the common ones are recognised by their wording and said again with the option named.
std::string parse_error_text(const CLI::Error& e) {
    const std::string what = e.what();
    const std::string kind = e.get_name();
    std::smatch m;
    if (kind == "RequiredError") {
        // i18n: not shown: CLI11's English message, matched
        if (what == "A subcommand is required") return tr("A command is required: run 'vigil --help' for the list");
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("(.+) is required"))) return trf("{} is required", m[1].str());
    } else if (kind == "ExtrasError") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("The following arguments? (?:was|were) not expected: (.*)")))
            return trf("Not expected here: {}", m[1].str());
    } else if (kind == "ArgumentMismatch") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("(\\S+): (\\d+) required (\\S+) missing")))
            return trf("{} needs a value ({})", m[1].str(), tr(m[3].str().c_str()));
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("Expected (?:exactly|at least) (\\d+) arguments to (.+), got (\\d+)")))
            return trf("{} takes {} value(s), got {}", m[2].str(), m[1].str(), m[3].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("(.+): At (?:least|Most) (\\d+) required but received (\\d+)")))
            return trf("{} takes {} value(s), got {}", m[1].str(), m[2].str(), m[3].str());
    } else if (kind == "ValidationError") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("([^:]+): Value (.*) not in range (.*)")))
            return trf("{}: {} is outside the range {}", m[1].str(), m[2].str(), m[3].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("([^:]+): (.*) not in \\{(.*)\\}")))
            return trf("{}: {} is not one of {}", m[1].str(), m[2].str(), m[3].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("([^:]+): File does not exist: (.*)")))
            return trf("{}: no such file: {}", m[1].str(), m[2].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("([^:]+): Directory does not exist: (.*)")))
            return trf("{}: no such folder: {}", m[1].str(), m[2].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("([^:]+): (.*)"))) return trf("{}: invalid value ({})", m[1].str(), m[2].str());
    } else if (kind == "ConversionError") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("Could not convert: (\\S+) = (.*)")))
            return trf("{}: '{}' is not a valid value", m[1].str(), m[2].str());
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("The value (.*) is not an allowed value for (.*)")))
            return trf("{}: '{}' is not a valid value", m[2].str(), m[1].str());
    } else if (kind == "RequiresError") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("(.+) requires (.+)"))) return trf("{} needs {} as well", m[1].str(), m[2].str());
    } else if (kind == "ExcludesError") {
        // i18n: not shown: CLI11's English message, matched
        if (std::regex_match(what, m, std::regex("(.+) excludes (.+)"))) return trf("{} cannot be used with {}", m[1].str(), m[2].str());
    }
    return what;
}

/// CLI11's help words (its Formatter's labels and its own flags' descriptions) in the user's language.
void translate_help_labels(CLI::App& app) {
    const auto f = app.get_formatter();
    // The keys are CLI11's own words (its Formatter's get_label), the msgids the same English.
    for (const char* key :
         {N_("Positionals"), N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("REQUIRED"), N_("Env"), N_("Needs"),
          N_("Excludes"), N_("TEXT"), N_("INT"), N_("UINT"), N_("FLOAT"), N_("NUMBER"), N_("BOOLEAN"), N_("FILE"), N_("DIR"), N_("PATH")})
        f->label(key, tr(key));
    app.group(tr("Subcommands"));
    app.option_defaults()->group(tr("Options"));
    app.set_help_flag("-h,--help", tr("Print this help message and exit"));
}

} // namespace

void configure_app(CLI::App& app) {
    translate_help_labels(app);
    app.description(tr(
        "Vigil: enterprises, hazard sources and rescue resources on one map.\nRun 'vigil COMMAND --help' for the options of a command."));
    app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION, tr("Display program version information and exit"));
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return parse_error_text(e) + "\n" + tr("Run with --help for more information.") + "\n";
    });
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();
    app.add_option("--layers", globals().layers_dir, tr("Layer catalogue folder (default: $VIGIL_LAYERS or the built-in layers/)"));
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
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        // The global options (--lang, -q, --layers) also after the command: `vigil demo OUT -q --lang en`.
        sub->fallthrough();
        fold_number_options(*sub);
    }
    // A subcommand's help flag is made before it inherits the option group: in the group of the others.
    if (CLI::Option* help = app.get_help_ptr()) help->group(tr("Options"));
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
        std::cerr << "vigil: " << trf("internal error: {}", e.what()) << "\n";
        return k_exit_error;
    }
}

} // namespace vigil::cli
