/*
 * Import jobs (templates/admin/import_job.html): follow a running job on its page.
 * Polls the JSON progress endpoint (data-url) and reloads the page when the job's
 * status changes, so the server renders the outcome. No text lives here: the
 * endpoint returns the label already translated.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-url");
  var shownStatus = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var INTERVAL_MS = 1500;
  var RETRY_MS = 5000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (state.status !== shownStatus) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(state.total, 1);
        bar.value = state.processed;
        text.textContent = state.label;
        window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () {
        window.setTimeout(poll, RETRY_MS);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
