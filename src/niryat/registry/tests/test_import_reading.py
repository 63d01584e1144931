"""Reading import files: encodings, delimiters, column order, XLSX, and hostile files refused.

The first half reads files with ``open_rows`` (no database); the second half hands hostile
files to ``import_batch_create`` and checks that it refuses them with a clear message and
leaves nothing behind: no batch, no enterprise, no stored file.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import re
import struct
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.audit.models import AuditEvent
from niryat.registry.importing.reading import (
    TEMPLATE_COLUMNS,
    FileRefused,
    Table,
    estimate_rows,
    open_rows,
    template_csv,
)
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Enterprise, ImportBatch

LIMIT = 10 * 1024 * 1024
HINDI = "बनारसी सिल्क उद्योग"
TEXT = (
    "udyam_number,name,name_hi,district_lgd_code,mobile\r\n"
    "UDYAM-UP-65-0000001,Café Crafts’ Udyog,,187,9876543210\r\n"
    "UDYAM-UP-65-0000002,Kashi Brass Works,,187,9876543211\r\n"
)
EXPECTED = [
    {"udyam_number": "UDYAM-UP-65-0000001", "name": "Café Crafts’ Udyog", "name_hi": "",
     "district_lgd_code": "187", "mobile": "9876543210"},
    {"udyam_number": "UDYAM-UP-65-0000002", "name": "Kashi Brass Works", "name_hi": "",
     "district_lgd_code": "187", "mobile": "9876543211"},
]


def read(path: Path, limit: int = LIMIT) -> tuple[Table, list[dict[str, str]]]:
    table, rows = open_rows(path, limit)
    return table, [record for _number, record in table.records(rows)]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def png_bytes(size: int = 32) -> bytes:
    """A real PNG image (noise, so it does not compress to nothing)."""
    rng = random.Random(3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + rng.randbytes(3 * size) for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    ("utf-16", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("cp1252", TEXT.encode("cp1252")),
])
def test_every_encoding_reads_to_the_same_values(tmp_path: Path, encoding: str, data: bytes) -> None:
    table, records = read(write(tmp_path, "f.csv", data))
    assert table.kind == "csv" and table.encoding == encoding
    assert table.columns == ["udyam_number", "name", "name_hi", "district_lgd_code", "mobile"]
    assert table.unknown == []
    assert records == EXPECTED


def test_the_cp1252_file_really_is_not_utf8() -> None:
    """The Windows-1252 case above is a real one: é and ’ are single bytes there."""
    with pytest.raises(UnicodeDecodeError):
        TEXT.encode("cp1252").decode("utf-8")


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom"])
def test_hindi_names_survive(tmp_path: Path, encode: Any) -> None:
    text = f"name,name_hi\nBanarasi Silk Udyog,{HINDI}\nश्री गणेश हैंडीक्राफ्ट्स,\n"
    _table, records = read(write(tmp_path, "hi.csv", encode(text)))
    assert records == [{"name": "Banarasi Silk Udyog", "name_hi": HINDI},
                       {"name": "श्री गणेश हैंडीक्राफ्ट्स", "name_hi": ""}]


def test_cp1252_detected_when_the_first_accent_is_far_down(tmp_path: Path) -> None:
    lines = ["name,mobile"] + [f"Kashi Brass Works {i},98765{i:05d}" for i in range(3000)]
    lines.append("Café Crafts’ Udyog,9876500000")
    path = write(tmp_path, "late.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))
    assert path.stat().st_size > 64 * 1024
    _table, records = read(path)
    assert records[-1]["name"] == "Café Crafts’ Udyog"


# --- delimiters, columns ----------------------------------------------------------------------


def test_semicolon_delimited(tmp_path: Path) -> None:
    text = "name;udyam_number;mobile\nKashi Brass Works;UDYAM-UP-65-0000002;9876543211\nGanga Silk;;\n"
    table, records = read(write(tmp_path, "semi.csv", text.encode()))
    assert table.mapping == {0: "name", 1: "udyam_number", 2: "mobile"}
    assert records == [
        {"name": "Kashi Brass Works", "udyam_number": "UDYAM-UP-65-0000002", "mobile": "9876543211"},
        {"name": "Ganga Silk", "udyam_number": "", "mobile": ""},
    ]


def test_columns_in_any_order_with_aliases_and_quoted_commas(tmp_path: Path) -> None:
    text = (
        "PIN Code,Mobile Number,Enterprise Name,GST,Udyam,District-LGD-Code\n"
        '221001,9876543210,"Kashi Silk, Varanasi",09ABCPE1234F1Z5,UDYAM-UP-65-0000001,187\n'
    )
    _table, records = read(write(tmp_path, "order.csv", text.encode()))
    assert records == [{"pincode": "221001", "mobile": "9876543210", "name": "Kashi Silk, Varanasi",
                        "gstin": "09ABCPE1234F1Z5", "udyam_number": "UDYAM-UP-65-0000001",
                        "district_lgd_code": "187"}]


def test_unknown_columns_are_reported_not_dropped_silently(tmp_path: Path) -> None:
    text = "name,Owner Caste,mobile,Remarks,\nKashi Brass Works,x,9876543210,call later,\n"
    table, records = read(write(tmp_path, "unknown.csv", text.encode()))
    assert table.unknown == ["Owner Caste", "Remarks"]
    assert table.columns == ["name", "Owner Caste", "mobile", "Remarks", ""]  # kept for the error report
    assert records == [{"name": "Kashi Brass Works", "mobile": "9876543210"}]


def test_a_short_row_reads_as_blanks_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    text = "name,mobile,pincode\nKashi Brass Works\n,,\n\nGanga Silk,9876543210,221001\n"
    _table, records = read(write(tmp_path, "short.csv", text.encode()))
    assert records == [{"name": "Kashi Brass Works", "mobile": "", "pincode": ""},
                       {"name": "Ganga Silk", "mobile": "9876543210", "pincode": "221001"}]


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_is_read_with_numbers_as_text(tmp_path: Path) -> None:
    data = xlsx_bytes([
        ["Mobile", "name", "name_hi", "pincode", "district_lgd_code", "Notes"],
        [9876543210, "Kashi Brass Works", HINDI, 221001, 187.0, "n"],
        [None, None, None, None, None, None],
        ["", "Ganga Silk", None, None, None, None],
    ])
    table, records = read(write(tmp_path, "list.xlsx", data))
    assert (table.kind, table.unknown) == ("xlsx", ["Notes"])
    assert records == [
        {"mobile": "9876543210", "name": "Kashi Brass Works", "name_hi": HINDI, "pincode": "221001",
         "district_lgd_code": "187"},
        {"mobile": "", "name": "Ganga Silk", "name_hi": "", "pincode": "", "district_lgd_code": ""},
    ]


def test_xlsx_date_cells_are_read_as_dates(tmp_path: Path) -> None:
    data = xlsx_bytes([["name", "Figures as of", "licence_bis"],
                       ["Kashi Brass Works", datetime(2025, 3, 31), "CM/L 1234567"]])
    table, records = read(write(tmp_path, "list.xlsx", data))
    assert table.unknown == []
    assert records == [{"name": "Kashi Brass Works", "size_as_of": "2025-03-31", "licence_bis": "CM/L 1234567"}]


def test_xlsx_is_recognised_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    data = xlsx_bytes([["name"], ["Kashi Brass Works"]])
    table, records = read(write(tmp_path, "really-a-workbook.csv", data))
    assert table.kind == "xlsx" and records == [{"name": "Kashi Brass Works"}]


# --- template, estimate -----------------------------------------------------------------------


def test_the_template_reads_back_with_every_column_known(tmp_path: Path) -> None:
    text = template_csv()
    assert next(csv.reader(io.StringIO(text))) == TEMPLATE_COLUMNS
    for required in ("udyam_number", "name", "name_hi", "gstin", "pan", "district_lgd_code", "sector",
                     "mobile", "email", "pincode"):
        assert required in TEMPLATE_COLUMNS
    table, records = read(write(tmp_path, "template.csv", text.encode()))
    assert table.unknown == [] and len(records) == 1
    assert records[0]["name_hi"] == "उदाहरण सिल्क बुनकर"


def test_estimate_rows(tmp_path: Path) -> None:
    assert estimate_rows(write(tmp_path, "f.csv", TEXT.encode())) == 2
    data = xlsx_bytes([["name"], ["a"], ["b"], ["c"]])
    assert estimate_rows(write(tmp_path, "f.xlsx", data)) == 3


# --- hostile files, read directly -------------------------------------------------------------


HOSTILE: dict[str, tuple[bytes | None, str]] = {
    "empty": (b"", "The file is empty."),
    "zip bomb": (None, "zip bomb"),
    "zip, not a workbook": (zip_bytes({"readme.txt": b"hello", "data/list.csv": b"name\nx\n"}),
                            "not an Excel workbook"),
    "damaged zip": (b"PK\x03\x04" + b"\x14" * 200, "damaged"),
    "random bytes": (random.Random(1).randbytes(4096), "not a CSV text file nor an Excel workbook"),
    "no name column": (b"udyam_number,mobile\nUDYAM-UP-65-0000001,9876543210\n", "must be 'name'"),
    "blank lines only": (b"\n\n\n", "must be 'name'"),
}


def zip_bomb() -> bytes:
    """A real zip that looks like a workbook, with a member of 8 MB of zeros (ratio ≫ 100)."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                      "xl/worksheets/sheet1.xml": b"\x00" * (8 * 1024 * 1024)})


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_on_reading(tmp_path: Path, case: str) -> None:
    data, message = HOSTILE[case]
    data = zip_bomb() if data is None else data
    with pytest.raises(FileRefused, match=re.escape(message)):
        read(write(tmp_path, "hostile.csv", data))


def test_the_zip_bomb_is_small_on_disk_and_refused_before_unpacking(tmp_path: Path) -> None:
    data = zip_bomb()
    assert len(data) < 100_000
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size / info.compress_size > 100
    with pytest.raises(FileRefused, match="zip bomb"):
        read(write(tmp_path, "bomb.xlsx", data))


def test_a_png_renamed_csv_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as refused:
        read(write(tmp_path, "photo.csv", png_bytes()))
    assert any(text in str(refused.value) for text in (
        "not a CSV text file nor an Excel workbook", "text encoding could not be read"))


def test_over_the_limit_on_reading(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="the limit is"):
        read(write(tmp_path, "big.csv", TEXT.encode()), limit=50)


# --- hostile files through import_batch_create: refused, nothing written ----------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def actor(db: None) -> Any:
    return member(kind=OrganisationKind.FACILITATOR)


def steward_of(user: Any) -> Organisation:
    return Organisation.objects.get(memberships__user=user)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def upload(actor: Any, data: bytes, name: str) -> ImportBatch:
    return import_batch_create(actor=actor, steward=steward_of(actor), source=io.BytesIO(data),
                               original_name=name)


UPLOADS: dict[str, tuple[bytes | None, str, str]] = {
    "empty": (b"", "list.csv", "The file is empty."),
    "header only": (b"name,udyam_number,mobile\r\n", "list.csv", "no data rows"),
    "header only, xlsx": (xlsx_bytes([["name", "mobile"]]), "list.xlsx", "no data rows"),
    "zip bomb": (None, "list.xlsx", "zip bomb"),
    "zip, not a workbook": (zip_bytes({"readme.txt": b"hello"}), "list.xlsx", "not an Excel workbook"),
    "png renamed csv": (png_bytes(), "list.csv", ""),
    "random bytes": (random.Random(1).randbytes(4096), "list.csv", "not a CSV text file"),
    "no name column": (b"udyam_number,mobile\nUDYAM-UP-65-0000001,9876543210\n", "list.csv", "'name'"),
}


@pytest.mark.parametrize("case", list(UPLOADS))
def test_hostile_uploads_are_refused_and_nothing_is_written(media: Path, actor: Any, case: str) -> None:
    data, name, message = UPLOADS[case]
    data = zip_bomb() if data is None else data
    events = AuditEvent.objects.count()
    with pytest.raises(FileRefused) as refused:
        upload(actor, data, name)
    assert message in str(refused.value)
    assert str(refused.value).endswith(".")  # a sentence for a person, not an exception repr
    assert not ImportBatch.objects.exists()
    assert not Enterprise.objects.exists()
    assert AuditEvent.objects.count() == events
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_while_it_is_stored(media: Path, actor: Any, settings: Any) -> None:
    """Refused as soon as it passes the limit: a 2-GB upload is not read (nor kept) to the end."""
    settings.NIRYAT_IMPORT_MAX_BYTES = 1024 * 1024  # NIRYAT_IMPORT_MAX_MB=1
    data = ("name,mobile\n" + "Kashi Brass Works,9876543210\n" * 200_000).encode()
    assert len(data) > 5_000_000

    class Source(io.BytesIO):
        taken = 0

        def read(self, size: int | None = -1, /) -> bytes:
            block = super().read(size)
            Source.taken += len(block)
            return block

    with pytest.raises(FileRefused, match=r"larger than the limit of 1\.0\xa0MB"):
        import_batch_create(actor=actor, steward=steward_of(actor), source=Source(data),
                            original_name="big.csv")
    assert Source.taken <= 2 * 1024 * 1024
    assert not ImportBatch.objects.exists() and not Enterprise.objects.exists()
    assert stored_files(media) == []


def test_a_good_upload_is_stored_and_recorded(media: Path, actor: Any) -> None:
    batch = upload(actor, TEXT.encode("cp1252"), "../../etc/list.csv")
    assert batch.status == ImportBatch.Status.UPLOADED and batch.size == len(TEXT.encode("cp1252"))
    assert batch.steward == steward_of(actor) and batch.created_by == actor
    (stored,) = stored_files(media)
    assert stored.name == "list.csv" and media / batch.file_path == stored  # no path tricks
    assert stored.read_bytes() == TEXT.encode("cp1252")
    assert AuditEvent.objects.filter(action="registry.import.uploaded").count() == 1
    assert not Enterprise.objects.exists()  # storing is not importing
