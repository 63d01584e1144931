"""Reading rows from an uploaded file, safely.

The reader looks at the bytes, not the file name: an XLSX is a zip with an Office
workbook inside; anything else must be text (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
or Windows-1252, detected in that order). Hostile files are refused with a clear
message before anything is written: too large, a zip bomb, binary data posing as CSV,
an empty file, a header row only.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from niryat.core.i18n import Translations, in_every_language, text_for_reader
from niryat.registry.licences import LICENCE_KINDS

LICENCE_COLUMNS = {f"licence_{kind}": kind for kind in LICENCE_KINDS}  # a column per kind: licence_bis

# Accepted column names (after normalising: lower case, spaces and dashes to underscores)
# and the field each one fills.
COLUMNS = {
    "udyam_number": "udyam_number", "udyam": "udyam_number", "udyam_registration_number": "udyam_number",
    "name": "name", "legal_name": "name", "enterprise_name": "name",
    "name_hi": "name_hi", "legal_name_hi": "name_hi",
    "trade_name": "trade_name", "trade_name_hi": "trade_name_hi",
    "gstin": "gstin", "gst": "gstin", "pan": "pan", "iec": "iec", "fssai": "fssai",
    "district_lgd_code": "district_lgd_code", "lgd_code": "district_lgd_code",
    "district_code": "district_lgd_code",
    "sector": "sector", "mobile": "mobile", "mobile_number": "mobile", "phone": "mobile",
    "email": "email", "pincode": "pincode", "pin_code": "pincode", "pin": "pincode",
    "address": "address", "contact_name": "contact_name", "contact_person": "contact_name",
    "investment": "investment", "turnover": "turnover", "year_started": "year_started",
    "export_experience": "export_experience", "export_markets": "export_markets",
    "size_as_of": "size_as_of", "figures_as_of": "size_as_of",
    **{column: column for column in LICENCE_COLUMNS},
}
TEMPLATE_COLUMNS = [
    "udyam_number", "name", "name_hi", "gstin", "pan", "district_lgd_code", "sector", "mobile",
    "email", "pincode", "trade_name", "trade_name_hi", "iec", "fssai", "address", "contact_name",
    "investment", "turnover", "size_as_of", "year_started", "export_experience", "export_markets",
    *LICENCE_COLUMNS,
]
XLSX_MAX_RATIO = 100  # uncompressed / compressed, per member
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # 1 GiB in all
SNIFF_BYTES = 64 * 1024


FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers it
Numbered = tuple[int, list[str]]


class FileRefused(ValueError):
    """The file cannot be imported; the message says why, in words a person understands.

    Made with ``worded`` where the refusal may be read later by someone else (a row deep in
    the file, found by a background run): ``str()`` then gives the reader's language, and
    ``default`` and ``translations`` are what is kept (ADR 0008).
    """

    def __init__(self, message: str, translations: Translations | None = None) -> None:
        super().__init__(message)
        self.default = message
        self.translations: Translations = translations or {}

    @classmethod
    def worded(cls, text: Callable[[], str]) -> FileRefused:
        return cls(*in_every_language(text))

    def __str__(self) -> str:
        return text_for_reader(self.default, self.translations)


@dataclass
class Table:
    """The rows of a file: ``columns`` in file order, ``mapping`` column → field, ``unknown``."""

    kind: str  # "csv" | "xlsx"
    encoding: str
    columns: list[str]
    mapping: dict[int, str]
    unknown: list[str] = field(default_factory=list)

    def records(self, rows: Iterator[Numbered]) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number as a spreadsheet shows it, {field: text}) for each non-blank row."""
        for number, row in rows:
            yield number, record(self.mapping, row)


def record(mapping: dict[int, str], row: list[str]) -> dict[str, str]:
    """One row's cells by field name (a short row's missing cells are empty)."""
    width = len(row)
    return {name: (row[i] if i < width else "") for i, name in mapping.items()}


def normalise_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", (text or "").strip().lstrip("\ufeff").lower())


def detect_encoding(head: bytes) -> str:
    """The text encoding of a file from its first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head and head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # cut in the middle of a character at the sniff edge
            return "utf-8"
        return "cp1252"


def check_size(path: Path, limit: int) -> int:
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > limit:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": size // 1_000_000, "limit": limit // 1_000_000}
        )
    return size


def is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def check_xlsx(path: Path) -> None:
    """Refuse zips that are not workbooks, and zip bombs, before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise FileRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > XLSX_MAX_RATIO or total > XLSX_MAX_UNCOMPRESSED:
                    raise FileRefused(
                        _("The workbook unpacks to far more than its size (a 'zip bomb'); "
                          "it was not opened.")
                    )
    except zipfile.BadZipFile:
        raise FileRefused(_("The file looks like an Excel workbook but is damaged.")) from None


def build_table(kind: str, encoding: str, header: list[str]) -> Table:
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = COLUMNS.get(normalise_header(title))
        if key is None:
            if (title or "").strip():
                unknown.append(title.strip())
        elif key not in mapping.values():
            mapping[index] = key
    if "name" not in mapping.values():
        raise FileRefused(
            _("The first row must name the columns, and one of them must be 'name'. "
              "Download the template to see the columns.")
        )
    return Table(kind=kind, encoding=encoding, columns=[h or "" for h in header],
                 mapping=mapping, unknown=unknown)


def open_rows(path: Path, limit: int) -> tuple[Table, Iterator[Numbered]]:
    """The table's header facts and an iterator over its data rows (as lists of strings)."""
    check_size(path, limit)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if is_xlsx(head):
        check_xlsx(path)
        return _xlsx_rows(path)
    if b"\x00" in head and not detect_encoding(head).startswith("utf-16"):
        raise FileRefused(_("The file is not a CSV text file nor an Excel workbook."))
    encoding = detect_encoding(head)
    if encoding == "utf-8" and not decodes_as_utf8(path):
        encoding = "cp1252"  # the first non-ASCII byte came after the sniffed part
    return _csv_rows(path, encoding)


def decodes_as_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8 (read in blocks, decoded incrementally)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(path: Path, encoding: str) -> tuple[Table, Iterator[Numbered]]:
    handle: IO[str] = path.open(encoding=encoding, newline="", errors="strict")
    try:
        sample = handle.read(SNIFF_BYTES)
    except UnicodeDecodeError:
        handle.close()
        raise FileRefused(_("The file's text encoding could not be read; save it as UTF-8 CSV.")) from None
    handle.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(handle, dialect)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise FileRefused(_("The file is empty.")) from None
    except (UnicodeDecodeError, csv.Error):
        handle.close()
        raise FileRefused(_("The file is not a readable CSV file.")) from None
    table = build_table("csv", encoding, header)

    def rows() -> Iterator[Numbered]:
        try:
            for number, row in enumerate(reader, start=FIRST_DATA_ROW):
                if "".join(row).strip():  # a row of empty or blank cells is skipped
                    yield number, row
        except UnicodeDecodeError:
            line = reader.line_num
            raise FileRefused.worded(lambda: _("Line %(line)d is not in the file's text encoding (%(encoding)s).")
                                     % {"line": line, "encoding": encoding}) from None
        except csv.Error as error:
            line, reason = reader.line_num, str(error)
            raise FileRefused.worded(lambda: _("Line %(line)d: %(error)s") % {"line": line, "error": reason}) from None
        finally:
            handle.close()

    return table, rows()


def _xlsx_rows(path: Path) -> tuple[Table, Iterator[Numbered]]:
    import openpyxl

    try:
        # A file object, not the path: openpyxl judges paths by their extension.
        workbook = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged files
        raise FileRefused(_("The Excel workbook could not be opened; it may be damaged.")) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v) for v in next(values)]
    except StopIteration:
        workbook.close()
        raise FileRefused(_("The file is empty.")) from None
    table = build_table("xlsx", "xlsx", header)

    def rows() -> Iterator[Numbered]:
        try:
            for number, row in enumerate(values, start=FIRST_DATA_ROW):
                cells = [_cell(v) for v in row]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()

    return table, rows()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():  # a date cell: 2025-03-31
        return value.date().isoformat()
    return str(value).strip()


def template_csv() -> str:
    """The import template: the header row and one synthetic example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_COLUMNS)
    example = {
        "udyam_number": "UDYAM-UP-65-0000001", "name": "Example Silk Weavers",
        "name_hi": "उदाहरण सिल्क बुनकर", "district_lgd_code": "187", "sector": "textiles-apparel",
        "mobile": "9800000001", "pincode": "221001", "export_experience": "none",
    }
    writer.writerow([example.get(column, "") for column in TEMPLATE_COLUMNS])
    return out.getvalue()


def estimate_rows(path: Path) -> int:
    """About how many data rows the file has (for progress bars): lines, or the sheet's size."""
    with path.open("rb") as handle:
        head = handle.read(8)
        if is_xlsx(head):
            import openpyxl

            try:
                workbook = openpyxl.load_workbook(path.open("rb"), read_only=True)
                rows = (workbook.worksheets[0].max_row or 1) - 1
                workbook.close()
                return max(rows, 0)
            except Exception:
                return 0
        handle.seek(0)
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0)
