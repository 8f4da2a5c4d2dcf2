/// @file
/// The platform seam for background work: a job runs off the frame's thread and the frame polls
/// for its result, never waiting. Native builds run it on a std::thread; the browser build on a
/// WebAssembly thread (a Web Worker sharing the module's memory: the whole wasm build is compiled
/// with -pthread and `vigil serve` makes the page cross-origin isolated, see docs/server.md). So
/// the same code runs on both, and no frame in either blocks on building a road graph.
#pragma once

#include <chrono>
#include <future>
#include <optional>
#include <type_traits>
#include <utility>

namespace vigil::viewer::platform {

/// Whether a background job may open files itself. In the browser build the files (the project
/// snapshot in Emscripten's MEMFS) live on the page's thread: a Web Worker's every file call is
/// proxied there and waits for it, one round trip per SQLite page read, behind the frames. On the
/// merged demo (a 5 MB larger database) the road-graph job that opened the project that way never
/// finished, and the page's dispatch waited forever. So in the browser a job is handed the bytes
/// it needs, read on the page's thread before it starts, and touches no file.
#ifdef __EMSCRIPTEN__
inline constexpr bool k_jobs_read_files = false;
#else
inline constexpr bool k_jobs_read_files = true;
#endif

/// One job's result, polled by the frame.
template <class T> class BackgroundJob {
public:
    BackgroundJob() = default;

    /// Starts `work` on a background thread.
    template <class F> static BackgroundJob start(F&& work) {
        BackgroundJob job;
        job.m_future = std::async(std::launch::async, std::forward<F>(work));
        return job;
    }

    /// True from start() until take().
    bool running() const { return m_future.valid(); }
    /// True when the result can be taken without waiting.
    bool ready() const { return m_future.valid() && m_future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
    /// The result (rethrows what the job threw). Only once ready() (or after wait()).
    T take() { return m_future.get(); }
    /// Blocks until the job has finished: for tests and the native screenshot mode, never a frame.
    void wait() const {
        if (m_future.valid()) m_future.wait();
    }

private:
    std::future<T> m_future;
};

} // namespace vigil::viewer::platform
