/// @file
/// The viewer's edits, off the frame (see editing.hpp).

#include "editing.hpp"

#include "permalink.hpp"
#include "platform/http_fetch.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <nlohmann/json.hpp>

#include <exception>
#include <utility>

namespace vigil::viewer {

EditDesk::~EditDesk() {
    m_job.wait();
    m_log_job.wait();
    m_audit_job.wait();
    m_brief_job.wait();
}

void EditDesk::configure(EditStoreOpener opener, app::Editor editor) {
    disable();
    m_opener = std::move(opener);
    m_editor = std::move(editor);
}

void EditDesk::configure_server(EditServer server, app::Editor editor) {
    disable(server.role < app::Role::Dispatcher ? trf("{} may only view (role {})", editor.user, app::role_label(server.role))
                                                : std::string());
    m_server = std::move(server);
    m_editor = std::move(editor);
}

void EditDesk::disable(std::string why) {
    m_job.wait();
    m_job = {};
    m_log_job.wait();
    m_log_job = {};
    m_audit_job.wait();
    m_audit_job = {};
    m_opener = nullptr;
    m_server.reset();
    m_why_not = std::move(why);
    m_store = std::make_shared<std::unique_ptr<app::EditStore>>();
    // An answer still on its way is dropped with its slot: it was for the session that ended.
    m_posted.reset();
    m_log_posted.reset();
    m_audit_posted.reset();
}

bool EditDesk::start(app::EditCommand command) {
    if (!enabled() || busy()) return false;
    m_what = app::command_label(command);
    m_refused = false;
    m_conflict.reset();
    if (m_server && !app::may_run(m_server->role, command)) {
        m_message = trf("not committed: {} needs the role {}", m_what, app::role_label(app::role_needed(command)));
        m_refused = true;
        return false;
    }
    m_message = trf("committing {}…", m_what);
    if (m_server) return start_on_server(command);
    // One job at a time uses the store, so the store needs no lock of its own; it is opened by
    // the first edit (opening creates missing operational tables: a write, kept off the frame).
    m_job = platform::BackgroundJob<Outcome>::start(
        [store = m_store, opener = m_opener, ctx = app::EditContext{m_editor, ""}, command = std::move(command)]() -> Outcome {
            Outcome out;
            try {
                if (!*store) *store = opener();
                out.result = app::run_edit(**store, command, ctx);
            } catch (const app::EditConflict& e) {
                out.conflict = e.conflict();
                out.error = e.what();
            } catch (const std::exception& e) {
                out.error = e.what();
            }
            return out;
        });
    return true;
}

namespace {

std::string body_text(const platform::HttpResponse& r) { return r.body ? std::string(r.body->begin(), r.body->end()) : std::string(); }

// The server's refusal as people read it: its JSON "message", else its text, else the status.
std::string refusal_text(const platform::HttpResponse& r, const nlohmann::json& j) {
    if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"].get<std::string>();
    if (auto text = body_text(r); !text.empty() && !j.is_object()) return text;
    if (!r.error.empty()) return r.error;
    return "HTTP " + std::to_string(r.status);
}

// A GET of the server's edit API, answered into `slot` on the frame's thread: `parse` reads a
// 200's JSON into the outcome; anything else becomes its error (the refusal's message).
template <class Outcome, class Parse> void get_into(const std::string& url, std::shared_ptr<std::optional<Outcome>> slot, Parse parse) {
    platform::HttpRequest request;
    request.method = "GET";
    request.url = url;
    platform::http_send(request, [slot = std::move(slot), parse](platform::HttpResponse r) {
        Outcome out;
        bool read = false;
        auto j = nlohmann::json::parse(body_text(r), nullptr, false);
        try {
            if (r.status == 200) {
                parse(j, out);
                read = true;
            }
        } catch (const std::exception& e) {
            out.error = e.what();
        }
        if (!read && out.error.empty()) out.error = refusal_text(r, j);
        *slot = std::move(out);
    });
}

} // namespace

bool EditDesk::start_on_server(const app::EditCommand& command) {
    platform::HttpRequest request;
    request.url = m_server->api + "edits";
    request.body = app::to_json(command).dump();
    request.headers = {{"Content-Type", "application/json"}, {"X-Vigil-CSRF", m_server->csrf}};
    auto slot = std::make_shared<std::optional<Outcome>>();
    m_posted = slot;
    platform::http_send(request, [slot](platform::HttpResponse r) {
        Outcome out;
        auto j = nlohmann::json::parse(body_text(r), nullptr, false);
        try {
            if (r.status == 200) out.result = app::edit_result_from_json(j);
            else if (r.status == 409 && j.is_object() && j.value("reason", "") == "stale_version")
                out.conflict = app::conflict_from_json(j);
        } catch (const std::exception& e) {
            out.error = e.what();
        }
        if (!out.result && out.error.empty()) out.error = refusal_text(r, j);
        *slot = std::move(out);
    });
    return true;
}

bool EditDesk::read_log(std::string incident) {
    if (!enabled() || busy()) return false;
    if (m_server) return read_log_on_server(incident);
    m_log_job =
        platform::BackgroundJob<LogOutcome>::start([store = m_store, opener = m_opener, incident = std::move(incident)]() -> LogOutcome {
            LogOutcome out;
            try {
                if (!*store) *store = opener();
                out.log = app::incident_log(**store, incident);
            } catch (const std::exception& e) {
                out.error = e.what();
            }
            return out;
        });
    return true;
}

bool EditDesk::read_log_on_server(const std::string& incident) {
    m_log_posted = std::make_shared<std::optional<LogOutcome>>();
    get_into(m_server->api + "incidents/log?id=" + percent_encode(incident), m_log_posted,
             [](const nlohmann::json& j, LogOutcome& out) { out.log = app::incident_log_from_json(j); });
    return true;
}

bool EditDesk::read_audit_after(std::string at_utc) {
    if (!can_read_audit() || m_audit_job.running() || m_audit_posted) return false;
    m_audit.reset();
    m_audit_error.clear();
    if (m_server) {
        m_audit_posted = std::make_shared<std::optional<AuditOutcome>>();
        get_into(m_server->api + "audit?after=" + percent_encode(at_utc), m_audit_posted,
                 [](const nlohmann::json& j, AuditOutcome& out) { out.rows = app::audit_entries_from_json(j); });
        return true;
    }
    // The store is shared with the edit job: the read waits for an edit in flight first.
    if (m_job.running() || m_log_job.running()) return false;
    m_audit_job =
        platform::BackgroundJob<AuditOutcome>::start([store = m_store, opener = m_opener, at = std::move(at_utc)]() -> AuditOutcome {
            AuditOutcome out;
            try {
                if (!*store) *store = opener();
                app::AuditQuery q;
                q.after_at = at;
                out.rows = (*store)->audit(q);
            } catch (const std::exception& e) {
                out.error = e.what();
            }
            return out;
        });
    return true;
}

bool EditDesk::request_brief(std::string incident) {
    if (brief_pending() || !can_brief()) return false;
    m_brief_error.clear();
    if (m_brief_maker) {
        m_brief_job =
            platform::BackgroundJob<BriefOutcome>::start([maker = m_brief_maker, incident = std::move(incident)]() -> BriefOutcome {
                BriefOutcome out;
                out.incident = incident;
                try {
                    out.pdf = maker(incident);
                } catch (const std::exception& e) {
                    out.error = e.what();
                }
                return out;
            });
        return true;
    }
    // The browser: the server makes it (it has the renderer and the audit the log comes from).
    auto slot = std::make_shared<std::optional<BriefOutcome>>();
    m_brief_posted = slot;
    platform::HttpRequest request;
    request.method = "GET";
    request.url = m_server->api + "brief?incident=" + percent_encode(incident);
    platform::http_send(request, [slot, incident](platform::HttpResponse r) {
        BriefOutcome out;
        out.incident = incident;
        if (r.status == 200 && r.body) out.pdf = body_text(r);
        else out.error = refusal_text(r, nlohmann::json::parse(body_text(r), nullptr, false));
        *slot = std::move(out);
    });
    return true;
}

std::optional<std::pair<std::string, std::string>> EditDesk::take_brief() {
    std::optional<BriefOutcome> out;
    if (m_brief_job.ready()) out = m_brief_job.take();
    else if (m_brief_posted && *m_brief_posted) out = std::exchange(m_brief_posted, nullptr)->value();
    if (!out) return std::nullopt;
    m_brief_error = out->error;
    if (!out->pdf) return std::nullopt;
    return std::pair{out->incident, std::move(*out->pdf)};
}

std::optional<std::vector<app::AuditEntry>> EditDesk::take_audit() {
    std::optional<AuditOutcome> out;
    if (m_audit_job.ready()) out = m_audit_job.take();
    else if (m_audit_posted && *m_audit_posted) out = std::exchange(m_audit_posted, nullptr)->value();
    if (out) {
        m_audit = std::move(out->rows);
        m_audit_error = std::move(out->error);
    }
    return std::exchange(m_audit, std::nullopt);
}

void EditDesk::collect() {
    std::optional<LogOutcome> log;
    if (m_log_job.ready()) log = m_log_job.take();
    else if (m_log_posted && *m_log_posted) log = std::exchange(m_log_posted, nullptr)->value();
    if (log) {
        m_log = std::move(log->log);
        m_log_error = std::move(log->error);
    }
    std::optional<Outcome> outcome;
    if (m_job.ready()) outcome = m_job.take();
    else if (m_posted && *m_posted) outcome = std::exchange(m_posted, nullptr)->value();
    if (!outcome) return;
    Outcome out = std::move(*outcome);
    if (out.result) {
        m_message = edit_summary(m_what, *out.result);
        m_refused = false;
        m_last = std::move(out.result);
    } else {
        m_message = trf("not committed: {}", out.error);
        m_refused = true;
        m_conflict = std::move(out.conflict);
    }
}

bool EditDesk::busy() {
    collect();
    return m_job.running() || m_log_job.running() || m_audit_job.running() || m_posted || m_log_posted;
}

void EditDesk::wait() {
    m_job.wait();
    m_log_job.wait();
    collect();
}

std::string edit_summary(const std::string& what, const app::EditResult& r) {
    std::string out = trf("committed {}", what);
    for (const auto& rec : r.records) {
        out += " · " + rec.id;
        if (rec.inserted) {
            out += tr(" new");
            continue;
        }
        for (const auto& f : rec.fields) {
            out += " " + f.field + ": " + (f.before_text.empty() ? std::string("—") : f.before_text) + " → " +
                   (f.after_text.empty() ? std::string("—") : f.after_text);
        }
    }
    for (const auto& note : r.notes) out += " (" + note + ")";
    return out;
}

} // namespace vigil::viewer
