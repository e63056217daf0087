// Passerelle list pages: a file larger than the node takes is refused before it is sent, and
// a load's page follows the load (its lines read, polled from the node) until it ends, then
// shows its result. No library: the page's own <progress>.
"use strict";
(function () {
  function guardUploads() {
    document.querySelectorAll("form.upload[data-max-bytes]").forEach((form) => {
      const limit = Number(form.dataset.maxBytes);
      const warning = form.querySelector(".too-large");
      form.addEventListener("submit", (event) => {
        const file = form.querySelector("input[type=file]").files[0];
        const tooLarge = Boolean(file) && file.size > limit;
        if (warning) warning.hidden = !tooLarge;
        if (tooLarge) event.preventDefault();
      });
    });
  }

  function follow() {
    const load = document.getElementById("load");
    if (!load || load.dataset.finished === "yes") return;
    const bar = document.getElementById("load-progress");
    const total = Number(document.getElementById("lines-total").textContent) || 0;
    const tick = () => {
      fetch(load.dataset.progress, { credentials: "same-origin", cache: "no-store" })
        .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
        .then((state) => {
          document.getElementById("lines-done").textContent = String(state.lines);
          if (total) {
            bar.value = Math.min(state.lines, total);
            document.getElementById("load-percent").textContent = String(Math.floor((100 * Math.min(state.lines, total)) / total));
          }
          if (state.finished) window.location.reload();
          else window.setTimeout(tick, 500);
        })
        .catch(() => window.setTimeout(tick, 2000));
    };
    tick();
  }

  document.addEventListener("DOMContentLoaded", () => {
    guardUploads();
    follow();
  });
})();
