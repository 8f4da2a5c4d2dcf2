// The page's language: the browser's (a context's locale: navigator.language), or the address's
// lang= (?lang=en, #…&lang=zh), which wins. The page's own words (title, sign-in bar, error box)
// come from web/po through vigil-messages.js; the viewer takes the same language
// (vigil_web_set_language) and says so in state().language.
//   VIGIL=build/vigil WEB=build-wasm/web node --test tests/e2e/language.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { demoServerAndBrowser, openViewerIn, state } from "./support.mjs";

const demo = demoServerAndBrowser("vigil-e2e-");

/// The page opened in a browser speaking `locale`: what it shows and what the viewer took.
async function pageIn(locale, query = "", hash = "") {
  const { page, context, problems } = await openViewerIn(demo.browser, demo.url + query, hash, { locale });
  try {
    const shown = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      signIn: document.getElementById("sign-in").textContent,
      retry: document.getElementById("retry").textContent,
      map: document.getElementById("canvas").getAttribute("aria-label"),
      address: location.hash,
    }));
    return { ...shown, language: (await state(page)).language, problems };
  } finally {
    await context.close();
  }
}

test("a browser set to Chinese gets the page and the viewer in Chinese", async () => {
  const p = await pageIn("zh-CN");
  assert.equal(p.language, "zh-CN", "the viewer's language");
  assert.equal(p.lang, "zh-CN", "<html lang>");
  assert.equal(p.title, "守夜");
  assert.equal(p.signIn, "登录");
  assert.equal(p.retry, "重试");
  assert.equal(p.map, "地图");
  assert.deepEqual(p.problems, []);
});

test("a browser set to English, or ?lang=en, gets them in English", async () => {
  const english = await pageIn("en-US");
  assert.equal(english.language, "en");
  assert.equal(english.lang, "en");
  assert.equal(english.title, "Vigil");
  assert.equal(english.signIn, "Sign in");
  assert.equal(english.map, "Map");
  assert.deepEqual(english.problems, []);

  const asked = await pageIn("zh-CN", "?lang=en");
  assert.equal(asked.language, "en", "?lang=en wins over the browser's Chinese");
  assert.equal(asked.lang, "en");
  assert.equal(asked.signIn, "Sign in");
  assert.deepEqual(asked.problems, []);
});

test("#…&lang=zh in the address wins over an English browser and stays in the address", async () => {
  const p = await pageIn("en-US", "", "lang=zh");
  assert.equal(p.language, "zh-CN");
  assert.equal(p.lang, "zh-CN");
  assert.equal(p.signIn, "登录");
  assert.match(p.address, /&lang=zh$/, "the permalink keeps the language asked for");
  assert.deepEqual(p.problems, []);
});
