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
  document.addEventListener("formset:added", function () { window.setTimeout(nameComboboxes, 0); });
})();
