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
