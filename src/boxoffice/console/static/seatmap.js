// Seat map: follows sales by polling the seat states and recolouring only seats that changed;
// shows a seat's order on hover or click. No library, nothing loaded from elsewhere.
(function () {
  "use strict";
  const root = document.getElementById("seatmap-root");
  if (!root) return;
  const group = document.getElementById("seats");
  const seats = group.children;
  const detail = document.getElementById("seat-detail");
  const live = document.getElementById("live");
  const indexOf = new Map();
  let shown = "";
  let picked = null;
  let pointed = -1;
  const POLL_MS = 1500;

  // The frame the map was first painted in: how long a big venue takes to appear.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      document.body.dataset.seatmapPaintedMs = String(Math.round(performance.now()));
    });
  });

  function index(element) {
    if (indexOf.size === 0) {
      for (let i = 0; i < seats.length; i++) indexOf.set(seats[i], i);
    }
    const found = indexOf.get(element);
    return found === undefined ? -1 : found;
  }

  function recolour(states) {
    let changed = 0;
    for (let i = 0; i < states.length && i < seats.length; i++) {
      const code = states.charAt(i);
      if (shown ? shown.charAt(i) !== code : seats[i].getAttribute("class") !== code) {
        seats[i].setAttribute("class", seats[i] === picked ? code + " picked" : code);
        changed++;
      }
    }
    shown = states;
    return changed;
  }

  function poll() {
    if (document.hidden) { setTimeout(poll, POLL_MS); return; }
    fetch(root.dataset.statesUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (answer.status === 401) { window.location.href = "/console/login"; return null; }
        return answer.ok ? answer.json() : null;
      })
      .then(function (data) {
        if (!data) { live.textContent = "Not updating: the server did not answer"; return; }
        if (String(data.version) !== root.dataset.version) { window.location.reload(); return; }
        recolour(data.states);
        Object.keys(data.counts).forEach(function (name) {
          const code = { "free": "f", "held": "h", "sold": "s" }[name] || "o";
          const cell = document.querySelector('[data-count="' + code + '"]');
          if (cell) cell.textContent = data.counts[name].toLocaleString("en");
        });
        live.textContent = "Live · updated " + new Date().toLocaleTimeString();
        document.body.dataset.seatStatesPolled = String((+document.body.dataset.seatStatesPolled || 0) + 1);
      })
      .catch(function () { live.textContent = "Not updating: connection lost"; })
      .finally(function () { setTimeout(poll, POLL_MS); });
  }

  function text(tag, value) {
    const element = document.createElement(tag);
    element.textContent = value;
    return element;
  }

  function describe(i) {
    fetch(root.dataset.seatUrl + "?index=" + i, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (seat) {
        if (!seat || i !== pointed) return;
        detail.replaceChildren(text("h2", "Seat " + seat.seat + ", row " + seat.row));
        const list = document.createElement("dl");
        [["Area", seat.area], ["Block", seat.block], ["State", seat.state]].forEach(function (p) {
          list.append(text("dt", p[0]), text("dd", p[1]));
        });
        const order = document.createElement("dd");
        if (seat.orderId) {
          const link = text("a", String(seat.orderId));
          link.href = "/console/orders/" + seat.orderId;
          order.append(link);
        } else {
          order.textContent = seat.state === "free" ? "none" : "not yours to see";
        }
        list.append(text("dt", "Order"), order);
        detail.append(list);
      });
  }

  function point(event, pin) {
    const i = index(event.target);
    if (i < 0 || (i === pointed && !pin)) return;
    pointed = i;
    if (pin) {
      if (picked) picked.classList.remove("picked");
      picked = event.target;
      picked.classList.add("picked");
    }
    describe(i);
  }

  group.addEventListener("mouseover", function (event) { if (!picked) point(event, false); });
  group.addEventListener("click", function (event) { point(event, true); });

  const zoom = document.getElementById("zoom");
  zoom.addEventListener("click", function () {
    const actual = root.classList.toggle("actual");
    zoom.setAttribute("aria-pressed", String(actual));
    zoom.textContent = actual ? "Fit to width" : "Actual size";
  });

  poll();
})();
