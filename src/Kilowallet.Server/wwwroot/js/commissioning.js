// Commissioning page (/console/commissioning): add gateways and meters, test-read a meter and show
// its decoded values and raw registers, all through the REST API.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("commissioning-data").textContent);
  const texts = data.texts;
  const h = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  };
  const TCP = ["modbusTcp", "rtuOverTcp", "dlt645Tcp"], SERIAL = ["rtuSerial", "dlt645Serial"];
  const whole = (text, min, max) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
  const positive = text => /^\d+(\.\d+)?$/.test(text) && Number(text) > 0;

  // Gateways
  const gatewayForm = document.getElementById("gateway-form");
  const syncGateway = () => {
    const t = gatewayForm.elements.transport.value;
    gatewayForm.querySelector('[data-for="tcp"]').hidden = !TCP.includes(t);
    gatewayForm.querySelector('[data-for="serial"]').hidden = !SERIAL.includes(t);
    gatewayForm.querySelector('[data-for="polled"]').hidden = t === "mqtt";
  };
  gatewayForm.elements.transport.addEventListener("change", syncGateway);
  syncGateway();
  gatewayForm.addEventListener("submit", async e => {
    e.preventDefault();
    const f = gatewayForm.elements, t = f.transport.value, errors = {};
    const body = { siteId: data.siteId, name: f.name.value.trim(), transport: t, enabled: f.enabled.checked };
    if (!body.name) errors.name = [texts.required];
    if (TCP.includes(t)) {
      body.host = f.host.value.trim();
      if (!body.host) errors.host = [texts.required];
      if (!whole(f.port.value.trim(), 1, 65535)) errors.port = [texts.port]; else body.port = Number(f.port.value);
    }
    if (SERIAL.includes(t)) {
      body.serialDevice = f.serialDevice.value.trim();
      if (!body.serialDevice) errors.serialDevice = [texts.required];
      body.baudRate = Number(f.baudRate.value);
      body.parity = f.parity.value;
    }
    if (t !== "mqtt") {
      if (!whole(f.timeoutMs.value.trim(), 50, 60000)) errors.timeoutMs = [texts.number.replace("{0}", "50").replace("{1}", "60000")];
      else body.timeoutMs = Number(f.timeoutMs.value);
    }
    if (Object.keys(errors).length) { kw.showErrors(gatewayForm, errors); return; }
    kw.clearErrors(gatewayForm);
    try {
      const created = await kw.api("POST", "/api/v1/gateways", body);
      kw.navigate(`?site=${data.siteId}` + (created && created.id ? `&gateway=${created.id}#meters` : ""));
    } catch (error) { kw.showErrors(gatewayForm, error); }
  });

  // Meters
  const meterForm = document.getElementById("meter-form");
  // The address field follows the bus: a Modbus unit id, a DL/T 645 address, or an MQTT client id (4G meters).
  const kindOf = () => {
    const f = meterForm.elements, transport = f.gatewayId.selectedOptions[0]?.dataset.transport;
    const family = f.profileName.selectedOptions[0]?.dataset.family;
    if (!f.gatewayId.value || transport === "mqtt" || family === "mqtt") return "mqtt";
    return transport && transport.startsWith("dlt645") ? "dlt645" : "modbus";
  };
  const syncMeter = () => {
    const kind = kindOf();
    for (const k of ["modbus", "dlt645", "mqtt"]) meterForm.querySelector(`[data-for="${k}"]`).hidden = k !== kind;
  };
  meterForm.elements.gatewayId.addEventListener("change", () => {
    // Offer a profile that speaks the gateway's protocol.
    const transport = meterForm.elements.gatewayId.selectedOptions[0]?.dataset.transport || "mqtt";
    const family = transport === "mqtt" ? "mqtt" : transport.startsWith("dlt645") ? "dlt645" : "modbus";
    const profiles = [...meterForm.elements.profileName.options];
    if (meterForm.elements.profileName.selectedOptions[0]?.dataset.family !== family) {
      const match = profiles.find(o => o.dataset.family === family);
      if (match) { meterForm.elements.profileName.value = match.value; meterForm.elements.phaseCount.value = match.dataset.phases; }
    }
    syncMeter();
  });
  meterForm.elements.profileName.addEventListener("change", () => {
    const phases = meterForm.elements.profileName.selectedOptions[0]?.dataset.phases;
    if (phases) meterForm.elements.phaseCount.value = phases;
    syncMeter();
  });
  meterForm.elements.gatewayId.dispatchEvent(new Event("change"));
  // Only a tenant meter is paid by an account.
  const syncAccount = () => { meterForm.querySelector('[data-for="account"]').hidden = meterForm.elements.purpose.value !== "tenant"; };
  meterForm.elements.purpose.addEventListener("change", syncAccount);
  syncAccount();
  meterForm.addEventListener("submit", async e => {
    e.preventDefault();
    const f = meterForm.elements, errors = {};
    const visible = name => !f[name].closest("[data-for]")?.hidden;
    const body = {
      siteId: data.siteId,
      serial: f.serial.value.trim(),
      profileName: f.profileName.value,
      gatewayId: f.gatewayId.value ? Number(f.gatewayId.value) : null,
      unitId: null, dlt645Address: null, mqttClientId: null,
      ctRatio: Number(f.ctRatio.value), ptRatio: Number(f.ptRatio.value),
      phaseCount: Number(f.phaseCount.value),
      shopId: f.shopId.value ? Number(f.shopId.value) : null,
      accountId: f.purpose.value === "tenant" && f.accountId.value ? Number(f.accountId.value) : null,
      purpose: f.purpose.value,
      status: f.status.value,
      feedsOwnGateway: f.feedsOwnGateway.checked,
    };
    if (!body.serial) errors.serial = [texts.required];
    if (!body.profileName) errors.profileName = [texts.required];
    if (visible("unitId")) { if (!whole(f.unitId.value.trim(), 1, 247)) errors.unitId = [texts.unitId]; else body.unitId = Number(f.unitId.value); }
    if (visible("dlt645Address")) { if (!/^\d{12}$/.test(f.dlt645Address.value.trim())) errors.dlt645Address = [texts.dlt645]; else body.dlt645Address = f.dlt645Address.value.trim(); }
    if (visible("mqttClientId")) body.mqttClientId = f.mqttClientId.value.trim() || null;
    if (!positive(f.ctRatio.value.trim())) errors.ctRatio = [texts.ratio];
    if (!positive(f.ptRatio.value.trim())) errors.ptRatio = [texts.ratio];
    if (Object.keys(errors).length) { kw.showErrors(meterForm, errors); return; }
    kw.clearErrors(meterForm);
    try {
      await kw.api("POST", "/api/v1/meters", body);
      kw.navigate(`?site=${data.siteId}&gateway=${body.gatewayId ?? 0}#meters`);
    } catch (error) { kw.showErrors(meterForm, error); }
  });

  // A meter not saved yet is read from its gateway, profile and address, so wiring is checked before anything is stored.
  const tryOut = document.getElementById("try-readout");
  meterForm.querySelector('[data-action="try-read"]').addEventListener("click", async e => {
    const f = meterForm.elements, errors = {}, visible = name => !f[name].closest("[data-for]")?.hidden;
    const body = { gatewayId: f.gatewayId.value ? Number(f.gatewayId.value) : null, profileName: f.profileName.value, unitId: null, dlt645Address: null };
    if (visible("unitId")) { if (!whole(f.unitId.value.trim(), 1, 247)) errors.unitId = [texts.unitId]; else body.unitId = Number(f.unitId.value); }
    if (visible("dlt645Address")) { if (!/^\d{12}$/.test(f.dlt645Address.value.trim())) errors.dlt645Address = [texts.dlt645]; else body.dlt645Address = f.dlt645Address.value.trim(); }
    if (Object.keys(errors).length) { kw.showErrors(meterForm, errors); return; }
    kw.clearErrors(meterForm);
    tryOut.hidden = false;
    tryOut.replaceChildren(h("p", { class: "muted", role: "status" }, texts.reading));
    e.target.disabled = true;
    try {
      tryOut.replaceChildren(reading(await kw.api("POST", "/api/v1/meters/test-read", body)));
    } catch (error) {
      tryOut.hidden = true;
      kw.showErrors(meterForm, error);
    } finally { e.target.disabled = false; }
  });

  // Test reads: whatever the server returns is shown as tables, so decoded values and raw registers both read plainly.
  const isRegisters = (key, list) => /regist|raw|words|data/i.test(key) && list.every(v => Number.isInteger(v) && v >= 0 && v <= 0xffff);
  function render(value, key) {
    if (value === null || value === undefined) return "—";
    if (Array.isArray(value)) {
      if (value.every(v => v === null || typeof v !== "object")) {
        return h("span", { class: "mono" }, isRegisters(key || "", value) ? value.map(v => v.toString(16).toUpperCase().padStart(4, "0")).join(" ") : value.join(", "));
      }
      const columns = [...new Set(value.flatMap(v => v && typeof v === "object" ? Object.keys(v) : []))];
      return h("table", {}, h("thead", {}, h("tr", {}, columns.map(c => h("th", {}, c)))),
        h("tbody", {}, value.map(row => h("tr", {}, columns.map(c => h("td", {}, render(row && row[c], c)))))));
    }
    if (typeof value === "object") {
      return h("table", {}, h("tbody", {}, Object.entries(value).map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, render(v, k))))));
    }
    if (typeof value === "string" && /^[0-9a-f]{8,}$/i.test(value)) return h("span", { class: "mono" }, value.replace(/(.{4})/g, "$1 ").trim());
    return String(value);
  }

  // The API's TestReading: decoded quantities with units, what could not be read, and the raw words per block.
  function reading(r) {
    if (!r || !Array.isArray(r.values) || !Array.isArray(r.raw)) return render(r);
    const head = h("p", {},
      h("b", {}, `${r.profile} · ${r.manufacturer} ${r.model}`), " ",
      r.answered ? h("span", { class: "badge online" }, texts.answered) : h("span", { class: "badge offline" }, texts.noAnswer), " ",
      h("span", { class: "muted" }, `${texts.relay}: ${r.relay} · ${new Date(r.readAt).toLocaleString()} · ${r.path}`),
      r.profileUnverified ? h("span", { class: "badge low" }, texts.unverified) : null);
    const parts = [head];
    if (r.failure) parts.push(h("p", { class: "form-error" }, r.failure));
    if (r.values.length) {
      parts.push(h("h4", {}, texts.values), h("table", { "data-testid": "readout-values" },
        h("thead", {}, h("tr", {}, h("th", {}, texts.quantity), h("th", { class: "num" }, texts.value), h("th", {}, texts.unit))),
        h("tbody", {}, r.values.map(v => h("tr", {}, h("td", { class: "mono" }, v.name), h("td", { class: "num" }, v.text), h("td", {}, v.unit || ""))))));
    }
    if (r.errors && r.errors.length) {
      parts.push(h("h4", {}, texts.unreadable), h("ul", {}, r.errors.map(e => h("li", {}, h("span", { class: "mono" }, e.quantity), ": " + e.reason))));
    }
    if (r.raw.length) {
      parts.push(h("h4", {}, texts.raw), h("table", { "data-testid": "readout-raw" },
        h("thead", {}, h("tr", {}, h("th", {}, texts.source), h("th", {}, texts.words))),
        h("tbody", {}, r.raw.map(b => h("tr", {}, h("td", { class: "mono" }, b.source), h("td", { class: "mono" }, (b.words || []).join(" ")))))));
    }
    return h("div", {}, parts);
  }

  const meters = document.querySelector('[data-testid="meters"]');
  if (meters) meters.addEventListener("click", async e => {
    const button = e.target.closest('button[data-action="test-read"]');
    if (!button) return;
    const row = button.closest("tr"), id = row.dataset.meter;
    let out = row.nextElementSibling;
    if (!out || !out.classList.contains("readout-row")) {
      out = h("tr", { class: "readout-row", "data-readout": id }, h("td", { colspan: String(row.children.length) }));
      row.after(out);
    }
    const cell = out.firstElementChild, close = h("button", { type: "button", class: "link" }, texts.close);
    close.addEventListener("click", () => out.remove());
    cell.replaceChildren(h("p", { class: "muted", role: "status" }, texts.reading));
    button.disabled = true;
    try {
      const result = await kw.api("POST", `/api/v1/meters/${id}/test-read`, {});
      cell.replaceChildren(h("div", { class: "readout", "data-testid": "readout" }, reading(result), close));
    } catch (error) {
      cell.replaceChildren(h("div", { class: "readout" },
        h("p", { class: "form-error", role: "alert" }, texts.readFailed + " " + Object.values(kw.problemErrors(error)).flat().join(" ")), close));
    } finally { button.disabled = false; }
  });
})();
