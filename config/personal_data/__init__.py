"""Personal data at rest and on screen, for every app: ID numbers and phones (members, users,
organizations' contact phones, volunteers, sign-ups).

- `crypto`: Fernet encryption and keyed hashes, keys separate from SECRET_KEY;
- `fields`: `EncryptedTextField` (ciphertext in the column) and `KeyedHashField` (its lookup hash);
- `phones`: one normalisation, shape check and lookup hash for every phone;
- `masking`: how a number is shown to those who may not reveal it.
"""
