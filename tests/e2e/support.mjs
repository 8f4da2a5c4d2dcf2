// What the browser tests share: where the programs are, Chromium's switches, the image
// tolerances, `vigil serve` on a database, and polling the page.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const VIGIL = process.env.VIGIL || path.join(root, "build/vigil");
export const WEB = process.env.WEB || path.join(root, "build-wasm/web");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The pages open in Chromium's default locale, en-US, so they speak English; every vigil the
// tests run (serve, stats, coverage…) speaks the same unless a test asks otherwise, so that the
// texts inside the answers they compare agree. The language tests set locale and VIGIL_LANG.
process.env.VIGIL_LANG ??= "en";
export const GOLDEN = path.join(root, "tests/data/golden");
export const WIDTH = 1280, HEIGHT = 720;
// As the native golden test: a pixel differs when a channel is off by more than 40, and a
// comparison passes when at most 1% of the pixels differ (0.4% natively: Chromium composites the
// page itself, and SwiftShader's rasterisation may vary with its thread count), still far below
// what hiding one layer changes (the layer toggle test asks for three times as much).
export const CHANNEL_TOLERANCE = 40, WEB_TOLERANCE = 0.01;

export const CHROMIUM_ARGS = [
  "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-gpu-sandbox",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
  "--disable-features=Translate,MediaRouter", "--font-render-hinting=none",
];

/// `vigil serve` on `db` (any free port); resolves to the process and its address. With
/// `keepLog`, the server logs (not -q) and everything it writes is kept in proc.log.
export async function serveDatabase(db, extra = [], keepLog = false) {
  const args = keepLog ? ["serve", db, "--port", "0", "--web", WEB, ...extra] : ["-q", "serve", db, "--port", "0", "--web", WEB, ...extra];
  // The server speaks English, as the C++ tests' programs do (VIGIL_LANG=en): its refusals and
  // logs are compared as English text. The page's language is the browser's (a context's locale).
  const env = { ...process.env, VIGIL_LANG: process.env.VIGIL_LANG || "en" };
  const proc = spawn(VIGIL, args, { stdio: ["ignore", "pipe", keepLog ? "pipe" : "inherit"], env });
  proc.log = "";
  if (keepLog) proc.stderr.on("data", (chunk) => { proc.log += chunk; });
  proc.stdout.on("data", (chunk) => { if (keepLog) proc.log += chunk; });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("vigil serve did not print its address: " + out)), 30000);
    proc.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/(http:\/\/[^\s\/]+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`vigil serve exited with ${code}: ${out}`)));
  });
  return { proc, url };
}

/// Polls `fn` in the page until it returns something truthy. (Not page.waitForFunction: that
/// evaluates its predicate with eval(), which the server's Content-Security-Policy forbids —
/// and the tests keep the CSP on, so that a page violating it would fail them.)
export async function waitFor(page, fn, arg, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + fn.toString().slice(0, 120));
    await new Promise((r) => setTimeout(r, 50));
  }
}


/// Waits until the viewer has drawn `n` more frames: what a sleep would guess at, counted. (A
/// frame under SwiftShader on a loaded 2-core CI machine can take most of a second.)
export async function afterFrames(page, n = 2, timeout = 30000) {
  const start = await page.evaluate(() => window.vigil.state().frames);
  await waitFor(page, (target) => window.vigil.state().frames >= target, start + n, timeout);
}

/// A page on the viewer that fails the test on any console error or page error.
export async function openViewerIn(browser, url, hash = "", options = {}) {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  const started = Date.now();
  await page.goto(url + (hash ? "#" + hash : ""));
  await waitFor(page, () => (window.vigilTiming && window.vigilTiming.firstMapMs) || window.vigilError, null, 60000);
  const error = await page.evaluate(() => window.vigilError || "");
  assert.equal(error, "", "the page shows an error");
  // Two more frames: the panels' layout settles on the second.
  await waitFor(page, () => window.vigil.state().frames >= 4);
  return { page, context, problems, loadMs: Date.now() - started };
}

export const state = (page) => page.evaluate(() => window.vigil.state());

/// For a test file: the demo served once (or the server at VIGIL_E2E_URL) and one headless
/// Chromium, set up before the file's tests and closed after them. The tests read `demo.url` and
/// `demo.browser` (set once `before` has run).
export function demoServerAndBrowser(prefix = "vigil-e2e-") {
  const demo = { url: process.env.VIGIL_E2E_URL || "", browser: null, server: null };
  before(async () => {
    if (!demo.url) {
      const db = path.join(mkdtempSync(path.join(tmpdir(), prefix)), "jiaozuo.sqlite");
      execFileSync(VIGIL, ["-q", "demo", db], { stdio: "inherit" });
      ({ proc: demo.server, url: demo.url } = await serveDatabase(db));
    }
    demo.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  after(async () => {
    if (demo.browser) await demo.browser.close();
    if (demo.server) demo.server.kill("SIGTERM");
  });
  return demo;
}
