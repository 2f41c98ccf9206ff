"""CSV and TSV files as scheduling tools and Excel really write them.

Nothing is assumed: the encoding is detected (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else
cp1252 as French Excel writes, else latin-1; a UTF-8 file with a few bad rows keeps its UTF-8
and only those rows are rejected), the delimiter is sniffed among ``,`` ``;`` (French and
German Excel) and tab, or read from Excel's ``sep=;`` first line, and quoted captions may span
lines. Posts and errors point at the physical line where their record starts, so an editor,
SARIF or a GitHub annotation lands on it; ``location["row"]`` is the record number, the row
a spreadsheet shows. Header detection and column mapping are shared with Excel (`tabular`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ..models import InputError, Post
from .common import ReadOptions, read_text_file
from .tabular import RawRow, TableSource, read_table

DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 200_000
_SNIFF_RECORDS = 100
_SEP_LINE = re.compile(r"^sep=([,;\t|])\s*$")


def read_delimited(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    yield from read_table(open_delimited(path), options)


def open_delimited(path: Path) -> TableSource:
    """Decode `path` and sniff its delimiter; the rows are split lazily."""
    text, encoding = read_text_file(path, lenient=True)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    sep = _SEP_LINE.match(first_line)
    if sep:
        delimiter, skip = sep.group(1), 1
    else:
        tab_first = path.suffix.lower() in (".tsv", ".tab")
        delimiter, skip = sniff_delimiter(text, tab_first=tab_first), 0
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    return TableSource(
        path=path,
        rows=_records(text, delimiter, skip),
        details=[f"encoding {encoding}", f"delimiter {shown}" + (" (sep= line)" if sep else "")],
        encoding=encoding,
        delimiter=delimiter,
    )


def sniff_delimiter(text: str, *, tab_first: bool = False) -> str:
    """The delimiter that splits the first record into several cells and the most records
    into the same number of cells; ``csv.Sniffer`` is fooled by French punctuation."""
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    candidates = ("\t", ",", ";") if tab_first else DELIMITERS
    best, best_score = candidates[0] if tab_first else ",", (False, 0.0, 0)
    for delimiter in candidates:
        rows = _sample_rows(sample, delimiter, truncated)
        if not rows:
            continue
        width = len(rows[0])
        same = sum(1 for r in rows if len(r) == width) / len(rows)
        score = (width > 1, same, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(sample: str, delimiter: str, truncated: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if any(c.strip() for c in cells):
                rows.append(cells)
            if len(rows) > _SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    if truncated and rows:
        rows.pop()  # may be cut in the middle of a quoted field
    return rows[:_SNIFF_RECORDS]


def _records(text: str, delimiter: str, skip_lines: int) -> Iterator[RawRow]:
    """Records with their spreadsheet row and the physical line where each one starts."""
    stream = io.StringIO(text, newline="")
    for _ in range(skip_lines):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    end = skip_lines
    pending: RawRow | None = None
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if pending:
                yield pending
            yield RawRow(
                row + 1,
                end + 1,
                [],
                problem=f"cannot split this row ({exc}); the rest of the file was not read",
            )
            return
        row += 1
        start, end = end + 1, reader.line_num + skip_lines
        if pending:
            yield pending
        pending = RawRow(row, start, cells)
    if pending:
        if pending.line < end and _open_quote(text, pending.line):
            pending.problem = (
                f"unclosed quote: lines {pending.line}-{end} (to the end of the file) "
                "were read as one cell"
            )
        yield pending


def _open_quote(text: str, line: int) -> bool:
    """Whether the text from `line` to the end has an odd number of quotes (checked only for
    a last record spanning several lines, the sign of a quote never closed)."""
    lines = io.StringIO(text, newline="").readlines()
    return "".join(lines[line - 1 :]).count('"') % 2 == 1
