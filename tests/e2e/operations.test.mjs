// End-to-end tests of live operations in the browser build: an edit committed elsewhere reaching
// an open page, signing in to edit and replay, and the dispatcher's five-step flow. Each test
// serves a copy of the demo of its own (`vigil serve`), Debian's Chromium (SwiftShader).
//   VIGIL=build/vigil WEB=build-wasm/web node --test tests/e2e/operations.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, VIGIL, WEB, afterFrames, openViewerIn, root, serveDatabase, state, waitFor } from "./support.mjs";

let browser = null, demoDb = "";

before(async () => {
  demoDb = path.join(mkdtempSync(path.join(tmpdir(), "vigil-e2e-ops-")), "jiaozuo.sqlite");
  execFileSync(VIGIL, ["-q", "demo", demoDb], { stdio: "inherit" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  if (browser) await browser.close();
});

/// A page on the viewer (at `url`, the test's own server) that fails the test on any console error.
function openViewer(hash, options, url) {
  return openViewerIn(browser, url, hash, options);
}

// Live operations: an edit committed by another process (the CLI here, as a dispatcher's seat
// would) reaches an open page through `vigil serve`'s change stream (Server-Sent Events) and is
// applied in place: no reload, the view stays, the page's dispatch no longer offers the team.
// A server of its own on a copy of the demo: the other tests keep the demo as it was.
test("an edit reaches an open page within a second, applied in place; an import brings a new snapshot; no audit in it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-e2e-live-"));
  const db = path.join(dir, "live.sqlite");
  copyFileSync(demoDb, db);
  const live = await serveDatabase(db);
  try {
    const { page, context, problems } = await openViewer("v=11.00/35.10000/113.20000", {}, live.url);
    await waitFor(page, () => window.vigilLive && window.vigilLive.seq >= 0, null, 30000);
    const before = await state(page);
    // What a frame costs on this machine, measured before the edits.
    const f0 = before.frames, t0 = Date.now();
    await page.waitForTimeout(2000);
    const frameMs = (Date.now() - t0) / Math.max(1, (await state(page)).frames - f0);
    const at = [113.2418, 35.2155];
    const available = () => page.evaluate(([lon, lat]) => window.vigil.nearest(lon, lat, "rescue_teams", 200, "", "available").results.map((h) => h.id), at);
    const teams = (await available()).slice(0, 12);
    assert.ok(teams.length >= 10, `available teams to edit: ${teams}`);

    // One edit at a time: commit (the CLI prints the commit time), then the page applies it and
    // draws a frame. The latency is from the commit's time to that frame, on this machine's clock.
    const applied = [], drawn = [];
    const loopFrames = (await state(page)).frames, loopStart = Date.now();
    for (const [i, team] of teams.entries()) {
      const events = await page.evaluate(() => window.vigilLive.events);
      const edit = JSON.parse(execFileSync(VIGIL, ["-q", "team", "status", db, team, "deployed", "--by", "e2e-dispatcher", "--seat", "seat-7",
        "--json"], { encoding: "utf8" }));
      assert.equal(edit.status, "committed");
      const committed = Date.parse(edit.at);
      const seen = await waitFor(page, (n) => window.vigilLive.events > n && window.vigilLive.frameAt > 0 &&
        window.vigilLive.frameAt >= window.vigilLive.appliedAt && { ...window.vigilLive }, events, 15000);
      applied.push(seen.appliedAt - committed);
      drawn.push(seen.frameAt - committed);
      assert.ok(!(await available()).includes(team), `edit ${i}: ${team} is no longer offered as available`);
    }
    // What a frame cost meanwhile (the machine may be busier than before).
    const loopFrameMs = (Date.now() - loopStart) / Math.max(1, (await state(page)).frames - loopFrames);
    const frame = Math.max(frameMs, loopFrameMs);
    applied.sort((a, b) => a - b);
    drawn.sort((a, b) => a - b);
    const worst = (xs) => xs[xs.length - 1]; // p99 of 12 edits is the worst of them
    console.log(`live: commit -> applied in the page ${applied.join(", ")} ms; commit -> frame drawn ${drawn.join(", ")} ms`);
    console.log(`live: a frame takes ${frameMs.toFixed(0)} ms here before the edits, ${loopFrameMs.toFixed(0)} ms during them`);
    // The page takes an event between two frames: an edit waits for the frame being drawn when
    // it arrives, and shows in the next. Each is allowed a second plus what frames cost here
    // (SwiftShader on a loaded 2-core machine: hundreds of ms each; a GPU: ~16 ms).
    const appliedLimit = 1000 + frame, drawnLimit = 1000 + 2 * frame;
    assert.ok(worst(applied) <= appliedLimit, `every edit applied within ${appliedLimit.toFixed(0)} ms of its commit (worst ${worst(applied)} ms)`);
    assert.ok(worst(drawn) <= drawnLimit, `every edit on screen within ${drawnLimit.toFixed(0)} ms of its commit (worst ${worst(drawn)} ms)`);

    // In place: the view and the layers' sizes are as they were, nothing reloaded.
    const after = await state(page);
    assert.equal(after.permalink.split("&")[0], before.permalink.split("&")[0], "the camera stayed");
    assert.deepEqual(after.layers.map((l) => [l.kind, l.total]), before.layers.map((l) => [l.kind, l.total]));
    assert.match(after.live.status, /updated records: 1/);
    assert.equal(await page.evaluate(() => window.vigilLive.errors.length), 0);

    // A bulk change (what an import appends): the page loads the new snapshot, which holds it,
    // and comes back to the same view (the permalink in the URL); it follows on from there.
    const reloaded = page.waitForEvent("load", { timeout: 30000 });
    execFileSync("sqlite3", [db, "INSERT INTO vigil_changes (at, layer, record_id, action) VALUES " +
      "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'rescue_teams', NULL, 'bulk')"]);
    const bulkSeq = Number(execFileSync("sqlite3", [db, "SELECT max(seq) FROM vigil_changes"], { encoding: "utf8" }).trim());
    await reloaded;
    await waitFor(page, () => window.vigil && window.vigil.state() && window.vigil.state().frames >= 4, null, 60000);
    await waitFor(page, (n) => window.vigilLive && window.vigilLive.seq >= n, bulkSeq, 30000);
    const again = await state(page);
    assert.equal(again.permalink.split("&")[0], before.permalink.split("&")[0], "the camera came back");
    assert.ok(!(await available()).includes(teams[0]), "the new snapshot holds the edits");

    // The snapshot a page downloads leaves the audit (who, from which seat) on the server.
    const bytes = Buffer.from(await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch("data/project.sqlite")).arrayBuffer()))));
    assert.equal(bytes.subarray(0, 15).toString("latin1"), "SQLite format 3");
    // (The table's definition is gone; the catalogue's descriptions still name it in prose.)
    for (const secret of ["CREATE TABLE vigil_audit", "e2e-dispatcher", "seat-7"])
      assert.equal(bytes.includes(secret), false, `${secret} is not in the page's snapshot`);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    live.proc.kill("SIGTERM");
  }
});

test("a dispatcher signs in on the page, edits and replays; no session, no CSRF token and the viewer role change nothing; no password hash leaks", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-e2e-edit-"));
  const db = path.join(dir, "edit.sqlite");
  copyFileSync(demoDb, db);
  const editors = path.join(dir, "editors.tsv");
  const passwords = { "王调度": "night-watch-2026", "look-only": "just-looking-1" };
  execFileSync(VIGIL, ["-q", "user", "add", editors, "王调度", "--role", "dispatcher", "--password-stdin"], { input: passwords["王调度"] + "\n" });
  execFileSync(VIGIL, ["-q", "user", "add", editors, "look-only", "--role", "viewer", "--password-stdin"], { input: passwords["look-only"] + "\n" });
  const hashes = readFileSync(editors, "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[2]);
  const sql = (q) => execFileSync("sqlite3", [db, q], { encoding: "utf8" }).trim();
  const live = await serveDatabase(db, ["--editors", editors], true);
  try {
    const { page, context, problems } = await openViewer("v=11.00/35.10000/113.20000", {}, live.url);
    await waitFor(page, () => window.vigilSession && window.vigilSession.editing, null, 30000);
    await waitFor(page, () => window.vigilLive && window.vigilLive.seq >= 0, null, 30000);
    assert.equal(await page.isVisible("#sign-in"), true, "the page offers to sign in");
    const at = [113.2418, 35.2155];
    const available = () => page.evaluate(([lon, lat]) => window.vigil.nearest(lon, lat, "rescue_teams", 200, "", "available").results.map((h) => h.id), at);
    const [team, other] = await available();
    const statusOf = (id) => sql(`SELECT status FROM rescue_teams WHERE id = '${id}'`);
    const postEdit = (command, headers) => page.evaluate(async ([command, headers]) => {
      const r = await fetch("api/edits", { method: "POST", headers: Object.assign({ "Content-Type": "application/json" }, headers), body: JSON.stringify(command) });
      return { status: r.status, body: await r.json() };
    }, [command, headers || {}]);

    // Not signed in: 401, and the viewer's desk has no edits to offer.
    let r = await postEdit({ op: "team_status", team, status: "出动" });
    assert.equal(r.status, 401);
    assert.equal((await page.evaluate((c) => window.vigil.edit(c), { op: "team_status", team, status: "出动" })).refused.includes("not signed in"), true);
    assert.equal(statusOf(team), "available");

    // Sign in with the form (typed: a mistyped letter taken back with Backspace on the way).
    await page.click("#sign-in");
    await page.locator("#sign-in-user").pressSequentially("王调度");
    await page.locator("#sign-in-password").pressSequentially(passwords["王调度"] + "x");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    await waitFor(page, () => window.vigilSession.signedIn, null, 15000);
    assert.equal(await page.isVisible("#sign-in-box"), false, "the form closed");
    assert.match(await page.textContent("#session-user"), /王调度 · .*dispatcher/i);
    assert.equal(await page.evaluate(() => document.cookie.includes("vigil_session")), false, "the session cookie is HttpOnly");
    const csrf = await page.evaluate(() => window.vigilSession.csrf);

    // The same fetch without the CSRF token (the cookie goes with it): 403, nothing written.
    r = await postEdit({ op: "team_status", team, status: "出动" });
    assert.equal(r.status, 403);
    assert.equal(r.body.reason, "csrf");
    assert.equal(statusOf(team), "available");

    // The viewer's edit desk (what the Inspector and the Dispatch panel use): committed as the
    // signed-in user, and back on the map through the change feed.
    const events = await page.evaluate(() => window.vigilLive.events);
    const done = await page.evaluate((c) => window.vigil.edit(c), { op: "team_status", team, status: "出动" });
    assert.equal(done.committed && done.committed.status, "committed", JSON.stringify(done));
    assert.equal(statusOf(team), "deployed");
    assert.equal(sql(`SELECT user || '|' || substr(seat, 1, 12) FROM vigil_audit WHERE record_id = '${team}'`), "王调度|browser 127.");
    await waitFor(page, (n) => window.vigilLive.events > n, events, 15000);
    assert.ok(!(await available()).includes(team), "the team is no longer offered as available");

    // Replay: the map as it stood a moment before that edit (the audit, read from the server by
    // the signed-in page), then back to live.
    const before = sql(`SELECT strftime('%Y-%m-%dT%H:%M:%SZ', at, '-1 seconds') FROM vigil_audit WHERE record_id = '${team}'`);
    const replayed = await page.evaluate((t) => window.vigil.replay(t), before);
    assert.ok(replayed.replay, JSON.stringify(replayed));
    assert.equal(replayed.replay.undone, 1);
    assert.deepEqual(replayed.replay.differences.map((d) => [d.id, d.fields[0].then_text, d.fields[0].now_text]), [[team, "Available", "Deployed"]]);
    assert.ok((await available()).includes(team), "replayed: the team is available again, as it was");
    await page.evaluate(() => window.vigil.backToLive());
    assert.ok(!(await available()).includes(team), "back to live: deployed");

    // The incident brief, made by the server for the signed-in page and downloaded as a PDF.
    const incident = (await page.evaluate((c) => window.vigil.edit(c), { op: "incident_open", at, type: "危化品泄漏", title: "G207 硫酸泄漏" })).committed.incident;
    const [pdf] = await Promise.all([page.waitForEvent("download", { timeout: 60000 }), page.evaluate((id) => window.vigil.brief(id), incident)]);
    assert.match(pdf.suggestedFilename(), new RegExp(`-brief-${incident}\\.pdf$`));
    const pdfBytes = readFileSync(await pdf.path());
    assert.equal(pdfBytes.subarray(0, 5).toString("latin1"), "%PDF-");
    const pdfPath = path.join(dir, "brief.pdf");
    writeFileSync(pdfPath, pdfBytes);
    const pdfText = execFileSync("pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" });
    assert.match(pdfText, /Incident brief/);
    assert.ok(pdfText.includes(incident), "the brief names its incident");

    // Signed out with the button: the old token writes nothing.
    await page.click("#sign-out");
    await waitFor(page, () => !window.vigilSession.signedIn, null, 15000);
    r = await postEdit({ op: "team_status", team: other, status: "出动" }, { "X-Vigil-CSRF": csrf });
    assert.equal(r.status, 401);

    // A viewer-role user: signed in, shown read-only, every write refused.
    const viewer = await page.evaluate((p) => window.vigil.signIn("look-only", p), passwords["look-only"]);
    assert.equal(viewer.role, "viewer");
    const refusedHere = await page.evaluate((c) => window.vigil.edit(c), { op: "team_status", team: other, status: "出动" });
    assert.ok(refusedHere.refused, "the desk does not send a viewer's edit");
    r = await postEdit({ op: "team_status", team: other, status: "出动" }, { "X-Vigil-CSRF": await page.evaluate(() => window.vigilSession.csrf) });
    assert.equal(r.status, 403);
    assert.equal(r.body.reason, "role");
    assert.equal(statusOf(other), "available");

    // No password and no hash in the server's log or in the snapshot a page downloads; no
    // account table in it either.
    const bytes = Buffer.from(await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch("data/project.sqlite")).arrayBuffer()))));
    for (const secret of [...Object.values(passwords), ...hashes, "$scrypt$"]) {
      assert.equal(live.proc.log.includes(secret), false, `the server's log holds no ${secret.slice(0, 12)}…`);
      assert.equal(bytes.includes(secret), false, `the snapshot holds no ${secret.slice(0, 12)}…`);
    }
    assert.match(live.proc.log, /auth: 王调度 signed in from 127\.0\.0\.1/);
    // The refusals above are the browser's console errors ("Failed to load resource: 401/403"),
    // and expected; anything else is not.
    assert.deepEqual(problems.filter((p) => !/status of 40[13]/.test(p)), []);
    await context.close();
  } finally {
    live.proc.kill("SIGTERM");
  }
});

test("the dispatcher's flow in the browser: G207 温县段, 硫酸, answer, assign, brief — five steps, a brief naming teams, ETAs and phones", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-e2e-flow-"));
  const db = path.join(dir, "flow.sqlite");
  copyFileSync(demoDb, db);
  const editors = path.join(dir, "editors.tsv");
  execFileSync(VIGIL, ["-q", "user", "add", editors, "王调度", "--role", "dispatcher", "--password-stdin"], { input: "night-watch-2026\n" });
  const sql = (q) => execFileSync("sqlite3", [db, q], { encoding: "utf8" }).trim();
  const live = await serveDatabase(db, ["--editors", editors], true);
  try {
    const { page, context, problems } = await openViewer("v=10.00/35.10000/113.20000", {}, live.url);
    await waitFor(page, () => window.vigilSession && window.vigilSession.editing, null, 30000);
    // Signed in once for the shift: not a step of the flow.
    await page.evaluate(() => window.vigil.signIn("王调度", "night-watch-2026"));
    await waitFor(page, () => window.vigilSession.signedIn, null, 15000);
    const zoomBefore = (await state(page)).zoom;
    let steps = 0;

    // 1. the place as the caller says it (full-width), 2. the material, 3. 分析 Answer.
    const answered = await page.evaluate((r) => window.vigil.incident(r), { place: "Ｇ２０７ 温县段", material: "硫酸" });
    steps += 3;
    assert.equal(answered.error, false, JSON.stringify(answered));
    assert.equal(answered.place.label, "G207 温县段");
    assert.equal(answered.place.county, "温县");
    assert.equal(answered.material.un, 1830);
    assert.ok(answered.zones > 0, "the ERG zones");
    assert.ok(answered.closures > 0, "the red zone's roads closed");
    assert.match(answered.needs, /中和剂/);
    assert.ok(answered.teams.length >= 3, "ranked teams");
    for (const t of answered.teams.slice(0, 3)) assert.ok(t.phone, `${t.id} has a duty phone`);
    assert.ok((await state(page)).zoom > zoomBefore + 0.5, "the map went to the incident");

    // 4. 指派 Assign the top three (the incident is opened on the way).
    const assigned = await page.evaluate(() => window.vigil.incident({ step: "assign", assign_n: 3 }));
    steps += 1;
    assert.equal(assigned.error, false, JSON.stringify(assigned));
    assert.deepEqual(assigned.assigned, answered.teams.slice(0, 3).map((t) => t.id));
    assert.equal(sql(`SELECT count(*) FROM dispatches WHERE incident_id = '${assigned.incident}'`), "3");
    assert.equal(sql(`SELECT material || '/' || un_number FROM incidents WHERE id = '${assigned.incident}'`), "硫酸/1830");

    // 5. 保存简报 Save brief: a download.
    const [pdf] = await Promise.all([page.waitForEvent("download", { timeout: 60000 }), page.evaluate(() => window.vigil.incident({ step: "brief" }))]);
    steps += 1;
    assert.ok(steps <= 5, `${steps} steps`);
    const pdfPath = path.join(dir, "brief.pdf");
    writeFileSync(pdfPath, readFileSync(await pdf.path()));
    const text = execFileSync("pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" });
    assert.ok(text.includes(assigned.incident), "the brief names its incident");
    for (const t of answered.teams.slice(0, 3)) {
      assert.ok(text.includes(t.name), `the brief names ${t.name}`);
      assert.ok(text.includes(t.phone), `the brief gives ${t.name}'s phone`);
    }
    assert.match(text, /\d min/, "the ETAs");
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    live.proc.kill("SIGTERM");
  }
});
