// Tells the visitor when the page has lost its kernel: the kernel died and was restarted without the page's
// state ("restarting"), could not be restarted ("dead"), or the connection to the server closed (server
// stopped, network lost). The page then shows one banner, read out by screen readers, with a Reload button,
// and the rest of the page is made inert so that nothing pretends to work. Loaded before Voila's own script,
// so that every kernel connection Voila opens is watched.
(function () {
  "use strict";
  const KERNEL_CHANNELS = /\/api\/kernels\/[^/?]+\/channels/;
  const LOST = ["restarting", "dead"];
  const RECONNECT_MS = 4000; // a closed connection that Voila reopens within this time was a blip, not a loss
  const MESSAGE = "This page lost its connection to the course. Reload to continue; your choices on this page " +
    "will be reset.";
  const NativeWebSocket = window.WebSocket;
  let leaving = false;
  let shown = false;
  let open = 0;

  function statusOf(data) {
    // The kernel's execution state in a status message, in either of Jupyter's WebSocket formats.
    try {
      if (typeof data === "string") {
        const message = JSON.parse(data);
        return message.header && message.header.msg_type === "status" ? message.content.execution_state : null;
      }
      if (!(data instanceof ArrayBuffer)) {
        return null;
      }
      const view = new DataView(data);
      const count = Number(view.getBigUint64(0, true));
      const offsets = [];
      for (let i = 1; i <= count; i++) {
        offsets.push(Number(view.getBigUint64(8 * i, true)));
      }
      const text = new TextDecoder();
      const part = (i) => text.decode(data.slice(offsets[i], i + 1 < offsets.length ? offsets[i + 1] : undefined));
      if (JSON.parse(part(1)).msg_type !== "status") {
        return null;
      }
      return JSON.parse(part(4)).execution_state;
    } catch (error) {
      return null;
    }
  }

  function showBanner(reason) {
    if (shown || leaving) {
      return;
    }
    shown = true;
    const banner = document.createElement("div");
    banner.className = "ros1-connection-lost";
    banner.setAttribute("role", "alert");
    banner.dataset.reason = reason;
    const text = document.createElement("p");
    text.textContent = MESSAGE;
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload";
    reload.addEventListener("click", function () { window.location.reload(); });
    banner.append(text, reload);
    for (const region of document.querySelectorAll("#rendered_cells, .ros1-slides-bar")) {
      region.setAttribute("inert", "");
      region.classList.add("ros1-lost");
    }
    document.body.prepend(banner);
    reload.focus();
  }

  class CourseWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (KERNEL_CHANNELS.test(String(url))) {
        this.addEventListener("open", function () { open += 1; });
        this.addEventListener("close", function (event) {
          open = Math.max(0, open - 1);
          setTimeout(function () {
            if (open === 0) {
              showBanner("closed");
            }
          }, RECONNECT_MS);
        });
        this.addEventListener("message", function (event) {
          const state = statusOf(event.data);
          if (LOST.includes(state)) {
            showBanner(state);
          }
        });
      }
    }
  }
  window.WebSocket = CourseWebSocket;
  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("beforeunload", function () { leaving = true; });
})();
