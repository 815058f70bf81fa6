"""Finding 6 of issue 13: crafted .xlsx files (decompression bombs) are refused before parsing,
with a clear error and without the memory they would take."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.import_export.reader import FileError as MemberFileError
from members.import_export.reader import read_rows
from orgs.models import RegistryImport
from orgs.registry_io import parse
from orgs.registry_io.archive import ArchiveLimits, ArchiveRefused, check_xlsx_archive
from orgs.registry_io.columns import COLUMNS
from tests.xlsx_bombs import HEAD, MB, TAIL, members_base, one_huge_cell, rebuild_xlsx, workbook_bytes


def _many_rows(rows: int):
    def write(handle):
        handle.write(HEAD)
        line = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        batch = line * 10_000
        for _ in range(rows // 10_000):
            handle.write(batch)
        handle.write(TAIL)

    return write


@pytest.fixture(scope="module")
def registry_base():
    return workbook_bytes([c.header for c in COLUMNS])


def _peak_mb(work) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_bomb_one_huge_cell_is_small_on_disk(registry_base):
    bomb = rebuild_xlsx(registry_base, sheet_writer=one_huge_cell(300))
    assert len(bomb) < 2 * MB  # 300 MB of text in a file under 2 MB


@pytest.mark.parametrize("megabytes", [1, 300])
def test_registry_reader_refuses_huge_cell_before_parsing_with_little_memory(registry_base, megabytes):
    # the attack of the finding: a small upload that unpacks hugely (default limits)
    bomb = rebuild_xlsx(registry_base, sheet_writer=one_huge_cell(megabytes))

    def read():
        with pytest.raises(parse.FileError) as caught, parse.open_sheet(io.BytesIO(bomb)) as sheet:
            list(sheet.rows())
        assert caught.value.message.startswith("The workbook")

    assert _peak_mb(read) < 16  # the expanded cell would be 1 MB … 300 MB as one string


def test_registry_reader_refuses_long_text_run_even_within_size_and_ratio(registry_base, settings):
    settings.XLSX_MAX_COMPRESSION_RATIO = 1_000_000
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * MB
    bomb = rebuild_xlsx(registry_base, sheet_writer=one_huge_cell(100))

    def read():
        with pytest.raises(parse.FileError) as caught, parse.open_sheet(io.BytesIO(bomb)):
            pass
        assert "text longer than a spreadsheet cell" in caught.value.message

    assert _peak_mb(read) < 16


def test_registry_reader_refuses_ratio_bomb(registry_base, settings):
    bomb = rebuild_xlsx(registry_base, sheet_writer=_many_rows(1_000_000))  # ~50 MB of XML in ~100 KB
    with pytest.raises(parse.FileError) as caught, parse.open_sheet(io.BytesIO(bomb)):
        pass
    assert "compressed 100 times or more" in caught.value.message


def test_registry_reader_refuses_past_total_uncompressed_size(registry_base, settings):
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * MB
    settings.XLSX_MAX_COMPRESSION_RATIO = 10_000
    bomb = rebuild_xlsx(registry_base, sheet_writer=_many_rows(100_000))
    with pytest.raises(parse.FileError) as caught, parse.open_sheet(io.BytesIO(bomb)):
        pass
    assert "unpacks to more than 2.0" in caught.value.message


def test_registry_reader_refuses_declared_row_count_before_reading(registry_base):
    def write(handle):
        handle.write(HEAD.replace(b"<sheetData>", b'<dimension ref="A1:W900000"/><sheetData>'))
        handle.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + TAIL)

    crafted = rebuild_xlsx(registry_base, sheet_writer=write)
    with pytest.raises(parse.FileError) as caught, parse.open_sheet(io.BytesIO(crafted)):
        pass
    assert "more than 200000 data rows" in caught.value.message


def test_check_xlsx_archive_accepts_a_real_workbook(registry_base):
    handle = io.BytesIO(registry_base)
    check_xlsx_archive(
        handle, ArchiveLimits(max_uncompressed_bytes=MB, max_ratio=100, max_text_run_bytes=4096)
    )
    assert handle.tell() == 0


def test_check_xlsx_archive_refuses_not_a_zip():
    with pytest.raises(ArchiveRefused):
        check_xlsx_archive(io.BytesIO(b"PK\x03\x04 not really"), ArchiveLimits(MB, 100, 4096))


@pytest.mark.django_db
def test_registry_import_job_refuses_bomb_with_clear_error(
    registry_base, district_staff, django_capture_on_commit_callbacks
):
    from orgs.services.registry_import import registry_import_create

    bomb = rebuild_xlsx(registry_base, sheet_writer=one_huge_cell(50))
    with django_capture_on_commit_callbacks(execute=True):
        job = registry_import_create(
            user=district_staff, file=SimpleUploadedFile("bomb.xlsx", bomb), language="en"
        )
    job.refresh_from_db()
    assert job.status == RegistryImport.Status.INVALID
    assert [error[2] for error in job.errors] == [
        "The workbook is compressed 100 times or more, as only crafted files are."
    ]


@pytest.mark.parametrize("megabytes", [1, 200])
def test_member_reader_refuses_huge_cell_with_little_memory(megabytes):
    bomb = rebuild_xlsx(members_base(), sheet_writer=one_huge_cell(megabytes))

    def read():
        with pytest.raises(MemberFileError) as caught:
            read_rows(io.BytesIO(bomb))
        assert caught.value.message.startswith("The workbook")

    assert _peak_mb(read) < 16


def test_member_reader_refuses_long_text_run(settings):
    settings.XLSX_MAX_COMPRESSION_RATIO = 1_000_000
    bomb = rebuild_xlsx(members_base(), sheet_writer=one_huge_cell(8))
    with pytest.raises(MemberFileError) as caught:
        read_rows(io.BytesIO(bomb))
    assert "text longer than a spreadsheet cell" in caught.value.message


def test_member_reader_refuses_declared_row_count_before_reading():
    def write(handle):
        handle.write(HEAD.replace(b"<sheetData>", b'<dimension ref="A1:T900000"/><sheetData>'))
        handle.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + TAIL)

    with pytest.raises(MemberFileError) as caught:
        read_rows(io.BytesIO(rebuild_xlsx(members_base(), sheet_writer=write)))
    assert "more than 5000 rows" in caught.value.message


def _reference_runs(chunks: list[bytes], limit: int) -> int | None:
    """The text-run check as first written (split every chunk on "<"): the chunk index where a run
    passes `limit`, or None."""
    run = 0
    for index, chunk in enumerate(chunks):
        pieces = chunk.split(b"<")
        if len(pieces) == 1:
            run += len(chunk)
        else:
            run = max(run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
            if run <= limit:
                run = len(pieces[-1])
        if run > limit:
            return index
    return None


def test_text_run_fast_path_refuses_exactly_what_the_full_split_refuses():
    # given: random XML-like streams with gaps around the limit, cut into random chunks
    import random

    from orgs.registry_io.archive import _text_run

    rng = random.Random(15)
    limit = 16
    refused = 0
    for _ in range(3000):
        gaps = [rng.choice([0, 1, 3, 7, 8, 15, 16, 17, 30]) for _ in range(rng.randrange(1, 12))]
        stream = b"<".join(b"a" * gap for gap in gaps)
        cuts = sorted(rng.sample(range(1, len(stream)), min(rng.randrange(0, 5), max(len(stream) - 1, 0))))
        chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
        # when: the fast check walks the same chunks
        run, found = 0, None
        for index, chunk in enumerate(chunks):
            run = _text_run(chunk, run, limit)
            if run > limit:
                found = index
                break
        # then: it refuses at the same chunk as the full split, and passes what it passes
        assert found == _reference_runs(chunks, limit), (gaps, cuts)
        refused += found is not None
    assert 0 < refused < 3000  # both outcomes were exercised


def test_text_run_at_the_limit_passes_and_one_more_byte_is_refused():
    from orgs.registry_io.archive import _text_run

    limit = 1000
    body = b"<c>" + b"x" * 50 + b"</c>"
    exact = body * 40 + b"<t>" + b"y" * (limit - 2) + b"<" + body * 40  # "t>" + 998 bytes = 1000
    assert _text_run(exact, 0, limit) <= limit
    longer = body * 40 + b"<t>" + b"y" * (limit - 1) + b"<" + body * 40
    assert _text_run(longer, 0, limit) > limit
    # a run split across two chunks counts whole
    assert _text_run(b"y" * 600 + b"<", _text_run(b"<" + b"y" * 401, 0, limit), limit) > limit
    assert _text_run(b"y" * 599 + b"<", _text_run(b"<" + b"y" * 401, 0, limit), limit) <= limit
