// Seat map: follows sales by polling the seat states and laying a small square of the new
// colour over each seat that changed since the page was drawn (the picture itself is drawn
// once, one path per state); finds the seat under the pointer from its grid cell.
(function () {
  "use strict";
  const root = document.getElementById("seatmap-root");
  if (!root) return;
  const svg = root.querySelector("svg");
  const changes = document.getElementById("changes");
  const detail = document.getElementById("seat-detail");
  const live = document.getElementById("live");
  const SVG_NS = "http://www.w3.org/2000/svg";
  const POLL_MS = 1500;
  const drawn = root.dataset.codes;  // the states the paths show
  let shown = drawn;                  // the states on screen, overlay included
  let grid = null;                    // {x: [...], y: [...], pitch, seat, cell: Map}
  const overlay = new Map();          // seat index -> square laid over it
  let pick = null;
  let pointed = -1;

  // The frame the map was first painted in: how long a big venue takes to appear.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      document.body.dataset.seatmapPaintedMs = String(Math.round(performance.now()));
    });
  });

  function square(i, className) {
    const element = document.createElementNS(SVG_NS, "rect");
    element.setAttribute("x", grid.x[i] * grid.pitch);
    element.setAttribute("y", grid.y[i] * grid.pitch);
    element.setAttribute("width", grid.seat);
    element.setAttribute("height", grid.seat);
    element.setAttribute("class", className);
    return element;
  }

  function recolour(states) {
    for (let i = 0; i < states.length; i++) {
      const code = states.charCodeAt(i);
      if (code === shown.charCodeAt(i)) continue;
      const old = overlay.get(i);
      if (old) { old.remove(); overlay.delete(i); }
      if (code !== drawn.charCodeAt(i)) {
        const added = square(i, states.charAt(i));
        added.dataset.index = String(i);
        changes.insertBefore(added, pick);
        overlay.set(i, added);
      }
    }
    shown = states;
  }

  function showCounts(counted) {
    const codes = { "free": "f", "held": "h", "sold": "s" };
    Object.keys(counted).forEach(function (name) {
      const cell = document.querySelector('[data-count="' + (codes[name] || "o") + '"]');
      if (cell) cell.textContent = counted[name].toLocaleString("en");
    });
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
        showCounts(data.counts);
        live.textContent = "Live · updated " + new Date().toLocaleTimeString();
        document.body.dataset.seatStatesPolled =
          String((+document.body.dataset.seatStatesPolled || 0) + 1);
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
          link.id = "seat-order";
          order.append(link);
        } else {
          order.textContent = seat.state === "free" ? "none" : "not yours to see";
        }
        list.append(text("dt", "Order"), order);
        detail.append(list);
      });
  }

  function seatAt(event) {
    if (!grid) return -1;
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const at = point.matrixTransform(svg.getScreenCTM().inverse());
    const column = Math.floor(at.x / grid.pitch), row = Math.floor(at.y / grid.pitch);
    if (at.x - column * grid.pitch > grid.seat || at.y - row * grid.pitch > grid.seat) return -1;
    const found = grid.cell.get(column * 1048576 + row);
    return found === undefined ? -1 : found;
  }

  function point(event, pin) {
    const i = seatAt(event);
    if (i < 0 || (i === pointed && !pin)) return;
    pointed = i;
    if (pin) { mark(i); return; }
    describe(i);
  }

  let pending = null;
  svg.addEventListener("mousemove", function (event) {
    if (pick || pending) return;
    pending = requestAnimationFrame(function () { pending = null; point(event, false); });
  });
  svg.addEventListener("click", function (event) { point(event, true); });

  // The keyboard: arrows move a marked seat along its row and to the rows around it.
  function mark(i) {
    pointed = i;
    if (pick) pick.remove();
    pick = square(i, "pick");
    changes.append(pick);
    describe(i);
  }

  root.addEventListener("keydown", function (event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (!move || !grid) return;
    event.preventDefault();
    if (pointed < 0) { mark(0); return; }
    const column = grid.x[pointed], row = grid.y[pointed];
    // The nearest seat in that direction within a few cells (gaps between blocks and areas).
    for (let step = 1; step <= 12; step++) {
      const found = grid.cell.get((column + move[0] * step) * 1048576 + row + move[1] * step);
      if (found !== undefined) { mark(found); return; }
    }
    const next = pointed + move[0] + move[1];
    if (move[0] !== 0 && next >= 0 && next < grid.x.length) mark(next);
  });

  const zoom = document.getElementById("zoom");
  zoom.addEventListener("click", function () {
    const actual = root.classList.toggle("actual");
    zoom.setAttribute("aria-pressed", String(actual));
    zoom.textContent = actual ? "Fit to width" : "Actual size";
  });

  // The grid cells arrive after the first paint; polling starts once they are known.
  fetch(root.dataset.layoutUrl, { credentials: "same-origin" })
    .then(function (answer) { return answer.json(); })
    .then(function (layout) {
      const cell = new Map();
      for (let i = 0; i < layout.x.length; i++) cell.set(layout.x[i] * 1048576 + layout.y[i], i);
      grid = { x: layout.x, y: layout.y, pitch: layout.pitch, seat: layout.seat, cell: cell };
      poll();
    })
    .catch(function () { live.textContent = "Not updating: the layout did not load"; });
})();
