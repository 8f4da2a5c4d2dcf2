/// @file
/// The wall's soak (`vigil view --wall --wall-soak H --clock-rate R`): H simulated hours of a
/// duty day at R times real speed. A dispatcher's seat, on a thread of its own, works through
/// the project's edit service every simulated ten minutes — opens an incident, assigns a team
/// with its ETA, the team arrives, is released, the incident closes; a resting team comes back
/// on duty and goes off again — while the wall draws, follows the changes, flies to each new
/// incident and counts down. At the end: the frame time and resident memory late in the run
/// against early (after a warm-up), and what the wall saw.
/// @attention native only (threads, /proc); linked into vigil_viewer_native.
#pragma once

#include "viewer_app.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace vigil::viewer {

class WallSoak {
public:
    /// Starts the seat's thread (edits through options.open_edits). Throws vigil::UsageError when
    /// the project cannot be edited (read-only, no edit store) or has no rescue teams.
    WallSoak(ViewerApp& app, const ViewerOptions& options);
    ~WallSoak();
    WallSoak(const WallSoak&) = delete;
    WallSoak& operator=(const WallSoak&) = delete;

    /// After each frame, with the frame's time in ms; true when the simulated hours are over.
    bool after_frame(double frame_ms);
    /// Prints the verdict; 0 when frame time and memory stayed flat, else 1.
    int finish();

private:
    void seat();

    ViewerApp& m_app;
    ViewerOptions m_options;
    double m_start_clock = 0, m_end_clock = 0;
    std::vector<std::string> m_teams; ///< available at the start: the seat assigns them in turn
    std::vector<geo::Coord> m_places; ///< where incidents happen (enterprises' points)
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_edits{0}, m_failures{0}, m_incidents{0};
    std::string m_first_failure;
    std::thread m_thread;
    struct Sample {
        double at_fraction; ///< of the run
        double frame_ms;
        long resident_kib;
    };
    std::vector<Sample> m_samples;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    int m_frames = 0;
};

} // namespace vigil::viewer
