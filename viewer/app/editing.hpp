/// @file
/// Dispatchers' edits from the viewer: a team's status (the Inspector), an incident opened at the
/// dispatch point and teams assigned to it (the Dispatch panel). Each is one edit command
/// (app/edit_command.hpp), sent one of two ways:
///  - to a store (the native viewer: the SpatiaLite project), run off the frame by the edit
///    service (a commit waits for the disk: synchronous=FULL);
///  - to the server the page came from (the browser, once a dispatcher signed in: POST
///    /api/edits with the session's CSRF token), which runs the same command as that user.
/// Either way the edit comes back to every viewer, this one included, through the change feed
/// like anyone else's: the map shows what was committed, never what was only asked for.
#pragma once

#include "platform/jobs.hpp"

#include <vigil/app/edit_command.hpp>
#include <vigil/app/edits.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// Opens the store edits are committed to (called on the edit job's thread, once).
using EditStoreOpener = std::function<std::unique_ptr<app::EditStore>()>;

/// Makes an incident's brief as PDF bytes (the native viewer: the project and tools/brief's
/// renderer, given by `vigil view`); called on a background thread.
using BriefMaker = std::function<std::string(const std::string& incident)>;

/// The server's edit API (the browser): where to post, as whom, with which CSRF token.
struct EditServer {
    std::string api = "api/"; ///< relative to the page: "api/edits", "api/incidents/log?id="
    std::string csrf;
    app::Role role = app::Role::Viewer;
};

class EditDesk {
public:
    EditDesk() = default;
    ~EditDesk(); ///< waits for an edit in flight (it holds the store)
    EditDesk(EditDesk&&) = default;
    EditDesk& operator=(EditDesk&&) = default;

    /// Editing on a store (an opener) or off (none: `vigil view` on a read-only file).
    void configure(EditStoreOpener opener, app::Editor editor);
    /// Editing through the server as a signed-in user (a viewer-role user: off, and why says so).
    void configure_server(EditServer server, app::Editor editor);
    /// Editing off (signed out); `why` is what the panels say instead of their edit controls.
    void disable(std::string why = {});
    bool enabled() const { return static_cast<bool>(m_opener) || (m_server && m_server->role >= app::Role::Dispatcher); }
    /// Why editing is off ("" when on, or when nobody could edit here).
    const std::string& why_not() const { return m_why_not; }
    const app::Editor& editor() const { return m_editor; }

    /// Starts an edit off the frame; false (and nothing starts) while one is in flight or when
    /// editing is off (or the command needs a role the signed-in user lacks: message() says so).
    bool start(app::EditCommand command);
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

    /// Reads the audit rows after `at_utc` (UTC ISO, as stored) off the frame: what a replay of
    /// the map at that moment undoes. False while another read is in flight or editing is off.
    bool read_audit_after(std::string at_utc);
    /// Whether there is an audit to read here: the project (native) or a signed-in server session.
    bool can_read_audit() const { return static_cast<bool>(m_opener) || m_server.has_value(); }
    /// The rows of the last such read once it arrived, taken once (none before, or after a failure:
    /// audit_error()).
    std::optional<std::vector<app::AuditEntry>> take_audit();
    const std::string& audit_error() const { return m_audit_error; }

    /// The incident brief (事件简报, a one-page PDF): made natively by the maker given here, or by the
    /// server for a signed-in page (GET api/brief). request_brief() starts it off the frame; false
    /// while one is being made, or when neither can make it.
    void set_brief_maker(BriefMaker maker) { m_brief_maker = std::move(maker); }
    bool can_brief() const { return static_cast<bool>(m_brief_maker) || m_server.has_value(); }
    bool request_brief(std::string incident);
    bool brief_pending() const { return m_brief_job.running() || m_brief_posted != nullptr; }
    /// The PDF once made, taken once (with the incident it is of); none before, or after a failure:
    /// brief_error().
    std::optional<std::pair<std::string, std::string>> take_brief();
    const std::string& brief_error() const { return m_brief_error; }

    /// The last edit's outcome, for the panels: "committed …" (in the user's language) or why it was refused.
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
    struct BriefOutcome {
        std::string incident;
        std::optional<std::string> pdf;
        std::string error;
    };
    struct AuditOutcome {
        std::optional<std::vector<app::AuditEntry>> rows;
        std::string error;
    };
    void collect();
    bool start_on_server(const app::EditCommand& command);
    bool read_log_on_server(const std::string& incident);

    EditStoreOpener m_opener;
    std::optional<EditServer> m_server;
    std::string m_why_not;
    app::Editor m_editor;
    std::shared_ptr<std::unique_ptr<app::EditStore>> m_store = std::make_shared<std::unique_ptr<app::EditStore>>();
    std::string m_what;
    platform::BackgroundJob<Outcome> m_job;
    platform::BackgroundJob<LogOutcome> m_log_job;
    /// The server route's answers: set by the HTTP callback (the frame's thread), taken by collect().
    std::shared_ptr<std::optional<Outcome>> m_posted;
    std::shared_ptr<std::optional<LogOutcome>> m_log_posted;
    platform::BackgroundJob<AuditOutcome> m_audit_job;
    std::shared_ptr<std::optional<AuditOutcome>> m_audit_posted;
    BriefMaker m_brief_maker;
    platform::BackgroundJob<BriefOutcome> m_brief_job;
    std::shared_ptr<std::optional<BriefOutcome>> m_brief_posted;
    std::string m_brief_error;
    std::optional<std::vector<app::AuditEntry>> m_audit;
    std::string m_audit_error;
    std::optional<app::IncidentLog> m_log;
    std::string m_log_error;
    std::string m_message;
    bool m_refused = false;
    std::optional<app::EditResult> m_last;
    std::optional<app::Conflict> m_conflict;
};

/// "committed team status · T01 status: 待命 → 出动": the status line of a committed edit (in the user's language).
std::string edit_summary(const std::string& what, const app::EditResult& r);

} // namespace vigil::viewer
