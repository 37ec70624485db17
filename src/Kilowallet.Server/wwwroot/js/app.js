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

  // Form errors: problem details' field errors go next to their fields ([data-error-for="name"]), the rest to a general line.
  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(el => { el.textContent = ""; });
  }
  function showErrors(form, error, general) {
    clearErrors(form);
    const fields = (error.problem && error.problem.errors) || {};
    const rest = [];
    for (const [name, messages] of Object.entries(fields)) {
      const target = form.querySelector(`[data-error-for="${name}" i]`) || form.querySelector(`[data-error-for="${name.charAt(0).toLowerCase() + name.slice(1)}"]`);
      if (target) target.textContent = messages.join(" "); else rest.push(messages.join(" "));
    }
    if (general) general.textContent = rest.length ? rest.join(" ") : (Object.keys(fields).length ? "" : error.message);
  }
  // One key per intention: kept while the same form is retried, renewed after success.
  function newKey() { return crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2); }

  window.kw = { api, live, barChart, lineChart, csrf, clearErrors, showErrors, newKey };
})();
