/*
 * After a sending with mistakes the page opens with its error summary focused (GOV.UK pattern):
 * a screen reader reads it at once and Tab goes on to its links. The summary carries
 * data-autofocus and tabindex="-1" (templates/includes/form_errors.html). A script file, not an
 * inline one: the Content-Security-Policy allows scripts only from our own address.
 */
(function () {
  "use strict";

  // The first summary (a page may show one per form); it wins over a field's autofocus.
  var summary = document.querySelector(".error-summary[data-autofocus]");
  if (summary) {
    summary.focus();
  }
})();
