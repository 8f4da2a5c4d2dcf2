/// @file
/// The server's worker threads: answers that may block on a file (tiles: SQLite reads) run here,
/// off the I/O threads (event_loop.cpp).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace vigil::web::detail {

// Runs answers that may block (file reads) off the I/O threads.
class WorkerPool {
public:
    explicit WorkerPool(std::size_t threads) {
        for (std::size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { run(); });
    }
    ~WorkerPool() { shutdown(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void post(std::function<void()> job) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) return;
            m_jobs.push_back(std::move(job));
        }
        m_cv.notify_one();
    }
    // Jobs running finish; queued ones are dropped (their connections are closed by the loops).
    void shutdown() {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop && m_threads.empty()) return;
            m_stop = true;
            m_jobs.clear();
        }
        m_cv.notify_all();
        for (auto& t : m_threads) t.join();
        m_threads.clear();
    }

private:
    void run() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
                if (m_stop) return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    bool m_stop = false;
};

} // namespace vigil::web::detail
