// Passerelle booth: keyboard-first. A scanner types the MRZ like a keyboard; once a whole
// MRZ is in (2 lines of 44 or 36, or 3 of 30) the form sends itself. Ctrl+Enter sends it too.
// The crossing point and direction are remembered on this device.
"use strict";
(function () {
  const MRZ_SHAPES = [[2, 44], [2, 36], [3, 30]];

  function wholeMrz(text) {
    const lines = text.toUpperCase().split(/\r?\n/).map((l) => l.replace(/\s+/g, "")).filter((l) => l);
    return MRZ_SHAPES.some(([count, width]) => lines.length === count && lines.every((l) => l.length === width));
  }

  function remember(form) {
    form.querySelectorAll("[data-remember]").forEach((field) => {
      const key = "passerelle." + field.dataset.remember;
      const saved = window.localStorage.getItem(key);
      if (field.type === "radio") {
        if (saved !== null) field.checked = field.value === saved;
        field.addEventListener("change", () => field.checked && window.localStorage.setItem(key, field.value));
      } else {
        if (saved && !field.value) field.value = saved;
        field.addEventListener("change", () => window.localStorage.setItem(key, field.value));
      }
    });
  }

  // Hand entry (no readable MRZ): while its fields are open they are required and the MRZ is not.
  function handEntry() {
    const panel = document.getElementById("hand-entry");
    const mrz = document.getElementById("mrz");
    if (!panel || !mrz) return;
    const sync = () => {
      mrz.required = !panel.open;
      panel.querySelectorAll("[data-hand-required]").forEach((field) => { field.required = panel.open; });
    };
    panel.addEventListener("toggle", () => {
      sync();
      if (panel.open) document.getElementById("vz-document_code").focus();
    });
    sync();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("check-form");
    if (form) {
      remember(form);
      handEntry();
      const mrz = document.getElementById("mrz");
      let sent = false;
      const send = () => { if (!sent && form.reportValidity()) { sent = true; form.requestSubmit(); } };
      mrz.addEventListener("input", () => { if (wholeMrz(mrz.value)) window.setTimeout(send, 150); });
      form.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); send(); }
      });
    }
    const next = document.getElementById("next");
    if (next) next.focus();
    const decision = document.querySelector(".decision-form");
    if (decision) {
      document.addEventListener("keydown", (event) => {
        if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
        const button = { a: "admit", r: "refer", x: "refuse" }[event.key.toLowerCase()];
        if (button) { event.preventDefault(); document.getElementById(button).click(); }
      });
    }
  });
})();
