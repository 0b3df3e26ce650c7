/* Kiosk helpers: focus the error summary, warn after a quiet spell, clear the kiosk after.
   Timeouts come from data- attributes on <body> (config KIOSK_IDLE_* / KIOSK_DONE_RESET_S). */
(function () {
  "use strict";
  var body = document.body;
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

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
        .catch(function () { /* Next still screens the answers. */ });
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

  var dialog = document.getElementById("idle-dialog");
  var resetForm = document.getElementById("reset-form");
  if (!dialog || !resetForm) { return; }

  function seconds(name, fallback) {
    var value = parseFloat(body.getAttribute(name));
    return (isNaN(value) ? fallback : value) * 1000;
  }
  function reset() { resetForm.submit(); }

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
}());
