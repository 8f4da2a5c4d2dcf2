/// @file
/// Key taps that arrive between two frames, kept for the frames to see.
///
/// Dear ImGui 1.86 (Debian's) reads the keyboard as state: its GLFW backend sets io.KeysDown[key]
/// in the key callback and NewFrame() compares it with the last frame. A press and its release
/// that both arrive between two frames leave no trace: the tap is lost. That happens whenever
/// frames are slower than typing — in the browser under a software renderer, or a map wall's
/// machine busy drawing — and a dispatcher's Backspace or Enter must not vanish. (ImGui 1.87
/// replaced the state with an event queue that trickles one change per key per frame; this is
/// that, for 1.86. The mouse needs nothing: the backend latches quick clicks itself, and typed
/// characters are queued.)
///
///     events:   press(Bksp) release(Bksp) |frame| ...            without the latch: lost
///     latch:    press passes, release held |frame sees down| release passes |frame sees up|
///
/// KeyLatch is the rule, without GLFW or ImGui (tests drive it); install_key_latch() and
/// key_latch_frame_begun() put it between GLFW and the backend in both main loops.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <vector>

struct GLFWwindow;

namespace vigil::viewer {

/// One change of a key, as GLFW reports it (scancode and modifiers passed on unchanged).
struct KeyChange {
    int key = 0;
    bool down = false;
    int scancode = 0;
    int mods = 0;
};

class KeyLatch {
public:
    static constexpr int k_keys = 512; ///< ImGui 1.86's io.KeysDown size

    /// A key's press or release from the platform: true to hand it to ImGui now, false when it
    /// is held back because an earlier change of that key has not been seen by a frame yet.
    /// Keys outside [0, k_keys) always pass.
    bool pass(const KeyChange& change);

    /// Call right after ImGui::NewFrame(): that frame saw every change passed so far. Returns the
    /// next held change of each key (at most one per key), to hand to ImGui now.
    std::vector<KeyChange> frame_begun();

    /// Changes still held back (for tests).
    std::size_t held() const;

private:
    struct Key {
        bool unseen = false;           ///< a change was passed since the last frame
        std::deque<KeyChange> waiting; ///< held back, oldest first
    };
    std::array<Key, k_keys> m_keys{};
    std::vector<int> m_busy; ///< keys with unseen or waiting changes
};

/// Puts a KeyLatch between GLFW's key events and Dear ImGui's GLFW backend. Call after
/// ImGui_ImplGlfw_InitForOpenGL(window, true), which installed the backend's callback.
void install_key_latch(GLFWwindow* window);
/// Call right after ImGui::NewFrame() in the main loop.
void key_latch_frame_begun();

} // namespace vigil::viewer
