"""The validated rows, kept between validation and commit so the commit does not read the workbook again.

Reading and cleaning the cells is most of an import's work; the commit only
repeats the checks that depend on the database (divisions, existing orgs). The
spool is a sequence of batches, each a zlib-compressed pickle signed with an
HMAC of SECRET_KEY: a file that was not written by validation (or was altered
in storage) is refused before it is unpickled. It lives in the default storage
next to the upload, so a worker on another host can read it.
"""

import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator
from operator import itemgetter

from django.core.files import File
from django.utils.crypto import constant_time_compare, salted_hmac

from orgs.registry_io.columns import IMPORT_FIELDS
from orgs.registry_io.validate import CleanRow

SPOOL_FIELDS = tuple(f for f in IMPORT_FIELDS if f != "region_id")
_SPOOL_VALUES = itemgetter(*SPOOL_FIELDS)  # a row's values as a tuple, in SPOOL_FIELDS' order
_SALT = "orgs.registry_io.spool"
_HEADER = struct.Struct(">I")
_SIGNATURE_BYTES = 32  # sha256


class SpoolError(Exception):
    """The spool is missing, truncated or not signed by this installation."""


def _sign(payload: bytes) -> bytes:
    return salted_hmac(_SALT, payload, algorithm="sha256").digest()


class SpoolWriter:
    """Appends batches to a local temporary file; `save_to` stores it in a FileField."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by save_to/discard)
        self.rows = 0

    def write(self, rows: list[CleanRow]) -> None:
        if not rows:
            return
        values = _SPOOL_VALUES
        records = [(r.number, r.region_code, values(r.values)) for r in rows]
        payload = zlib.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._file.write(_HEADER.pack(len(payload)) + _sign(payload) + payload)
        self.rows += len(rows)

    def save_to(self, field_file, name: str) -> None:
        self._file.seek(0)
        field_file.save(name, File(self._file), save=False)
        self._file.close()

    def discard(self) -> None:
        self._file.close()


def read_batches(field_file) -> Iterator[list[CleanRow]]:
    """The spooled batches as CleanRows (divisions and existing orgs not resolved yet)."""
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
                raise SpoolError("bad signature")
            records = pickle.loads(zlib.decompress(payload))  # noqa: S301  (signed by us, checked above)
            yield [
                CleanRow(number=number, region_code=code, values=dict(zip(SPOOL_FIELDS, values, strict=True)))
                for number, code, values in records
            ]
