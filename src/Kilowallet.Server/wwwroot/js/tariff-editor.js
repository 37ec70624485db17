// The tariff version editor: prices per band, seasons with a daily schedule per day type (periods
// start–end–band, drawn live as a 24-hour band bar), ladder blocks, fixed charges, markup and the
// effective date. It checks what the server checks (docs/tariffs.md, "Validation") so messages come
// in the user's language; whatever the server still refuses is shown at the field it names.
(function () {
  "use strict";

  const BANDS = ["sharp", "peak", "flat", "valley"];
  const DAY_TYPES = ["weekday", "weekend", "holiday"];
  const DAY = 1440;
  const MAX_PRICE = 1000000, MAX_PERCENT = 1000; // TariffPlanValidator's ceilings

  const h = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  };

  function minutesOf(text, isEnd) {
    const m = /^(\d{2}):(\d{2})$/.exec(text || "");
    if (!m) return null;
    const hours = Number(m[1]), minutes = Number(m[2]);
    if (hours === 24 && minutes === 0) return isEnd ? DAY : null;
    return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
  }

  const clock = minute => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

  // The band of each minute of the day (null where no period covers it); wrapping periods run past midnight.
  function minuteBands(periods) {
    const bands = new Array(DAY).fill(null);
    for (const p of periods) {
      const start = minutesOf(p.start, false), endRaw = minutesOf(p.end, true);
      if (start === null || endRaw === null || !p.band) continue;
      const end = endRaw <= start ? endRaw + DAY : endRaw;
      for (let m = start; m < end; m++) bands[m % DAY] = p.band;
    }
    return bands;
  }

  // A 24-hour bar of coloured segments, the same markup the server renders for stored versions.
  function bandBar(periods, texts) {
    const bands = minuteBands(periods), bar = h("div", { class: "bandbar", role: "img" });
    let start = 0;
    const labels = [];
    for (let m = 1; m <= DAY; m++) {
      if (m === DAY || bands[m] !== bands[start]) {
        const band = bands[start], label = `${clock(start)}–${clock(m)} ${band ? texts["band." + band] : texts.uncovered}`;
        labels.push(label);
        bar.append(h("span", { class: "seg " + (band || "none"), style: `left:${start * 100 / DAY}%;width:${(m - start) * 100 / DAY}%`, title: label },
          band && m - start >= 60 ? texts["bandShort." + band] : ""));
        start = m;
      }
    }
    bar.setAttribute("aria-label", labels.join(", "));
    return bar;
  }

  function emptyPeriod() { return { start: "", end: "", band: "flat" }; }

  // Editor state: strings as typed, so a half-typed value is never lost on a redraw.
  function toState(version) {
    const v = version || {};
    const str = x => x === null || x === undefined ? "" : String(x);
    const periods = list => (list || []).map(p => ({ start: str(p.start), end: str(p.end), band: str(p.band) }));
    return {
      effectiveFrom: str(v.effectiveFrom),
      note: str(v.note),
      prices: Object.fromEntries(BANDS.map(b => [b, str(v.prices && v.prices[b])])),
      seasons: (v.seasons && v.seasons.length ? v.seasons : [{ name: "", fromMonth: 1, toMonth: 12, weekday: [{ start: "00:00", end: "24:00", band: "flat" }] }]).map(s => ({
        name: str(s.name), fromMonth: str(s.fromMonth), toMonth: str(s.toMonth),
        weekday: periods(s.weekday),
        weekend: s.weekend ? periods(s.weekend) : null,
        holiday: s.holiday ? periods(s.holiday) : null,
      })),
      tiers: (v.tiers || []).map(t => ({ fromKwh: str(t.fromKwh), adderPerKwh: str(t.adderPerKwh) })),
      fixedCharges: (v.fixedCharges || []).map(c => ({ name: str(c.name), amount: str(c.amount), per: str(c.per) || "month" })),
      markup: { percent: str(v.markup && v.markup.percent), perKwh: str(v.markup && v.markup.perKwh) },
    };
  }

  function decimalPattern(places) { return new RegExp(`^\\d+(\\.\\d{1,${places}})?$`); }

  function editor(root, options) {
    const texts = options.texts, months = options.months;
    const state = toState(options.version);
    state.effectiveFrom = options.effectiveFrom || state.effectiveFrom;
    const fmt = (key, ...values) => texts[key].replace(/\{(\d+)\}/g, (_, i) => values[Number(i)]);

    function get(path) { return path.split(/\.|\[|\]\.?/).filter(Boolean).reduce((o, k) => o[k], state); }
    function set(path, value) {
      const keys = path.split(/\.|\[|\]\.?/).filter(Boolean), last = keys.pop();
      keys.reduce((o, k) => o[k], state)[last] = value;
    }

    const slot = path => h("span", { class: "field-error", "data-error-for": path, hidden: true, role: "alert" });
    const input = (path, attrs) => h("input", Object.assign({ "data-path": path, value: get(path), oninput: e => { set(path, e.target.value); refreshBars(); } }, attrs));
    const select = (path, choices, attrs) => {
      const node = h("select", Object.assign({ "data-path": path, onchange: e => { set(path, e.target.value); refreshBars(); } }, attrs),
        choices.map(([value, label]) => h("option", { value, selected: String(get(path)) === String(value) }, label)));
      return node;
    };
    const field = (label, control, path) => h("label", {}, label, control, slot(path));
    const redraw = () => render();

    const bars = [];
    function refreshBars() {
      for (const bar of bars) {
        const next = bandBar(bar.periods(), texts);
        bar.node.replaceWith(next);
        bar.node = next;
      }
    }

    function scheduleEditor(si, dayType) {
      const season = state.seasons[si], path = `seasons[${si}].${dayType}`;
      const periods = season[dayType];
      const heading = h("h4", {}, texts["day." + dayType]);
      const box = h("div", { class: "schedule", "data-schedule": path }, heading);
      if (dayType !== "weekday") {
        const inherit = dayType === "weekend" ? "weekday" : "weekend";
        box.append(h("label", { class: "check" },
          h("input", { type: "checkbox", checked: periods === null, "data-path": path + ".same", onchange: e => {
            season[dayType] = e.target.checked ? null : JSON.parse(JSON.stringify(season[inherit] || season.weekday));
            redraw();
          } }),
          " " + texts["same." + dayType]));
        if (periods === null) { box.append(slot(path)); return box; }
      }
      const bar = bandBar(periods, texts);
      bars.push({ node: bar, periods: () => season[dayType] || [] });
      box.append(bar, h("div", { class: "bandaxis" }, [0, 3, 6, 9, 12, 15, 18, 21, 24].map(x => h("span", { style: `left:${x * 100 / 24}%` }, String(x)))));
      const rows = periods.map((p, pi) => {
        const pp = `${path}[${pi}]`;
        return h("tr", { "data-period": pp },
          h("td", {}, input(pp + ".start", { placeholder: "HH:mm", size: 5, "aria-label": texts.start }), slot(pp + ".start")),
          h("td", {}, input(pp + ".end", { placeholder: "HH:mm", size: 5, "aria-label": texts.end }), slot(pp + ".end")),
          h("td", {}, select(pp + ".band", BANDS.map(b => [b, texts["band." + b]]), { "aria-label": texts.band }), slot(pp + ".band")),
          h("td", {}, h("button", { type: "button", class: "link", onclick: () => { periods.splice(pi, 1); redraw(); } }, texts.remove), slot(pp)));
      });
      box.append(
        h("table", { class: "periods" }, h("thead", {}, h("tr", {}, h("th", {}, texts.start), h("th", {}, texts.end), h("th", {}, texts.band), h("th"))), h("tbody", {}, rows)),
        slot(path),
        h("button", { type: "button", onclick: () => {
          const last = periods[periods.length - 1];
          periods.push(last ? { start: last.end === "24:00" ? "00:00" : last.end, end: "", band: last.band } : emptyPeriod());
          redraw();
        } }, texts.addPeriod));
      return box;
    }

    function seasonEditor(si) {
      const path = `seasons[${si}]`, monthChoices = months.map((name, i) => [String(i + 1), name]);
      return h("fieldset", { class: "season", "data-season": si },
        h("legend", {}, fmt("seasonN", si + 1)),
        h("div", { class: "row compact" },
          field(texts.seasonName, input(path + ".name", { placeholder: texts.seasonNameHint }), path + ".name"),
          field(texts.fromMonth, select(path + ".fromMonth", monthChoices), path + ".fromMonth"),
          field(texts.toMonth, select(path + ".toMonth", monthChoices), path + ".toMonth")),
        slot(path),
        h("div", { class: "schedules" }, DAY_TYPES.map(d => scheduleEditor(si, d))),
        state.seasons.length > 1 ? h("button", { type: "button", class: "link", onclick: () => { state.seasons.splice(si, 1); redraw(); } }, texts.removeSeason) : null);
    }

    function rowsEditor(listPath, columns, make, addText) {
      const list = state[listPath];
      return h("div", {},
        h("table", {}, h("thead", {}, h("tr", {}, columns.map(c => h("th", {}, c.label)), h("th"))),
          h("tbody", {}, list.map((_, i) => h("tr", {},
            columns.map(c => h("td", {}, c.control(`${listPath}[${i}].${c.key}`), slot(`${listPath}[${i}].${c.key}`))),
            h("td", {}, h("button", { type: "button", class: "link", onclick: () => { list.splice(i, 1); redraw(); } }, texts.remove), slot(`${listPath}[${i}]`)))))),
        slot(listPath),
        h("button", { type: "button", onclick: () => { list.push(make()); redraw(); } }, addText));
    }

    function render() {
      bars.length = 0;
      root.replaceChildren(
        h("div", { class: "row compact" },
          field(texts.effectiveFrom, input("effectiveFrom", { type: "date", min: options.minDate, required: true }), "effectiveFrom"),
          field(texts.note, input("note", { maxlength: 500 }), "note")),
        h("fieldset", { class: "prices" }, h("legend", {}, fmt("pricesIn", options.currency)),
          h("div", { class: "row compact" }, BANDS.map(b => field(h("span", {}, h("span", { class: "swatch " + b }), texts["band." + b]),
            input("prices." + b, { inputmode: "decimal", placeholder: texts.unused }), "prices." + b))),
          slot("prices")),
        h("div", {}, state.seasons.map((_, si) => seasonEditor(si))),
        slot("seasons"),
        h("button", { type: "button", onclick: () => {
          state.seasons.push({ name: "", fromMonth: "1", toMonth: "12", weekday: JSON.parse(JSON.stringify(state.seasons[state.seasons.length - 1].weekday)), weekend: null, holiday: null });
          redraw();
        } }, texts.addSeason),
        h("details", { class: "extras", open: state.tiers.length || state.fixedCharges.length || state.markup.percent || state.markup.perKwh ? true : null },
          h("summary", {}, texts.extras),
          h("h4", {}, texts.tiers), h("p", { class: "muted" }, texts.tiersHelp),
          rowsEditor("tiers", [
            { key: "fromKwh", label: texts.fromKwh, control: p => input(p, { inputmode: "decimal" }) },
            { key: "adderPerKwh", label: texts.adderPerKwh, control: p => input(p, { inputmode: "decimal" }) },
          ], () => ({ fromKwh: state.tiers.length ? "" : "0", adderPerKwh: "0" }), texts.addTier),
          h("h4", {}, texts.fixedCharges),
          rowsEditor("fixedCharges", [
            { key: "name", label: texts.chargeName, control: p => input(p) },
            { key: "amount", label: texts.amount, control: p => input(p, { inputmode: "decimal" }) },
            { key: "per", label: texts.per, control: p => select(p, [["month", texts.perMonth], ["day", texts.perDay]]) },
          ], () => ({ name: "", amount: "", per: "month" }), texts.addCharge),
          h("h4", {}, texts.markup),
          h("div", { class: "row compact" },
            field(texts.markupPercent, input("markup.percent", { inputmode: "decimal" }), "markup.percent"),
            field(texts.markupPerKwh, input("markup.perKwh", { inputmode: "decimal" }), "markup.perKwh")),
          slot("markup")),
        h("p", { class: "form-error", "data-error-for": "", hidden: true, role: "alert" }));
    }

    // The version as the plan file format wants it; null members are left out.
    function value() {
      const num = s => Number(s);
      const periods = list => list.map(p => ({ start: p.start.trim(), end: p.end.trim(), band: p.band }));
      const version = {
        number: options.number || 1,
        effectiveFrom: state.effectiveFrom,
        prices: Object.fromEntries(BANDS.filter(b => state.prices[b].trim() !== "").map(b => [b, num(state.prices[b])])),
        seasons: state.seasons.map(s => {
          const season = { name: s.name.trim(), fromMonth: num(s.fromMonth), toMonth: num(s.toMonth), weekday: periods(s.weekday) };
          if (s.weekend) season.weekend = periods(s.weekend);
          if (s.holiday) season.holiday = periods(s.holiday);
          return season;
        }),
      };
      if (state.tiers.length) version.tiers = state.tiers.map(t => ({ fromKwh: num(t.fromKwh), adderPerKwh: num(t.adderPerKwh) }));
      if (state.fixedCharges.length) version.fixedCharges = state.fixedCharges.map(c => ({ name: c.name.trim(), amount: num(c.amount), per: c.per }));
      if (state.markup.percent.trim() !== "" || state.markup.perKwh.trim() !== "") {
        version.markup = { percent: num(state.markup.percent || "0"), perKwh: num(state.markup.perKwh || "0") };
      }
      if (state.note.trim() !== "") version.note = state.note.trim();
      return version;
    }

    // Every rule of the plan format, with messages in the page's language: { path: [message] }.
    function validate() {
      const errors = {};
      const add = (path, message) => { (errors[path] = errors[path] || []).push(message); };
      const number = (path, text, places, required, max) => {
        const t = (text || "").trim();
        if (t === "") { if (required) add(path, texts.required); return; }
        if (!decimalPattern(places).test(t)) add(path, fmt("errNumber", places));
        else if (max !== undefined && Number(t) > max) add(path, fmt("errTooLarge", max));
      };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(state.effectiveFrom)) add("effectiveFrom", texts.errDate);
      else if (options.minDate && state.effectiveFrom < options.minDate) add("effectiveFrom", fmt("errDateTooEarly", options.minDate));
      BANDS.forEach(b => number("prices." + b, state.prices[b], 4, false, MAX_PRICE));
      const priced = new Set(BANDS.filter(b => state.prices[b].trim() !== ""));
      if (priced.size === 0) add("prices", texts.errNoPrices);

      const monthOwner = new Array(13).fill(null);
      state.seasons.forEach((s, si) => {
        const path = `seasons[${si}]`;
        if (!s.name.trim()) add(path + ".name", texts.required);
        const from = Number(s.fromMonth), to = Number(s.toMonth);
        if (!(from >= 1 && from <= 12 && to >= 1 && to <= 12)) { add(path, texts.required); return; }
        for (let m = from, guard = 0; guard < 12; m = m % 12 + 1, guard++) {
          if (monthOwner[m] !== null) add(path, fmt("errMonthTwice", months[m - 1], monthOwner[m] + 1));
          else monthOwner[m] = si;
          if (m === to) break;
        }
        DAY_TYPES.forEach(d => {
          const periods = s[d], sp = `${path}.${d}`;
          if (periods === null) return;
          if (periods.length === 0) { add(sp, texts.errNoPeriods); return; }
          if (periods.length > 48) add(sp, texts.errTooManyPeriods);
          const owner = new Array(DAY).fill(-1);
          periods.forEach((p, pi) => {
            const pp = `${sp}[${pi}]`, start = minutesOf(p.start.trim(), false), endRaw = minutesOf(p.end.trim(), true);
            if (start === null) add(pp + ".start", texts.errTime);
            if (endRaw === null) add(pp + ".end", texts.errTime);
            if (!BANDS.includes(p.band)) add(pp + ".band", texts.required);
            else if (!priced.has(p.band)) add(pp + ".band", fmt("errUnpriced", texts["band." + p.band]));
            if (start === null || endRaw === null) return;
            const end = endRaw <= start ? endRaw + DAY : endRaw;
            for (let m = start; m < end; m++) {
              if (owner[m % DAY] >= 0) { add(pp, fmt("errOverlap", owner[m % DAY] + 1, clock(m % DAY))); break; }
              owner[m % DAY] = pi;
            }
          });
          const gaps = [];
          for (let m = 0; m < DAY; m++) {
            if (owner[m] >= 0) continue;
            let e = m; while (e < DAY && owner[e] < 0) e++;
            gaps.push(`${clock(m)}–${clock(e)}`); m = e;
          }
          if (gaps.length && !Object.keys(errors).some(k => k.startsWith(sp + "["))) add(sp, fmt("errGap", gaps.join(", ")));
        });
      });
      if (state.seasons.length === 0) add("seasons", texts.errNoSeasons);
      const uncovered = months.filter((_, i) => monthOwner[i + 1] === null);
      if (state.seasons.length && uncovered.length) add("seasons", fmt("errMonthsMissing", uncovered.join(", ")));

      state.tiers.forEach((t, i) => {
        number(`tiers[${i}].fromKwh`, t.fromKwh, 3, true);
        number(`tiers[${i}].adderPerKwh`, t.adderPerKwh, 4, true, MAX_PRICE);
        if (i === 0 && t.fromKwh.trim() !== "" && Number(t.fromKwh) !== 0) add("tiers[0].fromKwh", texts.errFirstTier);
        if (i > 0 && Number(t.fromKwh) <= Number(state.tiers[i - 1].fromKwh)) add(`tiers[${i}].fromKwh`, texts.errTierOrder);
      });
      state.fixedCharges.forEach((c, i) => {
        if (!c.name.trim()) add(`fixedCharges[${i}].name`, texts.required);
        number(`fixedCharges[${i}].amount`, c.amount, 2, true, MAX_PRICE);
      });
      number("markup.percent", state.markup.percent, 3, false, MAX_PERCENT);
      number("markup.perKwh", state.markup.perKwh, 4, false, MAX_PRICE);
      return errors;
    }

    render();
    return { value, validate, root };
  }

  // Server paths of a version inside a plan ("versions[2].seasons[0]…") name the same fields as the editor's.
  const versionPath = path => path.replace(/^versions\[\d+\]\.?/, "");

  window.kw.tariffEditor = editor;
  window.kw.tariffVersionPath = versionPath;
  window.kw.bandBar = bandBar;
})();
