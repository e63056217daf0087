// Passerelle booth: keyboard-first. A scanner types the MRZ like a keyboard; once a whole
// MRZ is in (2 lines of 44 or 36, or 3 of 30) the form sends itself. Ctrl+Enter sends it too.
// The crossing point and direction are remembered on this device.
//
// Each scan goes with a request id (the form's hidden request_id, fresh from the server):
// the same scan sent again (a double click, Check pressed again after a network error, even
// on the form reloaded) goes with the same id, and the node answers it with the inspection
// it already made; another scan gets a new id. The scan in flight is kept in this tab's
// session storage until its verdict shows (ten minutes at most).
//
// On a verdict, A admits, R refers (second line), X refuses: when the reason chosen in the
// form is one of that action's, the decision goes; else the reason the verdict offers for
// that action (the option the page marks selected) is taken; else the form asks in place
// for one of that action's reasons (1-9 pick one, arrows and Enter choose, Escape cancels).
// Every reason comes from the markup: <optgroup data-action="admit|refer|refuse">.
// N starts the next traveller once the decision is made. The keys are read by the letter
// they type (an AZERTY keyboard's A is A); on a layout that types no Latin letter (Arabic)
// by the key's place, as the device's Latin layout was last seen to letter it (QWERTY until
// seen). None of them acts while the focus is in a field. Loaded in the head without defer,
// so that a key pressed while the page still loads is kept for it.
"use strict";
(function () {
  const MRZ_SHAPES = [[2, 44], [2, 36], [3, 30]];
  const ACTION_KEYS = { a: "admit", r: "refer", x: "refuse" };
  const LAYOUT_KEY = "passerelle.latin-keys";
  const PENDING_KEY = "passerelle.pending-scan";
  const PENDING_FOR_MS = 10 * 60 * 1000; // a scan sent again later than this is a new one

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

  // -- one request id per scan -------------------------------------------------------------

  // What makes a scan this scan: every field sent but the form's tokens (a file by its name
  // and size), the MRZ without its spacing.
  function scanOf(form) {
    const parts = [];
    new FormData(form).forEach((value, name) => {
      if (name === "csrf_token" || name === "request_id") return;
      if (typeof value !== "string") value = value.name ? value.name + ":" + value.size : "";
      else if (name === "mrz") value = value.toUpperCase().replace(/\s+/g, "");
      parts.push(name + "=" + value);
    });
    return parts.join("\n");
  }

  function freshId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "booth-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function pendingScan() {
    try { return JSON.parse(window.sessionStorage.getItem(PENDING_KEY) || "null"); } catch (e) { return null; }
  }

  function keepPending(value) {
    try {
      if (value) window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(value));
      else window.sessionStorage.removeItem(PENDING_KEY);
    } catch (e) { /* private mode: the form's own id still covers a double click */ }
  }

  // Set the request id the form goes with: the pending scan's when this is that scan again,
  // the form's own the first time it goes, a new one for another scan from the same form.
  function identifyScan(form) {
    const field = form.querySelector('input[name="request_id"]');
    if (!field) return;
    const scan = scanOf(form);
    const pending = pendingScan();
    const recent = pending && Date.now() - (pending.at || 0) < PENDING_FOR_MS;
    if (recent && pending.scan === scan && pending.id) field.value = pending.id;
    else if (form.dataset.sentScan !== undefined && form.dataset.sentScan !== scan) field.value = freshId();
    form.dataset.sentScan = scan;
    keepPending({ id: field.value, scan: scan, at: Date.now() });
  }

  // -- which key was pressed, whatever the layout ------------------------------------------

  const layout = (() => {
    try { return JSON.parse(window.localStorage.getItem(LAYOUT_KEY) || "{}") || {}; } catch (e) { return {}; }
  })();

  function learn(event) {
    // a Latin letter typed: which letter this device's Latin layout puts on that key
    const key = (event.key || "").toLowerCase();
    if (/^Key[A-Z]$/.test(event.code || "") && /^[a-z]$/.test(key) && layout[event.code] !== key) {
      layout[event.code] = key;
      try { window.localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout)); } catch (e) { /* private mode */ }
    }
  }

  function letter(event) {
    const key = (event.key || "").toLowerCase();
    if (/^[a-z]$/.test(key)) return key;
    const code = event.code || "";
    if (key.length !== 1 || !/^Key[A-Z]$/.test(code)) return "";
    return layout[code] || code.slice(3).toLowerCase();
  }

  function digit(event) {
    if (/^[1-9]$/.test(event.key)) return Number(event.key);
    const found = /^(?:Digit|Numpad)([1-9])$/.exec(event.code || ""); // AZERTY's & é " …, ١ ٢ ٣ …
    return found ? Number(found[1]) : 0;
  }

  function typing(target) {
    return Boolean(target && target.closest && target.closest("input, textarea, select, [contenteditable]"));
  }

  // Focus ``target`` now, and again once the page has loaded: going to the page's #fragment
  // (#decision after a decision) moves the focus to the fragment, which is not focusable.
  // Only where nothing has the focus yet: a key pressed before the page was ready wins.
  function focusNow(target) {
    const unfocused = () => !document.activeElement || document.activeElement === document.body;
    if (unfocused()) target.focus({ preventScroll: true });
    window.addEventListener("load", () => { if (unfocused()) target.focus({ preventScroll: true }); }, { once: true });
  }

  // -- the in-place chooser of a reason ----------------------------------------------------

  function element(tag, attributes, text) {
    const made = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => made.setAttribute(name, value));
    if (text) made.textContent = text;
    return made;
  }

  // The chooser's words, in the reader's language: the page writes them (verdict.html,
  // <script type="application/json" id="chooser-words">: its help line and, per action, its
  // question), so that nothing the officer reads is written here.
  function chooserWords(form) {
    const block = form.querySelector("#chooser-words");
    try { return JSON.parse(block ? block.textContent : "{}") || {}; } catch (e) { return {}; }
  }

  function makeChooser(form, select, pick) {
    const words = chooserWords(form);
    const box = element("div", {
      class: "reason-chooser", id: "reason-chooser", role: "dialog",
      "aria-labelledby": "reason-chooser-title", "aria-describedby": "reason-chooser-help",
    });
    box.hidden = true;
    const title = element("p", { class: "chooser-title", id: "reason-chooser-title" });
    const help = element("p", { class: "hint", id: "reason-chooser-help" }, words.help || "");
    const list = element("ul", { role: "listbox", id: "reason-chooser-list", tabindex: "0",
      "aria-labelledby": "reason-chooser-title" });
    box.append(title, help, list);
    (form.querySelector(".buttons") || select).after(box);
    const state = { action: "", items: [], active: 0, back: null };

    function mark() {
      state.items.forEach((item, index) => {
        item.setAttribute("aria-selected", String(index === state.active));
        item.classList.toggle("active", index === state.active);
      });
      const current = state.items[state.active];
      if (current) { list.setAttribute("aria-activedescendant", current.id); current.scrollIntoView({ block: "nearest" }); }
    }

    function choose(index) {
      const item = state.items[index];
      if (item) pick(state.action, item.dataset.code);
    }

    function close(refocus) {
      box.hidden = true;
      state.action = "";
      if (refocus && state.back) state.back.focus();
    }

    function open(action, group, back) {
      const options = Array.from(group.querySelectorAll("option"));
      state.action = action;
      state.back = back;
      box.dataset.action = action;
      title.textContent = (words.questions || {})[action] || group.label || action;
      state.items = options.map((option, index) => {
        const item = element("li", { role: "option", id: "reason-choice-" + index, "data-code": option.value });
        if (index < 9) item.append(element("kbd", { "aria-hidden": "true" }, String(index + 1)), " ");
        item.append(element("span", {}, option.textContent));
        item.addEventListener("click", () => choose(index));
        return item;
      });
      list.replaceChildren(...state.items);
      state.active = Math.max(0, options.findIndex((option) => option.selected));
      box.hidden = false;
      box.scrollIntoView({ block: "nearest" });
      list.focus({ preventScroll: true });
      mark();
    }

    list.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const count = state.items.length;
      const moves = { ArrowDown: state.active + 1, ArrowUp: state.active - 1, Home: 0, End: count - 1 };
      const number = digit(event);
      if (event.key === "Escape") close(true);
      else if (event.key in moves) { state.active = Math.min(count - 1, Math.max(0, moves[event.key])); mark(); }
      else if (event.key === "Enter" || event.key === " ") choose(state.active);
      else if (number && number <= count) choose(number - 1);
      else return; // A, R, X, N go on to the page's keys
      event.preventDefault();
      event.stopPropagation();
    });

    return { open, close };
  }

  // -- the decision form -------------------------------------------------------------------

  function decisionForm(form) {
    const select = form.querySelector("#reason_code");
    const buttons = {};
    form.querySelectorAll('button[name="action"]').forEach((button) => { buttons[button.value] = button; });
    const group = (action) => select && select.querySelector('optgroup[data-action="' + action + '"]');
    const actionOf = (option) => option && option.parentElement ? option.parentElement.dataset.action : "";
    const chooser = select ? makeChooser(form, select, (action, code) => {
      select.value = code;
      send(action);
    }) : null;
    let sending = false;
    window.addEventListener("pageshow", () => { sending = false; }); // back to the page: again

    function send(action) {
      const button = buttons[action];
      if (button && !sending) form.requestSubmit(button);
    }

    // Whether the form may go with ``action`` now, taking the verdict's reason for it if needed.
    function settled(action) {
      const chosen = select.selectedOptions[0];
      if (actionOf(chosen) === action) return true;
      const offered = Array.from(group(action).querySelectorAll("option")).find((o) => o.defaultSelected);
      if (offered) { select.value = offered.value; return true; }
      return false;
    }

    form.addEventListener("submit", (event) => {
      const action = event.submitter ? event.submitter.value : "";
      if (sending) { event.preventDefault(); return; }
      if (chooser && group(action) && group(action).querySelector("option") && !settled(action)) {
        event.preventDefault();
        chooser.open(action, group(action), buttons[action]);
        return;
      }
      sending = true;
      if (chooser) chooser.close(false);
    });

    // Focus where the next keystroke goes: the button of the reason the verdict offers.
    const first = buttons[actionOf(select && select.selectedOptions[0])] || form.querySelector('button[name="action"]');
    if (first) focusNow(first);

    return { decide: send };
  }

  // The page's keys, once it is read; a key pressed before (a quick officer on a slow
  // tablet: the banner shows while the page still loads) waits for them.
  let pageKeys = null;
  const early = [];

  document.addEventListener("keydown", (event) => {
    learn(event);
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const key = letter(event);
    if (key !== "n" && !ACTION_KEYS[key]) return;
    if (!pageKeys) { early.push(key); event.preventDefault(); }
    else if (pageKeys(key, event.repeat)) event.preventDefault();
  });

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
    const mrz = document.getElementById("mrz");
    if (form && mrz) {
      remember(form);
      handEntry();
      form.addEventListener("submit", () => identifyScan(form));
      let sent = false;
      window.addEventListener("pageshow", () => { sent = false; });
      const send = () => { if (!sent && form.reportValidity()) { sent = true; form.requestSubmit(); } };
      mrz.addEventListener("input", () => { if (wholeMrz(mrz.value)) window.setTimeout(send, 150); });
      form.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); send(); }
      });
      focusNow(mrz);
    }
    if (document.getElementById("verdict")) keepPending(null); // the scan's answer came back
    const next = document.getElementById("next") || document.getElementById("next-while-awaiting");
    if (next) focusNow(next);
    const decisionElement = document.querySelector(".decision-form");
    const decision = decisionElement ? decisionForm(decisionElement) : null;

    pageKeys = (key, repeat) => {
      if (key === "n" && (next || mrz)) {
        if (next) window.location.assign(next.href);
        else mrz.focus();
        return true;
      }
      if (ACTION_KEYS[key] && decision) {
        if (!repeat) decision.decide(ACTION_KEYS[key]);
        return true;
      }
      return false;
    };
    early.splice(0).forEach((key) => pageKeys(key, false));
  });
})();
