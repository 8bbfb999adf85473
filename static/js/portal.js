/* Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can
   refuse inline script: a select marked data-submit-on-change (the language picker)
   submits its form when changed. Without JavaScript its form has a button. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-submit-on-change]") && target.form) {
      target.form.submit();
    }
  });
})();

/* Background jobs (a meeting's packet, a report): while one is queued or running, its
   element carries data-poll, the job's status URL in the API, and an id. Poll it every
   second, move the element's progress bar ([data-poll-progress]) and status text
   ([data-poll-status] with data-label-<status>), and when the job ends swap in the
   element as the page now renders it (download link, pages, errors): no page reload. */
(function () {
  "use strict";
  var INTERVAL_MS = 1000;

  function refresh(element) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(element.id);
        if (fresh) {
          element.replaceWith(fresh);
          watch(fresh);
        }
      });
  }

  function show(element, data) {
    var status = element.querySelector("[data-poll-status]");
    if (status && status.getAttribute("data-label-" + data.status)) {
      status.textContent = status.getAttribute("data-label-" + data.status);
    }
    var bar = element.querySelector("[data-poll-progress]");
    if (!bar) { return; }
    bar.setAttribute("aria-valuenow", String(data.progress));
    var inner = bar.firstElementChild;
    if (inner) {
      inner.className = "progress-bar progress-bar-striped progress-bar-animated";
      inner.style.width = data.progress + "%";
      inner.textContent = data.progress + "%";
    }
  }

  function watch(element) {
    var url = element.getAttribute("data-poll");
    if (!url || !element.id) { return; }
    var timer = window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          show(element, data);
          if (data.status !== "queued" && data.status !== "running") {
            window.clearInterval(timer);
            return refresh(element);
          }
        })
        .catch(function () { window.clearInterval(timer); });
    }, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(watch);
  });
})();
