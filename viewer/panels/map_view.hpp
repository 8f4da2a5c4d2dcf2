/// @file
/// The map canvas's text on ImGui's background draw list, where it needs more than panels.hpp
/// gives: the cluster badges, and feature labels that leave out clustered points and
/// keep clear of clusters and the map furniture. The frame function fills a MapCanvas each
/// frame; the labeler inside it caches the placement between frames.
#pragma once

#include "panels.hpp"

#include "../app/map_labels.hpp"
#include "../app/point_clusters.hpp"

#include <vector>

namespace vigil::viewer {

/// A layer drawn as clusters in this frame: the same pair the labeler takes.
using ClusteredLayer = LabelLayer;

struct MapCanvas {
    std::vector<ClusteredLayer> clustered; ///< this frame's, in drawing order
    MapLabeler labeler;                    ///< keeps the last placement while nothing moves
    ClusterBadges badges;                  ///< sized by the last frame's font: clicks and labels use the drawn size
};

/// Each cluster in view as a badge (see BadgeShape): a ring of its members' colour classes
/// around its count ("37", "1.2万"), sized to the text; sets `canvas.badges`.
void draw_cluster_badges(const AppState& state, MapCanvas& canvas);

/// Feature labels (see MapLabeler), with halos.
void draw_map_labels(const AppState& state, const PanelState& panels, MapCanvas& canvas);

} // namespace vigil::viewer
