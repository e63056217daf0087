// Administrators' pages: a page that answers a form (a token just issued, a user created)
// replaces its history entry with a plain visit of the page it belongs to, so that reloading
// it shows the page again instead of sending the form a second time (a second token).
"use strict";
(function () {
  const answer = document.getElementById("form-answer");
  if (answer && answer.dataset.page) {
    history.replaceState(null, "", answer.dataset.page);
  }
})();
