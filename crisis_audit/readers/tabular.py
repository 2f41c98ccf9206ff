"""From rows of cells to posts, shared by the CSV and Excel readers.

A reader only knows how to get rows out of its format; it hands them over as a `TableSource`
(rows numbered the way a user will look for them, plus how the file was decoded). This
module finds the header, maps the columns (`columns`), decides how to read slash dates from
the whole date column (`dates`), and turns each row into a `Post` or an `InputError`, so
both formats reject the same bad rows with the same words.

Rows are kept in memory between the header and the last row, reduced to the mapped cells:
the date order can only be decided once the whole column has been seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from . import dates
from .columns import (
    Layout,
    channel_from_post_type,
    find_header,
    is_ticked,
    map_header,
    map_headerless,
)
from .common import (
    MIXED_UTF8,
    ReaderError,
    ReadOptions,
    cell_text,
    has_undecodable,
    is_blank,
    normalise_lang,
    split_codes,
)
from .jsonl import post_from_mapping

_LOOKAHEAD = 20  # non-empty rows looked at to find the header and map a header-less file
_EXCEL_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?E\+\d+$", re.IGNORECASE)


@dataclass
class RawRow:
    """One row as its format gives it.

    `row` is the spreadsheet row (CSV: the record number, header = 1); `line` is the physical
    line where the record starts (a quoted caption may span lines; equal to `row` in a sheet).
    `problem` is set by the format reader for a row it could not split (unclosed quote).
    """

    row: int
    line: int
    cells: list[Any]
    problem: str | None = None


@dataclass
class TableSource:
    """Rows from one file, and what the format reader decided on its way (for the layout line)."""

    path: Path
    rows: Iterator[RawRow]
    details: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    @cached_property
    def file_name(self) -> str:
        return str(self.path)

    def where(self, raw: RawRow) -> str:
        """``plan.csv:17`` (physical line) or ``plan.xlsx:Sheet1:17`` (sheet row)."""
        if self.sheet is not None:
            return f"{self.path}:{self.sheet}:{raw.row}"
        return f"{self.path}:{raw.line}"

    def label(self, raw: RawRow) -> str:
        """The same place in words, for reasons and notes."""
        return f"row {raw.row}" if self.sheet is not None else f"line {raw.line}"


@dataclass
class _Record:
    raw: RawRow
    values: dict[str, Any]
    problem: str | None


def read_table(source: TableSource, options: ReadOptions) -> Iterator[Post | InputError]:
    """Every data row of `source` as a Post or an InputError, in file order."""
    layout, records = load_table(source, options)
    options.note(f"{source.path}: {layout.describe()}")
    order = layout.dates or dates.UNAMBIGUOUS
    for record in records:
        yield _post(record, layout, source, order)


def load_table(source: TableSource, options: ReadOptions) -> tuple[Layout, list[_Record]]:
    """Find the header, map the columns, read the data rows and decide the date order."""
    head: list[RawRow] = []
    filled = 0
    for raw in source.rows:
        head.append(raw)
        filled += not _blank_row(raw)
        if filled >= _LOOKAHEAD:
            break
    filled_rows = [r for r in head if not _blank_row(r)]
    if not filled_rows:
        return Layout("empty", [], {}, details=list(source.details)), []
    index = find_header([r.cells for r in filled_rows], options)
    name = str(source.path)
    if index is None:
        layout = map_headerless([r.cells for r in filled_rows], options, name)
        body = head
    else:
        header = filled_rows[index]
        layout = map_header(header.cells, options, name)
        layout.header_row = header.row
        body = head[head.index(header) + 1 :]
        if index:
            skipped = ", ".join(source.label(r) for r in filled_rows[:index])
            layout.details.append(
                f"header at {source.label(header)}, title rows skipped ({skipped})"
            )
    layout.details[:0] = source.details
    records = [
        _project(raw, layout, source)
        for rows in (body, source.rows)
        for raw in rows
        if not _blank_row(raw)
    ]
    if "date" in layout.columns:
        try:
            layout.dates = dates.decide_order(
                ((source.label(r.raw), r.values.get("date")) for r in records if not r.problem),
                options.date_format,
                layout.date_hint(source.delimiter),
            )
        except ValueError as exc:
            raise ReaderError(f"{source.path}: {exc}") from None
    ids = (r.values.get("id") for r in records)
    sample = next(
        (i for i in ids if isinstance(i, str) and _EXCEL_SCIENTIFIC.match(i.strip())), None
    )
    if sample:
        layout.details.append(
            f"ids such as {sample.strip()!r} were rounded by Excel and cannot be trusted"
            + (", match posts by their permalink" if "url" in layout.columns else "")
        )
    return layout, records


def _blank_row(raw: RawRow) -> bool:
    return raw.problem is None and all(is_blank(c) for c in raw.cells)


def _project(raw: RawRow, layout: Layout, source: TableSource) -> _Record:
    """Keep only the cells the layout uses, and say what is wrong with the row as a whole."""
    cells = raw.cells
    values = {f: cells[i] if i < len(cells) else None for f, i in layout.columns.items()}
    if layout.networks:
        values["networks"] = [
            n for i, n in layout.networks.items() if i < len(cells) and is_ticked(cells[i])
        ]
    problem = raw.problem
    if (
        problem is None
        and source.encoding == MIXED_UTF8
        and any(has_undecodable(v) for v in values.values())
    ):
        problem = f"bytes that are not valid text in this row (the file is {source.encoding})"
    if problem is None and source.delimiter and layout.has_header:
        width = len(layout.headers)
        if any(not is_blank(c) for c in cells[width:]):
            used = max(i for i, c in enumerate(cells) if not is_blank(c)) + 1
            shown = "tab" if source.delimiter == "\t" else repr(source.delimiter)
            problem = f"{used} cells but the header has {width}: a {shown} inside an unquoted text?"
    return _Record(raw, values, problem)


def _post(
    record: _Record, layout: Layout, source: TableSource, order: dates.DateOrder
) -> Post | InputError:
    where = source.where(record.raw)
    if record.problem:
        return InputError(where, record.problem)
    values = record.values
    text = values.get("text")
    if is_blank(text):
        return InputError(where, f"empty text in column {layout.column_name('text')!r}")
    if not isinstance(text, str):
        return InputError(
            where,
            f"column {layout.column_name('text')!r} holds {type(text).__name__} "
            f"{cell_text(text)!r}, not text",
        )
    try:
        date = _date(values, layout, order)
    except ValueError as exc:
        return InputError(where, str(exc))
    # The id falls back on the spreadsheet row, not the physical line, so a CSV and the same
    # table saved as .xlsx give the same ids even when a caption spans several lines.
    number = record.raw.row
    data: dict[str, Any] = {
        "text": text.replace("\r\n", "\n").replace("\r", "\n").strip(),
        "id": cell_text(values.get("id")) or str(number),
        "date": date,
        "channel": _channel(values),
        "lang": normalise_lang(values.get("lang")),
        "ignore": split_codes(values.get("ignore")),
    }
    phase = cell_text(values.get("phase"))
    if phase:
        data["phase"] = phase.lower()
    post = post_from_mapping({k: v for k, v in data.items() if v is not None}, where, str(number))
    if isinstance(post, Post):
        post.location = {
            "file": source.file_name,
            "line": record.raw.line,
            "row": record.raw.row,
            "column": layout.columns["text"] + 1,
        }
        if source.sheet is not None:
            post.location["sheet"] = source.sheet
        url = cell_text(values.get("url"))
        if url:
            post.extra["url"] = url
    return post


def _date(values: dict[str, Any], layout: Layout, order: dates.DateOrder) -> str | None:
    """The row's date as ISO, with its separate time column if any; errors name the column."""
    field_name = "date"
    try:
        date = dates.parse_date(values.get("date"), order)
        field_name = "time"
        return dates.with_time(date, values.get("time"))
    except ValueError as exc:
        raise ValueError(f"{exc} in column {layout.column_name(field_name)!r}") from None


def _channel(values: dict[str, Any]) -> str | None:
    """The channel cell, else the ticked network columns, else Meta's post type."""
    channel = cell_text(values.get("channel"))
    if channel:
        return channel
    if values.get("networks"):
        return ",".join(values["networks"])
    return channel_from_post_type(values.get("post_type"))
