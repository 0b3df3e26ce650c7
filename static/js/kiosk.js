/* Kiosk helpers: focus the error summary, warn after a quiet spell, clear the kiosk after.
   Timeouts come from data- attributes on <body> (config KIOSK_IDLE_* / KIOSK_DONE_RESET_S). */
(function () {
  "use strict";
  var body = document.body;
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // The server out of reach (a restart, the network): never Chromium's error page. Before a
  // form is sent or a link followed, a cheap check (GET data-health, 204); if it fails, the
  // kiosk's own "One moment, please" screen, a new check every 2 seconds, and as soon as the
  // server answers, what the patient pressed is carried out.
  var offline = document.getElementById("offline");
  var health = offline ? offline.getAttribute("data-health") : null;
  var RETRY_MS = 2000;
  var CHECK_MS = 3000;

  function reachable() {
    if (!health || !window.fetch) { return Promise.resolve(true); }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, CHECK_MS) : null;
    return window.fetch(health + "?t=" + Date.now(), {
      cache: "no-store", credentials: "same-origin", signal: controller ? controller.signal : undefined
    }).then(function (response) {
      window.clearTimeout(timer);
      return response.ok;
    }, function () {
      window.clearTimeout(timer);
      return false;
    });
  }
  function showOffline() {
    if (offline.open) { return; }
    if (typeof offline.showModal === "function") { offline.showModal(); } else { offline.setAttribute("open", ""); }
    document.getElementById("offline-title").focus();
  }
  function hideOffline() {
    if (offline.open && typeof offline.close === "function") { offline.close(); }
    offline.removeAttribute("open");
  }
  var waiting = null;
  function whenReachable(action) {
    reachable().then(function (ok) {
      if (ok) { action(); return; }
      waiting = action;  // the latest press wins
      showOffline();
      window.setTimeout(function retry() {
        reachable().then(function (back) {
          if (!back) { window.setTimeout(retry, RETRY_MS); return; }
          var todo = waiting;
          waiting = null;
          hideOffline();
          if (todo) { todo(); }
        });
      }, RETRY_MS);
    });
  }
  if (offline) {
    offline.addEventListener("cancel", function (event) { event.preventDefault(); });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
      event.preventDefault();
      if (form.hasAttribute("data-sending")) { return; }
      var submitter = event.submitter;
      whenReachable(function () {
        // form.submit() leaves out the button pressed: carry its name and value along.
        if (submitter && submitter.name) {
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = submitter.name;
          pressed.value = submitter.value;
          form.appendChild(pressed);
        }
        form.setAttribute("data-sending", "");
        HTMLFormElement.prototype.submit.call(form);
      });
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented || link.origin !== window.location.origin ||
          link.getAttribute("href").charAt(0) === "#") { return; }
      event.preventDefault();
      whenReachable(function () { window.location.assign(link.href); });
    });
  }
  function carryOut(action) { if (offline) { whenReachable(action); } else { action(); } }

  // Danger signs: a Yes is sent the moment it is ticked, so an emergency answer goes straight
  // to the emergency screen (and staff are alerted) without waiting for the other questions
  // or the Next button. Without JavaScript, Next does the same.
  var dangerForm = document.querySelector("form[data-screen-on-yes]");
  if (dangerForm && window.fetch && window.FormData && window.URLSearchParams) {
    dangerForm.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio" || input.value !== "yes" || !input.checked) { return; }
      // Sent as an ordinary form post: the server accepts no other kind of body.
      var data = new URLSearchParams(new FormData(dangerForm));
      data.set("nav", "screen");
      window.fetch(dangerForm.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected) { window.location.assign(response.url); }
        })
        .catch(function () {
          // The server out of reach: say so, and send the Yes again once it answers.
          carryOut(function () { input.dispatchEvent(new Event("change", { bubbles: true })); });
        });
    });
  }

  // Text size (A / A+): applied at once and remembered in the background, so nothing typed on
  // the page is lost. Without JavaScript the form posts and the page comes back larger.
  var sizeForm = document.querySelector("form.text-size");
  if (sizeForm && window.fetch && window.FormData && window.URLSearchParams) {
    sizeForm.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      document.documentElement.classList.toggle("text-large", button.value === "large");
      sizeForm.querySelectorAll("button[name='size']").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      var data = new URLSearchParams(new FormData(sizeForm));
      data.set("size", button.value);
      data.set("fetch", "1");
      window.fetch(sizeForm.action, { method: "POST", body: data, credentials: "same-origin" })
        .catch(function () { /* The page still shows the chosen size. */ });
    });
  }

  dangerKeys(dangerForm);

  var dialog = document.getElementById("idle-dialog");
  var resetForm = document.getElementById("reset-form");
  if (!dialog || !resetForm) { return; }

  function seconds(name, fallback) {
    var value = parseFloat(body.getAttribute(name));
    return (isNaN(value) ? fallback : value) * 1000;
  }
  function reset() { carryOut(function () { resetForm.submit(); }); }

  var doneReset = body.getAttribute("data-done-reset");
  if (doneReset !== null) {
    // The result screen goes back to the start on its own, for the next patient.
    window.setTimeout(reset, seconds("data-done-reset", 60));
    return;
  }

  var warnAfter = seconds("data-idle-warning", 90);
  var resetAfter = seconds("data-idle-reset", 30);
  var warnTimer = null;
  var resetTimer = null;
  var lastFocus = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(warn, warnAfter);
  }
  function warn() {
    lastFocus = document.activeElement;
    if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    document.getElementById("idle-continue").focus();
    resetTimer = window.setTimeout(reset, resetAfter);
  }
  function carryOn() {
    window.clearTimeout(resetTimer);
    if (dialog.open) { dialog.close(); }
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
    schedule();
  }
  document.getElementById("idle-continue").addEventListener("click", carryOn);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); carryOn(); });
  ["keydown", "pointerdown", "input", "scroll", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function () { if (!dialog.open) { schedule(); } },
      { passive: true, capture: true });
  });
  schedule();

  // Danger signs: a Yes needs a deliberate act (clinical brief v3 §4.1). Arrow keys on a radio
  // group would move the choice itself (and wrap round to Yes); here they move the focus only,
  // through every answer on the step. Space, Enter or a tap chooses.
  function dangerKeys(form) {
    if (!form) { return; }
    var steps = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    form.addEventListener("keydown", function (event) {
      var input = event.target;
      if (input.type !== "radio" || event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "Enter") {
        // Enter chooses the focused answer, as Space does (it would otherwise send the form).
        event.preventDefault();
        if (!input.checked) { input.click(); }
        return;
      }
      var step = steps[event.key];
      if (!step) { return; }
      event.preventDefault();
      var radios = Array.prototype.slice.call(form.querySelectorAll("input[type=radio]"));
      var next = radios[radios.indexOf(input) + step];
      if (next) { next.focus(); }
    });
  }
}());
