// The GOV.UK error summary: focus it on load (autofocus does this without JavaScript in most
// browsers), and when one of its links is followed, focus the field and show its label too.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (document.activeElement !== summary && !window.location.hash) { summary.focus(); }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var legend = field.closest("fieldset") ? field.closest("fieldset").querySelector("legend") : null;
    var label = legend || document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
