/// @file
/// The OpenGL API the map renderer uses: the OpenGL ES 3.0 subset of desktop OpenGL 3.3 core,
/// so that one renderer serves the native build (GL 3.3, prototypes from libGL) and the browser
/// (WebGL 2 through Emscripten's GLES3 headers).
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#define VIGIL_GLSL_HEADER "#version 300 es\nprecision highp float;\nprecision highp int;\n"
#else
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
#define VIGIL_GLSL_HEADER "#version 330 core\n"
#endif
