// The slides view of a lesson (`?view=slides`): each section (each `##` heading of the lesson starts one) is
// shown in slides that fit the screen: a section taller than the screen is split into several, at its blocks
// (paragraphs, list items, table rows with the table's header kept, widget parts), each later one headed
// "<section> (continued)". Moved with the keyboard (→, Page Down or Space: next; ←, Page Up: back; Home, End)
// or the buttons, with a slide counter read out to screen readers. The slides are made again when the page
// changes (widgets appear, a choice redraws a table) or the window is resized, keeping the slide in view.
// Without `?view=slides` the page is left as it is.
(function () {
  "use strict";
  if (new URLSearchParams(window.location.search).get("view") !== "slides") {
    return;
  }
  const FORWARD = ["ArrowRight", "PageDown", " "];
  const BACK = ["ArrowLeft", "PageUp"];
  const HIDDEN = "ros1-slide-hidden";
  // Tables with this many columns or more are shown as cards in slides (a row a card, each cell with its column's
// name), as four or more narrow columns do not fit 1024 px in large type.
const CARD_COLUMNS = 4;
// Room left for the padding of the cells and outputs around a block.
const PADDING = 48;
const ATOMIC = ["IMG", "SVG", "CANVAS", "VIDEO", "SELECT", "INPUT", "BUTTON", "TEXTAREA", "PRE", "FIGURE",
    "H1", "H2", "H3", "H4", "P", "SUMMARY", "LABEL"];
  const rendered = document.querySelector("#rendered_cells");
  const cells = Array.from(document.querySelectorAll("#rendered_cells [cell-index]"));
  // A section's blocks: whole cells, and the parts of a Markdown cell that holds `##` headings, so that two
  // sections written in one cell are two sections.
  const sections = [];
  for (const cell of cells) {
    const markdown = cell.querySelector(".jp-RenderedMarkdown");
    const split = markdown !== null && markdown.querySelector(":scope > h2") !== null;
    for (const block of split ? Array.from(markdown.children) : [cell]) {
      if (block.tagName === "H2" || sections.length === 0) {
        sections.push({ blocks: [], title: "", leaves: [], parents: [], pages: [] });
      }
      sections[sections.length - 1].blocks.push(block);
    }
  }
  if (rendered === null || sections.length === 0) {
    return;
  }
  for (const section of sections) {
    const first = section.blocks[0];
    const heading = first.matches("h1, h2") ? first : first.querySelector("h1, h2");
    section.title = heading ? heading.textContent.replace(/¶/g, "").trim() : "";
    section.heading = heading;
  }

  // Show one section's cells (and, in a cell shared with other sections, only its own blocks).
  function showSection(shown) {
    cells.forEach(function (cell) {
      cell.classList.toggle(HIDDEN, !shown.blocks.some(function (block) { return cell.contains(block); }));
    });
    sections.forEach(function (section) {
      section.blocks.forEach(function (block) { block.classList.toggle(HIDDEN, section !== shown); });
    });
  }
  document.body.classList.add("ros1-slides");

  const continued = document.createElement("p");
  continued.className = "ros1-slides-continued";
  continued.setAttribute("tabindex", "-1");
  rendered.prepend(continued);

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

  // An element that is shown whole: a leaf of the splitting (nor is a flex row with several things side by
  // side split, or an element with text of its own beside its children).
  function atomic(element, style) {
    if (ATOMIC.includes(element.tagName.toUpperCase()) || element.children.length === 0 ||
        style.display === "table-row") {
      return true;
    }
    if (style.display.includes("flex") && !style.flexDirection.startsWith("column")) {
      const boxes = Array.from(element.children).map(function (child) { return child.getBoundingClientRect(); })
        .filter(function (box) { return box.width > 1 && box.height > 1; })
        .sort(function (a, b) { return a.top - b.top; });
      const sideBySide = boxes.some(function (box, i) { return i > 0 && box.top < boxes[i - 1].bottom - 1; });
      if (sideBySide) {
        return true; // a wrapped row whose parts stand one under another is split like a column
      }
    }
    return Array.from(element.childNodes).some(function (node) {
      return node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== "";
    });
  }

  // The blocks of `element` no taller than `budget` (as far as splitting allows), in page order.
  function collect(element, budget, section) {
    const style = window.getComputedStyle(element);
    if (style.display === "none" || element.tagName === "SCRIPT" || element.tagName === "STYLE") {
      return;
    }
    const table = element.closest("table");
    if (style.display === "table-row" && element.getBoundingClientRect().height > budget && table !== null &&
        !table.classList.contains("ros1-slides-cards")) {
      asCards(table); // a row taller than a slide: its cells, one under another, can go on several slides
      collect(element, budget, section);
      return;
    }
    if (element.getBoundingClientRect().height <= budget || atomic(element, style)) {
      section.leaves.push(element);
      return;
    }
    section.parents.push(element);
    for (const child of element.children) {
      if (element.tagName === "TABLE" && child.tagName === "THEAD") {
        continue; // a split table keeps its header on every slide
      }
      collect(child, budget, section);
    }
  }

  // Show a table as cards: each cell named with its column (ros1-slides.css lays it out).
  function asCards(table) {
    const names = Array.from(table.querySelectorAll("thead th")).map(function (th) { return th.textContent.trim(); });
    table.classList.add("ros1-slides-cards");
    for (const row of table.querySelectorAll("tbody tr")) {
      Array.from(row.children).forEach(function (cell, i) {
        if (names[i]) {
          cell.setAttribute("data-label", names[i]);
        }
      });
    }
  }

  function markWideTables() {
    for (const table of rendered.querySelectorAll("table")) {
      if (table.querySelectorAll("thead th").length >= CARD_COLUMNS) {
        asCards(table);
      }
    }
  }

  function clear(elements) {
    elements.forEach(function (element) { element.classList.remove(HIDDEN); });
  }

  function scrollToTop() {
    for (let element = rendered; element !== null; element = element.parentElement) {
      element.scrollTop = 0;
    }
    window.scrollTo(0, 0);
  }

  // Show one slide of a section: its blocks, the containers that hold them, and "(continued)" after the first.
  function apply(section, page, first) {
    section.leaves.forEach(function (leaf) { leaf.classList.toggle(HIDDEN, !page.includes(leaf)); });
    section.parents.forEach(function (parent) {
      parent.classList.toggle(HIDDEN, !page.some(function (leaf) { return parent.contains(leaf); }));
    });
    continued.textContent = section.title + " (continued)";
    continued.classList.toggle(HIDDEN, first);
  }

  // The lowest point the blocks reach on the screen (what is inside a block may reach below its own box).
  function lowest(blocks) {
    let bottom = 0;
    for (const block of blocks) {
      for (const element of [block, ...block.querySelectorAll("*")]) {
        const box = element.getBoundingClientRect();
        if (box.height > 0) {
          bottom = Math.max(bottom, box.bottom);
        }
      }
    }
    return bottom;
  }

  // Split every section into slides that fit between the top of the cells and the slide bar: as many blocks
  // as their measured heights allow, then fewer while the slide, shown, still reaches below the bar.
  function paginate() {
    markWideTables();
    for (const section of sections) {
      clear(section.leaves);
      clear(section.parents);
      section.leaves = [];
      section.parents = [];
    }
    continued.textContent = "Continued";
    continued.classList.remove(HIDDEN);
    const continuedHeight = continued.getBoundingClientRect().height +
      parseFloat(window.getComputedStyle(continued).marginBottom);
    continued.classList.add(HIDDEN);
    for (const section of sections) {
      showSection(section);
      scrollToTop();
      const limit = bar.getBoundingClientRect().top;
      const top = rendered.getBoundingClientRect().top + parseFloat(window.getComputedStyle(rendered).paddingTop);
      const budget = limit - top - 8;
      // Blocks are split until each fits a later slide, under its "(continued)" line and inside its cell's and
      // output's padding.
      section.blocks.forEach(function (block) { collect(block, budget - continuedHeight - PADDING, section); });
      const boxes = section.leaves.map(function (leaf) { return leaf.getBoundingClientRect(); });
      section.pages = [];
      let start = 0;
      while (start < section.leaves.length) {
        let end = start + 1;
        while (end < section.leaves.length && boxes[end].bottom - boxes[start].top <= budget) {
          end += 1;
        }
        apply(section, section.leaves.slice(start, end), section.pages.length === 0);
        while (end - start > 1 && lowest(section.leaves.slice(start, end)) > limit) {
          end -= 1;
          apply(section, section.leaves.slice(start, end), section.pages.length === 0);
        }
        section.pages.push(section.leaves.slice(start, end));
        start = end;
      }
      clear(section.leaves);
      clear(section.parents);
      continued.classList.add(HIDDEN);
    }
  }

  let slides = []; // [section index, page index] of every slide, in order
  let current = 0;

  function show(index, moveFocus = true) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    const [sectionIndex, pageIndex] = slides[current];
    const section = sections[sectionIndex];
    showSection(section);
    apply(section, section.pages[pageIndex], pageIndex === 0);
    counter.textContent = "Slide " + (current + 1) + " of " + slides.length;
    back.disabled = current === 0;
    forward.disabled = current === slides.length - 1;
    scrollToTop();
    const heading = pageIndex === 0 ? section.heading : continued;
    if (heading && moveFocus) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }

  // Make the slides again, staying on the slide that shows the same first block (or the same section).
  function remake() {
    const before = slides.length ? slides[current] : [0, 0];
    const firstBlock = slides.length ? sections[before[0]].pages[before[1]][0] : null;
    observer.disconnect();
    paginate();
    slides = [];
    sections.forEach(function (section, i) {
      section.pages.forEach(function (_, k) { slides.push([i, k]); });
    });
    let index = slides.findIndex(function ([i, k]) {
      return i === before[0] && (firstBlock === null || sections[i].pages[k].includes(firstBlock));
    });
    if (index < 0) {
      index = slides.findIndex(function ([i]) { return i === before[0]; });
    }
    const focused = document.activeElement;
    show(index, !(focused instanceof Element && rendered.contains(focused) && focused !== continued));
    observer.observe(rendered, { childList: true, subtree: true, characterData: true });
  }

  let pending = null;
  function remakeSoon() {
    window.clearTimeout(pending);
    pending = window.setTimeout(remake, 250);
  }
  const observer = new MutationObserver(function (records) {
    if (records.some(function (record) { return !continued.contains(record.target); })) {
      remakeSoon(); // the page changed (not just the "continued" line of the slide shown)
    }
  });
  window.addEventListener("resize", remakeSoon);
  rendered.addEventListener("load", remakeSoon, true); // a picture that has loaded has its height now

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
  remake();
})();
