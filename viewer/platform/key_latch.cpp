/// @file
/// KeyLatch and its place between GLFW and Dear ImGui's GLFW backend (see key_latch.hpp).

#include "key_latch.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>

#include <algorithm>

namespace vigil::viewer {

bool KeyLatch::pass(const KeyChange& change) {
    if (change.key < 0 || change.key >= k_keys) return true;
    Key& k = m_keys[static_cast<std::size_t>(change.key)];
    if (!k.unseen && k.waiting.empty()) {
        k.unseen = true;
        m_busy.push_back(change.key);
        return true;
    }
    k.waiting.push_back(change);
    return false;
}

std::vector<KeyChange> KeyLatch::frame_begun() {
    std::vector<KeyChange> release;
    std::vector<int> still;
    for (int key : m_busy) {
        Key& k = m_keys[static_cast<std::size_t>(key)];
        k.unseen = false;
        if (k.waiting.empty()) continue;
        release.push_back(k.waiting.front());
        k.waiting.pop_front();
        k.unseen = true;
        still.push_back(key);
    }
    m_busy = std::move(still);
    return release;
}

std::size_t KeyLatch::held() const {
    std::size_t n = 0;
    for (int key : m_busy) n += m_keys[static_cast<std::size_t>(key)].waiting.size();
    return n;
}

namespace {

// One window per process in both main loops (GLFW's callbacks carry no user pointer of ours).
KeyLatch g_latch;
GLFWwindow* g_window = nullptr;

void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
    // Repeats change no state: they pass (ImGui 1.86 makes its own repeats from the state).
    if (action == GLFW_REPEAT || g_latch.pass({key, action == GLFW_PRESS, scancode, mods}))
        ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

} // namespace

void install_key_latch(GLFWwindow* window) {
    g_window = window;
    g_latch = KeyLatch{};
    glfwSetKeyCallback(window, on_key);
}

void key_latch_frame_begun() {
    if (!g_window) return;
    for (const KeyChange& c : g_latch.frame_begun())
        ImGui_ImplGlfw_KeyCallback(g_window, c.key, c.scancode, c.down ? GLFW_PRESS : GLFW_RELEASE, c.mods);
}

} // namespace vigil::viewer
