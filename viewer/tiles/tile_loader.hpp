/// @file
/// Reads and decodes tiles off the frame. The frame thread says which tiles it wants, most
/// urgent first; one loader thread reads them from the source, decodes them to RGBA and leaves
/// them for the frame thread to upload. Everything in between is bounded: the request queue
/// (older requests fall off its end), and the decoded tiles waiting for upload (the loader
/// waits while the frame thread is behind), so a fast pan never piles up memory.
#pragma once

#include "tile_grid.hpp"
#include "tile_source.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace vigil::viewer {

/// Pending tile requests: the most recently requested first, at most `capacity` of them (the
/// oldest are dropped). No threads, no locks: TileLoader guards it.
class RequestQueue {
public:
    explicit RequestQueue(std::size_t capacity) : m_capacity(capacity < 1 ? 1 : capacity) {}

    /// Puts `tile` at the front (moving it there if already pending). Returns false when the
    /// request pushed the oldest one out.
    bool request(const TileId& tile);
    /// Replaces the pending requests by `tiles`, given most urgent first (the least urgent
    /// beyond the capacity are dropped): a frame's wishes in one O(n) step.
    void assign(const std::vector<TileId>& tiles);
    /// Cancels every pending request not in `wanted`. Returns how many were cancelled.
    std::size_t retain(const std::unordered_set<TileId, TileIdHash>& wanted);
    /// The most recent request, removed from the queue.
    std::optional<TileId> pop();

    bool contains(const TileId& tile) const { return m_pending.count(tile) != 0; }
    bool empty() const { return m_order.empty(); }
    std::size_t size() const { return m_order.size(); }
    std::size_t capacity() const { return m_capacity; }
    /// The pending requests, front (next to load) first.
    const std::deque<TileId>& pending() const { return m_order; }

private:
    std::size_t m_capacity;
    std::deque<TileId> m_order;
    std::unordered_set<TileId, TileIdHash> m_pending;
};

/// A finished request: the pixels, or nothing when the source has no such tile or it could not
/// be read or decoded (`error` says why; the tile is then treated as empty).
struct LoadedTile {
    TileId id;
    std::optional<RgbaImage> image;
    std::string error;
};

/// A loader thread decodes every tile, natively and in the browser (WebAssembly threads), so a
/// frame never waits on PNG/JPEG decoding. It also reads tiles from a synchronous source (an
/// MBTiles file or a folder); an asynchronous source (HTTP, platform/http_fetch.hpp) gets a few
/// fetches in flight started from the frame's thread, whose bytes the loader thread decodes.
class TileLoader {
public:
    /// Starts the loader thread over `source`. `max_ready` bounds the decoded tiles waiting for take() (each 256 KiB for
    /// a 256² tile).
    explicit TileLoader(std::unique_ptr<TileSource> source, std::size_t queue_capacity = 256, std::size_t max_ready = 16);
    ~TileLoader(); ///< stops the thread (after the tile it is decoding, if any)
    TileLoader(const TileLoader&) = delete;
    TileLoader& operator=(const TileLoader&) = delete;

    const TileSourceInfo& info() const { return m_info; }

    /// This frame's wishes, most urgent first: they go to the front of the queue in that order,
    /// and every pending request not among them is cancelled (it is no longer visible). Tiles
    /// being decoded or waiting in take() are not requested twice.
    void want(const std::vector<TileId>& tiles);
    /// Up to `max` finished tiles, oldest first.
    std::vector<LoadedTile> take(std::size_t max);
    /// True when nothing is pending, being decoded or waiting to be taken.
    bool idle() const;
    /// Requests pending in the queue (not counting the one being decoded).
    std::size_t pending() const;
    /// Tiles loaded (or found missing) since the start: for tests and statistics.
    std::size_t completed() const;

    /// Fetches in flight at once from an asynchronous source (what browsers allow per host).
    static constexpr std::size_t k_max_in_flight = 6;

private:
    void run();
    /// An asynchronous source: starts fetches for the front of the queue, up to k_max_in_flight.
    void start_fetches();

    TileSourceInfo m_info;
    std::unique_ptr<TileSource> m_source; // used by the loader thread only
    std::size_t m_max_ready;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    RequestQueue m_queue;
    std::optional<TileId> m_busy;
    std::deque<LoadedTile> m_ready;
    std::size_t m_completed = 0;
    bool m_stop = false;
    bool m_asynchronous = false;                                  ///< the source fetches; the thread only decodes
    std::unordered_set<TileId, TileIdHash> m_fetching;            ///< asynchronous fetches in flight
    std::deque<TileSource::Fetched> m_fetched;                    ///< fetched bytes waiting to be decoded
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); ///< fetch callbacks after destruction do nothing
    std::thread m_thread;                                         // last: starts after everything above exists
};

} // namespace vigil::viewer
