/* The case form's activity rows: add a row from the formset's empty form, show each
   row's requested credits (value × multiplier) as typed, and dim rows marked for removal.
   Without JavaScript the form still works with its one spare row. */
(function () {
  "use strict";
  var table = document.getElementById("activities");
  var template = document.getElementById("activity-empty-row");
  var total = document.getElementById("id_activities-TOTAL_FORMS");
  var addButton = document.getElementById("add-activity");
  if (!table || !template || !total || !addButton) return;
  var body = table.tBodies[0];
  var locale = document.documentElement.lang || undefined;

  function refresh(row) {
    var value = parseFloat((row.querySelector("[name$='-value']") || {}).value);
    var multiplier = parseFloat((row.querySelector("[name$='-requested_multiplier']") || {}).value);
    var cell = row.querySelector("[data-credits]");
    if (!cell) return;
    if (isFinite(value) && isFinite(multiplier)) {
      var credits = Math.round(value * multiplier * 100) / 100;
      cell.textContent = credits.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } else {
      cell.textContent = "—";
    }
    var remove = row.querySelector("[name$='-DELETE']");
    row.classList.toggle("opacity-50", !!(remove && remove.checked));
  }

  function refreshAll() {
    Array.prototype.forEach.call(body.rows, refresh);
  }

  addButton.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var row = body.rows[body.rows.length - 1];
    refresh(row);
    var first = row.querySelector("select, input");
    if (first) first.focus();
  });

  table.addEventListener("input", function (event) {
    var row = event.target.closest("tr");
    if (row) refresh(row);
  });
  table.addEventListener("change", function (event) {
    var row = event.target.closest("tr");
    if (row) refresh(row);
  });
  refreshAll();
})();
