// Forms that act through the REST API: field-level messages next to the fields. A message for the
// field "path" goes to the element [data-error-for="path"] in the form; when there is none, to the
// slot of the enclosing path (seasons[0].weekday[2].end → seasons[0].weekday[2] → … → ""), so every
// problem the server reports is shown somewhere near its field.
(function () {
  "use strict";

  function clearErrors(root) {
    root.querySelectorAll("[data-error-for]").forEach(slot => { slot.textContent = ""; slot.hidden = true; });
    root.querySelectorAll(".invalid").forEach(input => { input.classList.remove("invalid"); input.removeAttribute("aria-invalid"); });
  }

  function parentPath(path) {
    const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
    return cut > 0 ? path.slice(0, cut) : "";
  }

  function slotFor(root, path) {
    for (let p = path; ; p = parentPath(p)) {
      const slot = root.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
      if (slot || p === "") return slot;
    }
  }

  function showError(root, path, message) {
    const slot = slotFor(root, path);
    if (slot) {
      slot.textContent = slot.textContent ? slot.textContent + " " + message : message;
      slot.hidden = false;
    } else {
      alert(message);
    }
    const input = root.querySelector(`[data-path="${CSS.escape(path)}"], [name="${CSS.escape(path)}"]`);
    if (input) { input.classList.add("invalid"); input.setAttribute("aria-invalid", "true"); }
  }

  // errors: { path: [messages] }; normalize maps a server path to the form's (e.g. strips "versions[1].").
  function showErrors(root, errors, normalize) {
    clearErrors(root);
    let first = null;
    for (const [raw, messages] of Object.entries(errors || {})) {
      let path = raw.replace(/^\$\.?/, "");
      path = path.length ? path[0].toLowerCase() + path.slice(1) : path;
      if (normalize) path = normalize(path);
      for (const message of [].concat(messages)) showError(root, path, message);
      first = first || root.querySelector(`[data-path="${CSS.escape(path)}"], [name="${CSS.escape(path)}"]`);
    }
    (first || root.querySelector("[data-error-for]:not([hidden])"))?.scrollIntoView({ block: "center" });
  }

  // The field errors of a failed kw.api call; a problem without field errors is a message for the whole form.
  function problemErrors(error) {
    const problem = error && error.problem;
    if (problem && problem.errors && Object.keys(problem.errors).length) return problem.errors;
    return { "": [(problem && (problem.detail || problem.title)) || (error && error.message) || String(error)] };
  }

  // Goes to a URL after a change, reloading when only its #anchor differs (assigning location.href would then just scroll).
  function go(url) {
    const target = new URL(url, location.href);
    if (target.pathname === location.pathname && target.search === location.search) {
      location.hash = target.hash;
      location.reload();
    } else {
      location.assign(target.href);
    }
  }

  // Named apart from app.js's kw.showErrors(form, error, general), which takes a failed call rather than a map of messages.
  window.kw.fields = { clear: clearErrors, show: showError, showAll: showErrors, fromProblem: problemErrors, go };
})();
