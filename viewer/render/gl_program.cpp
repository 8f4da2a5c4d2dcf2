/// @file
/// GL program building (see gl_program.hpp).

#include "gl_program.hpp"

#include <vigil/util/error.hpp>

#include <string>

namespace vigil::viewer {

namespace {

GLuint compile(GLenum type, std::string_view what, std::string_view defines, const char* body) {
    const std::string src = std::string(VIGIL_GLSL_HEADER) + std::string(defines) + body;
    const char* p = src.c_str();
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        glDeleteShader(s);
        // i18n: not shown: a shader bug, for developers
        throw Error(std::string(what) + ": cannot compile the " + (type == GL_VERTEX_SHADER ? "vertex" : "fragment") + " shader: " + log);
    }
    return s;
}

} // namespace

GLuint link_program(std::string_view what, const char* vs, const char* fs, std::string_view defines) {
    const GLuint v = compile(GL_VERTEX_SHADER, what, defines, vs);
    GLuint f = 0;
    try {
        f = compile(GL_FRAGMENT_SHADER, what, defines, fs);
    } catch (...) {
        glDeleteShader(v);
        throw;
    }
    const GLuint p = glCreateProgram();
    glAttachShader(p, v);
    glAttachShader(p, f);
    glLinkProgram(p);
    glDeleteShader(v);
    glDeleteShader(f);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetProgramInfoLog(p, sizeof log, nullptr, log);
        glDeleteProgram(p);
        throw Error(std::string(what) + ": cannot link the program: " + log); // i18n: not shown: a shader bug, for developers
    }
    return p;
}

} // namespace vigil::viewer
