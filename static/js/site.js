/*
 * Progressive enhancement for the public and portal layouts.
 * Loaded from <head> without defer so the "js" class is set before first paint
 * (the collapsed phone navigation depends on it); handlers attach once the DOM is ready.
 * No inline handlers: the Content-Security-Policy forbids them.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpNavToggle(button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) {
      return;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("is-open");
        button.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-nav-toggle]").forEach(setUpNavToggle);
  });
})();
