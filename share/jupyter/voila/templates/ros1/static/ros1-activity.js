// Measures the learner's active time on a lesson page and the sections they have seen, for their learning
// record. Active: the page is shown and focused, and the learner moved the pointer, pressed a key, scrolled or
// touched within the last `idle` seconds (a tab left open counts nothing). A section is seen when its heading
// is on screen while the page is active. The report is written into the lesson's hidden control
// (`.ros1-activity-signal`, a Text widget; its placeholder holds the settings), which hands it to the record in
// the kernel: first 3 seconds after the control appears, then every `every` seconds, and when the page is
// hidden or left. Pages without that control (nothing recorded) report nothing. Nothing leaves the page except
// through the page's own kernel.
(function () {
  "use strict";
  const SIGNAL = ".ros1-activity-signal input";
  const HEADINGS = ".jp-MarkdownCell h2";
  const MAX_SECONDS = 600; // at most this much in one report (the kernel refuses more)
  const DEFAULTS = { idle: 60, every: 15 };
  const FIRST_REPORT = 3; // seconds: the first report comes soon after the control appears, so a short visit counts
  let lastInput = Date.now();
  let pending = 0;
  let sequence = 0;
  let sinceReport = 0;
  let seenReported = -1;
  const seen = new Set();
  const onScreen = new Set();
  const watched = new WeakSet();

  function settings(input) {
    try {
      return Object.assign({}, DEFAULTS, JSON.parse(input.placeholder));
    } catch (error) {
      return DEFAULTS;
    }
  }

  function title(heading) {
    return heading.textContent.replace(/\u00b6/g, "").trim().slice(0, 200);
  }

  const observer = new IntersectionObserver(function (entries) {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        onScreen.add(entry.target);
      } else {
        onScreen.delete(entry.target);
      }
    }
  });

  function headings() {
    const found = Array.from(document.querySelectorAll(HEADINGS));
    for (const heading of found) {
      if (!watched.has(heading)) {
        watched.add(heading);
        observer.observe(heading);
      }
    }
    return found;
  }

  function report() {
    const input = document.querySelector(SIGNAL);
    if (!input || (pending === 0 && seen.size === seenReported)) {
      return;
    }
    const sections = Array.from(new Set(headings().map(title).filter(Boolean))).slice(0, 60);
    sequence += 1;
    input.value = JSON.stringify({ sequence: sequence, seconds: Math.min(pending, MAX_SECONDS), sections: sections,
      seen: Array.from(seen).filter(function (name) { return sections.includes(name); }) });
    input.dispatchEvent(new Event("input", { bubbles: true }));
    pending = 0;
    seenReported = seen.size;
  }

  function tick() {
    const input = document.querySelector(SIGNAL);
    const { idle, every } = input ? settings(input) : DEFAULTS;
    headings();
    const active = document.visibilityState === "visible" && document.hasFocus() &&
      Date.now() - lastInput < idle * 1000;
    if (active) {
      pending += 1;
      onScreen.forEach(function (heading) { seen.add(title(heading)); });
    }
    sinceReport += 1;
    if (sinceReport >= (sequence === 0 ? Math.min(FIRST_REPORT, every) : every)) {
      sinceReport = 0;
      report();
    }
  }

  for (const type of ["pointermove", "pointerdown", "keydown", "wheel", "scroll", "touchstart"]) {
    window.addEventListener(type, function () { lastInput = Date.now(); }, { capture: true, passive: true });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      report();
    }
  });
  window.addEventListener("pagehide", report);
  setInterval(tick, 1000);
})();
