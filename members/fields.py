from django.db import models

from members import crypto


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees the plain value.

    Never filter on it (ciphertexts differ for equal values): filter on the
    companion keyed-hash column instead.
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
