// Administration page (/console/admin): users, API keys and webhook subscriptions through the REST
// API; the page reloads to show the result, except for secrets, which are shown once.
(function () {
  "use strict";
  const texts = JSON.parse(document.getElementById("admin-data").textContent);
  const enc = encodeURIComponent;
  // Identity's rules (AuthServiceCollectionExtensions): 10 characters, an upper-case and a lower-case letter, a digit.
  const passwordOk = p => p.length >= 10 && /[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p);

  function failure(element, error) {
    element.textContent = Object.values(kw.problemErrors(error)).flat().join(" ");
    element.hidden = false;
  }

  // Users
  const users = document.querySelector('[data-testid="users"]');
  if (users) {
    const errorBox = document.getElementById("user-action-error");
    users.addEventListener("click", async e => {
      const button = e.target.closest("button[data-action]");
      if (!button) return;
      const row = button.closest("tr[data-user]"), user = row.dataset.user, action = button.dataset.action;
      if (action === "reset") {
        if (row.nextElementSibling && row.nextElementSibling.classList.contains("reset-row")) return;
        row.after(document.getElementById("reset-row").content.cloneNode(true));
        const form = row.nextElementSibling.querySelector("form");
        form.querySelector("input").focus();
        form.querySelector(".cancel").addEventListener("click", () => form.closest("tr").remove());
        form.addEventListener("submit", async ev => {
          ev.preventDefault();
          const newPassword = form.elements.newPassword.value;
          if (!passwordOk(newPassword)) { kw.showErrors(form, { newPassword: [texts.passwordRule] }); return; }
          try {
            await kw.api("POST", `/api/v1/users/${enc(user)}/reset-password`, { newPassword });
            form.closest("td").textContent = texts.passwordSet;
          } catch (error) { kw.showErrors(form, error); }
        });
        return;
      }
      if (action === "disable" && !confirm(texts.confirmDisable.replace("{0}", user))) return;
      button.disabled = true;
      try {
        await kw.api("POST", `/api/v1/users/${enc(user)}/${action}`);
        location.reload();
      } catch (error) { failure(errorBox, error); button.disabled = false; }
    });

    const form = document.getElementById("user-form");
    const tenantOnly = form.querySelector("[data-tenant-only]");
    const syncTenant = () => { tenantOnly.hidden = form.elements.role.value !== "tenant"; };
    form.elements.role.addEventListener("change", syncTenant);
    syncTenant();
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const body = {
        userName: form.elements.userName.value.trim(),
        displayName: form.elements.displayName.value.trim(),
        role: form.elements.role.value,
        password: form.elements.password.value,
        tenantId: form.elements.role.value === "tenant" && form.elements.tenantId.value ? Number(form.elements.tenantId.value) : null,
      };
      const errors = {};
      if (!body.userName) errors.userName = [texts.required];
      if (!passwordOk(body.password)) errors.password = [texts.passwordRule];
      if (body.role === "tenant" && !body.tenantId) errors.tenantId = [texts.required];
      if (Object.keys(errors).length) { kw.showErrors(form, errors); return; }
      kw.clearErrors(form);
      try {
        await kw.api("POST", "/api/v1/users", body);
        kw.navigate("?tab=users&q=" + enc(body.userName));
      } catch (error) { kw.showErrors(form, error); }
    });
  }

  // API keys
  const keys = document.querySelector('[data-testid="keys"]');
  if (keys) {
    keys.addEventListener("click", async e => {
      const button = e.target.closest('button[data-action="revoke"]');
      if (!button || !confirm(texts.confirmRevoke.replace("{0}", button.dataset.name))) return;
      try {
        await kw.api("DELETE", `/api/v1/api-keys/${button.closest("tr").dataset.key}`);
        location.reload();
      } catch (error) { failure(document.getElementById("key-action-error"), error); }
    });
    const form = document.getElementById("key-form"), secret = document.getElementById("key-secret");
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const name = form.elements.name.value.trim();
      const scopes = [...form.querySelectorAll('[name="scopes"]:checked')].map(c => c.value);
      const errors = {};
      if (!name) errors.name = [texts.required];
      if (!scopes.length) errors.scopes = [texts.chooseScope];
      if (Object.keys(errors).length) { kw.showErrors(form, errors); return; }
      kw.clearErrors(form);
      try {
        const created = await kw.api("POST", "/api/v1/api-keys", { name, scopes });
        form.hidden = true;
        secret.querySelector("code").textContent = created.secret;
        secret.hidden = false;
      } catch (error) { kw.showErrors(form, error); }
    });
    secret.querySelector('[data-action="done"]').addEventListener("click", () => location.reload());
  }

  // Webhook subscriptions
  const hooks = document.querySelector('[data-testid="webhooks"]');
  if (hooks) {
    const form = document.getElementById("webhook-form"), secret = document.getElementById("webhook-secret");
    const title = document.getElementById("webhook-title"), cancel = form.querySelector('[data-action="new"]');
    const events = [...form.querySelectorAll('[name="events"]')];
    const syncAll = () => events.forEach(c => { c.disabled = form.elements.all.checked; });
    form.elements.all.addEventListener("change", syncAll);
    function load(id, url, kinds, active, description) {
      form.elements.id.value = id || "";
      form.elements.url.value = url || "";
      const list = (kinds || "*").split(",");
      form.elements.all.checked = list.includes("*");
      events.forEach(c => { c.checked = list.includes(c.value); });
      form.elements.active.checked = active !== false;
      form.elements.description.value = description || "";
      form.elements.secret.value = "";
      title.textContent = id ? title.dataset.edit : title.dataset.new;
      cancel.hidden = !id;
      kw.clearErrors(form);
      syncAll();
    }
    cancel.addEventListener("click", () => load());
    hooks.addEventListener("click", async e => {
      const button = e.target.closest("button[data-action]");
      if (!button) return;
      const row = button.closest("tr"), id = row.dataset.webhook;
      if (button.dataset.action === "edit") {
        load(id, button.dataset.url, button.dataset.events, button.dataset.active === "1", button.dataset.description);
        form.scrollIntoView();
        return;
      }
      if (!confirm(texts.confirmDelete.replace("{0}", row.querySelector("td").textContent))) return;
      try {
        await kw.api("DELETE", `/api/v1/webhook-subscriptions/${id}`);
        location.reload();
      } catch (error) { failure(document.getElementById("webhook-action-error"), error); }
    });
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const id = form.elements.id.value;
      const body = {
        url: form.elements.url.value.trim(),
        events: form.elements.all.checked ? ["*"] : events.filter(c => c.checked).map(c => c.value),
        active: form.elements.active.checked,
        description: form.elements.description.value.trim() || null,
        secret: form.elements.secret.value || null,
      };
      const errors = {};
      if (!/^https?:\/\/\S+$/i.test(body.url)) errors.url = [texts.url];
      if (!body.events.length) errors.events = [texts.chooseEvent];
      if (body.secret && (body.secret.length < 16 || body.secret.length > 200)) errors.secret = [texts.secret];
      if (Object.keys(errors).length) { kw.showErrors(form, errors); return; }
      kw.clearErrors(form);
      try {
        if (id) {
          await kw.api("PUT", `/api/v1/webhook-subscriptions/${id}`, body);
          location.reload();
        } else {
          const created = await kw.api("POST", "/api/v1/webhook-subscriptions", body);
          form.hidden = true;
          secret.querySelector("code").textContent = created.secret;
          secret.hidden = false;
        }
      } catch (error) { kw.showErrors(form, error); }
    });
    secret.querySelector('[data-action="done"]').addEventListener("click", () => location.reload());
    load();
  }
})();
