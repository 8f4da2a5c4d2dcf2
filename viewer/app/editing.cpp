/// @file
/// The viewer's edits, off the frame (see editing.hpp).

#include "editing.hpp"

#include <vigil/util/error.hpp>

#include <exception>

namespace vigil::viewer {

EditDesk::~EditDesk() {
    m_job.wait();
    m_log_job.wait();
}

void EditDesk::configure(EditStoreOpener opener, app::Editor editor) {
    m_job.wait();
    m_job = {};
    m_log_job.wait();
    m_log_job = {};
    m_opener = std::move(opener);
    m_editor = std::move(editor);
    m_store = std::make_shared<std::unique_ptr<app::EditStore>>();
}

bool EditDesk::start(std::string what, EditOperation op) {
    if (!m_opener || busy()) return false;
    m_what = std::move(what);
    m_message = "正在提交 committing " + m_what + "…";
    m_refused = false;
    m_conflict.reset();
    // One job at a time uses the store, so the store needs no lock of its own; it is opened by
    // the first edit (opening creates missing operational tables: a write, kept off the frame).
    m_job = platform::BackgroundJob<Outcome>::start(
        [store = m_store, opener = m_opener, ctx = app::EditContext{m_editor, ""}, op = std::move(op)]() -> Outcome {
            Outcome out;
            try {
                if (!*store) *store = opener();
                out.result = op(**store, ctx);
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

bool EditDesk::read_log(std::string incident) {
    if (!m_opener || busy()) return false;
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

void EditDesk::collect() {
    if (m_log_job.ready()) {
        LogOutcome out = m_log_job.take();
        m_log = std::move(out.log);
        m_log_error = std::move(out.error);
    }
    if (!m_job.ready()) return;
    Outcome out = m_job.take();
    if (out.result) {
        m_message = edit_summary(m_what, *out.result);
        m_refused = false;
        m_last = std::move(out.result);
    } else {
        m_message = "未提交 not committed: " + out.error;
        m_refused = true;
        m_conflict = std::move(out.conflict);
    }
}

bool EditDesk::busy() {
    collect();
    return m_job.running() || m_log_job.running();
}

void EditDesk::wait() {
    m_job.wait();
    m_log_job.wait();
    collect();
}

std::string edit_summary(const std::string& what, const app::EditResult& r) {
    std::string out = "已提交 committed " + what;
    for (const auto& rec : r.records) {
        out += " · " + rec.id;
        if (rec.inserted) {
            out += " 新建 new";
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
