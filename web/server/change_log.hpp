/// @file
/// What `vigil serve` pushes to open pages: the project's committed changes as Server-Sent Events
/// (text/event-stream), each a delta of records (app::live_delta_json) or, after a bulk change,
/// a word to fetch a new snapshot. A page asks for the changes after the change sequence number
/// of its snapshot and then follows the stream; a page whose number is older than what the log
/// keeps is told to fetch a new snapshot, so no page can silently miss a change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace vigil::web::detail {

class ChangeLog {
public:
    /// `start_seq`: the change sequence number the log begins after (the server's feed cursor
    /// when it started). Keeps at most `max_events` events and `max_bytes` of their text.
    explicit ChangeLog(std::int64_t start_seq, std::size_t max_events = 512, std::size_t max_bytes = 16u << 20);

    /// "id: SEQ / event: delta / data: JSON": the records of the changes up to `last_seq`.
    void publish_delta(std::int64_t last_seq, const std::string& json);
    /// "id: SEQ / event: snapshot": the changes up to `last_seq` need a new snapshot (a bulk
    /// import); the snapshot in service already holds them.
    void publish_snapshot(std::int64_t last_seq);

    /// The events after `cursor`, as SSE text, and moves `cursor` past them; one snapshot event
    /// when the log no longer holds every event after `cursor` (it is older than the log).
    std::string since(std::int64_t& cursor) const;
    /// The last sequence number published (start_seq before any).
    std::int64_t last_seq() const;

private:
    struct Event {
        std::int64_t seq;
        std::string text;
    };
    void push(std::int64_t seq, std::string text);
    static std::string snapshot_event(std::int64_t seq);

    mutable std::mutex m_mutex;
    std::deque<Event> m_events;
    std::int64_t m_floor; ///< every event after this is kept
    std::int64_t m_last;  ///< the last published
    std::size_t m_bytes = 0;
    std::size_t m_max_events, m_max_bytes;
};

} // namespace vigil::web::detail
