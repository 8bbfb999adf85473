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

/* The meeting packet's card (committee/_packet_card.html): while a build is queued or
   running the card carries data-packet-poll, the packet's status URL in the API. Poll it
   every second, move the progress bar, and when the build ends swap in the card as the
   page now renders it (download link, pages, errors), without reloading the page. */
(function () {
  "use strict";
  var INTERVAL_MS = 1000;

  function refreshCard(card) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("packet");
        if (fresh) {
          card.replaceWith(fresh);
          watch(fresh);
        }
      });
  }

  function showProgress(card, data) {
    var bar = card.querySelector("[data-packet-progress]");
    var status = card.querySelector("[data-testid=packet-status]");
    if (status && status.getAttribute("data-label-" + data.status)) {
      status.textContent = status.getAttribute("data-label-" + data.status);
    }
    if (!bar) { return; }
    bar.setAttribute("aria-valuenow", String(data.progress));
    var inner = bar.firstElementChild;
    if (inner) {
      inner.className = "progress-bar progress-bar-striped progress-bar-animated";
      inner.style.width = data.progress + "%";
      inner.textContent = data.progress + "%";
    }
  }

  function watch(card) {
    var url = card.getAttribute("data-packet-poll");
    if (!url) { return; }
    var timer = window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          showProgress(card, data);
          if (data.status !== "queued" && data.status !== "running") {
            window.clearInterval(timer);
            return refreshCard(card);
          }
        })
        .catch(function () { window.clearInterval(timer); });
    }, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var card = document.querySelector("[data-packet-poll]");
    if (card) { watch(card); }
  });
})();
