"""Excel workbooks (``.xlsx``, ``.xlsm``): the first sheet, or ``--sheet`` by name or number.

Streamed with openpyxl's read-only mode, so a 100k-row export does not load as an
object tree; cached formula values are read, not formulas. Cells keep their types: dates arrive as
datetimes (no day/month guess needed), and ids Excel stored as numbers come back as text
without ``.0`` (`common.cell_text`). Header detection and column mapping are shared with CSV
(`tabular`). Posts point at ``plan.xlsx:Sheet1:17`` (sheet row, header = row 1 unless title
rows sit above it). Old ``.xls`` and ``.ods`` files are refused with a hint, not misread.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from .common import ReaderError, ReadOptions
from .tabular import RawRow, TableSource, read_table

UNSUPPORTED = {
    ".xls": "old binary Excel (.xls) is not supported: save it as .xlsx or CSV UTF-8",
    ".ods": "OpenDocument (.ods) is not supported: save it as .xlsx or CSV UTF-8",
}


def read_excel(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    yield from read_table(open_sheet(path, options.sheet), options)


def open_sheet(path: Path, sheet: str | None = None) -> TableSource:
    """Open the workbook and pick the sheet; rows are streamed as they are consumed."""
    from openpyxl import load_workbook  # not needed by plain-text audits: import on use
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() in UNSUPPORTED:
        raise ReaderError(f"{path}: {UNSUPPORTED[path.suffix.lower()]}")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReaderError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    names = book.sheetnames
    if not book.worksheets:
        book.close()
        raise ReaderError(f"{path}: the workbook has no worksheet")
    if sheet is None:
        worksheet = book.worksheets[0]
    elif sheet in names:
        worksheet = book[sheet]
    elif sheet.isdigit() and 1 <= int(sheet) <= len(book.worksheets):
        worksheet = book.worksheets[int(sheet) - 1]
    else:
        book.close()
        raise ReaderError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(names)})")
    title = worksheet.title
    details = [
        f"sheet {title!r}"
        + (f" (first of {len(names)})" if sheet is None and len(names) > 1 else "")
    ]
    return TableSource(path=path, rows=_rows(book, worksheet), details=details, sheet=title)


def _rows(book: Any, worksheet: Any) -> Iterator[RawRow]:
    """Every row from row 1, empty ones included, so numbers match what Excel shows."""
    try:
        # A wrong <dimension> tag would silently cut rows or columns: read what is there.
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            yield RawRow(number, number, list(values))
    finally:
        book.close()
