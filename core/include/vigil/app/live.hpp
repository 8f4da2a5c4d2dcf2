/// @file
/// Keeping loaded layers current as others edit the database, written once for every shell that
/// holds layers: read what the change feed brings and build new snapshots of only the layers it
/// touched, re-reading only the records it names. The shells keep their camera, selection and
/// panels and swap the snapshots in.
///
///     native viewer   follow_changes(feed, held)                 = apply_delta(read_delta(feed), held, loader)
///     vigil serve     live_delta_json(*read_delta(feed))         -> Server-Sent Event to every open page
///     browser page    apply_delta(parse_live_delta(event), held) (a layer to be read whole: a new snapshot)
///
/// So the page applies exactly the records the native viewer re-reads, by the same code.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/model/layer_patch.hpp>
#include <vigil/store/change_feed.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
    /// Kinds that must be read whole but could not be here (apply_delta without a loader: the
    /// page, whose snapshot is then out of date and is fetched again). Their layers stay as held.
    std::vector<std::string> need_reload;
    std::int64_t last_seq = 0; ///< the last change applied
    std::string last_at;       ///< its time, as the change sequence has it
    std::size_t changes = 0;   ///< change rows read
    std::size_t records = 0;   ///< records put in or taken out (a reloaded layer counts its records)
    std::vector<LiveLayer> layers;
};

/// One layer's part of a delta: the records the changes name, as the table has them now.
struct LiveDeltaLayer {
    std::string kind;
    bool reload = false;                ///< a bulk change (an import): the layer must be read whole
    std::size_t field_count = 0;        ///< the kind's fields in the database (a redefined kind: reload)
    std::vector<model::Record> records; ///< named by a change and in the table (fid order)
    std::vector<std::string> gone;      ///< named by a change and no longer in the table
};

/// The changes of one look at the feed with the records they name: read once, applied by every
/// shell (apply_delta), sent to pages as JSON (live_delta_json).
struct LiveDelta {
    std::int64_t first_seq = 0, last_seq = 0; ///< the run of vigil_changes read
    std::string last_at;                      ///< the newest change's time (UTC, as stored)
    std::size_t changes = 0;                  ///< change rows read
    std::vector<LiveDeltaLayer> layers;       ///< layer kinds of the catalogue only
};

/// Reads the changes after the feed's cursor (and advances it) with the records they name. Null
/// when nothing was committed to the change sequence.
/// @throws vigil::FormatError for a damaged geometry, vigil::DatabaseError when the database
///         cannot be read.
std::optional<LiveDelta> read_delta(store::ChangeFeed& feed);

/// Reads a layer whole (a bulk change, a kind not held, a redefined kind).
using LayerLoader = std::function<std::shared_ptr<const model::Layer>(const std::string& kind)>;

/// New snapshots of the layers of `held` that `delta` touches: a held record named by the delta is
/// replaced or removed, a new one appended (model::patch_layer). A layer that must be read whole
/// is read by `load_whole`, or, without one, listed in need_reload and left as held.
LiveUpdate apply_delta(const LiveDelta& delta, const LayerSet& held, const LayerLoader& load_whole);

/// The delta as compact JSON, for `vigil serve` to send to the pages: records by their fields'
/// values (null, integer, real, text) and their geometry as hex WKB.
std::string live_delta_json(const LiveDelta& delta);
/// The delta `live_delta_json` wrote. @throws vigil::FormatError naming what is wrong.
LiveDelta parse_live_delta(std::string_view json);

/// Reads the changes after the feed's cursor and applies them to the layers `held`: a record
/// named by a change is re-read by id and replaces its row (or is appended), one no longer in its
/// table is removed, a bulk change reloads its layer. Layers of kinds the project does not have
/// (or no longer has) are left out. Null when nothing was committed to the change sequence.
/// Runs off the UI thread in a viewer: it reads only the feed's connection and `held`'s shared,
/// immutable snapshots.
/// @throws vigil::FormatError for a damaged geometry, vigil::DatabaseError when the database
///         cannot be read (the feed's cursor has then moved: the caller reloads or reopens).
std::optional<LiveUpdate> follow_changes(store::ChangeFeed& feed, const LayerSet& held);

/// "19:20:00" for "2026-12-07T11:20:00.123Z": a stored UTC time on the bureau's clock (UTC+8), as
/// the viewers show times; the text as it is when it is not of that form.
std::string bureau_clock(const std::string& utc_iso);

/// "已更新 3 条 (11:20:05) updated 3 records": the viewers' status line for an update, with the
/// time of its last change in UTC+8 (the bureau's clock; the change sequence keeps UTC).
std::string live_update_text(const LiveUpdate& u);

} // namespace vigil::app
