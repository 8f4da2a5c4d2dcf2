// The one Catch2 main of every test program.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>

namespace {
// The tests read messages in the source language, English, unless VIGIL_LANG says otherwise:
// set before main(), so this process and every vigil it runs speak it. The tests of the Chinese
// texts ask for zh-CN themselves (tests/core/test_i18n.cpp, tests/i18n).
const bool g_english = [] { return ::setenv("VIGIL_LANG", "en", 0) == 0; }();
} // namespace
