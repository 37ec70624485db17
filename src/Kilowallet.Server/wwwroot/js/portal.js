// Tenant portal: chart tabs, online top-up through the payments API, self-refresh while power comes back.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  const tabs = document.querySelectorAll(".tab[data-chart]");
  const show = name => {
    tabs.forEach(t => t.classList.toggle("active", t.dataset.chart === name));
    document.querySelectorAll(".chart-panel").forEach(p => p.classList.toggle("shown", p.dataset.panel === name));
  };
  tabs.forEach(t => t.addEventListener("click", () => show(t.dataset.chart)));
  if (tabs.length) show(tabs[0].dataset.chart);

  const form = document.getElementById("topup-form");
  if (form) {
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const error = document.getElementById("topup-error");
      const other = form.querySelector('input[name="other"]').value;
      const choice = form.querySelector('input[name="amount"]:checked');
      const amount = Number(other || (choice && choice.value) || 0);
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        const order = await window.kw.api("POST", `/api/v1/accounts/${form.dataset.account}/payments`, { amount, returnPath: form.dataset.return });
        window.location.href = order.redirectUrl;
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        button.disabled = false;
      }
    });
  }

  const waiting = document.querySelector("[data-refresh]");
  if (waiting && waiting.dataset.refresh) {
    const key = "kw.refresh." + location.pathname + location.search;
    const count = Number(sessionStorage.getItem(key) || 0);
    if (count < 12) {
      sessionStorage.setItem(key, String(count + 1));
      setTimeout(() => location.reload(), Number(waiting.dataset.refresh) * 1000);
    }
  }
})();
