// Kilowallet's own small script: CSRF-aware fetch helpers, live updates over server-sent events,
// and SVG charts. No framework, no CDN.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  async function api(method, url, body, extraHeaders) {
    const headers = Object.assign({ "Accept": "application/json" }, extraHeaders || {});
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = csrf();
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = new Error((data && (data.detail || data.title)) || response.statusText);
      error.status = response.status; error.problem = data;
      throw error;
    }
    return data;
  }

  function live(url, onMessage) {
    let source;
    const connect = () => {
      source = new EventSource(url);
      // onMessage is one function for every event, or an object of handlers by event name ("meter", "alarm", ...).
      const handlers = typeof onMessage === "function" ? { message: onMessage, meter: onMessage, alarm: onMessage } : onMessage;
      for (const [name, handler] of Object.entries(handlers)) {
        source.addEventListener(name, e => { let data; try { data = JSON.parse(e.data); } catch (_) { return; /* ignore a malformed event */ } handler(data, name); });
      }
      source.onerror = () => { source.close(); setTimeout(connect, 3000); };
    };
    connect();
    return () => source && source.close();
  }

  const svgNs = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent) {
    const node = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  // Stacked bar chart: labels[], series [{name, color, values[]}]
  function barChart(container, labels, series, options) {
    const opts = Object.assign({ height: 220, unit: "" }, options || {});
    container.innerHTML = "";
    const width = Math.max(container.clientWidth || 600, 240), height = opts.height, left = 48, bottom = 22, top = 8;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" }, container);
    const totals = labels.map((_, i) => series.reduce((s, x) => s + (x.values[i] || 0), 0));
    const max = Math.max(1e-9, ...totals);
    const plotW = width - left - 8, plotH = height - bottom - top, barW = plotW / Math.max(1, labels.length);
    for (let g = 0; g <= 4; g++) {
      const y = top + plotH - plotH * g / 4;
      el("line", { x1: left, x2: width - 8, y1: y, y2: y, stroke: "#e5e9f0" }, svg);
      el("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#667085" }, svg).textContent = (max * g / 4).toFixed(max < 10 ? 1 : 0);
    }
    labels.forEach((label, i) => {
      let y = top + plotH;
      series.forEach(s => {
        const v = s.values[i] || 0, h = plotH * v / max;
        if (h > 0) {
          const rect = el("rect", { x: left + i * barW + 1, y: y - h, width: Math.max(1, barW - 2), height: h, fill: s.color }, svg);
          el("title", {}, rect).textContent = `${label} ${s.name}: ${v.toFixed(2)} ${opts.unit}`;
          y -= h;
        }
      });
      const every = Math.ceil(labels.length / 12);
      if (i % every === 0) el("text", { x: left + i * barW + barW / 2, y: height - 6, "text-anchor": "middle", "font-size": 10, fill: "#667085" }, svg).textContent = label;
    });
    return svg;
  }

  // Line chart: labels[], series [{name, color, values[]}]
  function lineChart(container, labels, series, options) {
    const opts = Object.assign({ height: 220, unit: "" }, options || {});
    container.innerHTML = "";
    const width = Math.max(container.clientWidth || 600, 240), height = opts.height, left = 48, bottom = 22, top = 8;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" }, container);
    const all = series.flatMap(s => s.values.filter(v => v !== null && v !== undefined));
    const max = Math.max(1e-9, ...all), min = Math.min(0, ...all);
    const plotW = width - left - 8, plotH = height - bottom - top;
    const x = i => left + (labels.length <= 1 ? 0 : plotW * i / (labels.length - 1));
    const y = v => top + plotH - plotH * (v - min) / (max - min);
    for (let g = 0; g <= 4; g++) {
      const value = min + (max - min) * g / 4;
      el("line", { x1: left, x2: width - 8, y1: y(value), y2: y(value), stroke: "#e5e9f0" }, svg);
      el("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", "font-size": 10, fill: "#667085" }, svg).textContent = value.toFixed(max < 10 ? 1 : 0);
    }
    series.forEach(s => {
      const points = s.values.map((v, i) => v === null || v === undefined ? null : `${x(i)},${y(v)}`).filter(Boolean).join(" ");
      el("polyline", { points, fill: "none", stroke: s.color, "stroke-width": 2 }, svg);
    });
    const every = Math.ceil(labels.length / 12);
    labels.forEach((label, i) => { if (i % every === 0) el("text", { x: x(i), y: height - 6, "text-anchor": "middle", "font-size": 10, fill: "#667085" }, svg).textContent = label; });
    return svg;
  }

  // Form errors, one mechanism for every page. A message for the field "path" goes to the element
  // [data-error-for="path"] in the form (case-insensitive); when there is none, to the slot of the enclosing path
  // (seasons[0].weekday[2].end → seasons[0].weekday[2] → seasons[0] …), then to the general line: the element
  // given, else the form's [data-error-for=""] or [data-general], else an alert. So every problem is shown somewhere.
  // The field itself ([name] or [data-path]) is marked invalid. Slots hidden in the markup are shown while they hold a message.
  const sel = value => CSS.escape(value);
  function generalOf(form, general) {
    return general || form.querySelector('[data-error-for=""]') || form.querySelector("[data-general]");
  }
  function clearSlot(slot) {
    slot.textContent = "";
    if (slot.dataset.shownError) { slot.hidden = true; delete slot.dataset.shownError; }
  }
  function clearErrors(form, general) {
    form.querySelectorAll("[data-error-for], [data-general]").forEach(clearSlot);
    if (general) clearSlot(general);
    form.querySelectorAll(".invalid").forEach(input => { input.classList.remove("invalid"); input.removeAttribute("aria-invalid"); });
  }
  function parentPath(path) {
    const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
    return cut > 0 ? path.slice(0, cut) : "";
  }
  function fieldOf(form, path) {
    return path ? form.querySelector(`[data-path="${sel(path)}" i], [name="${sel(path)}" i]`) : null;
  }
  // One message for one field path; general: where messages without a slot of their own go (optional).
  function showError(form, path, message, general) {
    let slot = null;
    for (let p = path; p && !slot; p = parentPath(p)) slot = form.querySelector(`[data-error-for="${sel(p)}" i]`);
    slot = slot || generalOf(form, general);
    if (slot) {
      slot.textContent = slot.textContent ? slot.textContent + " " + message : message;
      if (slot.hidden) { slot.hidden = false; slot.dataset.shownError = "1"; }
    } else {
      alert(message);
    }
    const input = fieldOf(form, path);
    if (input) { input.classList.add("invalid"); input.setAttribute("aria-invalid", "true"); }
  }
  // The field messages of a failed kw.api call ({ path: [messages] }); a refusal without field errors is one message for the whole form ("").
  function problemErrors(error) {
    const problem = error && error.problem;
    if (problem && problem.errors && Object.keys(problem.errors).length) return problem.errors;
    return { "": [(problem && (problem.detail || problem.title)) || (error && error.message) || String(error)] };
  }
  // errors: a failed kw.api call (an Error with .problem) or a map { path: [messages] } checked in the page;
  // general: the element for messages without a field (optional); normalize maps a server path to the form's (optional).
  function showErrors(form, errors, general, normalize) {
    clearErrors(form, general);
    const map = errors instanceof Error ? problemErrors(errors) : (errors || {});
    let first = null;
    for (const [raw, messages] of Object.entries(map)) {
      let path = raw.replace(/^\$\.?/, "");
      path = path.length ? path[0].toLowerCase() + path.slice(1) : path;
      if (normalize) path = normalize(path);
      for (const message of [].concat(messages)) showError(form, path, message, general);
      first = first || fieldOf(form, path);
    }
    (first || form.querySelector("[data-error-for]:not(:empty)") || generalOf(form, general))?.scrollIntoView({ block: "nearest" });
  }
  // Goes to a URL after a change, reloading when only its #anchor differs (assigning location.href would then just scroll).
  function navigate(url) {
    const target = new URL(url, location.href);
    if (target.pathname === location.pathname && target.search === location.search) {
      location.hash = target.hash;
      location.reload();
    } else {
      location.assign(target.href);
    }
  }
  // One key per intention: kept while the same form is retried, renewed after success.
  function newKey() { return crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2); }

  window.kw = { api, live, barChart, lineChart, csrf, clearErrors, showError, showErrors, problemErrors, navigate, newKey };
})();
