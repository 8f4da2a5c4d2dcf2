/// @file
/// The map canvas's text on ImGui's background draw list, where it needs more than panels.hpp
/// gives: the counts on cluster circles, and feature labels that leave out clustered points and
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
};

/// The member count on each cluster circle in view ("37", "1.2万").
void draw_cluster_counts(const AppState& state, const MapCanvas& canvas);

/// Feature labels (see MapLabeler), with halos.
void draw_map_labels(const AppState& state, const PanelState& panels, MapCanvas& canvas);

/// "37", "9999", then "1.2万" (ten thousands, as Chinese counts go), "120万".
std::string cluster_count_text(std::uint32_t count);

} // namespace vigil::viewer
