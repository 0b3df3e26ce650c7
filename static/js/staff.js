/* Live alerts on every staff page: new emergency and urgent intakes nobody has acknowledged.

   Short polling, not Server-Sent Events: gunicorn sync workers would hold one worker per open
   staff page for an event stream, while one poll of GET /staff/alerts takes a few milliseconds
   and frees the worker at once (docs/alerts.md). The page only talks to its own server, which
   reads the shared database, so kiosk and staff may be on different servers.

   The contract with templates/staff/_alerts.html (and the browser tests):
     #staff-alerts   data-alerts-url, data-poll-seconds, data-chime-url, data-login-url;
                     data-chimes counts the chimes played (for tests)
     #alert-live     the role="alert" live region; holds .alert-banner with .alert-item
                     [data-alert-id] entries (patient name link, cause, time raised)
     #alert-mute     the mute switch: a button with aria-pressed, remembered in localStorage
     #alert-status   "You were logged out" / "Alerts are not updating"
     #queue-new      (queue page only) data-latest-id; shown when a newer intake exists
*/
(function () {
  "use strict";
  var root = document.getElementById("staff-alerts");
  var live = document.getElementById("alert-live");
  if (!root || !live || !window.fetch) { return; }
  var muteButton = document.getElementById("alert-mute");
  var statusLine = document.getElementById("alert-status");
  var queueNew = document.getElementById("queue-new");

  var MUTED_KEY = "clinic.alerts.muted";
  var HEARD_KEY = "clinic.alerts.heard";
  var GESTURE_KEY = "clinic.alerts.gesture";
  var pollMs = Math.max(1, Number(root.dataset.pollSeconds) || 2) * 1000;
  var baseTitle = document.title;
  var sound = new Audio(root.dataset.chimeUrl);
  sound.preload = "auto";

  var state = {
    muted: read(window.localStorage, MUTED_KEY) === "1",
    // A click or key press on this page (or earlier in this tab): browsers block sound before.
    gesture: read(window.sessionStorage, GESTURE_KEY) === "1",
    pending: [],          // new alert ids whose chime is waiting for a gesture
    shown: renderedKey(), // what the banner shows now, so an unchanged answer changes nothing
    failures: 0,
    stopped: false
  };

  function read(storage, key) {
    try { return storage.getItem(key); } catch (e) { return null; }
  }
  function write(storage, key, value) {
    try { storage.setItem(key, value); } catch (e) { /* private mode: memory only */ }
  }
  function heardIds() {
    var ids;
    try { ids = JSON.parse(read(window.localStorage, HEARD_KEY) || "[]"); } catch (e) { ids = []; }
    return Array.isArray(ids) ? ids : [];
  }

  function renderedKey() {
    var ids = Array.prototype.map.call(live.querySelectorAll("[data-alert-id]"), function (item) {
      return item.getAttribute("data-alert-id");
    });
    return (live.getAttribute("data-count") || "0") + "|" + ids.join(",");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // The banner, built with textContent only: names are never parsed as HTML.
  function render(data) {
    var key = data.count + "|" + data.alerts.map(function (a) { return String(a.id); }).join(",");
    document.title = data.count > 0 ? "(" + data.count + ") " + baseTitle : baseTitle;
    if (key === state.shown) { return; }
    state.shown = key;
    live.setAttribute("data-count", String(data.count));
    live.textContent = "";
    if (data.count === 0) { return; }
    var banner = el("div", "alert-banner");
    var heading = el("p", "alert-heading");
    heading.appendChild(el("strong", "", "\u26A0 " + data.count +
      (data.count === 1 ? " patient needs" : " patients need") + " a clinician now"));
    banner.appendChild(heading);
    var list = el("ul", "alert-list");
    data.alerts.forEach(function (a) {
      var item = el("li", "alert-item alert-" + a.urgency);
      item.setAttribute("data-alert-id", String(a.id));
      // dir="auto" isolates the name (as <bdi> would): a right-to-left name cannot reorder the
      // words after it.
      var link = el("a", "", a.patient);
      link.dir = "auto";
      link.href = a.url;
      item.appendChild(link);
      var urgency = a.urgency.charAt(0).toUpperCase() + a.urgency.slice(1);
      item.appendChild(document.createTextNode(": " + a.cause + ". " + urgency +
        ", raised at " + a.raised_at + " (" + a.reference + ")."));
      list.appendChild(item);
    });
    banner.appendChild(list);
    if (data.count > data.alerts.length) {
      banner.appendChild(el("p", "alert-more",
        "And " + (data.count - data.alerts.length) + " more: see the queue."));
    }
    live.appendChild(banner);
  }

  // The chime: once per new alert id, only after a gesture, never when muted.
  function chimeFor(ids) {
    var heard = heardIds();
    var fresh = ids.filter(function (id) { return heard.indexOf(id) < 0; });
    // Forget ids no longer listed (acknowledged or closed), so the list stays short.
    write(window.localStorage, HEARD_KEY, JSON.stringify(heard.filter(function (id) {
      return ids.indexOf(id) >= 0;
    })));
    state.pending = state.pending.filter(function (id) { return ids.indexOf(id) >= 0; });
    if (fresh.length === 0) { return; }
    if (state.muted) { markHeard(fresh); return; }
    fresh.forEach(function (id) {
      if (state.pending.indexOf(id) < 0) { state.pending.push(id); }
    });
    if (state.gesture) { playPending(); }
  }

  function markHeard(ids) {
    var heard = heardIds();
    ids.forEach(function (id) { if (heard.indexOf(id) < 0) { heard.push(id); } });
    write(window.localStorage, HEARD_KEY, JSON.stringify(heard));
  }

  function playPending() {
    if (state.pending.length === 0 || state.muted) { return; }
    var ids = state.pending;
    state.pending = [];
    var played = function () {
      markHeard(ids);
      root.setAttribute("data-chimes", String(Number(root.getAttribute("data-chimes") || 0) + 1));
    };
    var blocked = function () {
      // Not allowed yet (no gesture on this page after all): wait for the next one.
      state.gesture = false;
      state.pending = state.pending.concat(ids);
    };
    try {
      sound.currentTime = 0;
      var result = sound.play();
      if (result && result.then) { result.then(played, blocked); } else { played(); }
    } catch (e) { blocked(); }
  }

  function onGesture(event) {
    state.gesture = true;
    write(window.sessionStorage, GESTURE_KEY, "1");
    // A click on the mute switch is a gesture, but must not sound the chime it is silencing.
    if (muteButton && event.target === muteButton) { return; }
    playPending();
  }
  document.addEventListener("click", onGesture, true);
  document.addEventListener("keydown", onGesture, true);

  function showMuted() {
    muteButton.setAttribute("aria-pressed", state.muted ? "true" : "false");
  }
  if (muteButton) {
    muteButton.hidden = false;
    showMuted();
    muteButton.addEventListener("click", function () {
      state.muted = !state.muted;
      write(window.localStorage, MUTED_KEY, state.muted ? "1" : "0");
      if (state.muted) { markHeard(state.pending); state.pending = []; }
      showMuted();
      playPending();
    });
  }

  function say(message) { if (statusLine) { statusLine.textContent = message; } }

  function loggedOut() {
    state.stopped = true;
    document.title = baseTitle;
    live.textContent = "";
    document.body.classList.add("staff-logged-out");
    if (!statusLine) { return; }
    statusLine.textContent = "You were logged out, so alerts have stopped. ";
    var link = el("a", "", "Log in again");
    link.href = root.dataset.loginUrl;
    statusLine.appendChild(link);
  }

  function showNewIntakes(latestId) {
    if (!queueNew) { return; }
    if (latestId > Number(queueNew.getAttribute("data-latest-id") || 0)) { queueNew.hidden = false; }
  }

  function poll() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 10000) : 0;
    window.fetch(root.dataset.alertsUrl, {
      credentials: "same-origin", cache: "no-store",
      headers: { "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 401) { loggedOut(); return null; }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      state.failures = 0;
      say("");
      render(data);
      chimeFor(data.alerts.map(function (a) { return a.id; }));
      showNewIntakes(Number(data.latest_id) || 0);
    }).catch(function () {
      state.failures += 1;
      if (state.failures >= 2) {
        say("Alerts are not updating: the server cannot be reached. Reload the page, or check " +
            "the network.");
      }
    }).then(function () {
      window.clearTimeout(timer);
      if (!state.stopped) { window.setTimeout(poll, pollMs); }
    });
  }

  poll();
}());
