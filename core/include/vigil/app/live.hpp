/// @file
/// Keeping loaded layers current as others edit the database, written once for every shell that
/// holds layers (the native viewer now; the server's push to open pages next): read what the
/// change feed brings and build new snapshots of only the layers it touched, re-reading only the
/// records it names. The shells keep their camera, selection and panels and swap the snapshots in.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/store/change_feed.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::app {

/// One layer brought up to date.
struct LiveLayer {
    std::string kind;
    /// The new snapshot (the old one is never changed: a job may still be reading it).
    std::shared_ptr<const model::Layer> layer;
    /// Loaded whole: a bulk change (an import), or a layer the set did not hold (a kind new to
    /// the project, or one first written by an edit).
    bool reloaded = false;
    std::vector<std::string> changed; ///< ids re-read and put in (inserted or updated); empty when reloaded
    std::vector<std::string> removed; ///< ids taken out (deleted, or no longer in the table); empty when reloaded
};

/// What one look at the feed changed.
struct LiveUpdate {
    std::int64_t last_seq = 0; ///< the last change applied
    std::string last_at;       ///< its time, as the change sequence has it
    std::size_t changes = 0;   ///< change rows read
    std::size_t records = 0;   ///< records put in or taken out (a reloaded layer counts its records)
    std::vector<LiveLayer> layers;
};

/// Reads the changes after the feed's cursor and applies them to the layers `held`: a record
/// named by a change is re-read by id and replaces its row (or is appended), one no longer in its
/// table is removed, a bulk change reloads its layer. Layers of kinds the project does not have
/// (or no longer has) are left out. Null when nothing was committed to the change sequence.
/// Runs off the UI thread in a viewer: it reads only the feed's connection and `held`'s shared,
/// immutable snapshots.
/// @throws vigil::FormatError for a damaged geometry, vigil::DatabaseError when the database
///         cannot be read (the feed's cursor has then moved: the caller reloads or reopens).
std::optional<LiveUpdate> follow_changes(store::ChangeFeed& feed, const LayerSet& held);

/// "已更新 3 条 (11:20:05) updated 3 records": the viewers' status line for an update, with the
/// time of its last change in UTC+8 (the bureau's clock; the change sequence keeps UTC).
std::string live_update_text(const LiveUpdate& u);

} // namespace vigil::app
