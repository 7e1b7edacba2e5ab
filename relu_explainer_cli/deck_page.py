"""The offline deck's page: one HTML file that is the audience view, or with `?presenter` the presenter view.

Everything is inline (CSS, JavaScript, no CDN): the page loads with no request leaving the file system.
`slides.page_html` fills the {{NAME}} fields. The two views of one deck keep in step through a
BroadcastChannel named after the deck, and through `postMessage` between the window and the presenter
window it opened (what still works where a browser gives each file:// page an origin of its own).

Keys (both views): Right, Space, PageDown or Enter forward; Left, PageUp or Backspace back; Home, End;
S opens the presenter view; B blacks the screen (and pauses the beat); C shows or hides the captions;
A turns auto-advance on or off (each beat moves on when its clip ends); F full screen. A beat whose
section is a loop (manim's `presentation.loop`) loops until the lecturer moves on; a `presentation.skip`
beat moves on by itself when its clip ends. After the beats comes the drag-the-kinks playground
(playground.html beside the page, in a frame): a click on it gives it the keys, Esc gives them back.

>>> "{{DATA}}" in PAGE and "BroadcastChannel" in PAGE and "http" not in PAGE.replace("http-equiv", "")
True
"""
from __future__ import annotations

__all__ = ["PAGE"]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{GENERATOR}}">
<meta name="clips" content="{{CLIPS}}">
<title>{{TITLE}}</title>
<style>
  :root { --bg: {{BG}}; --text: {{TEXT}}; --muted: {{MUTED}}; --accent: {{ACCENT}}; }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; background: var(--bg); color: var(--text);
    font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; overflow: hidden; }
  body { display: flex; flex-direction: column; }
  main { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column;
    align-items: center; justify-content: center; padding: 2vh 3vw 0; }
  #title-slide { text-align: center; }
  #title-slide h1 { font-size: clamp(2rem, 6vw, 4.5rem); margin: 0 0 0.4em; font-weight: 600; }
  #title-slide p { color: var(--muted); font-size: clamp(1rem, 2vw, 1.5rem); margin: 0.3em 0; }
  #title-slide .hint { margin-top: 2em; font-size: 1rem; line-height: 1.8; }
  kbd { border: 1px solid var(--muted); border-radius: 4px; padding: 0 0.35em; font: inherit; }
  #beat { flex: 1 1 auto; min-height: 0; width: 100%; margin: 0; display: flex;
    flex-direction: column; align-items: center; }
  #beat video { flex: 1 1 auto; min-height: 0; width: 100%; object-fit: contain; cursor: pointer;
    background: var(--bg); }
  #caption { flex: 0 0 auto; min-height: 3.2em; max-width: 60em; padding: 0.6em 1em 0; text-align: center;
    font-size: clamp(1rem, 2.4vw, 1.7rem); line-height: 1.35; white-space: pre-line; }
  body.no-captions #caption { visibility: hidden; }
  [hidden] { display: none !important; }
  footer { flex: 0 0 auto; display: flex; justify-content: space-between; padding: 0.5em 1.2em;
    color: var(--muted); font-size: 0.95rem; }
  #progress { position: fixed; left: 0; bottom: 0; height: 3px; background: var(--accent);
    transition: width 0.2s; }
  #black { position: fixed; inset: 0; background: #000; z-index: 10; cursor: none; }
  /* the presenter view */
  #presenter { flex: 1 1 auto; min-height: 0; display: grid; gap: 0.8rem 1.2rem; padding: 0.8rem 1.2rem;
    grid-template-columns: 3fr 2fr; grid-template-rows: auto minmax(0, 3fr) minmax(0, 2fr);
    grid-template-areas: "bar bar" "current next" "current notes"; }
  #p-bar { grid-area: bar; display: flex; gap: 1.5em; align-items: baseline; color: var(--muted); }
  #p-timer { font-size: 2.2rem; color: var(--text); font-variant-numeric: tabular-nums; cursor: pointer; }
  #p-counter { font-size: 1.3rem; color: var(--text); }
  #p-flags { margin-left: auto; display: flex; gap: 0.6em; }
  .flag { border: 1px solid var(--accent); color: var(--accent); border-radius: 4px; padding: 0.1em 0.5em; }
  .pane { min-height: 0; display: flex; flex-direction: column; }
  .pane h2 { margin: 0 0 0.3em; font-size: 0.9rem; font-weight: 600; color: var(--muted);
    text-transform: uppercase; letter-spacing: 0.08em; }
  .pane video { flex: 1 1 auto; min-height: 0; width: 100%; object-fit: contain; background: var(--bg);
    border: 1px solid var(--muted); }
  .pane .card { flex: 1 1 auto; min-height: 0; display: flex; align-items: center; justify-content: center;
    text-align: center; border: 1px solid var(--muted); font-size: 1.6rem; padding: 1em; }
  #page-slide { width: 100%; flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
  #page-slide[hidden] { display: none; }
  #frame { flex: 1 1 auto; width: 100%; border: 1px solid var(--muted); background: var(--bg); }
  #page-hint { color: var(--muted); text-align: center; margin: 0.4em 0 0; }
  #p-current { grid-area: current; }
  #p-current.dark video, #p-current.dark .card { opacity: 0.25; }
  #p-next { grid-area: next; }
  #p-next-caption { color: var(--muted); margin-top: 0.3em; white-space: pre-line; max-height: 4.2em;
    overflow: hidden; }
  #p-notes-pane { grid-area: notes; }
  #p-notes { flex: 1 1 auto; overflow: auto; font-size: 1.5rem; line-height: 1.4; white-space: pre-line; }
</style>
</head>
<body>
<main id="audience">
  <section id="title-slide">
    <h1>{{TITLE}}</h1>
    <p>{{SUBTITLE}}</p>
    <p class="hint"><kbd>&rarr;</kbd> or <kbd>Space</kbd> next &middot; <kbd>&larr;</kbd> back &middot;
      click the video to replay &middot; <kbd>F</kbd> full screen<br>
      <kbd>S</kbd> presenter view &middot; <kbd>B</kbd> black screen &middot; <kbd>C</kbd> captions
      &middot; <kbd>A</kbd> auto-advance</p>
  </section>
  <figure id="beat" hidden>
    <video id="video" playsinline preload="auto" title="click to replay"></video>
    <figcaption id="caption"></figcaption>
  </figure>
  <section id="page-slide" hidden>
    <iframe id="frame" title="the drag-the-kinks playground"></iframe>
    <p id="page-hint">Click the page to drag the kinks; <kbd>Esc</kbd> gives the keys back to the slides.</p>
  </section>
</main>
<footer id="audience-footer"><span id="scene"></span><span id="counter"></span></footer>
<div id="progress"></div>
<div id="black" hidden></div>
<div id="presenter" hidden>
  <div id="p-bar"><span id="p-timer" title="click to restart the timer">0:00</span>
    <span id="p-counter"></span><span id="p-scene"></span>
    <span id="p-flags"><span class="flag" id="p-black" hidden>screen black (B)</span>
      <span class="flag" id="p-captions" hidden>captions off (C)</span>
      <span class="flag" id="p-auto" hidden>auto-advance (A)</span>
      <span class="flag" id="p-loop" hidden>loops</span></span></div>
  <section class="pane" id="p-current"><h2>Now</h2>
    <video id="p-video" muted playsinline preload="auto" title="click to replay the beat"></video>
    <div class="card" id="p-title-card">{{TITLE}}</div></section>
  <section class="pane" id="p-next"><h2>Next</h2>
    <video id="p-next-video" muted playsinline preload="auto"></video>
    <div class="card" id="p-end-card">End of the deck</div>
    <div id="p-next-caption"></div></section>
  <section class="pane" id="p-notes-pane"><h2>Notes</h2><div id="p-notes"></div></section>
</div>
<script type="application/json" id="slides-data">{{DATA}}</script>
<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("slides-data").textContent);
  const slides = data.slides.concat(data.pages || []);  // beats, then live pages (the playground)
  const total = slides.length + 1;  // the title slide, then one per beat
  const presenter = new URLSearchParams(location.search).has("presenter");
  const $ = function (id) { return document.getElementById(id); };
  const video = presenter ? $("p-video") : $("video");
  const state = {n: -1, black: false, captions: true, auto: false};

  // --- keeping the two views in step -------------------------------------------------------------
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("relu-explainer " + data.deck) : null;
  let peer = presenter ? window.opener : null;  // the window at the other end of postMessage

  function send(message) {
    message.deck = data.deck;
    if (channel) channel.postMessage(message);
    if (peer && !peer.closed) { try { peer.postMessage(message, "*"); } catch (e) { peer = null; } }
  }
  function snapshot() { return {n: state.n, black: state.black, captions: state.captions, auto: state.auto}; }
  function receive(message, source) {
    if (!message || message.deck !== data.deck) return;
    if (source && source !== window && !presenter) peer = source;
    if (message.hello) { if (!presenter) send(snapshot()); return; }
    if (message.replay) { if (!presenter) replay(); return; }
    apply(message, false);
  }
  if (channel) channel.onmessage = function (event) { receive(event.data, null); };
  window.addEventListener("message", function (event) { receive(event.data, event.source); });

  // --- what both views share ---------------------------------------------------------------------
  function clamp(n) { return Math.max(0, Math.min(total - 1, n)); }

  // Change the state; a change made here (a key, a click, a clip's end) is sent to the other view,
  // one received from it is not sent back.
  function apply(change, local) {
    let changed = false;
    for (const key of ["black", "captions", "auto"]) {
      if (key in change && !!change[key] !== state[key]) { state[key] = !!change[key]; changed = true; }
    }
    if (changed) showFlags();
    if ("n" in change && clamp(change.n) !== state.n) { show(clamp(change.n)); changed = true; }
    if (changed && local) send(snapshot());
  }

  function showFlags() {
    document.body.classList.toggle("no-captions", !state.captions);
    const slide = slides[state.n - 1];
    video.loop = !!(slide && slide.loop && !state.auto);
    if (presenter) {
      $("p-black").hidden = !state.black;
      $("p-captions").hidden = state.captions;
      $("p-auto").hidden = !state.auto;
      $("p-current").classList.toggle("dark", state.black);
      return;
    }
    const wasBlack = !$("black").hidden;
    $("black").hidden = !state.black;
    if (state.black) video.pause();
    else if (wasBlack && state.n > 0 && !video.ended) video.play().catch(function () {});
  }

  function play(element) {
    element.currentTime = 0;
    const promise = element.play();
    // A browser that blocks playing with sound before any key or click (a deck opened at #5): the
    // picture plays muted, and a click on it replays the beat with its voice.
    if (promise) promise.catch(function () { element.muted = true; element.play().catch(function () {}); });
  }

  function replay() {
    if (presenter) { send({replay: true}); play(video); return; }
    video.muted = false;
    play(video);
  }

  function unload(element) {
    element.pause();
    element.removeAttribute("src");
    element.load();
  }

  function show(n) {
    state.n = n;
    if (location.hash !== "#" + (n + 1)) history.replaceState(null, "", "#" + (n + 1));
    const slide = slides[n - 1];
    if (presenter) showPresenter(n, slide); else showAudience(n, slide);
    showFlags();
    if (slide && !slide.page && !(state.black && !presenter)) play(video);
  }

  function showAudience(n, slide) {
    $("counter").textContent = (n + 1) + " / " + total;
    $("progress").style.width = (100 * n / (total - 1 || 1)) + "%";
    $("title-slide").hidden = !!slide;
    $("beat").hidden = !slide || !!slide.page;
    $("page-slide").hidden = !(slide && slide.page);
    $("scene").textContent = slide ? slide.scene : "";
    if (!slide || slide.page) {
      unload(video);
      if (slide && $("frame").getAttribute("src") !== slide.page) $("frame").src = slide.page;
      return;
    }
    $("caption").textContent = slide.caption;
    video.src = slide.video;
  }

  function showPresenter(n, slide) {
    const next = slides[n];  // the beat after slide n (slides[n - 1])
    $("p-counter").textContent = (n + 1) + " / " + total;
    $("p-scene").textContent = slide ? slide.scene : "title";
    $("p-loop").hidden = !(slide && slide.loop);
    $("p-title-card").hidden = !!(slide && !slide.page);
    $("p-title-card").textContent = slide && slide.page ? slide.scene + ": a live page" : data.title;
    video.hidden = !slide || !!slide.page;
    if (slide && !slide.page) video.src = slide.video; else unload(video);
    $("p-notes").textContent = slide ? slide.notes : data.title + "\\n" + data.subtitle;
    const nextVideo = $("p-next-video");
    $("p-end-card").hidden = !!(next && !next.page);
    $("p-end-card").textContent = next && next.page ? next.scene + ": a live page" : "End of the deck";
    nextVideo.hidden = !next || !!next.page;
    $("p-next-caption").textContent = next ? next.notes : "";
    if (next && !next.page) nextVideo.src = next.video; else unload(nextVideo);
  }

  function fromHash() {
    const n = parseInt(location.hash.slice(1), 10);
    return Number.isFinite(n) ? n - 1 : 0;
  }

  function openPresenter() {
    const url = location.href.split("#")[0].split("?")[0] + "?presenter#" + (state.n + 1);
    const opened = window.open(url, "relu-explainer-presenter", "popup,width=1280,height=760");
    if (opened) peer = opened;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case " ": case "PageDown": case "Enter":
        apply({n: state.n + 1}, true); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": apply({n: state.n - 1}, true); break;
      case "Home": apply({n: 0}, true); break;
      case "End": apply({n: total - 1}, true); break;
      case "b": case "B": case ".": apply({black: !state.black}, true); break;
      case "c": case "C": apply({captions: !state.captions}, true); break;
      case "a": case "A": apply({auto: !state.auto}, true); break;
      case "s": case "S": if (presenter) return; openPresenter(); break;
      case "f": case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else document.documentElement.requestFullscreen().catch(function () {});
        break;
      default: return;
    }
    event.preventDefault();
  });
  video.addEventListener("click", replay);
  // The next beat as it ends: its first frame is the frame the current beat ends on.
  $("p-next-video").addEventListener("loadedmetadata", function () {
    this.currentTime = Math.max(0, this.duration - 0.05);
  });
  video.addEventListener("ended", function () {
    const slide = slides[state.n - 1];
    // The audience view moves on (and tells the presenter view); the presenter view only follows.
    if (!presenter && slide && (state.auto || slide.advance)) apply({n: state.n + 1}, true);
  });
  window.addEventListener("hashchange", function () { apply({n: fromHash()}, true); });

  if (presenter) {
    document.title = "Presenter: " + document.title;
    $("audience").hidden = $("audience-footer").hidden = $("progress").hidden = true;
    $("presenter").hidden = false;
    let started = Date.now();
    const timer = $("p-timer");
    const tick = function () {
      const s = Math.floor((Date.now() - started) / 1000);
      const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = String(s % 60).padStart(2, "0");
      timer.textContent = h ? h + ":" + String(m).padStart(2, "0") + ":" + sec : m + ":" + sec;
    };
    timer.addEventListener("click", function () { started = Date.now(); tick(); });
    setInterval(tick, 250);
    tick();
  } else {
    $("title-slide").addEventListener("click", function () { apply({n: 1}, true); });
  }
  show(clamp(fromHash()));
  if (presenter) send({hello: true});  // the audience view answers with where it is
})();
</script>
</body>
</html>
"""
