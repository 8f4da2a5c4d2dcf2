// The page around the WebAssembly viewer: fetches the project snapshot and the font from
// `vigil serve` (with progress), loads vigil.js/vigil.wasm, hands the data over through the
// in-memory file system, then gets out of the way. Also: WebGL 2 and fetch errors said plainly,
// the view permalink in the URL fragment, touch pan and pinch zoom, signing in to edit (when
// the server has editors), and `window.vigil` — a handle on the viewer's state for the
// end-to-end tests and for curious planners.
"use strict"; // i18n: not shown: a directive

(function () {
  const DB_URL = "data/project.sqlite";
  const MANIFEST_URL = "data/manifest.json";
  const CHANGES_URL = "data/changes";
  const SESSION_URL = "api/session";
  const FONT_URL = "fonts/vigil-cjk.otf";
  const DB_PATH = "/data/project.sqlite";
  const FONT_PATH = "/fonts/vigil-cjk.otf";

  const $ = (id) => document.getElementById(id);

  // --- the page's language -----------------------------------------------------------------
  // The address's ?lang= or #…&lang= (fixed: it wins over the language chosen in the viewer's
  // Settings), else the browser's (navigator.language). The page's own words (loading, errors,
  // signing in) come from web/po through vigil-messages.js (made from web/po/zh_CN.po at build
  // time), so they are in the user's language before the viewer's wasm runs; the viewer then
  // says which language it took, and when Settings change it (vigilPage.language).
  const HASH_LANG = (() => {
    for (const part of location.hash.slice(1).split("&")) {
      if (!part.startsWith("lang=")) continue;
      try { return decodeURIComponent(part.slice(5)); } catch (e) { return part.slice(5); }
    }
    return null;
  })();
  const LANG_PARAM = new URLSearchParams(location.search).get("lang") || HASH_LANG;
  // The fragment without its lang= (the viewer's permalink knows nothing of it).
  const withoutLang = (hash) => hash.split("&").filter((part) => !part.startsWith("lang=")).join("&");
  // As core's i18n::parse_language: the language part of a tag; Chinese for one Vigil does not speak.
  function pageLanguage(tag) {
    const t = String(tag || "").split(/[-_.@]/)[0].toLowerCase();
    if (t === "en" || t === "english") return "en";
    return "zh-CN";
  }
  const MESSAGES = window.VIGIL_MESSAGES || {};
  let language = pageLanguage(LANG_PARAM || navigator.language);
  // The page's words: the msgid is the English text (xgettext finds tr, trf and N_ here).
  const tr = (msgid) => (MESSAGES[language] && MESSAGES[language][msgid]) || msgid;
  const N_ = (msgid) => msgid;
  // A message with values: {} in order, or {0} {1} by position (fmt's syntax, as in the C++).
  function trf(msgid, ...values) {
    let next = 0;
    return tr(msgid).replace(/\{(\d*)\}/g, (_, n) => String(values[n === "" ? next++ : Number(n)]));
  }
  // The words of index.html, by element (its English text stays there for a page without script).
  const PAGE_TEXT = [
    ["sign-in", "textContent", N_("Sign in")],
    ["sign-out", "textContent", N_("Sign out")],
    ["sign-in-title", "textContent", N_("Sign in to edit")],
    ["sign-in-user-label", "textContent", N_("User")],
    ["sign-in-password-label", "textContent", N_("Password")],
    ["sign-in-submit", "textContent", N_("Sign in")],
    ["sign-in-cancel", "textContent", N_("Cancel")],
    ["overlay-title", "textContent", N_("Vigil")],
    ["error-title", "textContent", N_("Vigil")],
    ["retry", "textContent", N_("Retry")],
    ["canvas", "aria-label", N_("Map")],
    ["ime", "aria-label", N_("Text input")],
  ];
  let loadingText = null; // the overlay's status line, again in a new language
  function setLanguage(tag) {
    language = pageLanguage(tag);
    document.documentElement.lang = language;
    document.title = tr("Vigil");
    for (const [id, what, msgid] of PAGE_TEXT) {
      const el = $(id);
      if (!el) continue;
      if (what === "textContent") el.textContent = tr(msgid);
      else el.setAttribute(what, tr(msgid));
    }
    if (loadingText) $("status").textContent = loadingText();
  }
  loadingText = () => tr("Loading…");
  setLanguage(language);
  const canvas = $("canvas");
  const ime = $("ime");
  // Times are from the start of navigation (performance.now()'s origin), not from this script.
  const started = 0;
  let lastHash = null;
  let running = false;

  // The command-centre wall: #wall[&distance=5m][&width=2.2m][&view=LON,LAT,ZOOM][&select=ID][&clock=…]
  // — no panels, the key figures, the clock, the ticker; the address bar keeps what was asked
  // (no permalink), the sign-in bar stays hidden, and a click or a key asks for full screen.
  const WALL = (() => {
    const hash = location.hash.slice(1);
    if (!/^wall(&|$)/.test(hash)) return null;
    const options = {};
    for (const part of hash.split("&").slice(1)) {
      const at = part.indexOf("=");
      if (at <= 0 || part.startsWith("lang=")) continue; // the page's language, not the wall's
      try { options[decodeURIComponent(part.slice(0, at))] = decodeURIComponent(part.slice(at + 1)); } catch (e) { /* kept out */ }
    }
    return options;
  })();
  if (WALL) {
    document.documentElement.classList.add("wall");
    const fullScreen = () => {
      if (!document.fullscreenElement && document.documentElement.requestFullscreen)
        document.documentElement.requestFullscreen().catch(() => { /* refused: stays in the window */ });
    };
    window.addEventListener("click", fullScreen);
    window.addEventListener("keydown", fullScreen);
  }

  function showError(text) {
    $("overlay").hidden = true;
    $("error-text").textContent = text;
    $("error").hidden = false;
    window.vigilError = text;
  }

  function mb(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  const webgl2Missing = () => trf("This browser does not support {}, which the map needs.", "WebGL 2") + "\n" +
    trf("Use a recent {0}, {1} or {2} with hardware acceleration on.", "Chrome", "Edge", "Firefox");
  // The viewer runs its background work (road graph, tile decoding) on WebAssembly threads, which
  // browsers allow only to cross-origin isolated pages: `vigil serve` sends the COOP/COEP headers
  // that make this page one. A plain static server does not.
  const isolationMissing = () => trf("This page needs cross-origin isolation to run the map: open it through `vigil serve` (it sends the `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy` headers), in a recent {0}, {1}, {2} or {3}.", "Chrome", "Edge", "Firefox", "Safari");

  // The viewer's WebGL 2 context, made here while the data and the wasm download (creating it
  // takes most of a second with a software renderer) and handed to the runtime
  // (-sGL_PREINITIALIZED_CONTEXT). Opaque, no depth buffer, a stencil buffer for polygon fills.
  function createContext() {
    if (typeof window.WebGL2RenderingContext !== "function") return null;
    try {
      return canvas.getContext("webgl2", { alpha: false, depth: false, stencil: true, antialias: false,
        premultipliedAlpha: true, preserveDrawingBuffer: false, powerPreference: "high-performance" });
    } catch (e) {
      return null;
    }
  }

  // Fetches a URL into a Uint8Array, reporting bytes received; errors name the URL.
  async function fetchBytes(url, onProgress) {
    let response;
    try {
      response = await fetch(url, { cache: "no-cache" });
    } catch (e) {
      throw new Error(trf("Cannot reach the server for {}: {}", url, e.message));
    }
    if (!response.ok) throw new Error(trf("Cannot load {}: HTTP {} {}", url, response.status, response.statusText));
    if (!response.body || !response.body.getReader) {
      const buf = new Uint8Array(await response.arrayBuffer());
      onProgress(buf.length);
      return buf;
    }
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received);
    }
    const out = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  async function fetchJson(url) {
    const bytes = await fetchBytes(url, () => {});
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(trf("{}: not valid JSON: {}", url, e.message));
    }
  }

  // The viewer's runtime: vigil.js, after Module is defined.
  function loadRuntime() {
    return new Promise((resolve, reject) => {
      window.Module = {
        canvas: canvas,
        noInitialRun: false,
        print: (text) => console.log(text),
        printErr: (text) => console.warn(text),
        locateFile: (path) => path,
        onRuntimeInitialized: () => resolve(window.Module),
        onAbort: (what) => reject(new Error(trf("The viewer stopped: {}", what))),
      };
      const script = document.createElement("script");
      script.src = "vigil.js";
      script.onerror = () => reject(new Error(trf("Cannot load {}", "vigil.js")));
      document.body.appendChild(script);
    });
  }

  const call = (name, ret, types, args) => window.Module.ccall(name, ret, types, args);

  // The panel layout and settings between visits: ImGui writes them to an in-memory file, kept
  // here in localStorage (which a browser may refuse: then every visit starts fresh).
  const SETTINGS_PATH = "/settings/imgui.ini", SETTINGS_KEY = "vigil.imgui.ini";
  function restoreSettings(Module) {
    Module.FS.mkdirTree("/settings");
    try {
      const saved = localStorage.getItem(SETTINGS_KEY);
      if (saved) Module.FS.writeFile(SETTINGS_PATH, saved);
    } catch (e) { /* no storage */ }
  }
  function saveSettings(Module) {
    try {
      if (running) call("vigil_web_save_settings", null, [], []);
      const text = Module.FS.readFile(SETTINGS_PATH, { encoding: "utf8" });
      if (text) localStorage.setItem(SETTINGS_KEY, text);
    } catch (e) { /* nothing written yet, or no storage */ }
  }

  async function start() {
    const progress = $("progress"), detail = $("detail"), status = $("status");
    if (!window.crossOriginIsolated || typeof SharedArrayBuffer === "undefined") {
      showError(isolationMissing());
      return;
    }
    try {
      const mark = (name) => (x) => { timing[name] = Math.round(performance.now() - started); return x; };
      const timing = (window.vigilTiming = {});
      const runtime = loadRuntime().then(mark("runtimeMs"));
      // Everything at once: the manifest only tells the progress bar the database's size.
      let total = 0, fontBytes = 0, dbBytes = 0;
      const report = () => {
        progress.value = total ? Math.min(1, dbBytes / total) : 0;
        detail.textContent = total ? trf("data {} / {} · font {}", mb(dbBytes), mb(total), mb(fontBytes))
          : trf("data {} · font {}", mb(dbBytes), mb(fontBytes));
      };
      const manifestLoaded = fetchJson(MANIFEST_URL).then(mark("manifestMs")).then((m) => {
        total = Math.max(1, m.size || 0);
        loadingText = () => (m.name ? trf("Loading {}…", m.name) : tr("Loading the project…"));
        status.textContent = loadingText();
        return m;
      });
      const gl = createContext();
      if (!gl) {
        showError(webgl2Missing());
        return;
      }
      window.Module.preinitializedWebGLContext = gl;
      const [manifest, db, font] = await Promise.all([
        manifestLoaded,
        fetchBytes(DB_URL, (n) => { dbBytes = n; report(); }).then(mark("databaseMs")),
        fetchBytes(FONT_URL, (n) => { fontBytes = n; report(); }).then(mark("fontMs")),
      ]);
      loadingText = () => tr("Opening…");
      status.textContent = loadingText();
      const Module = await runtime;
      Module.FS.mkdirTree("/data");
      Module.FS.mkdirTree("/fonts");
      Module.FS.writeFile(DB_PATH, db);
      Module.FS.writeFile(FONT_PATH, font);
      restoreSettings(Module);
      // The viewer's language (the same choice as the page's, then its saved setting unless fixed).
      setLanguage(call("vigil_web_set_language", "string", ["string", "number"], [LANG_PARAM || navigator.language || "", LANG_PARAM ? 1 : 0]));
      const label = manifest.name || "project.sqlite";
      const error = call("vigil_web_start", "string", ["string", "string", "string", "string", "string", "string"],
        [DB_PATH, FONT_PATH, label, WALL ? "" : withoutLang(location.hash.slice(1)), JSON.stringify(manifest.tiles || null),
          WALL ? JSON.stringify(WALL) : ""]);
      if (error.includes("WebGL")) throw new Error(webgl2Missing() + "\n(" + error + ")");
      if (error) throw new Error(trf("Cannot open the project: {}", error));
      running = true;
      mark("startedMs")();
      followChanges(Module);
      // A server with editors says so in its manifest; only then is there a session to ask about.
      if (manifest.read_only === false && !WALL) checkSession();
      setInterval(() => saveSettings(Module), 2000);
      window.addEventListener("pagehide", () => saveSettings(Module));
    } catch (e) {
      showError(e.message || String(e));
    }
  }

  // --- live: every change committed to the project, pushed by the server -------------------
  // `vigil serve` sends each committed edit as a delta of records (Server-Sent Events); the
  // viewer applies it as the native viewer applies what it reads (the camera, the selection and
  // the panels stay; dispatch answers use the new statuses). After an import the server says
  // "snapshot": the page then loads the new snapshot, keeping the view (the permalink in the
  // URL). window.vigilLive tells the tests what was applied and when.
  const live = (window.vigilLive = { seq: -1, events: 0, records: 0, lastAt: "", appliedAt: 0, frameAt: 0, errors: [] });
  function followChanges(Module) {
    live.seq = call("vigil_web_live_seq", "number", [], []);
    if (live.seq < 0 || typeof EventSource === "undefined") return; // no change sequence: nothing to follow
    const source = new EventSource(`${CHANGES_URL}?after=${live.seq}`);
    const reload = () => {
      source.close();
      saveSettings(Module);
      location.reload();
    };
    source.addEventListener("delta", (e) => {
      const r = JSON.parse(call("vigil_web_apply_changes", "string", ["string"], [e.data]));
      if (r.error) {
        live.errors.push(r.error);
        console.warn("live update: " + r.error); // i18n: not shown: the console, for developers
        return;
      }
      if (r.reload) return reload();
      live.seq = r.last_seq;
      live.events += 1;
      live.records += r.records;
      live.lastAt = r.last_at;
      live.appliedAt = Date.now();
      // The viewer's frame runs in the next animation frame, before this callback (registered
      // later): by then the change is drawn.
      requestAnimationFrame(() => { live.frameAt = Date.now(); });
    });
    source.addEventListener("snapshot", reload);
  }

  // --- editing: signing in to the server ----------------------------------------------------
  // With editors (`vigil serve --editors`), a user signs in here; the server keeps the session in
  // an HttpOnly cookie and gives the page a CSRF token, which the viewer's edit desk sends with
  // each edit (POST api/edits). Edits then go the way the native viewer's do: the Inspector and
  // the Dispatch panel, or vigil.edit(command). window.vigilSession says who is signed in.
  const session = (window.vigilSession = { editing: false, why: "", signedIn: false, user: "", role: "", roleLabel: "", csrf: "" });
  function applySession(s) {
    session.editing = !!s.editing;
    session.why = s.why || "";
    session.signedIn = !!s.signed_in;
    session.user = s.user || "";
    session.role = s.role || "";
    session.roleLabel = s.role_label || "";
    session.csrf = s.csrf || "";
    $("session").hidden = !session.editing && !session.signedIn;
    $("session-user").textContent = session.signedIn ? `${session.user} · ${session.roleLabel}` : "";
    $("sign-in").hidden = session.signedIn;
    $("sign-out").hidden = !session.signedIn;
    if (running)
      call("vigil_web_session", null, ["string", "string", "string", "string"],
        [session.signedIn ? session.user : "", session.role, session.csrf, session.signedIn ? "" : session.why]);
  }
  async function checkSession() {
    try {
      const r = await fetch(SESSION_URL, { cache: "no-store" });
      if (r.ok) applySession(await r.json());
    } catch (e) { /* an older server without the edit API: read-only */ }
  }
  async function postJson(url, body, headers = {}) {
    const r = await fetch(url, { method: "POST", cache: "no-store", credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, headers), body: JSON.stringify(body) });
    let j = null;
    try { j = await r.json(); } catch (e) { /* not JSON */ }
    return { status: r.status, json: j || {} };
  }
  async function signIn(user, password) {
    const r = await postJson(SESSION_URL, { user, password });
    if (r.status !== 200) return { status: r.status, error: r.json.message || `HTTP ${r.status}` };
    applySession(Object.assign({ editing: true }, r.json));
    return { status: 200, user: session.user, role: session.role };
  }
  async function signOut() {
    const r = await postJson(SESSION_URL + "/end", {}, { "X-Vigil-CSRF": session.csrf });
    applySession({ editing: session.editing, why: session.why, signed_in: false });
    return { status: r.status };
  }
  // An edit command through the viewer's desk; a promise of {committed: result} or {refused,
  // conflict?}: the answer of the server's edit service.
  const edit = (command) => new Promise((resolve) => {
    if (!running) return resolve({ refused: tr("the viewer has not started") });
    const refused = call("vigil_web_edit", "string", ["string"], [JSON.stringify(command)]);
    if (refused) return resolve({ refused });
    const poll = () => {
      const s = JSON.parse(call("vigil_web_edit_state", "string", [], []));
      if (s.busy) return setTimeout(poll, 20);
      resolve(s.refused ? { refused: s.message, conflict: s.conflict } : { committed: s.result, message: s.message });
    };
    poll();
  });
  // Keys typed into the form are the form's: GLFW listens on the window (capture phase) and
  // would take them as map shortcuts and swallow Backspace and Tab. This listener is added
  // before the runtime adds GLFW's, so it runs first.
  for (const type of ["keydown", "keypress", "keyup"])
    window.addEventListener(type, (e) => {
      if (e.target instanceof Element && e.target.closest("#sign-in-box")) e.stopImmediatePropagation();
    }, true);
  $("sign-in").addEventListener("click", () => {
    $("sign-in-error").textContent = "";
    $("sign-in-box").hidden = false;
    $("sign-in-user").focus();
  });
  $("sign-in-cancel").addEventListener("click", () => {
    $("sign-in-box").hidden = true;
    canvas.focus();
  });
  $("sign-in-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("sign-in-submit").disabled = true;
    const r = await signIn($("sign-in-user").value, $("sign-in-password").value);
    $("sign-in-submit").disabled = false;
    $("sign-in-password").value = "";
    if (r.error) {
      $("sign-in-error").textContent = r.error;
      return;
    }
    $("sign-in-box").hidden = true;
    canvas.focus();
  });
  $("sign-out").addEventListener("click", () => signOut());

  // --- called by the viewer -----------------------------------------------------------------
  window.vigilPage = {
    firstFrame() {
      $("overlay").hidden = true;
      window.vigilTiming = Object.assign(window.vigilTiming || {}, { firstMapMs: Math.round(performance.now() - started) });
      canvas.focus();
    },
    textInput(on) {
      if (on) ime.focus();
      else if (document.activeElement === ime) canvas.focus();
    },
    // An export (dispatch sheet, map PNG): the bytes, already copied out of the heap, as a
    // download. The object URL is revoked once the browser has had time to start saving it.
    download(name, mime, bytes) {
      const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    },
    // The language the viewer speaks (at start, and when its Settings change it): the page's
    // words follow it.
    language(tag) {
      if (pageLanguage(tag) !== language || document.documentElement.lang !== language) setLanguage(tag);
    },
    setHash(hash) {
      if (WALL) return; // the wall's address stays as it was asked
      lastHash = hash;
      // A language asked for in the address stays there (a reload, a copied link keep it).
      history.replaceState(null, "", "#" + hash + (HASH_LANG ? "&lang=" + encodeURIComponent(HASH_LANG) : ""));
    },
  };

  // --- the permalink: a pasted link or back/forward ----------------------------------------
  window.addEventListener("hashchange", () => {
    if (!running || WALL) return;
    // Raw: the viewer decodes each part itself (a decoded "%26" would split a value in two).
    const hash = withoutLang(location.hash.slice(1));
    let decoded = hash;
    try { decoded = decodeURIComponent(hash); } catch (e) { /* keep it raw */ }
    if (hash === lastHash || decoded === lastHash) return; // our own replaceState
    const problems = call("vigil_web_apply_hash", "string", ["string"], [hash]);
    if (problems) console.warn("permalink: " + problems); // i18n: not shown: the console, for developers
  });

  // --- touch: one finger pans (a tap clicks), two fingers pinch-zoom about their middle -------
  // A finger that lands on a panel (any of the viewer's windows, or anywhere while a menu is open)
  // is the panels': the viewer gets it as its pointer (a tap presses there, a drag scrolls the
  // panel or moves a slider) and the map never sees it, nor the fingers that join it. Only a touch
  // that starts on the map pans, pinches and taps (selects) it. These listeners run first (on the
  // window, capturing) and keep the events from Emscripten's GLFW, which would turn them into
  // mouse presses at a stale position.
  let touches = new Map(), tap = null, pinch = null, uiTouch = null;
  const point = (t) => ({ x: t.clientX, y: t.clientY });
  const touchOf = (e, id) => [...e.changedTouches].find((t) => t.identifier === id);
  const touchUi = (kind, t) => call("vigil_web_touch", null, ["number", "number", "number"], [kind, t.clientX, t.clientY]);
  function pinchState() {
    const [a, b] = [...touches.values()];
    return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, dist: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) };
  }
  const onCanvas = (e) => e.target === canvas;
  window.addEventListener("touchstart", (e) => {
    if (!onCanvas(e)) return;
    e.preventDefault();
    e.stopPropagation();
    if (uiTouch !== null) return; // a panel's finger is down: the others are ignored
    const first = e.changedTouches[0];
    if (running && touches.size === 0 && e.changedTouches.length === 1 &&
        call("vigil_web_ui_at", "number", ["number", "number"], [first.clientX, first.clientY]) === 1) {
      uiTouch = first.identifier;
      touchUi(0, first);
      return;
    }
    for (const t of e.changedTouches) touches.set(t.identifier, point(t));
    tap = touches.size === 1 ? { ...point(e.changedTouches[0]), time: performance.now() } : null;
    pinch = touches.size === 2 ? pinchState() : null;
  }, { capture: true, passive: false });
  window.addEventListener("touchmove", (e) => {
    if (!onCanvas(e)) return;
    e.preventDefault();
    e.stopPropagation();
    if (!running) return;
    if (uiTouch !== null) {
      const t = touchOf(e, uiTouch);
      if (t) touchUi(1, t);
      return;
    }
    const before = new Map(touches);
    for (const t of e.changedTouches) if (touches.has(t.identifier)) touches.set(t.identifier, point(t));
    if (touches.size === 1) {
      const [id, now] = [...touches.entries()][0];
      const prev = before.get(id);
      if (prev) call("vigil_web_pan", null, ["number", "number"], [now.x - prev.x, now.y - prev.y]);
      if (tap && Math.hypot(now.x - tap.x, now.y - tap.y) > 10) tap = null;
    } else if (touches.size === 2 && pinch) {
      const next = pinchState();
      call("vigil_web_pan", null, ["number", "number"], [next.mid.x - pinch.mid.x, next.mid.y - pinch.mid.y]);
      call("vigil_web_zoom", null, ["number", "number", "number"], [next.mid.x, next.mid.y, Math.log2(next.dist / pinch.dist)]);
      pinch = next;
    }
  }, { capture: true, passive: false });
  const touchEnd = (e) => {
    if (!onCanvas(e)) return;
    e.preventDefault();
    e.stopPropagation();
    if (uiTouch !== null) {
      const t = touchOf(e, uiTouch);
      if (t) {
        if (running) touchUi(e.type === "touchcancel" ? 3 : 2, t);
        uiTouch = null;
      }
      return;
    }
    for (const t of e.changedTouches) touches.delete(t.identifier);
    if (tap && running && touches.size === 0 && performance.now() - tap.time < 400)
      call("vigil_web_tap", "number", ["number", "number"], [tap.x, tap.y]);
    tap = null;
    pinch = touches.size === 2 ? pinchState() : null;
  };
  window.addEventListener("touchend", touchEnd, { capture: true, passive: false });
  window.addEventListener("touchcancel", touchEnd, { capture: true, passive: false });
  // A real mouse after touches: the viewer's pointer follows it again.
  let mouseSeen = true;
  window.addEventListener("pointerdown", (e) => { if (e.pointerType === "touch") mouseSeen = false; }, true);
  window.addEventListener("pointermove", (e) => {
    if (e.pointerType !== "mouse" || mouseSeen || !running) return;
    mouseSeen = true;
    call("vigil_web_touch", null, ["number", "number", "number"], [4, e.clientX, e.clientY]);
  }, true);
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());

  // --- access for tests and the console ------------------------------------------------------
  // A planning question asked of the viewer (a background job), then its answer polled until it
  // is in: the page never waits inside a frame.
  const plan = (kind, request) => new Promise((resolve) => {
    const refused = call("vigil_web_plan", "string", ["string", "string"], [kind, JSON.stringify(request || {})]);
    if (refused) return resolve({ error: refused });
    const poll = () => {
      const answer = JSON.parse(call("vigil_web_plan_answer", "string", ["string"], [kind]));
      if (answer && answer.pending) setTimeout(poll, 50);
      else resolve(answer);
    };
    poll();
  });
  window.vigil = {
    state: () => (running ? JSON.parse(call("vigil_web_state", "string", [], [])) : null),
    // The layout the last frame drew (CSS pixels): compact or not, the bottom sheet and its close
    // button, the bar's buttons, the map left in view, every window and labelled item drawn.
    layout: () => (running ? JSON.parse(call("vigil_web_layout", "string", [], [])) : null),
    screenPosition: (kind, id) => JSON.parse(call("vigil_web_screen_position", "string", ["string", "string"], [kind, id])),
    nearest: (lon, lat, kind, k, need, status) => JSON.parse(call("vigil_web_nearest", "string",
      ["number", "number", "string", "number", "string", "string"], [lon, lat, kind || "rescue_teams", k || 5, need || "", status || ""])),
    // A dispatch question (the answer shows in the Dispatch panel and in state().dispatch) and
    // the panel's exports: "csv", "geojson" or "png", offered as downloads. Asked either as
    // (lon, lat, need, status, closures) or as one request (docs/json.md, "Dispatch request":
    // {at: [lon, lat], need, status, equipment: "防化服:2,堵漏器材", supplies, closures, ...}).
    dispatch: (lon, lat, need, status, closures) => (lon !== null && typeof lon === "object"
      ? call("vigil_web_dispatch_request", "string", ["string"], [JSON.stringify(lon)])
      : call("vigil_web_dispatch", "string", ["number", "number", "string", "string", "string"],
        [lon, lat, need || "", status || "", closures ? JSON.stringify(closures) : ""])),
    exportDispatch: (format) => call("vigil_web_export_dispatch", "number", ["string"], [format]) === 1,
    // A hazard-zone question (docs/json.md, zones: {at: [lon, lat], model: "plume", ...}) answered
    // by core's zone service, as `vigil zone --json` answers it.
    zone: (request) => JSON.parse(call("vigil_web_zone", "string", ["string"], [JSON.stringify(request)])),
    // The grid-management statistics per county or per grid (docs/json.md, stats: {by: "grid",
    // lec: [320, 160, 70], as_of: "YYYY-MM-DD", ...}, all optional): the table `vigil stats --json`
    // prints, the choropleth's figures.
    stats: (request = {}) => JSON.parse(call("vigil_web_stats", "string", ["string"], [JSON.stringify(request)])),
    // The Statistics panel's table ({by: "county" | "grid"}; the panel opens with it): core's
    // app::stats_table as JSON — columns [{key, header}], rows [{county, enterprises, red, ...}]
    // in the panel's order, total — and its exports ("csv" or "xlsx"), offered as downloads.
    statsTable: (request = {}) => JSON.parse(call("vigil_web_stats_table", "string", ["string"], [JSON.stringify(request)])),
    exportStats: (format) => call("vigil_web_export_stats", "number", ["string"], [format]) === 1,
    // The data-quality report (docs/json.md, check: {only: [...], as_of: "YYYY-MM-DD", ...}, all
    // optional), as `vigil check --json` gives it; the Data check panel opens and lists it. The
    // checks run off the frame (a wasm thread): a promise of the report, or of {error} at once
    // for a refused request.
    check: (request) => new Promise((resolve) => {
      const started = JSON.parse(call("vigil_web_check", "string", ["string"], [JSON.stringify(request || {})]));
      const poll = () => {
        const r = started.pending ? JSON.parse(call("vigil_web_check_result", "string", [], [])) : started;
        if (r && r.pending) setTimeout(poll, 20);
        else resolve(r);
      };
      poll();
    }),
    // The planners' questions (docs/json.md: supply, isochrones, coverage, regional risk; the
    // request's keys are the CLI's options), computed off the frame: each returns a Promise of
    // the answer `vigil supply|isochrone|coverage|risk --json` gives, or of {error}.
    // Signing in and out of the server, and edits (docs/json.md, "Edit commands": {op:
    // "team_status", team, status, ...}) through the viewer's edit desk.
    session: () => Object.assign({}, session),
    signIn,
    signOut,
    edit,
    editState: () => (running ? JSON.parse(call("vigil_web_edit_state", "string", [], [])) : null),
    // Replay (the Replay panel): the map as it stood at a moment (bureau clock, or UTC with Z),
    // from the audit the server gives a signed-in page; a promise of {replay} or {error}.
    replay: (time) => new Promise((resolve) => {
      const refused = call("vigil_web_replay", "string", ["string"], [time]);
      if (refused) return resolve({ error: refused });
      const poll = () => {
        const s = JSON.parse(call("vigil_web_replay_state", "string", [], []));
        if (s.pending) return setTimeout(poll, 20);
        resolve(s.replay ? { replay: s.replay } : { error: s.error });
      };
      poll();
    }),
    backToLive: () => call("vigil_web_back_to_live", null, [], []),
    // The incident brief (a one-page PDF the server makes for a signed-in page), offered as a
    // download like the Inspector's "Save brief": "" when asked for, else why not.
    brief: (incident) => call("vigil_web_brief", "string", ["string"], [incident]),
    // The dispatcher's flow (接警 New incident, the Dispatch panel): incident({place, material,
    // datum}) places and answers it (zones, ranked teams with phones, supplies, closures; the map
    // goes there), incident({incident: ID}) loads one of the project's; incident({step: "assign"})
    // assigns the top teams (opening the incident first), incident({step: "brief"}) saves its
    // brief (a download). Each a promise of the flow's state once settled, or of {error}.
    incident: (request) => new Promise((resolve) => {
      const refused = call("vigil_web_incident", "string", ["string"], [JSON.stringify(request || {})]);
      if (refused) return resolve({ error: refused });
      const poll = () => {
        const s = JSON.parse(call("vigil_web_incident_state", "string", [], []));
        if (s.pending) return setTimeout(poll, 20);
        resolve(s);
      };
      setTimeout(poll, 20);
    }),
    incidentState: () => (running ? JSON.parse(call("vigil_web_incident_state", "string", [], [])) : null),
    supply: (request) => plan("supply", request),
    isochrones: (request) => plan("isochrones", request),
    coverage: (request) => plan("coverage", request),
    risk: (request) => plan("risk", request),
  };

  // Composed text (an IME's Chinese) goes to the viewer as text. Plain ASCII keys reach it as
  // key presses through GLFW already, so only non-ASCII direct input is forwarded besides.
  const sendText = (text) => {
    if (running && text) call("vigil_web_text", null, ["string"], [text]);
    ime.value = "";
  };
  ime.addEventListener("compositionend", (e) => sendText(e.data));
  ime.addEventListener("input", (e) => {
    if (e.isComposing) return;
    if (e.inputType === "insertText" || e.inputType === "insertFromPaste") {
      if (e.data && /[^\x00-\x7f]/.test(e.data)) sendText(e.data);
      else if (e.inputType === "insertFromPaste") sendText(ime.value);
      else ime.value = "";
    }
  });

  $("retry").addEventListener("click", () => location.reload());
  start();
})();
