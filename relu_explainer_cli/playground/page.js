"use strict";
// The drag-the-kinks page. Its numbers are relu_core's: the functions under "relu_core, ported" repeat
// relu_core's formulas in the same order of operations (terms.py, losses.py); the presets (the seeds' h_n,
// evenly spaced and curvature-placed interpolants) were computed by relu_core when the page was written.
(function () {
  const DATA = JSON.parse(document.getElementById("playground-data").textContent);
  const SVGNS = "http://www.w3.org/2000/svg";

  // The targets, as relu_core.parse_function evaluates them (numpy's ufuncs; Math is within an ulp).
  const TARGET_FUNCTIONS = {
    "x**2": function (x) { return x * x; },
    "sin(x)": Math.sin,
    "abs(x)": Math.abs,
    "exp(x)": Math.exp,
  };

  // ---- relu_core, ported ----------------------------------------------------------------------------

  // The exact decimal value of a positive double: digits × 10^-scale (a double is m·2^e, and 2^-k = 5^k/10^k).
  function exactDecimal(v) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    const high = view.getUint32(0), low = view.getUint32(4);
    const bits = (high >>> 20) & 0x7ff;
    let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    let e = -1074;
    if (bits !== 0) { mantissa |= 1n << 52n; e = bits - 1075; }
    if (e >= 0) return { digits: (mantissa << BigInt(e)).toString(), scale: 0 };
    return { digits: (mantissa * 5n ** BigInt(-e)).toString(), scale: -e };
  }

  // Python's f"{v:.{p}g}": rounded half to even on the exact binary value, trailing zeros dropped.
  function pythonG(v, p) {
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    const sign = v < 0 ? "-" : "";
    const { digits, scale } = exactDecimal(Math.abs(v));
    let exponent = digits.length - 1 - scale;
    let head = digits.slice(0, p).padEnd(p, "0");
    const rest = digits.slice(p);
    if (rest.length) {
      const tail = /[1-9]/.test(rest.slice(1));
      const odd = Number(head[p - 1]) % 2 === 1;
      if (rest[0] > "5" || (rest[0] === "5" && (tail || odd))) {
        head = (BigInt(head) + 1n).toString();
        if (head.length > p) { head = head.slice(0, p); exponent += 1; }
      }
    }
    // fixed notation for -4 <= exponent < p, else d.dde±XX; either way without trailing zeros
    let whole, fraction, suffix = "";
    if (exponent >= -4 && exponent < p) {
      whole = exponent >= 0 ? head.slice(0, exponent + 1) : "0";
      fraction = exponent >= 0 ? head.slice(exponent + 1) : "0".repeat(-exponent - 1) + head;
    } else {
      const size = Math.abs(exponent);
      whole = head[0];
      fraction = head.slice(1);
      suffix = "e" + (exponent < 0 ? "-" : "+") + (size < 10 ? "0" : "") + size;
    }
    fraction = fraction.replace(/0+$/, "");
    const text = whole + (fraction ? "." + fraction : "") + suffix;
    return sign + text;
  }

  // relu_core.terms.format_number: integers without a point, others with `digits` significant digits.
  function formatNumber(value, digits) {
    digits = digits || 3;
    const whole = Math.round(value);
    if (Math.abs(value - whole) <= 1e-9) return BigInt(whole).toString();
    const text = pythonG(value, digits);
    return text.includes("e") ? positional(Number(text)) : text;  // never e-notation, as relu_core
  }

  // A number in plain digits, as numpy's format_float_positional(n, trim="-") writes it.
  function positional(n) {
    const shortest = String(Math.abs(n));
    if (!shortest.includes("e")) return (n < 0 ? "-" : "") + shortest;
    const [mantissa, exponent] = shortest.split("e");
    const digits = mantissa.replace(".", "");
    const point = (mantissa.includes(".") ? mantissa.indexOf(".") : mantissa.length) + parseInt(exponent, 10);
    const plain = point <= 0 ? "0." + "0".repeat(-point) + digits
      : point >= digits.length ? digits + "0".repeat(point - digits.length)
      : digits.slice(0, point) + "." + digits.slice(point);
    return (n < 0 ? "-" : "") + plain;
  }

  function signed(value) {
    return (value < 0 ? " - " : " + ") + formatNumber(Math.abs(value));
  }

  function coefficient(value) {
    const text = formatNumber(value);
    return text === "1" ? "" : text === "-1" ? "-" : text;
  }

  function innerLatex(t) {
    if (t.a === 0) return formatNumber(t.b);
    const text = coefficient(t.a) + "x";
    return t.b !== 0 ? text + signed(t.b) : text;
  }

  function termLatex(t) {
    return coefficient(t.c) + "g(" + innerLatex(t) + ")";
  }

  // ReluSum.latex: affine part first, then the terms (those with c != 0) in order.
  function sumLatex(s) {
    const parts = [];
    if (s.slope !== 0) parts.push(coefficient(s.slope) + "x");
    if (s.intercept !== 0) parts.push(formatNumber(s.intercept));
    for (const t of s.terms) if (t.c !== 0) parts.push(termLatex(t));
    if (!parts.length) return "0";
    let text = parts[0];
    for (const part of parts.slice(1)) {
      text += part.startsWith("-") ? " - " + part.slice(1) : " + " + part;
    }
    return text;
  }

  // ReluSum._build_pieces: sorted breakpoints, and each piece's slope and intercept.
  function buildPieces(s) {
    let constant = 0, leftSlope = 0, leftIntercept = 0;
    for (const t of s.terms) if (t.a === 0) constant += t.c * Math.max(t.b, 0);
    for (const t of s.terms) if (t.a < 0) { leftSlope += t.c * t.a; leftIntercept += t.c * t.b; }
    const slope0 = s.slope + leftSlope;
    const intercept0 = s.intercept + constant + leftIntercept;
    const kinked = s.terms.filter(function (t) { return t.a !== 0 && t.c !== 0; });
    const kinks = kinked.map(function (t) { return -t.b / t.a + 0; });
    const breaks = Array.from(new Set(kinks)).sort(function (p, q) { return p - q; });
    const index = new Map(breaks.map(function (b, i) { return [b, i]; }));
    const dSlope = new Array(breaks.length).fill(0), dIntercept = new Array(breaks.length).fill(0);
    kinked.forEach(function (t, i) {
      const j = index.get(kinks[i]);
      dSlope[j] += t.c * Math.abs(t.a);
      dIntercept[j] += t.c * t.b * Math.sign(t.a);
    });
    const slopes = [slope0], intercepts = [intercept0];
    let runSlope = 0, runIntercept = 0;
    for (let j = 0; j < breaks.length; j++) {
      runSlope += dSlope[j];
      runIntercept += dIntercept[j];
      slopes.push(slope0 + runSlope);
      intercepts.push(intercept0 + runIntercept);
    }
    return { breaks: breaks, slopes: slopes, intercepts: intercepts };
  }

  // searchsorted(breaks, x, side="right"): how many breakpoints are at or left of x.
  function pieceIndex(breaks, x) {
    let lo = 0, hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function evaluate(pieces, x) {
    const p = pieceIndex(pieces.breaks, x);
    return pieces.slopes[p] * x + pieces.intercepts[p];
  }

  // ReluSum.vertices: the exact corners of the graph on [lo, hi], ends included.
  function vertices(pieces, lo, hi) {
    const xs = [lo].concat(pieces.breaks.filter(function (b) { return b > lo && b < hi; }), [hi]);
    return xs.map(function (x) { return [x, evaluate(pieces, x)]; });
  }

  function unique(values) {
    const sorted = values.slice().sort(function (p, q) { return p - q; });
    return sorted.filter(function (v, i) { return i === 0 || v !== sorted[i - 1]; });
  }

  // np.linspace(lo, hi, n): i·step + lo, the last point exactly hi.
  function linspace(lo, hi, n) {
    const step = (hi - lo) / (n - 1), xs = new Array(n);
    for (let i = 0; i < n; i++) xs[i] = i * step + lo;
    xs[n - 1] = hi;
    return xs;
  }

  // relu_core.losses.error_grid: a uniform grid plus the knots and the midpoints between them.
  function errorGrid(lo, hi, knots, samples) {
    const k = unique([lo, hi].concat(knots.filter(function (v) { return v > lo && v < hi; })));
    const middles = [];
    for (let i = 0; i + 1 < k.length; i++) middles.push((k[i] + k[i + 1]) / 2);
    return unique(linspace(lo, hi, samples).concat(k, middles));
  }

  // relu_core.max_error and mean_l2_loss on that grid (playground.sum_numbers in Python).
  function measure(f, pieces, lo, hi) {
    const xs = errorGrid(lo, hi, pieces.breaks, DATA.samples);
    const losses = new Array(xs.length);
    let worst = -1, worstX = lo, total = 0;
    for (let i = 0; i < xs.length; i++) {
      const d = f(xs[i]) - evaluate(pieces, xs[i]);
      const error = Math.abs(d);
      if (error > worst) { worst = error; worstX = xs[i]; }
      losses[i] = 0.5 * (d * d);
      total += losses[i];
    }
    return { maxError: worst, loss: total / xs.length, worstX: worstX, xs: xs, losses: losses };
  }

  // ---- the state: a target id and a ReluSum; the URL fragment holds it ------------------------------

  const MAX_VALUE = 1e6;
  let state = null;
  let chosen = -1;         // the unit whose handle was last chosen: its own ramp and lever are drawn
  let fragment = "";

  function copy(s) {
    return { target: s.target, slope: s.slope, intercept: s.intercept,
             terms: s.terms.map(function (t) { return { a: t.a, b: t.b, c: t.c }; }) };
  }

  function fromJson(target, json) {
    return { target: target, slope: json.slope, intercept: json.intercept,
             terms: json.terms.map(function (t) { return { a: t[0], b: t[1], c: t[2] }; }) };
  }

  function encode(s) {
    const terms = s.terms.map(function (t) { return [t.a, t.b, t.c].map(String).join(","); }).join(";");
    return "target=" + s.target + "&slope=" + s.slope + "&intercept=" + s.intercept + "&terms=" + terms;
  }

  const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

  function number(text, what) {
    if (!NUMBER.test(text)) throw new Error(what + " is not a number: " + JSON.stringify(text));
    const value = Number(text);
    if (!(Math.abs(value) <= MAX_VALUE)) throw new Error(what + " must be at most " + MAX_VALUE + " in size");
    return value;
  }

  // The setup in a fragment (what `encode` and playground.state_fragment write); throws on anything else.
  function decode(text) {
    const fields = {};
    for (const part of text.replace(/^#/, "").split("&")) {
      if (!part) continue;
      const at = part.indexOf("=");
      if (at < 0) throw new Error("no '=' in " + JSON.stringify(part));
      fields[decodeURIComponent(part.slice(0, at))] = decodeURIComponent(part.slice(at + 1));
    }
    if (!(fields.target in DATA.targets)) {
      throw new Error("unknown target " + JSON.stringify(fields.target || "") + "; choose " +
                      Object.keys(DATA.targets).join(", "));
    }
    const terms = (fields.terms || "").split(";").filter(Boolean).map(function (triple, i) {
      const parts = triple.split(",");
      if (parts.length !== 3) throw new Error("unit " + (i + 1) + " needs three numbers a,b,c");
      return { a: number(parts[0], "a"), b: number(parts[1], "b"), c: number(parts[2], "c") };
    });
    if (terms.length > DATA.max_units) throw new Error("at most " + DATA.max_units + " units");
    return { target: fields.target, slope: number(fields.slope || "0", "slope"),
             intercept: number(fields.intercept || "0", "intercept"), terms: terms };
  }

  function defaultState() {
    return fromJson(DATA.default.target, DATA.default);
  }

  // Load a fragment; an unreadable one shows the default setup and says why, in one line.
  function load(text) {
    if (!text.replace(/^#/, "")) {
      state = defaultState();
      setStatus("");
    } else {
      try {
        state = decode(text);
        setStatus("");
      } catch (error) {
        state = defaultState();
        setStatus("This link's setup could not be read (" + error.message + "): showing h₂ on x².");
      }
    }
    chosen = -1;
    render(false);
  }

  // ---- geometry ---------------------------------------------------------------------------------------

  const PLOT = { left: 92, right: 980, top: 52, bottom: 440 };
  const LOSS = { top: 486, bottom: 596 };

  function target() { return DATA.targets[state.target]; }
  function targetFunction() { return TARGET_FUNCTIONS[target().expression]; }

  function px(x) {
    const [lo, hi] = target().x_range;
    return PLOT.left + (x - lo) / (hi - lo) * (PLOT.right - PLOT.left);
  }
  function py(y) {
    const [lo, hi] = target().y_range;
    return PLOT.bottom - (y - lo) / (hi - lo) * (PLOT.bottom - PLOT.top);
  }
  function dataX(pixel) {
    const [lo, hi] = target().x_range;
    return lo + (pixel - PLOT.left) / (PLOT.right - PLOT.left) * (hi - lo);
  }
  function dataY(pixel) {
    const [lo, hi] = target().y_range;
    return lo + (PLOT.bottom - pixel) / (PLOT.bottom - PLOT.top) * (hi - lo);
  }

  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / power;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
  }
  function niceCeil(v) {
    if (!(v > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(v)));
    const m = v / power;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
  }
  // v on the grid of `step` (a step whose inverse is a whole number, so n / (1/step) is a clean decimal).
  function snap(v, step) {
    return Math.round(v / step) / Math.round(1 / step);
  }
  function kinkStep() {
    const [lo, hi] = target().x_range;
    return niceStep((hi - lo) / 100);
  }

  function fmt(v) { return (Math.round(v * 1000) / 1000).toString(); }

  // The polyline cut to a band around the plot, in data space, so the drawn segments keep their slopes.
  function clippedPath(points) {
    const [lo, hi] = target().y_range, pad = 2 * (hi - lo), bottom = lo - pad, top = hi + pad;
    let d = "", open = false;
    function inside(y) { return y >= bottom && y <= top; }
    function cut(p, q, y) { return [p[0] + (y - p[1]) / (q[1] - p[1]) * (q[0] - p[0]), y]; }
    function point(p, move) { d += (move ? "M" : "L") + fmt(px(p[0])) + " " + fmt(py(p[1])) + " "; }
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (i === 0) { if (inside(p[1])) { point(p, true); open = true; } continue; }
      const q = points[i - 1];
      const edges = [bottom, top].filter(function (y) { return (q[1] - y) * (p[1] - y) < 0; })
        .map(function (y) { return cut(q, p, y); })
        .sort(function (u, v) { return Math.abs(u[0] - q[0]) - Math.abs(v[0] - q[0]); });
      for (const e of edges) { point(e, !open); open = !open; }
      if (inside(p[1])) { point(p, !open); open = true; }
    }
    return d.trim();
  }

  // ---- drawing ----------------------------------------------------------------------------------------

  const svg = document.getElementById("plot");
  function el(name, attrs, parent) {
    const node = document.createElementNS(SVGNS, name);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    (parent || svg).appendChild(node);
    return node;
  }

  const defs = el("defs", {});
  const clip = el("clipPath", { id: "plot-clip" }, defs);
  el("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top }, clip);
  const lossClip = el("clipPath", { id: "loss-clip" }, defs);
  el("rect", { x: PLOT.left, y: LOSS.top - 4, width: PLOT.right - PLOT.left, height: LOSS.bottom - LOSS.top + 8 },
     lossClip);
  const grid = el("g", {});
  const legend = el("g", { class: "legend" });
  const legendTarget = el("text", { x: PLOT.left, y: 30, fill: "var(--target)" }, legend);
  const legendSum = el("text", { x: PLOT.left + 330, y: 30, fill: "var(--approx)" }, legend);
  const legendTerm = el("text", { x: PLOT.left + 560, y: 30, fill: "var(--term)" }, legend);
  const clipped = el("g", { "clip-path": "url(#plot-clip)" });
  const targetPath = el("path", { class: "target" }, clipped);
  const termPath = el("path", { class: "term" }, clipped);
  const sumPath = el("path", { class: "sum", id: "sum-path" }, clipped);
  const worstLine = el("line", { class: "worst" }, clipped);
  const worstLabel = el("text", { class: "worst-label" });
  const lossGroup = el("g", {});
  const lossPath = el("path", { class: "loss", "clip-path": "url(#loss-clip)" });
  const handles = el("g", {});
  const ring = el("circle", { class: "ring", r: 19 });
  const lever = el("rect", { class: "lever", width: 22, height: 22, rx: 4, "aria-hidden": "true" });
  const leverLabel = el("text", { class: "lever-label" });
  const dots = [];

  function drawAxes() {
    grid.textContent = "";
    lossGroup.textContent = "";
    const [xlo, xhi] = target().x_range, [ylo, yhi] = target().y_range;
    const xs = niceStep((xhi - xlo) / 6), ys = niceStep((yhi - ylo) / 5);
    for (let x = Math.ceil(xlo / xs) * xs; x <= xhi + 1e-9; x += xs) {
      const v = Math.round(x / xs) * xs;
      el("line", { class: v === 0 ? "axis" : "grid", x1: px(v), x2: px(v), y1: PLOT.top, y2: PLOT.bottom }, grid);
      el("text", { class: "tick", x: px(v), y: PLOT.bottom + 24, "text-anchor": "middle" }, grid).textContent =
        formatNumber(v).replace("-", "−");
    }
    for (let y = Math.ceil(ylo / ys) * ys; y <= yhi + 1e-9; y += ys) {
      const v = Math.round(y / ys) * ys;
      el("line", { class: v === 0 ? "axis" : "grid", x1: PLOT.left, x2: PLOT.right, y1: py(v), y2: py(v) }, grid);
      el("text", { class: "tick", x: PLOT.left - 10, y: py(v) + 7, "text-anchor": "end" }, grid).textContent =
        formatNumber(v).replace("-", "−");
    }
    el("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top,
                 fill: "none", class: "grid" }, grid);
    el("line", { class: "axis", x1: PLOT.left, x2: PLOT.right, y1: LOSS.bottom, y2: LOSS.bottom }, lossGroup);
    el("line", { class: "axis", x1: PLOT.left, x2: PLOT.left, y1: LOSS.top, y2: LOSS.bottom }, lossGroup);
    const xsLoss = linspace(xlo, xhi, 601), f = targetFunction();
    targetPath.setAttribute("d", clippedPath(xsLoss.map(function (x) { return [x, f(x)]; })));
    legendTarget.textContent = "target f(x) = " + target().label;
  }

  let lossTop = null, lossTitle = null;

  function drawLoss(measured) {
    const top = niceCeil(Math.max.apply(null, measured.losses));
    if (!lossTop) {
      lossTop = el("text", { class: "tick", x: PLOT.left - 10, y: LOSS.top + 7, "text-anchor": "end" });
      lossTitle = el("text", { class: "panel-label", x: (PLOT.left + PLOT.right) / 2, y: LOSS.bottom + 30,
                               fill: "var(--error)", "text-anchor": "middle" });
      el("line", { class: "grid", x1: PLOT.left, x2: PLOT.right, y1: LOSS.top, y2: LOSS.top });
    }
    lossTop.textContent = formatNumber(top);
    lossTitle.textContent = "loss ½(y − ŷ)² along x";
    const scale = (LOSS.bottom - LOSS.top) / top;
    let d = "";
    measured.xs.forEach(function (x, i) {
      d += (i ? "L" : "M") + fmt(px(x)) + " " + fmt(LOSS.bottom - measured.losses[i] * scale) + " ";
    });
    lossPath.setAttribute("d", d.trim());
  }

  function unitLabel(i) {
    const t = state.terms[i];
    const turn = t.c * Math.abs(t.a);
    const where = t.a === 0 ? "no kink" : "kink at x = " + formatNumber(-t.b / t.a + 0);
    return "unit " + (i + 1) + " of " + state.terms.length + ": " + termLatex(t) + ", " + where +
           ", slope change " + formatNumber(turn);
  }

  function syncDots() {
    while (dots.length < state.terms.length) {
      const i = dots.length;
      const dot = el("circle", { class: "kink", r: 12, tabindex: 0, role: "slider",
                                 "aria-orientation": "horizontal" }, handles);
      dot.addEventListener("focus", function () { chosen = i; render(false); });
      dot.addEventListener("keydown", function (event) { onDotKey(event, i); });
      dot.addEventListener("pointerdown", function (event) { startKinkDrag(event, i); });
      dots.push(dot);
    }
    while (dots.length > state.terms.length) dots.pop().remove();
  }

  function drawHandles(pieces) {
    const [lo, hi] = target().x_range, [ylo, yhi] = target().y_range;
    syncDots();
    state.terms.forEach(function (t, i) {
      const dot = dots[i];
      if (t.a === 0) { dot.setAttribute("display", "none"); return; }
      const k = -t.b / t.a + 0, x = Math.min(hi, Math.max(lo, k));
      const value = evaluate(pieces, x), y = Math.min(yhi, Math.max(ylo, value));
      dot.removeAttribute("display");
      dot.setAttribute("cx", fmt(px(x)));
      dot.setAttribute("cy", fmt(py(y)));
      dot.classList.toggle("outside", k !== x || value !== y);  // hollow: the kink is off the plot
      dot.classList.toggle("chosen", i === chosen);
      dot.setAttribute("aria-label", unitLabel(i));
      dot.setAttribute("aria-valuemin", lo);
      dot.setAttribute("aria-valuemax", hi);
      dot.setAttribute("aria-valuenow", k);
      dot.setAttribute("aria-valuetext", "kink at x = " + formatNumber(k));
    });
    const t = state.terms[chosen];
    const show = t && t.a !== 0;
    for (const node of [ring, lever, leverLabel, termPath]) node.setAttribute("display", show ? "inline" : "none");
    legendTerm.textContent = show ? "unit " + (chosen + 1) + ": " + termLatex(t).replace(/-/g, "−") : "";
    if (!show) return;
    const k = -t.b / t.a + 0;
    ring.setAttribute("cx", dots[chosen].getAttribute("cx"));
    ring.setAttribute("cy", dots[chosen].getAttribute("cy"));
    const term = function (x) { return t.c * Math.max(t.a * x + t.b, 0); };
    const xs = [lo].concat(k > lo && k < hi ? [k] : [], [hi]);
    termPath.setAttribute("d", clippedPath(xs.map(function (x) { return [x, term(x)]; })));
    const spot = leverSpot(t);
    if (spot === null) { lever.setAttribute("display", "none"); leverLabel.setAttribute("display", "none"); return; }
    const ly = Math.min(yhi, Math.max(ylo, evaluate(pieces, spot)));
    lever.setAttribute("x", fmt(px(spot) - 11));
    lever.setAttribute("y", fmt(py(ly) - 11));
    leverLabel.setAttribute("x", fmt(px(spot) + (t.a > 0 ? 18 : -18)));
    leverLabel.setAttribute("y", fmt(py(ly) + 32));
    leverLabel.setAttribute("text-anchor", t.a > 0 ? "start" : "end");
    leverLabel.textContent = "bend " + formatNumber(t.c * Math.abs(t.a)).replace("-", "−");
  }

  // Where the chosen unit's lever sits: a sixth of the range past its kink, on the side where it is on.
  function leverSpot(t) {
    const [lo, hi] = target().x_range, k = -t.b / t.a + 0, reach = (hi - lo) / 6;
    const spot = Math.min(hi, Math.max(lo, k + Math.sign(t.a) * reach));
    return Math.abs(spot - k) < (hi - lo) / 50 ? null : spot;
  }

  let measured = null, pieces = null, drawn = null;

  function render(writeHash) {
    const [lo, hi] = target().x_range;
    if (drawn !== state.target) { drawAxes(); drawn = state.target; }
    pieces = buildPieces(state);
    measured = measure(targetFunction(), pieces, lo, hi);
    sumPath.setAttribute("d", clippedPath(vertices(pieces, lo, hi)));
    const f = targetFunction(), w = measured.worstX;
    worstLine.setAttribute("x1", fmt(px(w))); worstLine.setAttribute("x2", fmt(px(w)));
    worstLine.setAttribute("y1", fmt(py(f(w)))); worstLine.setAttribute("y2", fmt(py(evaluate(pieces, w))));
    const labelX = Math.min(PLOT.right - 10, Math.max(PLOT.left + 10, px(w)));
    worstLabel.setAttribute("x", fmt(labelX));
    worstLabel.setAttribute("y", fmt(PLOT.bottom - 12));
    worstLabel.setAttribute("text-anchor", labelX > (PLOT.left + PLOT.right) / 2 ? "end" : "start");
    worstLabel.textContent = "  max error " + formatNumber(measured.maxError) + "  ";
    drawLoss(measured);
    drawHandles(pieces);
    legendSum.textContent = "ReLU sum h(x)";
    document.getElementById("formula").textContent = sumLatex(state).replace(/-/g, "−");
    document.getElementById("max-error").textContent = formatNumber(measured.maxError);
    document.getElementById("loss").textContent = formatNumber(measured.loss);
    document.getElementById("units").textContent = state.terms.length + " of " + DATA.max_units;
    for (const input of [["slope", state.slope], ["intercept", state.intercept]]) {
      const node = document.getElementById(input[0]);
      if (document.activeElement !== node) node.value = formatNumber(input[1]);
    }
    for (const button of document.querySelectorAll("#targets button")) {
      button.setAttribute("aria-pressed", String(button.dataset.target === state.target));
    }
    const here = encode(state);
    for (const button of document.querySelectorAll("#seeds button")) {
      button.setAttribute("aria-pressed", String(encode(fromJson(DATA.seed_target, DATA.seeds[button.dataset.seed])) === here));
    }
    document.getElementById("add").disabled = state.terms.length >= DATA.max_units;
    document.getElementById("remove").disabled = state.terms.length === 0;
    fragment = here;
    if (writeHash && location.hash.slice(1) !== here) history.replaceState(null, "", "#" + here);
  }

  // ---- changing the sum -------------------------------------------------------------------------------

  function change(update) {
    update();
    render(true);
  }

  function moveKink(i, k) {
    const t = state.terms[i], [lo, hi] = target().x_range;
    if (t.a === 0) return;
    k = Math.min(hi, Math.max(lo, k));
    change(function () { t.b = -t.a * k; });
  }

  function setBend(i, turn) {
    const t = state.terms[i];
    if (t.a === 0) return;
    turn = Math.max(-MAX_VALUE, Math.min(MAX_VALUE, turn));
    change(function () { t.c = turn / Math.abs(t.a); });
  }

  function addUnit() {
    if (state.terms.length >= DATA.max_units) { setStatus("At most " + DATA.max_units + " units."); return; }
    const [lo, hi] = target().x_range;
    const kinks = unique([lo, hi].concat(state.terms.filter(function (t) { return t.a !== 0; })
      .map(function (t) { return -t.b / t.a + 0; }).filter(function (k) { return k > lo && k < hi; })));
    let best = 0;
    for (let i = 1; i + 1 < kinks.length; i++) if (kinks[i + 1] - kinks[i] > kinks[best + 1] - kinks[best]) best = i;
    const k = snap((kinks[best] + kinks[best + 1]) / 2, kinkStep());
    change(function () { state.terms.push({ a: 1, b: -k, c: 0 }); });
    setStatus("A new unit at x = " + formatNumber(k) + ", still straight: ↑ or its square bends it.");
    dots[state.terms.length - 1].focus();
  }

  function removeUnit(i) {
    if (!state.terms.length) return;
    if (!(i >= 0 && i < state.terms.length)) i = state.terms.length - 1;
    change(function () { state.terms.splice(i, 1); chosen = -1; });
    if (state.terms.length) dots[Math.min(i, state.terms.length - 1)].focus();
    else document.getElementById("add").focus();
  }

  function place(kind) {
    const n = Math.min(DATA.max_units, Math.max(1, state.terms.length));
    const entry = target()[kind][n - 1];
    if (!entry) { setStatus("No " + kind + " placement of " + n + " kinks on this range."); return; }
    chosen = -1;
    change(function () { state = fromJson(state.target, entry); });
    setStatus(n + (n === 1 ? " kink" : " kinks") + " placed " + (kind === "even" ? "evenly" : "by curvature") +
              ": the interpolant through f at the knots.");
  }

  function onDotKey(event, i) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const t = state.terms[i];
    const big = event.shiftKey ? 10 : 1;
    const step = kinkStep();
    switch (event.key) {
      case "ArrowRight": moveKink(i, snap(-t.b / t.a + big * step, step)); break;
      case "ArrowLeft": moveKink(i, snap(-t.b / t.a - big * step, step)); break;
      case "ArrowUp": setBend(i, snap(t.c * Math.abs(t.a) + big * 0.1, 0.01)); break;
      case "ArrowDown": setBend(i, snap(t.c * Math.abs(t.a) - big * 0.1, 0.01)); break;
      case "Delete": case "Backspace": removeUnit(i); break;
      default: return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  // ---- pointer dragging -------------------------------------------------------------------------------

  function svgPoint(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function drag(node, event, move) {
    event.preventDefault();
    node.setPointerCapture(event.pointerId);
    function onMove(e) { move(svgPoint(e)); }
    function onUp() {
      node.removeEventListener("pointermove", onMove);
      node.removeEventListener("pointerup", onUp);
      node.removeEventListener("pointercancel", onUp);
    }
    node.addEventListener("pointermove", onMove);
    node.addEventListener("pointerup", onUp);
    node.addEventListener("pointercancel", onUp);
  }

  function startKinkDrag(event, i) {
    dots[i].focus();
    drag(dots[i], event, function (p) { moveKink(i, snap(dataX(p.x), kinkStep() / 5)); });
  }

  lever.addEventListener("pointerdown", function (event) {
    const i = chosen, t = state.terms[i];
    if (!t) return;
    const spot = leverSpot(t), reach = Math.abs(spot + t.b / t.a);
    const startY = dataY(svgPoint(event).y), startTurn = t.c * Math.abs(t.a);
    drag(lever, event, function (p) { setBend(i, snap(startTurn + (dataY(p.y) - startY) / reach, 0.01)); });
  });

  // ---- the controls -----------------------------------------------------------------------------------

  function setStatus(text) { document.getElementById("status").textContent = text; }

  function button(parent, label, onClick, data) {
    const node = document.createElement("button");
    node.type = "button";
    node.textContent = label;
    for (const key in data) node.dataset[key] = data[key];
    node.addEventListener("click", onClick);
    document.getElementById(parent).appendChild(node);
    return node;
  }

  Object.keys(DATA.targets).forEach(function (key) {
    button("targets", DATA.targets[key].label, function () {
      const n = Math.min(DATA.max_units, Math.max(1, state.terms.length));
      chosen = -1;
      change(function () { state = fromJson(key, DATA.targets[key].even[n - 1]); });
      setStatus("Target " + DATA.targets[key].label + ", " + n + " evenly spaced kinks.");
    }, { target: key });
  });
  Object.keys(DATA.seeds).forEach(function (key) {
    button("seeds", "h" + "₀₁₂₃₄₅₆₇₈₉"[Number(key.slice(1))], function () {
      chosen = -1;
      change(function () { state = fromJson(DATA.seed_target, DATA.seeds[key]); });
      setStatus("The seeds' " + key + ": " + sumLatex(state) + ".");
    }, { seed: key });
  });
  document.getElementById("even").addEventListener("click", function () { place("even"); });
  document.getElementById("curvature").addEventListener("click", function () { place("curvature"); });
  document.getElementById("add").addEventListener("click", addUnit);
  document.getElementById("remove").addEventListener("click", function () { removeUnit(chosen); });
  for (const name of ["slope", "intercept"]) {
    document.getElementById(name).addEventListener("input", function (event) {
      const text = event.target.value.trim();
      if (!NUMBER.test(text) || !(Math.abs(Number(text)) <= MAX_VALUE)) return;
      change(function () { state[name] = Number(text); });
    });
  }
  document.getElementById("copy-link").addEventListener("click", function () {
    const done = function () { setStatus("Link copied: it opens this setup."); };
    const fail = function () { setStatus("Copy the address bar: its link opens this setup."); };
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, fail); else fail();
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === "+" || event.key === "=") { addUnit(); event.preventDefault(); }
    else if (event.key === "-" || event.key === "−") { removeUnit(chosen); event.preventDefault(); }
    // In the slide deck's frame: Esc gives the keys back to the slides (focus is allowed across origins).
    else if (event.key === "Escape" && window.parent !== window) {
      if (document.activeElement) document.activeElement.blur();
      window.parent.focus();
    }
  });
  window.addEventListener("hashchange", function () { load(location.hash); });

  // ---- for tests and for whoever scripts a lecture ------------------------------------------------------
  window.playground = {
    state: function () { return copy(state); },
    get fragment() { return fragment; },
    load: function (text) { load(text); return fragment; },
    values: function (xs) { return xs.map(function (x) { return evaluate(pieces, x); }); },
    numbers: function () {
      return { maxError: measured.maxError, loss: measured.loss, worstX: measured.worstX, grid: measured.xs.length };
    },
    vertices: function () { return vertices(pieces, target().x_range[0], target().x_range[1]); },
    formula: function () { return sumLatex(state); },
    kinks: function () { return state.terms.map(function (t) { return t.a === 0 ? null : -t.b / t.a + 0; }); },
    toPixel: function (x, y) { return [px(x), py(y)]; },
    formatNumber: formatNumber,
  };

  load(location.hash);
})();
