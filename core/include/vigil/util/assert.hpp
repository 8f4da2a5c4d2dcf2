/// @file
/// VIGIL_ASSERT: checks of the program's own invariants (not of user input). On in every
/// build type: the checks are cheap and a wrong answer in an emergency map is worse than a stop.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifndef VIGIL_ASSERT
#define VIGIL_ASSERT(cond)                                                                                                                 \
    do {                                                                                                                                   \
        if (!(cond)) { /* i18n: not shown: the message below is for developers */                                                          \
            std::fprintf(stderr, "%s:%d: internal error: assertion '%s' failed\n", __FILE__, __LINE__, #cond);                             \
            std::abort();                                                                                                                  \
        }                                                                                                                                  \
    } while (false)
#endif
