/* Rich-text editing for <textarea data-richtext> (news.widgets.RichTextWidget), with Quill.
 *
 * The textarea stays the form field: it is hidden, Quill edits a copy, and the HTML is written
 * back on submit. No inline style or script: safe under the site's strict CSP. The server
 * sanitises whatever arrives (news/richtext.py); this only makes formatting pleasant.
 */
(function () {
  "use strict";

  var TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "underline", "strike"],
    [{ list: "ordered" }, { list: "bullet" }, "blockquote"],
    [{ align: [] }],
    ["link", "image"],
    ["clean"],
  ];

  // Pictures come from this site only (the sanitiser drops any other source): ask for a /media/ path.
  function imageHandler(quill, prompt) {
    return function () {
      var src = window.prompt(prompt, "/media/");
      if (!src) { return; }
      src = src.trim();
      if (src.charAt(0) !== "/" || src.charAt(1) === "/") { return; }
      var range = quill.getSelection(true);
      quill.insertEmbed(range.index, "image", src, "user");
    };
  }

  function attach(textarea) {
    if (typeof window.Quill === "undefined" || textarea.dataset.richtextReady) { return; }
    textarea.dataset.richtextReady = "1";
    // The wrapper keeps Quill's toolbar and editing area together as one item of the admin's row.
    var wrapper = document.createElement("div");
    wrapper.className = "richtext";
    var holder = document.createElement("div");
    holder.className = "richtext-editor";
    wrapper.appendChild(holder);
    textarea.parentNode.insertBefore(wrapper, textarea);
    var quill = new window.Quill(holder, {
      theme: "snow",
      placeholder: textarea.getAttribute("placeholder") || "",
      modules: {
        toolbar: { container: TOOLBAR },
      },
    });
    var toolbar = quill.getModule("toolbar");
    toolbar.addHandler("image", imageHandler(quill, textarea.dataset.imagePrompt || "Image path"));
    if (textarea.value.trim()) {
      quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    }
    textarea.hidden = true;
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) { quill.root.setAttribute("aria-label", label.textContent.replace(/[:：]\s*$/, "")); }
    var sync = function () {
      var html = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
      textarea.value = quill.getText().trim() || html.indexOf("<img") >= 0 ? html : "";
    };
    quill.on("text-change", sync);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }

  function init() {
    document.querySelectorAll("textarea[data-richtext]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
