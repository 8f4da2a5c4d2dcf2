// KeyLatch: key taps that arrive between two frames are seen by the frames (Dear ImGui 1.86 reads
// the keyboard as state at NewFrame; without the latch a press and release in one frame vanish).

#include "platform/key_latch.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

using vigil::viewer::KeyChange;
using vigil::viewer::KeyLatch;

namespace test_key_latch_cases {

// ImGui's side, reduced to what matters: the key state the backend writes, and what each
// frame sees of it at NewFrame.
struct FakeImGui {
    std::array<bool, KeyLatch::k_keys> down{};
    void apply(const KeyChange& c) { down[static_cast<std::size_t>(c.key)] = c.down; }
};

struct Harness {
    KeyLatch latch;
    FakeImGui imgui;
    void event(int key, bool down) {
        const KeyChange c{key, down, 0, 0};
        if (latch.pass(c)) imgui.apply(c);
    }
    // A frame: NewFrame reads the state, then the latch hands over what it held.
    std::array<bool, KeyLatch::k_keys> frame() {
        const auto seen = imgui.down;
        for (const KeyChange& c : latch.frame_begun()) imgui.apply(c);
        return seen;
    }
};

constexpr int k_backspace = 259, k_enter = 257, k_a = 65;


TEST_CASE("key latch: a tap between two frames is seen down by one frame and up by the next", "[viewer][keys]") {
    Harness h;
    h.event(k_backspace, true);
    h.event(k_backspace, false); // before any frame: ImGui 1.86 alone would never see it
    CHECK(h.latch.held() == 1);
    CHECK(h.frame()[k_backspace]);
    CHECK_FALSE(h.frame()[k_backspace]);
    CHECK(h.latch.held() == 0);
}

TEST_CASE("key latch: two taps of one key in one frame are two presses, other keys go on at once", "[viewer][keys]") {
    Harness h;
    h.event(k_backspace, true);
    h.event(k_backspace, false);
    h.event(k_backspace, true);
    h.event(k_backspace, false);
    h.event(k_a, true); // another key is not held back by Backspace's queue
    std::vector<bool> seen;
    std::vector<bool> a_seen;
    for (int f = 0; f < 5; ++f) {
        const auto s = h.frame();
        seen.push_back(s[k_backspace]);
        a_seen.push_back(s[k_a]);
    }
    CHECK(seen == std::vector<bool>{true, false, true, false, false});
    CHECK(a_seen == std::vector<bool>{true, true, true, true, true}); // held down all along
}

TEST_CASE("key latch: changes a frame has seen pass at once; a held key's release waits for its press to be seen", "[viewer][keys]") {
    Harness h;
    h.event(k_enter, true);
    CHECK(h.imgui.down[k_enter]); // a press passes at once
    CHECK(h.frame()[k_enter]);    // seen
    h.event(k_enter, false);      // its press was seen: the release passes at once
    CHECK_FALSE(h.imgui.down[k_enter]);
    CHECK(h.latch.held() == 0);
    CHECK_FALSE(h.frame()[k_enter]);
    // Out-of-range keys (GLFW_KEY_UNKNOWN = -1) are not the latch's business.
    CHECK(h.latch.pass({-1, true, 0, 0}));
    CHECK(h.latch.pass({-1, false, 0, 0}));
    CHECK(h.latch.pass({KeyLatch::k_keys, true, 0, 0}));
}

} // namespace test_key_latch_cases
