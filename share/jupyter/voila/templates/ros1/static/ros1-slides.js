// The slides view of a lesson (`?view=slides`): one slide per section (each `##` heading of the lesson starts
// one), moved with the keyboard (→, Page Down or Space: next; ←, Page Up: back; Home, End) or the buttons,
// with a slide counter read out to screen readers. Without `?view=slides` the page is left as it is.
(function () {
  "use strict";
  if (new URLSearchParams(window.location.search).get("view") !== "slides") {
    return;
  }
  const FORWARD = ["ArrowRight", "PageDown", " "];
  const BACK = ["ArrowLeft", "PageUp"];
  const cells = Array.from(document.querySelectorAll("#rendered_cells [cell-index]"));
  const slides = [];
  for (const cell of cells) {
    const startsSection = cell.querySelector(".jp-MarkdownCell h2") !== null;
    if (startsSection || slides.length === 0) {
      slides.push([]);
    }
    slides[slides.length - 1].push(cell);
  }
  if (slides.length === 0) {
    return;
  }
  document.body.classList.add("ros1-slides");

  const bar = document.createElement("nav");
  bar.className = "ros1-slides-bar";
  bar.setAttribute("aria-label", "Slides");
  const back = document.createElement("button");
  back.type = "button";
  back.textContent = "← Previous slide";
  const counter = document.createElement("p");
  counter.className = "ros1-slides-counter";
  counter.setAttribute("role", "status");
  const forward = document.createElement("button");
  forward.type = "button";
  forward.textContent = "Next slide →";
  const leave = document.createElement("a");
  leave.href = window.location.pathname;
  leave.textContent = "Leave slides";
  bar.append(back, counter, forward, leave);
  document.body.append(bar);

  let current = 0;
  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.forEach(function (cell) {
        cell.classList.toggle("ros1-slide-hidden", i !== current);
      });
    });
    counter.textContent = "Slide " + (current + 1) + " of " + slides.length;
    back.disabled = current === 0;
    forward.disabled = current === slides.length - 1;
    window.scrollTo(0, 0);
    const heading = slides[current][0].querySelector("h1, h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
  function typingInAControl(target) {
    return target instanceof Element && target.closest("input, select, textarea, [contenteditable]") !== null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typingInAControl(event.target)) {
      return;
    }
    if (event.key === " " && event.target instanceof Element && event.target.closest("button, a, summary")) {
      return; // Space presses the focused button or link
    }
    if (FORWARD.includes(event.key)) {
      show(current + 1);
    } else if (BACK.includes(event.key)) {
      show(current - 1);
    } else if (event.key === "Home") {
      show(0);
    } else if (event.key === "End") {
      show(slides.length - 1);
    } else {
      return;
    }
    event.preventDefault();
  });
  back.addEventListener("click", function () { show(current - 1); });
  forward.addEventListener("click", function () { show(current + 1); });
  show(0);
})();
