// How long the browser build takes to show the map, and what it downloads: `vigil serve` on the
// Jiaozuo demo, a fresh headless Chromium profile per run (no HTTP or code cache), RUNS page
// loads (default 7). Prints the peers' line format and each phase's median (from the start of
// navigation): the manifest, database and font fetched, the runtime (vigil.js + vigil.wasm)
// compiled, the project opened, the first map frame drawn.
//   node bench/web_first_map.mjs            (after tools/test.sh or the web build; needs chromium)
// Environment: VIGIL (build/vigil), WEB (build-wasm/web), RUNS, SIZE (1280x720).
import { createRequire } from "node:module";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "tests/e2e/package.json"));
const { chromium } = require("playwright-core");
const VIGIL = process.env.VIGIL || path.join(root, "build/vigil");
const WEB = process.env.WEB || path.join(root, "build-wasm/web");
const RUNS = Number(process.env.RUNS || 7);
const [W, H] = (process.env.SIZE || "1280x720").split("x").map(Number);
const ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-gpu-sandbox", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"];

const dir = mkdtempSync(path.join(tmpdir(), "vigil-web-bench-"));
const db = path.join(dir, "jiaozuo.sqlite");
execFileSync(VIGIL, ["-q", "demo", db]);
const server = spawn(VIGIL, ["-q", "serve", db, "--port", "0", "--web", WEB], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve) => {
  let out = "";
  server.stdout.on("data", (c) => { out += c; const m = out.match(/(http:\/\/[^\s\/]+\/)/); if (m) resolve(m[1]); });
});

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const phases = {};
let payload = null;
try {
  for (let i = 0; i < RUNS; ++i) {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: W, height: H } });
    await page.goto(url);
    for (let t = 0; t < 600; ++t) {
      if (await page.evaluate(() => (window.vigilTiming && window.vigilTiming.firstMapMs) || window.vigilError)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const timing = await page.evaluate(() => window.vigilTiming);
    if (!timing || !timing.firstMapMs) throw new Error("no map: " + (await page.evaluate(() => window.vigilError)));
    for (const [k, v] of Object.entries(timing)) (phases[k] ||= []).push(v);
    payload ||= await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((e) => /\.(wasm|js|otf|css)$/.test(new URL(e.name).pathname))
      .reduce((a, e) => ({ sent: a.sent + e.encodedBodySize, size: a.size + e.decodedBodySize }), { sent: 0, size: 0 }));
    console.error(`# run ${i + 1}: ${JSON.stringify(timing)}`);
    await browser.close();
  }
} finally {
  server.kill("SIGTERM");
}
console.log(`peer=vigil_web task=first_map n=demo median_ms=${median(phases.firstMapMs).toFixed(0)}`);
for (const [k, v] of Object.entries(phases)) console.log(`# phase ${k}: median ${median(v).toFixed(0)} ms (min ${Math.min(...v)}, max ${Math.max(...v)})`);
console.log(`# payload (wasm, js, font, css): ${(payload.sent / 1048576).toFixed(2)} MB compressed, ${(payload.size / 1048576).toFixed(2)} MB uncompressed`);
