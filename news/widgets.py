from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class RichTextWidget(forms.Textarea):
    """A textarea that static/js/richtext.js turns into a Quill editor (served from static/vendor/quill).

    Without JavaScript it stays a plain HTML textarea; either way the service sanitises on save.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "data-richtext": "1",
            "data-image-prompt": _("Path of an image on this site (for example /media/news/…):"),
            "rows": 20,
        }
        super().__init__({**defaults, **(attrs or {})})

    class Media:
        css = {"all": ("vendor/quill/quill.snow.css", "css/richtext.css")}
        js = ("vendor/quill/quill.js", "js/richtext.js")
