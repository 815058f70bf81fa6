from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminTextInputWidget
from django.db import models
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from config.personal_data import crypto


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees the plain value.

    Never filter on it (ciphertexts differ for equal values): filter on the
    companion keyed-hash column instead (`KeyedHashField`). With `max_length` its
    form field is a one-line input of that length (a phone, an ID number).
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_prep_values(self, values: Sequence[Any]) -> list[Any]:
        """`[get_prep_value(v) for v in values]` with one crypto.encrypt_many (bulk writers: COPY)."""
        prepared = [models.TextField.get_prep_value(self, value) for value in values]
        filled = [i for i, value in enumerate(prepared) if value is not None and value != ""]
        for i, token in zip(filled, crypto.encrypt_many([prepared[i] for i in filled]), strict=True):
            prepared[i] = token
        return prepared

    def formfield(self, **kwargs):
        if self.max_length and not self.choices:
            # a one-line input, also in the admin (whose TextField default is a text area)
            widget = kwargs.get("widget")
            textarea = widget is None or (
                isinstance(widget, forms.Textarea)
                or (isinstance(widget, type) and issubclass(widget, forms.Textarea))
            )
            if textarea:
                admin = widget is not None and type(widget).__module__.startswith("django.contrib.admin")
                kwargs["widget"] = AdminTextInputWidget if admin else forms.TextInput
        return super().formfield(**kwargs)


class KeyedHashField(models.CharField):
    """The keyed hash of another field's value, kept by the model: exact lookups and uniqueness of an
    encrypted value go through it (`filter(phone_hash=phone_hash(value))`).

    `hasher` names a function of the plain value ("config.personal_data.phones.phone_hash"); the
    hash is recomputed from `source` on every save and bulk_create (bulk_update and
    `save(update_fields=...)` must name it with its source).
    """

    def __init__(self, *args, source: str, hasher: str, **kwargs):
        self.source, self.hasher = source, hasher
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, hasher=self.hasher)
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    @cached_property
    def _hasher(self) -> Callable[[Any], str]:
        return import_string(self.hasher)

    def hash_of(self, value) -> str:
        return self._hasher(value or "")

    def hashes_of(self, values: Sequence[Any]) -> list[str]:
        """`[hash_of(v) for v in values]` (bulk writers): by the hasher's bulk twin when its module
        has one (the hasher's name plus "_many", e.g. phones.phone_hash_many), else value by value."""
        try:
            many = import_string(f"{self.hasher}_many")
        except ImportError:
            hasher = self._hasher
            return [hasher(value or "") for value in values]
        return many([value or "" for value in values])

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
