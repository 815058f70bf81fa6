"""The checked rows, kept between validation and commit as the commit's own COPY text.

Reading and cleaning the cells is most of an import's work; the commit only repeats the
checks that depend on the database (divisions, existing orgs). Validation stores each good
batch as what the commit needs and nothing more (`StoredBatch`): the rows' values already in
PostgreSQL's COPY text format, one line a row (`commit.STORED_FIELDS`: every written column but
the division, which the commit resolves again, and the encrypted ones), the plain values of the
encrypted columns (encrypted by the commit, as the ORM would at save time), and the keys the
re-check matches stored organizations by (row numbers, division codes, codes, names). A new row
is then written by appending its division id and ciphertext to its line; only rows that match a
stored organization are read back into values (to compare them).

The spool is a sequence of batches, each a pickle of plain lists and one string, signed with an
HMAC of SECRET_KEY: a file that was not written by validation (or was altered in storage) is
refused before it is unpickled. It is not compressed: zlib (level 1) cost more CPU than anything
else in the spool (0.2–0.5 s for 100k rows, plus reading it back), for ~27 MB of text a 100k-row
file (about 3× its workbook), kept only until the job ends. It lives in private storage next to
the upload, so a worker on another host can read it.
"""

import pickle
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files import File
from django.utils.crypto import constant_time_compare, salted_hmac

from orgs.registry_io.commit import stored_columns
from orgs.registry_io.validate import CheckedBatch

_SALT = "orgs.registry_io.spool.copy-text"
_FORMER_SALT = "orgs.registry_io.spool"  # the former spool's (zlib-compressed pickled rows)
_HEADER = struct.Struct(">I")
_SIGNATURE_BYTES = 32  # sha256


class SpoolError(Exception):
    """The spool is missing, truncated or not signed by this installation."""


class FormerSpool(SpoolError):
    """A spool in the former format (written before this version): the commit reads the workbook
    again instead."""


@dataclass(slots=True)
class StoredBatch:
    numbers: list[int]  # spreadsheet row numbers
    region_codes: list[str]  # the division codes as given (resolved again at commit)
    usccs: list[str | None]  # a registered org's code; None for a filed org (matched by name + division)
    names: list[str]
    plain: list[list]  # the encrypted columns' plain values (commit.ENCRYPTED_FIELDS' order)
    lines: list[str]  # commit.STORED_FIELDS in COPY text format, tab-separated, one line a row

    def __len__(self) -> int:
        return len(self.numbers)


def _sign(payload: bytes, salt: str = _SALT) -> bytes:
    return salted_hmac(salt, payload, algorithm="sha256").digest()


def stored_batch(checked: CheckedBatch) -> StoredBatch:
    """A validated batch as the commit reads it back."""
    columns = checked.columns
    lines, plain = stored_columns(columns)
    registered = "registered"
    return StoredBatch(
        numbers=checked.numbers,
        region_codes=checked.region_codes,
        usccs=[
            code if registration == registered else None
            for registration, code in zip(columns["registration"], columns["uscc"], strict=True)
        ],
        names=columns["name"],
        plain=plain,
        lines=lines,
    )


class SpoolWriter:
    """Appends batches to a local temporary file; `save_to` stores it in a FileField."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by save_to/discard)
        self.rows = 0

    def write(self, checked: CheckedBatch) -> None:
        if not checked.numbers:
            return
        batch = stored_batch(checked)
        record = (
            batch.numbers,
            batch.region_codes,
            batch.usccs,
            batch.names,
            batch.plain,
            "\n".join(batch.lines),
        )
        payload = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(_HEADER.pack(len(payload)) + _sign(payload) + payload)
        self.rows += len(batch)

    def save_to(self, field_file, name: str) -> None:
        self._file.seek(0)
        field_file.save(name, File(self._file), save=False)
        self._file.close()

    def discard(self) -> None:
        self._file.close()


def read_batches(field_file) -> Iterator[StoredBatch]:
    """The spooled batches (divisions and existing orgs not resolved yet)."""
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError) as exc:
        raise SpoolError(str(exc)) from exc
    with handle:
        while header := handle.read(_HEADER.size):
            if len(header) != _HEADER.size:
                raise SpoolError("truncated header")
            (length,) = _HEADER.unpack(header)
            signature = handle.read(_SIGNATURE_BYTES)
            payload = handle.read(length)
            if len(payload) != length or not constant_time_compare(signature, _sign(payload)):
                if len(payload) == length and constant_time_compare(signature, _sign(payload, _FORMER_SALT)):
                    raise FormerSpool("a spool of the former format")
                raise SpoolError("bad signature")
            numbers, codes, usccs, names, plain, text = pickle.loads(payload)  # noqa: S301  (signed by us, checked above)
            lines = text.split("\n")
            if not (len(lines) == len(numbers) == len(codes) == len(usccs) == len(names)) or any(
                len(column) != len(numbers) for column in plain
            ):
                raise SpoolError("inconsistent batch")
            yield StoredBatch(numbers, codes, usccs, names, plain, lines)
