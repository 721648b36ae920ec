// Ask the room, on a phone: answers go without a page reload, and the page follows the presenter's question
// (it asks the server every two seconds whether the question or its state changed). Without this script the
// page still works: each answer is a plain form post, and a reload shows the next question.
(() => {
  "use strict";
  const room = document.getElementById("room");
  const live = document.getElementById("room-live");
  const connection = document.getElementById("room-connection");
  if (!room || !live) return;
  const base = room.dataset.base;
  let current = live.querySelector("[data-version]").dataset.version;
  let sending = false;

  function show(html, questionChanged) {
    live.innerHTML = html;
    const section = live.querySelector("[data-version]");
    if (section) current = section.dataset.version;
    if (questionChanged) {
      const heading = live.querySelector("#room-question");
      if (heading) heading.focus();
    }
  }

  async function refresh() {
    if (sending) return;
    try {
      const response = await fetch(base + "/state", {cache: "no-store", credentials: "same-origin"});
      if (!response.ok) throw new Error(String(response.status));
      const {version} = await response.json();
      connection.textContent = "";
      if (version !== current) {
        const page = await fetch(base + "?fragment=1", {cache: "no-store", credentials: "same-origin"});
        const changedQuestion = version.split(":")[0] !== current.split(":")[0];
        show(await page.text(), changedQuestion);
      }
    } catch (error) {
      connection.textContent = "Lost touch with the room: trying again.";
    }
  }

  live.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = new URLSearchParams(new FormData(form));
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    sending = true;
    try {
      const response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin",
        headers: {"X-Room-Fragment": "1", "X-XSRFToken": body.get("_xsrf") || ""},
      });
      if (response.status === 429 || response.status === 413 || response.status === 403) {
        connection.textContent = response.status === 429 ? "Too many answers from this phone: wait a few seconds."
          : "The answer was not taken: reload the page.";
      } else {
        show(await response.text(), false);  // its status line (a live region) says whether it was taken
        const pressed = event.submitter && event.submitter.value;  // keep the keyboard where it was
        const again = pressed ? live.querySelector(`button[name="option"][value="${CSS.escape(pressed)}"]`)
          : live.querySelector(".room-send");
        if (again) again.focus();
      }
    } catch (error) {
      connection.textContent = "The answer could not be sent: check the connection and try again.";
    } finally {
      sending = false;
    }
  });

  setInterval(refresh, 2000);
})();
