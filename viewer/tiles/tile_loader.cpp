/// @file
/// The request queue and the loader thread (see tile_loader.hpp).
#include "tile_loader.hpp"

#include <algorithm>

namespace vigil::viewer {

bool RequestQueue::request(const TileId& tile) {
    if (m_pending.count(tile)) {
        m_order.erase(std::find(m_order.begin(), m_order.end(), tile));
        m_order.push_front(tile);
        return true;
    }
    m_order.push_front(tile);
    m_pending.insert(tile);
    if (m_order.size() <= m_capacity) return true;
    m_pending.erase(m_order.back());
    m_order.pop_back();
    return false;
}

void RequestQueue::assign(const std::vector<TileId>& tiles) {
    m_order.clear();
    m_pending.clear();
    for (const TileId& t : tiles) {
        if (m_order.size() == m_capacity) break;
        if (m_pending.insert(t).second) m_order.push_back(t);
    }
}

std::size_t RequestQueue::retain(const std::unordered_set<TileId, TileIdHash>& wanted) {
    std::size_t before = m_order.size();
    m_order.erase(std::remove_if(m_order.begin(), m_order.end(),
                                 [&](const TileId& t) {
                                     if (wanted.count(t)) return false;
                                     m_pending.erase(t);
                                     return true;
                                 }),
                  m_order.end());
    return before - m_order.size();
}

std::optional<TileId> RequestQueue::pop() {
    if (m_order.empty()) return std::nullopt;
    TileId t = m_order.front();
    m_order.pop_front();
    m_pending.erase(t);
    return t;
}

namespace {

std::string tile_name(const TileSourceInfo& info, const TileId& id) {
    return info.path.filename().string() + " " + std::to_string(id.z) + "/" + std::to_string(id.x) + "/" + std::to_string(id.y);
}

LoadedTile decode(const TileSourceInfo& info, TileSource::Fetched f) {
    LoadedTile done{f.id, std::nullopt, std::move(f.error)};
    try {
        if (f.bytes) done.image = decode_tile(*f.bytes, tile_name(info, f.id));
    } catch (const std::exception& e) {
        // One bad tile must not take the map down: it is shown as empty and reported.
        done.error = e.what();
    }
    return done;
}

} // namespace

TileLoader::TileLoader(std::unique_ptr<TileSource> source, std::size_t queue_capacity, std::size_t max_ready)
    : m_info(source->info()), m_source(std::move(source)), m_max_ready(std::max<std::size_t>(1, max_ready)), m_queue(queue_capacity),
      m_asynchronous(m_source->asynchronous()) {
    m_thread = std::thread([this] { run(); });
}

TileLoader::~TileLoader() {
    *m_alive = false;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void TileLoader::start_fetches() {
    if (!m_source->asynchronous()) return;
    for (;;) {
        std::optional<TileId> next;
        {
            std::lock_guard lock(m_mutex);
            if (m_fetching.size() >= k_max_in_flight || m_fetched.size() >= m_max_ready) return;
            next = m_queue.pop();
            if (!next) return;
            m_fetching.insert(*next);
        }
        // No lock held: a source may call back at once.
        m_source->fetch(*next, [this, alive = m_alive](TileSource::Fetched f) {
            if (!*alive) return;
            {
                std::lock_guard lock(m_mutex);
                m_fetching.erase(f.id);
                m_fetched.push_back(std::move(f));
            }
            m_wake.notify_one(); // the loader thread decodes it
            start_fetches();
        });
    }
}

void TileLoader::want(const std::vector<TileId>& tiles) {
    std::vector<TileId> queue;
    queue.reserve(tiles.size());
    {
        std::lock_guard lock(m_mutex);
        auto waiting = [&](const TileId& t) {
            return (m_busy && *m_busy == t) || m_fetching.count(t) ||
                   std::any_of(m_ready.begin(), m_ready.end(), [&](const LoadedTile& r) { return r.id == t; }) ||
                   std::any_of(m_fetched.begin(), m_fetched.end(), [&](const TileSource::Fetched& r) { return r.id == t; });
        };
        for (const TileId& t : tiles)
            if (!waiting(t)) queue.push_back(t);
        // The same as requesting them least urgent first and cancelling the rest, in one step.
        m_queue.assign(queue);
    }
    if (m_asynchronous) start_fetches();
    else m_wake.notify_one();
}

std::vector<LoadedTile> TileLoader::take(std::size_t max) {
    std::vector<LoadedTile> out;
    {
        std::lock_guard lock(m_mutex);
        while (!m_ready.empty() && out.size() < max) {
            out.push_back(std::move(m_ready.front()));
            m_ready.pop_front();
        }
    }
    if (!out.empty()) m_wake.notify_one(); // room again for the loader
    if (m_asynchronous) start_fetches();
    return out;
}

bool TileLoader::idle() const {
    std::lock_guard lock(m_mutex);
    return m_queue.empty() && !m_busy && m_ready.empty() && m_fetching.empty() && m_fetched.empty();
}

std::size_t TileLoader::pending() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

std::size_t TileLoader::completed() const {
    std::lock_guard lock(m_mutex);
    return m_completed;
}

void TileLoader::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        // A synchronous source: read the next wish; an asynchronous one: decode what arrived.
        m_wake.wait(lock,
                    [&] { return m_stop || (m_ready.size() < m_max_ready && (m_asynchronous ? !m_fetched.empty() : !m_queue.empty())); });
        if (m_stop) return;
        TileSource::Fetched f{{}, std::nullopt, {}};
        if (m_asynchronous) {
            f = std::move(m_fetched.front());
            m_fetched.pop_front();
            m_busy = f.id;
            lock.unlock();
        } else {
            f.id = *m_queue.pop();
            m_busy = f.id;
            lock.unlock();
            try {
                f.bytes = m_source->read(f.id);
            } catch (const std::exception& e) {
                f.error = e.what();
            }
        }
        LoadedTile done = decode(m_info, std::move(f));

        lock.lock();
        m_busy.reset();
        m_ready.push_back(std::move(done));
        ++m_completed;
    }
}

} // namespace vigil::viewer
