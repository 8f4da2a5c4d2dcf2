/// @file
/// What the viewer draws on top of the layers: the selection highlight, the nearest-query
/// point with lines to its results, measure lines. Built from AppState, drawn by MapRenderer.
#pragma once

#include "style.hpp"

#include <vigil/geo/geometry.hpp>

#include <vector>

namespace vigil::viewer {

class AppState;

struct Overlay {
    struct Point {
        geo::Coord lonlat;
        FeatureStyle style;
    };
    struct Segment {
        geo::Coord a, b;
        Rgba colour;
        float width = 2;
    };
    std::vector<Point> points;
    std::vector<Segment> segments;
};

/// The overlay for the state's selection, nearest query and measure points.
Overlay build_overlay(const AppState& state);

} // namespace vigil::viewer
