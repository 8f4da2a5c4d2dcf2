/// @file
/// Dispatchers' edits from the viewer: a team's status (the Inspector), an incident opened at the
/// dispatch point and teams assigned to it (the Dispatch panel). Each is one call of core's edit
/// service (app/edits.hpp) on a store the platform opens (the native viewer: the SpatiaLite
/// project; the browser build has none yet and stays read-only). An edit runs off the frame (a
/// commit waits for the disk: synchronous=FULL) and comes back to every viewer, this one
/// included, through the change feed like anyone else's edit: the map shows what was committed,
/// never what was only asked for.
#pragma once

#include "platform/jobs.hpp"

#include <vigil/app/edits.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace vigil::viewer {

/// Opens the store edits are committed to (called on the edit job's thread, once).
using EditStoreOpener = std::function<std::unique_ptr<app::EditStore>()>;

/// One edit: the service call, given the store and who edits.
using EditOperation = std::function<app::EditResult(app::EditStore&, const app::EditContext&)>;

class EditDesk {
public:
    EditDesk() = default;
    ~EditDesk(); ///< waits for an edit in flight (it holds the store)
    EditDesk(EditDesk&&) = default;
    EditDesk& operator=(EditDesk&&) = default;

    /// Editing on (an opener) or off (none: the browser, `vigil view` on a read-only file).
    void configure(EditStoreOpener opener, app::Editor editor);
    bool enabled() const { return static_cast<bool>(m_opener); }
    const app::Editor& editor() const { return m_editor; }

    /// Starts an edit off the frame; false (and nothing starts) while one is in flight or when
    /// editing is off. `what` names it in the status line ("队伍状态 team status").
    bool start(std::string what, EditOperation op);
    /// True from start() (or read_log()) until the frame that collects its outcome.
    bool busy();
    /// Blocks until the edit in flight has finished and collects it: for tests, never a frame.
    void wait();

    /// Reads an incident's timeline (app::incident_log, from the audit table) off the frame, on the
    /// same store; false while an edit or another read is in flight or editing is off.
    bool read_log(std::string incident);
    /// The last timeline read, once it arrived (its incident in log()->incident).
    const std::optional<app::IncidentLog>& log() const { return m_log; }
    /// Why the last read failed ("" when it did not).
    const std::string& log_error() const { return m_log_error; }

    /// The last edit's outcome, for the panels: "已提交 …" or why it was refused.
    const std::string& message() const { return m_message; }
    bool refused() const { return m_refused; }
    /// The last committed edit's result (its incident, records, notes).
    const std::optional<app::EditResult>& last() const { return m_last; }
    /// The last refusal for a stale record: both values and the other editor.
    const std::optional<app::Conflict>& conflict() const { return m_conflict; }

private:
    struct Outcome {
        std::optional<app::EditResult> result;
        std::optional<app::Conflict> conflict;
        std::string error;
    };
    struct LogOutcome {
        std::optional<app::IncidentLog> log;
        std::string error;
    };
    void collect();

    EditStoreOpener m_opener;
    app::Editor m_editor;
    std::shared_ptr<std::unique_ptr<app::EditStore>> m_store = std::make_shared<std::unique_ptr<app::EditStore>>();
    std::string m_what;
    platform::BackgroundJob<Outcome> m_job;
    platform::BackgroundJob<LogOutcome> m_log_job;
    std::optional<app::IncidentLog> m_log;
    std::string m_log_error;
    std::string m_message;
    bool m_refused = false;
    std::optional<app::EditResult> m_last;
    std::optional<app::Conflict> m_conflict;
};

/// "已提交 队伍状态 T01: 状态 待命 → 出动 committed": the status line of a committed edit.
std::string edit_summary(const std::string& what, const app::EditResult& r);

} // namespace vigil::viewer
