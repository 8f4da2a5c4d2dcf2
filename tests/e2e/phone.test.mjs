// The viewer on a phone (390×844, device pixel ratio 3) and on a tablet held upright (768×1024,
// ratio 2), with touch only: the compact layout (one panel at a time as a bottom sheet above a bar
// of large buttons, the map always in view), panels that take their taps and drags, and the map's
// pan and pinch. Run by tools/test-web.sh:
//   VIGIL=build/vigil WEB=build-wasm/web node --test tests/e2e/phone.test.mjs
// Where things are comes from window.vigil.layout() (the sheet, its close button, the bar's
// buttons, every item the last frame drew), never from guessed pixels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { demoServerAndBrowser, afterFrames, openViewerIn, state, waitFor } from "./support.mjs";

const demo = demoServerAndBrowser("vigil-phone-");

const TEAM = "JZDW-003";
const BAR_PANELS = ["layers", "legend", "nearest", "dispatch", "inspector", "planning"];
const TOUCH_TARGET = 44;

const layout = (page) => page.evaluate(() => window.vigil.layout());
const middle = (b) => [b.x + b.w / 2, b.y + b.h / 2];
const inside = (p, b) => p[0] >= b.x && p[1] >= b.y && p[0] < b.x + b.w && p[1] < b.y + b.h;
const area = (b) => b.w * b.h;
const sameSelection = (a, b) => (a === null || b === null ? a === b : a.kind === b.kind && a.id === b.id);

/// One device's run: every check counted, for the log line.
function device(name, viewport, scale) {
  return { name, viewport, scale, checks: 0 };
}

function check(d, condition, message) {
  d.checks += 1;
  assert.ok(condition, `${d.name}: ${message}`);
}

/// A tap where the page says, then frames enough for the press, the release and what they do.
async function tap(page, [x, y]) {
  await page.touchscreen.tap(x, y);
  await afterFrames(page, 4);
}

/// The sheet is `name` and drawn where the compact layout puts it (a new window takes a frame).
async function sheetIs(page, name) {
  return waitFor(page, (n) => {
    const l = window.vigil.layout();
    if (n === null) return l.sheet === null && l.sheet_window === null ? l : null;
    return l.sheet === n && l.sheet_window && l.sheet_window.x === 0 && l.sheet_window.w === l.screen.w &&
      Math.abs(l.sheet_window.y + l.sheet_window.h - l.bar.y) < 1 ? l : null;
  }, name, 30000);
}

/// The geometry every open sheet keeps: full width above the bar, at most 45% of the height, the
/// map at least half the screen, the close buttons touch-sized.
function checkSheet(d, l) {
  const screen = l.screen;
  check(d, l.sheet_window.w === screen.w, `the sheet is full width (${l.sheet_window.w} of ${screen.w})`);
  check(d, l.sheet_window.h <= 0.45 * screen.h + 1, `the sheet is at most 45% of the height (${l.sheet_window.h} of ${screen.h})`);
  check(d, area(l.map) >= 0.5 * screen.w * screen.h, `the map keeps half the screen (${Math.round((100 * area(l.map)) / (screen.w * screen.h))}%)`);
  check(d, l.sheet_close.w >= TOUCH_TARGET && l.sheet_close.h >= TOUCH_TARGET, `the sheet's close button is a touch target (${l.sheet_close.w}×${l.sheet_close.h})`);
}

/// Touches through the DevTools protocol: drags and pinches (Playwright's touchscreen only taps).
function touchDriver(cdp) {
  const send = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
  return {
    async drag(from, to, steps = 6) {
      await send("touchStart", [from]);
      for (let i = 1; i <= steps; ++i) await send("touchMove", [[from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps]]);
      await send("touchEnd", []);
    },
    async pinchOut(mid, from, to, steps = 5) {
      await send("touchStart", [[mid[0] - from, mid[1]], [mid[0] + from, mid[1]]]);
      for (let i = 1; i <= steps; ++i) {
        const r = from + ((to - from) * i) / steps;
        await send("touchMove", [[mid[0] - r, mid[1]], [mid[0] + r, mid[1]]]);
      }
      await send("touchEnd", []);
    },
  };
}

/// The items the last frame drew in the sheet, fully inside its visible part (below the title bar).
function sheetItems(l) {
  const win = l.windows.find((w) => Math.abs(w.box.y - l.sheet_window.y) < 1 && w.box.x === l.sheet_window.x && w.box.w === l.sheet_window.w);
  if (!win) return [];
  const top = l.sheet_window.y + l.frame_height, bottom = l.sheet_window.y + l.sheet_window.h;
  return l.items.filter((it) => it.window === win.id && it.box.y >= top && it.box.y + it.box.h <= bottom && it.box.w > 0);
}

async function run(d) {
  const t0 = Date.now();
  const { page, context, problems } = await openViewerIn(demo.browser, demo.url, "v=11.00/35.10000/113.20000", {
    viewport: d.viewport, hasTouch: true, isMobile: true, deviceScaleFactor: d.scale,
  });
  const touch = touchDriver(await context.newCDPSession(page));
  try {
    // Compact, with no panel open: the map first.
    let l = await layout(page);
    check(d, l.compact === true, "the layout is compact");
    check(d, l.sheet === null, "no sheet at start");
    check(d, Math.abs(l.screen.w - d.viewport.width) < 2 && Math.abs(l.screen.h - d.viewport.height) < 2, `the viewer sees the CSS size (${l.screen.w}×${l.screen.h})`);
    check(d, area(l.map) >= 0.5 * l.screen.w * l.screen.h, "the map keeps half the screen");
    check(d, l.frame_height >= TOUCH_TARGET, `buttons and checkboxes are ${l.frame_height} px high`);
    for (const name of [...BAR_PANELS, "close"]) {
      const b = l.buttons[name];
      check(d, b && b.w >= TOUCH_TARGET && b.h >= TOUCH_TARGET, `the bar's ${name} button is a touch target (${b && b.w}×${b && b.h})`);
    }
    check(d, (await state(page)).layout.compact === true, "state() says compact too");

    // Select a team: the map centred on it, a tap on its marker.
    const near = await page.evaluate(() => window.vigil.nearest(113.2, 35.1, "rescue_teams", 1000));
    const team = near.results.find((r) => r.id === TEAM);
    check(d, !!team, `${TEAM} in the demo`);
    await page.evaluate(([lon, lat]) => { location.hash = `v=16.00/${lat.toFixed(5)}/${lon.toFixed(5)}`; }, [team.lon, team.lat]);
    await afterFrames(page, 3);
    const marker = await page.evaluate((id) => window.vigil.screenPosition("rescue_teams", id), TEAM);
    check(d, marker && inside([marker.x, marker.y], l.map), `the team's marker is on the map (${JSON.stringify(marker)})`);
    await tap(page, [marker.x, marker.y]);
    await waitFor(page, (id) => { const s = window.vigil.state().selection; return s && s.id === id; }, TEAM, 20000);
    const selected = (await state(page)).selection;
    check(d, sameSelection(selected, { kind: "rescue_teams", id: TEAM }), "a tap on the marker selects the team");
    l = await sheetIs(page, "inspector");
    check(d, l.sheet === "inspector", "the selection opens the Inspector as the sheet");
    checkSheet(d, l);
    const still = async (what) => check(d, sameSelection((await state(page)).selection, selected), `${what} leaves the selection alone`);

    // Each panel from the bar, then closed: by its own close button, or by the bar's.
    let byOwnClose = true;
    for (const name of BAR_PANELS) {
      l = await layout(page);
      if (l.sheet === name) { // the Inspector is open already: the bar's button closes it, then opens it again
        await tap(page, middle(l.buttons[name]));
        await sheetIs(page, null);
        await still(`closing ${name} from the bar`);
      }
      await tap(page, middle((await layout(page)).buttons[name]));
      l = await sheetIs(page, name);
      check(d, l.sheet === name, `the bar opens ${name}`);
      checkSheet(d, l);
      await still(`the tap on ${name}'s button`);
      await tap(page, middle(byOwnClose ? l.sheet_close : l.buttons.close));
      l = await sheetIs(page, null);
      check(d, l.sheet === null, `${name} closed by ${byOwnClose ? "its close button" : "the bar's close button"}`);
      await still(`the tap on ${name}'s close button`);
      byOwnClose = !byOwnClose;
    }

    // Layers: a tap on a layer's checkbox hides it, another shows it again; a tap on its name opens its details.
    await tap(page, middle((await layout(page)).buttons.layers));
    l = await sheetIs(page, "layers");
    const layers = (await state(page)).layers;
    const boxes = sheetItems(l).filter((it) => it.label === "##visible");
    check(d, boxes.length > 0, `the Layers sheet shows layer checkboxes (${boxes.length})`);
    // Topmost first, as the panel lists them; not the selected team's layer.
    const k = boxes.findIndex((_, i) => layers[layers.length - 1 - i].kind !== "rescue_teams");
    const kind = layers[layers.length - 1 - k].kind;
    await tap(page, middle(boxes[k].box));
    await waitFor(page, (kd) => !window.vigil.state().layers.find((x) => x.kind === kd).visible, kind, 20000);
    check(d, true, `a tap on ${kind}'s checkbox hides it`);
    await still(`the tap on ${kind}'s checkbox`);
    await tap(page, middle(boxes[k].box));
    await waitFor(page, (kd) => window.vigil.state().layers.find((x) => x.kind === kd).visible, kind, 20000);
    check(d, true, `a second tap shows ${kind} again`);
    const names = sheetItems(await layout(page)).filter((it) => it.label.endsWith("###layer"));
    check(d, names.length > 0, "the layers' names are items of the sheet");
    await tap(page, middle(names[0].box));
    await still("a tap on a layer's name (its details)");

    // A drag inside the sheet scrolls it, never the map.
    const c0 = (await state(page)).center;
    l = await layout(page);
    const inSheet = middle(l.sheet_window);
    await touch.drag([inSheet[0], inSheet[1] + 40], [inSheet[0], inSheet[1] - 60]);
    await afterFrames(page, 3);
    check(d, JSON.stringify((await state(page)).center) === JSON.stringify(c0), "a drag on the sheet does not pan the map");
    await still("a drag on the sheet");

    // Legend: taps on its rows.
    await tap(page, middle((await layout(page)).buttons.legend));
    l = await sheetIs(page, "legend");
    // Its rows are text and swatches (no ImGui items) but for the choropleth's choice: taps on
    // the first rows where they are drawn, and on its items.
    const top = l.sheet_window.y + l.frame_height;
    const rows = [1, 2, 3].map((i) => ({ text: `row ${i}`, box: { x: 8, y: top + 26 * i - 13, w: 80, h: 26 } }));
    for (const row of [...rows, ...sheetItems(l).slice(0, 2)]) {
      await tap(page, middle(row.box));
      await still(`a tap on the legend's "${row.text}"`);
    }
    await tap(page, middle((await layout(page)).sheet_close));
    await sheetIs(page, null);

    // The map still pans with one finger and pinch-zooms with two, above the bar.
    l = await layout(page);
    const onMap = middle(l.map);
    const s0 = await state(page);
    await touch.drag(onMap, [onMap[0] + 80, onMap[1]]);
    await afterFrames(page, 2);
    const s1 = await state(page);
    check(d, s1.center[0] < s0.center[0], "dragging right on the map moves it west of the centre");
    await touch.pinchOut(onMap, 30, 110);
    await afterFrames(page, 2);
    const s2 = await state(page);
    check(d, s2.zoom > s1.zoom + 0.9, `pinching out on the map zooms in (${s1.zoom.toFixed(2)} -> ${s2.zoom.toFixed(2)})`);
    await still("panning and pinching");

    // A dispatch, asked with the Dispatch sheet open: the answer in the sheet, the map above it.
    await tap(page, middle((await layout(page)).buttons.dispatch));
    await sheetIs(page, "dispatch");
    const at = [113.0791, 34.9412];
    check(d, (await page.evaluate(([lon, lat]) => window.vigil.dispatch(lon, lat, "hazmat", "available"), at)) === "", "the dispatch question is taken");
    await waitFor(page, () => { const x = window.vigil.state().dispatch; return x && !x.pending && x.results.length > 0; }, null, 60000);
    await afterFrames(page, 3);
    l = await sheetIs(page, "dispatch");
    checkSheet(d, l);
    const answer = (await state(page)).dispatch;
    check(d, answer.error === "" && answer.results.length > 0, `the dispatch answers (${answer.results.length} teams)`);
    const before = sheetItems(l);
    check(d, before.length > 0, `the Dispatch sheet shows its form and answer (${before.length} items)`);
    // Scrolling the answer by a drag: the sheet's items move up, the map stays.
    const c1 = (await state(page)).center;
    // From low in the sheet, where the answer's rows are: the form above holds text fields and
    // sliders, which keep a drag that starts on them (their own, as with a mouse).
    const mid = middle(l.sheet_window), low = l.sheet_window.y + l.sheet_window.h - 30;
    await touch.drag([mid[0], low], [mid[0], low - 120]);
    await afterFrames(page, 3);
    const after = await layout(page);
    const moved = after.items.find((it) => before.some((b) => b.label === it.label && b.box.y - it.box.y > 30));
    check(d, !!moved || after.sheet_scroll.y > l.sheet_scroll.y + 30,
      `a drag up on the Dispatch sheet scrolls its content (scroll ${l.sheet_scroll.y} -> ${after.sheet_scroll.y} of ${after.sheet_scroll.max})`);
    check(d, JSON.stringify((await state(page)).center) === JSON.stringify(c1), "... and does not pan the map");
    await tap(page, middle(after.sheet_close));
    await sheetIs(page, null);

    check(d, problems.length === 0, `no console errors: ${problems.join("; ")}`);
  } finally {
    await context.close();
  }
  console.log(`# ${d.name} ${d.viewport.width}×${d.viewport.height}: ${d.checks} checks passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

test("a phone (390×844): one panel at a time as a bottom sheet, touch on panels never reaches the map", { timeout: 600000 }, async () => {
  await run(device("phone", { width: 390, height: 844 }, 3));
});

test("a tablet held upright (768×1024) is compact too", { timeout: 600000 }, async () => {
  await run(device("tablet", { width: 768, height: 1024 }, 2));
});
