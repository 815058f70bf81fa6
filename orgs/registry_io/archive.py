"""Decompression-bomb checks for an uploaded .xlsx, run before any parser sees it.

An .xlsx is a zip: a 1 MB upload can declare or hold gigabytes of XML, and a single
cell of a few hundred megabytes of text becomes one Python string. Before parsing,
`check_xlsx_archive` refuses an archive whose

- entries are too many (a workbook has a few dozen parts);
- declared uncompressed size (the zip's central directory) passes the total limit,
  or an entry's declared compression ratio passes the ratio limit;
- actual uncompressed bytes, streamed and counted chunk by chunk (memory stays at one
  chunk), pass the declared size or the total limit (zipfile also checks the CRC);
- XML holds a run of text longer than any cell can be (Excel caps a cell at 32,767
  characters), which is what would have to be held in memory at once.

Limits are settings (XLSX_* in config/settings/base.py), passed in by each import.
The row count is checked by each reader from the sheet's <dimension> before it reads rows.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK_BYTES = 1024 * 1024
MAX_ENTRIES = 200
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny parts compress wildly (a blank styles.xml); ignore them


class ArchiveRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ArchiveLimits:
    max_uncompressed_bytes: int
    max_ratio: int
    max_text_run_bytes: int

    @classmethod
    def from_settings(cls, max_uncompressed_bytes: int) -> "ArchiveLimits":
        return cls(
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_ratio=settings.XLSX_MAX_COMPRESSION_RATIO,
            max_text_run_bytes=settings.XLSX_MAX_TEXT_RUN_BYTES,
        )


def _too_large(limit: int) -> ArchiveRefused:
    return ArchiveRefused(
        _("The workbook unpacks to more than %(limit)s; split it into several files.")
        % {"limit": filesizeformat(limit)}
    )


def check_xlsx_archive(fileobj: IO[bytes], limits: ArchiveLimits) -> None:
    """Refuse (ArchiveRefused, a message for the user) an archive past `limits`; rewinds `fileobj`."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(_("The file is not a readable .xlsx workbook.")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ArchiveRefused(_("The workbook has too many parts to be a spreadsheet."))
        declared = sum(entry.file_size for entry in entries)
        if declared > limits.max_uncompressed_bytes:
            raise _too_large(limits.max_uncompressed_bytes)
        for entry in entries:
            if entry.file_size >= RATIO_CHECK_FROM_BYTES and (
                entry.file_size > limits.max_ratio * max(entry.compress_size, 1)
            ):
                raise ArchiveRefused(
                    _("The workbook is compressed %(ratio)d times or more, as only crafted files are.")
                    % {"ratio": limits.max_ratio}
                )
        actual = 0
        for entry in entries:
            actual += _stream_entry(archive, entry, limits, budget=limits.max_uncompressed_bytes - actual)
    fileobj.seek(0)


def _stream_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ArchiveLimits, *, budget: int
) -> int:
    """Decompress one entry chunk by chunk, counting bytes and the longest run without a tag."""
    size, run = 0, 0
    try:
        with archive.open(entry) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                size += len(chunk)
                if size > entry.file_size or size > budget:
                    raise _too_large(limits.max_uncompressed_bytes)
                run = _text_run(chunk, run, limits.max_text_run_bytes)
                if run > limits.max_text_run_bytes:
                    raise ArchiveRefused(
                        _("The workbook holds a text longer than a spreadsheet cell can (%(limit)s).")
                        % {"limit": filesizeformat(limits.max_text_run_bytes)}
                    )
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:  # CRC or size mismatch
        raise ArchiveRefused(_("The file is not a readable .xlsx workbook.")) from exc
    return size


def _text_run(chunk: bytes, run: int, limit: int) -> int:
    """The run without a tag (`<`) that ends this chunk, given the one that ended the previous chunk;
    a value past `limit` when the chunk holds (or extends) a longer one.

    Fast path, no copy of the chunk: when every stretch of `limit // 2` bytes between the chunk's
    first and last `<` holds a `<`, no gap between two of them can reach `limit`, so only the ends
    matter. Otherwise the exact walk over the chunk's pieces decides."""
    first = chunk.find(b"<")
    if first == -1:
        return run + len(chunk)
    if run + first > limit:
        return run + first
    last = chunk.rfind(b"<")
    step = max(limit // 2, 1)
    find = chunk.find
    if all(find(b"<", start, min(start + step, last + 1)) != -1 for start in range(first, last + 1, step)):
        return len(chunk) - last - 1
    pieces = chunk.split(b"<")
    longest = max(run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
    return longest if longest > limit else len(pieces[-1])
