// The events pushed to pages (see change_log.hpp).

#include "change_log.hpp"

#include <algorithm>

namespace vigil::web::detail {

ChangeLog::ChangeLog(std::int64_t start_seq, std::size_t max_events, std::size_t max_bytes)
    : m_floor(start_seq), m_last(start_seq), m_max_events(std::max<std::size_t>(1, max_events)), m_max_bytes(max_bytes) {}

std::string ChangeLog::snapshot_event(std::int64_t seq) {
    // i18n: not shown: the Server-Sent Events protocol
    return "id: " + std::to_string(seq) + "\nevent: snapshot\ndata: {\"last_seq\":" + std::to_string(seq) + "}\n\n";
}

void ChangeLog::publish_delta(std::int64_t last_seq, const std::string& json) {
    // The JSON is one line (dump without indent): one data line, as SSE needs.
    // i18n: not shown: the Server-Sent Events protocol
    push(last_seq, "id: " + std::to_string(last_seq) + "\nevent: delta\ndata: " + json + "\n\n");
}

void ChangeLog::publish_snapshot(std::int64_t last_seq) { push(last_seq, snapshot_event(last_seq)); }

void ChangeLog::push(std::int64_t seq, std::string text) {
    std::lock_guard lock(m_mutex);
    if (seq <= m_last) return; // already said
    m_bytes += text.size();
    m_events.push_back({seq, std::move(text)});
    m_last = seq;
    while (m_events.size() > 1 && (m_events.size() > m_max_events || m_bytes > m_max_bytes)) {
        m_floor = m_events.front().seq;
        m_bytes -= m_events.front().text.size();
        m_events.pop_front();
    }
}

std::string ChangeLog::since(std::int64_t& cursor) const {
    std::lock_guard lock(m_mutex);
    if (cursor >= m_last) return {};
    if (cursor < m_floor) {
        // Changes after `cursor` are no longer all here: the page needs a new snapshot.
        cursor = m_last;
        return snapshot_event(m_last);
    }
    std::string out;
    for (const auto& e : m_events)
        if (e.seq > cursor) out += e.text;
    cursor = m_last;
    return out;
}

std::int64_t ChangeLog::last_seq() const {
    std::lock_guard lock(m_mutex);
    return m_last;
}

} // namespace vigil::web::detail
