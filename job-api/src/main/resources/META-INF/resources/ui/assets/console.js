// The DMS console's only script (no build step): it sends the API token with every htmx request
// and shows the API's problem documents. The token lives in this tab's sessionStorage, never in a
// cookie: the server accepts it only from the Authorization header, so another site cannot make
// the browser act with it (no CSRF), and it is gone when the tab closes.
(function () {
  "use strict";
  var KEY = "dms-api-token";

  document.addEventListener("htmx:configRequest", function (evt) {
    var token = sessionStorage.getItem(KEY);
    if (token) {
      evt.detail.headers["Authorization"] = "Bearer " + token;
    }
  });

  function polling(elt) {
    var trigger = elt && elt.getAttribute && elt.getAttribute("hx-trigger");
    return trigger != null && trigger.indexOf("every") >= 0;
  }

  // An action the user started clears the last problem; a poll does not.
  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (!polling(evt.detail.elt)) {
      var box = document.getElementById("problem");
      if (box) { box.hidden = true; box.textContent = ""; }
    }
  });

  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text != null) { el.textContent = text; }
    if (cls) { el.className = cls; }
    parent.appendChild(el);
    return el;
  }

  function finding(list, f) {
    add(list, "li", [f.severity, f.code, f.database, f.message, f.action && ("→ " + f.action)]
      .filter(function (x) { return x; }).join(" · "));
  }

  // Renders an RFC 7807 problem as text nodes only (never as HTML: its text may quote user input).
  function showProblem(status, body) {
    var box = document.getElementById("problem");
    if (!box) { return; }
    box.textContent = "";
    var problem;
    try { problem = JSON.parse(body); } catch (e) { problem = { title: "HTTP " + status, detail: body }; }
    add(box, "strong", (problem.title || "Error") + " (" + (problem.status || status) + ")");
    add(box, "p", problem.detail || "", "problem-detail");
    var shown = { type: 1, title: 1, status: 1, detail: 1, errors: 1, findings: 1, preflights: 1 };
    if (problem.errors) {
      var errors = add(box, "ul");
      problem.errors.forEach(function (e) { add(errors, "li", e.field + ": " + e.message); });
    }
    if (problem.findings) {
      var findings = add(box, "ul");
      problem.findings.forEach(function (f) { finding(findings, f); });
    }
    if (problem.preflights) {
      Object.keys(problem.preflights).forEach(function (job) {
        add(box, "p", job + ":");
        var list = add(box, "ul");
        problem.preflights[job].forEach(function (f) { finding(list, f); });
      });
    }
    var extra = add(box, "dl");
    Object.keys(problem).filter(function (k) { return !shown[k]; }).forEach(function (k) {
      add(extra, "dt", k);
      add(extra, "dd", typeof problem[k] === "string" ? problem[k] : JSON.stringify(problem[k]));
    });
    if ((problem.status || status) === 401) {
      var p = add(box, "p");
      var a = add(p, "a", "Give the console a token");
      a.href = "/ui/login";
    }
    box.hidden = false;
  }

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    showProblem(xhr.status, xhr.responseText);
    // A poll that failed stops: its problem stays shown instead of coming back every second.
    if (evt.detail.elt && evt.detail.elt.classList && evt.detail.elt.classList.contains("dms-poll")) {
      evt.detail.elt.remove();
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showProblem(0, JSON.stringify({ title: "The API cannot be reached", detail: "no answer from " + location.origin }));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("login-form");
    if (!form) { return; }
    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      sessionStorage.setItem(KEY, document.getElementById("token").value.trim());
      location.href = "/";
    });
    document.getElementById("sign-out").addEventListener("click", function () {
      sessionStorage.removeItem(KEY);
      location.href = "/ui/login";
    });
  });
})();
