// The admin's autocomplete boxes (select2) name their combobox by the selected value only, so an
// empty one has no accessible name: give it (and its read-only textbox) its field's <label> text.
(function () {
  "use strict";
  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label || !select.parentElement) {
        return;
      }
      var name = label.textContent.replace(/[:：]\s*$/, "").trim();
      // the combobox and the read-only textbox inside it that shows the choice
      select.parentElement.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(
        function (box) {
          if (!box.hasAttribute("aria-label")) {
            box.setAttribute("aria-label", name);
          }
        }
      );
    });
  }
  window.addEventListener("load", nameComboboxes); // after jquery's ready, where select2 starts
  // and whenever select2 builds a box later (or before "load" on a slow machine): watch the page
  if (window.MutationObserver) {
    document.addEventListener("DOMContentLoaded", function () {
      new MutationObserver(function (records) {
        for (var i = 0; i < records.length; i++) {
          if (records[i].addedNodes.length) {
            nameComboboxes();
            return;
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
  }
  document.addEventListener("formset:added", function () { window.setTimeout(nameComboboxes, 0); });
})();
