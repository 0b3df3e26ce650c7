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
     #alert-mute     the mute switch: a button with aria-pressed, for this screen (tab) only
     #alert-sound    "Click to turn on sound": shown until the browser lets the page play sound
     #alert-status   "You were logged out" / "Alerts are not updating"

   After a logout (the idle timeout) the page keeps alerting: it polls data-waiting-url, which
   answers a staff screen with the numbers of emergencies and urgent intakes waiting (no names)
   and shows them with the chime until someone logs in. While an emergency waits
   unacknowledged the chime sounds again every 30 seconds, unless this screen is muted.
     #queue-new      (queue page only) data-latest-id; shown when a newer intake exists
*/
(function () {
  "use strict";
  var root = document.getElementById("staff-alerts");
  var live = document.getElementById("alert-live");
  if (!root || !live || !window.fetch) { return; }
  var muteButton = document.getElementById("alert-mute");
  var soundButton = document.getElementById("alert-sound");
  var statusLine = document.getElementById("alert-status");
  var queueNew = document.getElementById("queue-new");

  var MUTED_KEY = "clinic.alerts.muted";
  var HEARD_KEY = "clinic.alerts.heard";
  var GESTURE_KEY = "clinic.alerts.gesture";
  var pollMs = Math.max(1, Number(root.dataset.pollSeconds) || 2) * 1000;
  var REPEAT_MS = 30000;
  var baseTitle = document.title;
  var sound = new Audio(root.dataset.chimeUrl);
  sound.preload = "auto";

  var state = {
    // Mute is this screen's own choice: another staff screen in the clinic keeps its chime.
    muted: read(window.sessionStorage, MUTED_KEY) === "1",
    // A click or key press on this page (or earlier in this tab): browsers block sound before.
    gesture: read(window.sessionStorage, GESTURE_KEY) === "1",
    pending: [],          // new alert ids whose chime is waiting for a gesture
    shown: renderedKey(), // what the banner shows now, so an unchanged answer changes nothing
    failures: 0,
    stopped: false,
    waiting: false,       // logged out: counting the alerts waiting, without names
    lastChime: 0          // when the chime last sounded (ms), for the 30-second repeat
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
    ring(function () { markHeard(ids); },
         function () { state.pending = state.pending.concat(ids); });
  }

  // Play the chime once; `done` after it played, `refused` when the browser blocked it.
  function ring(done, refused) {
    var played = function () {
      state.lastChime = Date.now();
      showSoundOffer();
      root.setAttribute("data-chimes", String(Number(root.getAttribute("data-chimes") || 0) + 1));
      if (done) { done(); }
    };
    var blocked = function () {
      // Not allowed yet (no gesture on this page after all): ask for one, and wait for it.
      state.gesture = false;
      showSoundOffer();
      if (refused) { refused(); }
    };
    try {
      sound.currentTime = 0;
      var result = sound.play();
      if (result && result.then) { result.then(played, blocked); } else { played(); }
    } catch (e) { blocked(); }
  }

  // Again every 30 seconds while an emergency waits unacknowledged, unless muted.
  function repeatForEmergency(emergencies) {
    if (emergencies < 1 || state.muted || !state.gesture) { return; }
    if (Date.now() - state.lastChime >= REPEAT_MS) { ring(); }
  }

  function showSoundOffer() {
    if (soundButton) { soundButton.hidden = state.gesture; }
  }

  function onGesture(event) {
    state.gesture = true;
    write(window.sessionStorage, GESTURE_KEY, "1");
    showSoundOffer();
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
      write(window.sessionStorage, MUTED_KEY, state.muted ? "1" : "0");
      if (state.muted) { markHeard(state.pending); state.pending = []; }
      showMuted();
      playPending();
    });
  }

  function say(message) { if (statusLine) { statusLine.textContent = message; } }

  function loginLink(before) {
    if (!statusLine) { return; }
    statusLine.textContent = before;
    var link = el("a", "", "Log in again");
    link.href = root.dataset.loginUrl;
    statusLine.appendChild(link);
  }

  // Logged out (the idle timeout): the names go, the counting and the chime go on.
  function loggedOut() {
    state.waiting = true;
    state.shown = "";
    live.textContent = "";
    document.body.classList.add("staff-logged-out");
    loginLink("You were logged out. Alerts go on below, without names, until you log in. ");
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function renderWaiting(data) {
    var total = data.emergency + data.urgent;
    var key = "waiting|" + data.emergency + "|" + data.urgent;
    document.title = total > 0 ? "(" + total + ") " + baseTitle : baseTitle;
    if (key === state.shown) { return; }
    state.shown = key;
    live.setAttribute("data-count", String(total));
    live.textContent = "";
    if (total === 0) { return; }
    var banner = el("div", "alert-banner alert-waiting");
    banner.appendChild(el("p", "alert-heading",
      "\u26A0 Waiting for a clinician: " + plural(data.emergency, "emergency", "emergencies") +
      " and " + plural(data.urgent, "urgent intake", "urgent intakes") +
      ". Log in to see who."));
    live.appendChild(banner);
  }

  function stop(message) {
    state.stopped = true;
    document.title = baseTitle;
    live.textContent = "";
    loginLink(message);
  }

  function showNewIntakes(latestId) {
    if (!queueNew) { return; }
    if (latestId > Number(queueNew.getAttribute("data-latest-id") || 0)) { queueNew.hidden = false; }
  }

  function handle(data) {
    if (state.waiting) {
      renderWaiting(data);
      repeatForEmergency(data.emergency);
      if (data.emergency + data.urgent > 0 && state.lastChime === 0) { ring(); }
      return;
    }
    say("");
    render(data);
    chimeFor(data.alerts.map(function (a) { return a.id; }));
    repeatForEmergency(data.alerts.filter(function (a) {
      return a.urgency === "emergency";
    }).length);
    showNewIntakes(Number(data.latest_id) || 0);
  }

  function poll() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 10000) : 0;
    var url = state.waiting ? root.dataset.waitingUrl : root.dataset.alertsUrl;
    window.fetch(url, {
      credentials: "same-origin", cache: "no-store",
      headers: { "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 401 && !state.waiting) { loggedOut(); return null; }
      if (response.status === 403 && state.waiting) {
        stop("You were logged out, so alerts have stopped. ");
        return null;
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      state.failures = 0;
      handle(data);
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

  showSoundOffer();
  poll();
}());

/* The desk printer's job on the intake page, live: "Send to the desk printer" only queues the
   job (CUPS is asked in the background), so the page asks GET data-url every
   data-poll-seconds until the job is printed or failed, and shows front desk's words (admins
   also read the CUPS details). Once printed, the "Handout" line says who printed it.
     #print-job      data-url, data-state (queued, printing, printed, failed), data-poll-seconds;
                     .print-job-words, .print-job-detail
     #printed        the intake's "Printed by …" line
*/
(function () {
  "use strict";
  var line = document.getElementById("print-job");
  if (!line || !window.fetch) { return; }
  var words = line.querySelector(".print-job-words");
  var detail = line.querySelector(".print-job-detail");
  var printed = document.getElementById("printed");
  var pollMs = Math.max(1, Number(line.dataset.pollSeconds) || 2) * 1000;
  var FINISHED = ["printed", "failed"];

  function finished(state) { return FINISHED.indexOf(state) >= 0; }

  function show(data) {
    if (data.printed && printed) { printed.textContent = "Printed by " + data.printed + "."; }
    var job = data.job;
    if (!job) { return; }
    line.hidden = false;
    line.className = "print-job print-job-" + job.state;
    line.setAttribute("data-state", job.state);
    words.textContent = job.words;
    detail.textContent = job.detail ? "(CUPS: " + job.detail + ")" : "";
  }

  function poll() {
    window.fetch(line.dataset.url, {
      credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      show(data);
      if (!data.job || !finished(data.job.state)) { window.setTimeout(poll, pollMs); }
    }).catch(function () {
      // Logged out or the server is away: the alerts' status line says so; try again later.
      window.setTimeout(poll, pollMs * 5);
    });
  }

  if (line.dataset.state && !finished(line.dataset.state)) { poll(); }
}());
