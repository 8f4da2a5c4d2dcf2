/// @file
/// A least-recently-used cache bounded by bytes, for decoded tiles (textures) and for the record
/// of tiles a source does not have. Each entry carries the frame it was last used in; trim()
/// never evicts entries of the frame being drawn, so a view that needs more than the budget
/// overshoots it for that frame instead of flickering (the next frames evict the surplus).
///
/// Why bounded at all: in the browser, WebAssembly memory grows but never shrinks, so an
/// unbounded cache is a leak with extra steps (docs/reliability.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <list>
#include <unordered_map>
#include <utility>

namespace vigil::viewer {

template <class Key, class Value, class Hash = std::hash<Key>> class LruCache {
public:
    explicit LruCache(std::size_t budget_bytes) : m_budget(budget_bytes) {}
    LruCache(const LruCache&) = delete;
    LruCache& operator=(const LruCache&) = delete;

    std::size_t size() const { return m_index.size(); }
    std::size_t bytes() const { return m_bytes; }
    std::size_t budget() const { return m_budget; }
    bool contains(const Key& key) const { return m_index.count(key) != 0; }

    /// The value without changing its recency (nullptr when absent).
    const Value* peek(const Key& key) const {
        auto it = m_index.find(key);
        return it == m_index.end() ? nullptr : &it->second->value;
    }
    /// The value, marked as used in `frame` and made the most recent (nullptr when absent).
    Value* use(const Key& key, std::uint64_t frame) {
        auto it = m_index.find(key);
        if (it == m_index.end()) return nullptr;
        m_order.splice(m_order.begin(), m_order, it->second);
        it->second->frame = frame;
        return &it->second->value;
    }
    /// Adds (or replaces, handing the old value to `on_evict`) an entry as the most recent.
    template <class OnEvict> void insert(const Key& key, Value value, std::size_t bytes, std::uint64_t frame, OnEvict&& on_evict) {
        if (auto it = m_index.find(key); it != m_index.end()) {
            m_bytes -= it->second->bytes;
            on_evict(it->first, it->second->value);
            m_order.erase(it->second);
            m_index.erase(it);
        }
        m_order.push_front(Entry{key, std::move(value), bytes, frame});
        m_index.emplace(key, m_order.begin());
        m_bytes += bytes;
    }
    void insert(const Key& key, Value value, std::size_t bytes, std::uint64_t frame) {
        insert(key, std::move(value), bytes, frame, [](const Key&, Value&) {});
    }
    /// Evicts least recently used entries, except those used in `protected_frame`, until the
    /// cache fits its budget. Returns how many were evicted.
    template <class OnEvict> std::size_t trim(std::uint64_t protected_frame, OnEvict&& on_evict) {
        std::size_t evicted = 0;
        auto it = m_order.end();
        while (m_bytes > m_budget && it != m_order.begin()) {
            --it;
            if (it->frame == protected_frame) continue;
            m_bytes -= it->bytes;
            on_evict(it->key, it->value);
            m_index.erase(it->key);
            it = m_order.erase(it);
            ++evicted;
        }
        return evicted;
    }
    std::size_t trim(std::uint64_t protected_frame) {
        return trim(protected_frame, [](const Key&, Value&) {});
    }
    /// Removes everything, handing each value to `on_evict`.
    template <class OnEvict> void clear(OnEvict&& on_evict) {
        for (auto& e : m_order) on_evict(e.key, e.value);
        m_order.clear();
        m_index.clear();
        m_bytes = 0;
    }
    /// Keys from the most to the least recently used (for tests).
    template <class F> void for_each_recent_first(F&& f) const {
        for (const auto& e : m_order) f(e.key, e.value);
    }

private:
    struct Entry {
        Key key;
        Value value;
        std::size_t bytes = 0;
        std::uint64_t frame = 0;
    };
    std::size_t m_budget;
    std::size_t m_bytes = 0;
    std::list<Entry> m_order; ///< most recent first
    std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> m_index;
};

} // namespace vigil::viewer
