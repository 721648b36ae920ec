// What the static site's pages (Voici) need beyond Voila's:
// - Links to a term of the page ("#term-fusion") as the lesson wrote them: Voici 0.10 sends every relative link
//   of a text cell to its files/ folder ("../../files/#term-fusion"), which would leave the page.
// - The page as stored, shown at once while the kernel starts, in place of Voici's spinner: the text cells as
//   Voici rendered them and each code cell's stored outputs (the <template>s index.html.j2 writes), in a <main>
//   with a progress line that repeats Voici's own ("Starting up kernel...", "Executing 3 of 18"). When Voici shows
//   the page its kernel drew, the stored page goes.
(function () {
  "use strict";
  const FILES_ANCHOR = /^(?:\.\.\/)*files\/(#.+)$/;
  for (const link of document.querySelectorAll("#rendered_cells a[href]")) {
    const anchor = FILES_ANCHOR.exec(link.getAttribute("href"));
    if (anchor !== null) {
      link.setAttribute("href", anchor[1]);
    }
  }

  const rendered = document.getElementById("rendered_cells");
  const spinner = document.getElementById("loading");
  if (rendered === null || spinner === null) {
    return;
  }
  const stored = new Map();
  for (const template of document.querySelectorAll("template.ros1-stored-outputs")) {
    stored.set(template.dataset.cellIndex, template);
  }
  const preview = document.createElement("main");
  preview.id = "ros1-preview";
  preview.setAttribute("aria-busy", "true");
  const status = document.createElement("p");
  status.className = "ros1-preview-status";
  status.setAttribute("role", "status");
  preview.append(status);
  for (const cell of rendered.querySelectorAll("[cell-index]")) {
    const outputs = stored.get(cell.getAttribute("cell-index"));
    if (outputs !== undefined) {
      preview.append(outputs.content.cloneNode(true));
    } else if (cell.querySelector(".jp-RenderedMarkdown") !== null) {
      const text = cell.cloneNode(true);
      text.querySelectorAll("script").forEach(function (script) { script.remove(); });
      text.removeAttribute("cell-index");
      preview.append(text);
    }
  }
  spinner.classList.add("ros1-preview-spinner");
  spinner.after(preview);

  function say() {
    const step = (document.getElementById("loading_text") || spinner).textContent.replace(/\s+/g, " ").trim().replace(/\.+$/, "");
    status.textContent = "Starting the interactive parts" + (step ? " (" + step + ")" : "") +
      ". You can read the page meanwhile; its controls appear when they work.";
  }
  function done() {
    return !document.body.contains(spinner) || rendered.style.display !== "none";
  }
  say();
  // Watched: the spinner's text and whether it is still on the page, and #rendered_cells' style (not the
  // preview, whose progress line changes with each step).
  const observer = new MutationObserver(function () {
    if (done()) {
      observer.disconnect();
      preview.remove();
    } else {
      say();
    }
  });
  observer.observe(spinner, { childList: true, subtree: true, characterData: true });
  observer.observe(spinner.parentNode, { childList: true });
  observer.observe(rendered, { attributes: true, attributeFilter: ["style"] });
})();
