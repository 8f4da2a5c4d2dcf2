#include "cli_main.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <iostream>
#include <string>

namespace vigil::cli {

void configure_app(CLI::App& app) {
    app.description("Vigil (守夜): enterprises, hazard sources and rescue resources on one map.\n"
                    "Run 'vigil COMMAND --help' for the options of a command.");
    app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION);
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();
    app.add_option("--layers", globals().layers_dir, "Layer catalogue folder (default: $VIGIL_LAYERS or the built-in layers/)");
    app.add_flag("-q,--quiet", globals().quiet, "No progress bar or notes, only results and errors");
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
