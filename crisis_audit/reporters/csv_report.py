"""One CSV row per audited post, made to open cleanly in a French Excel.

The text starts with a UTF-8 BOM, uses ``;`` between fields and CRLF between rows, and quotes
fields as needed (the `csv` module). Write it as-is with ``encoding="utf-8"`` and
``newline=""``; re-encoding with ``utf-8-sig`` would add a second BOM.

Lists inside a cell: categories, flags and finding codes are joined with ``", "`` (ids never
contain a comma); advice sentences, which do, are joined with ``" | "``.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) get a leading ``'`` (CSV injection, OWASP); the text is otherwise kept.

Rejected input rows are not in this file: a CSV holds one kind of record, and a trailing
section would break every tool that loads it. They are in the JSON, HTML, Markdown and terminal
reports (and the CLI's diagnostics).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import AuditResult, PostResult
from .common import advice_list

BOM = "\ufeff"
DELIMITER = ";"
LIST_SEPARATOR = ", "
ADVICE_SEPARATOR = " | "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: tuple[str, ...] = (
    "id",
    "source",
    "date",
    "channel",
    "lang",
    "phase",
    "score",
    "band",
    "tone_deaf",
    "categories",
    "flags",
    "findings",
    "advice",
    "text",
)


def defuse(cell: str) -> str:
    """Prefix a cell a spreadsheet would read as a formula with ``'``."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def _row(result: PostResult) -> list[str]:
    post = result.post
    values = [
        post.id,
        post.source,
        post.date or "",
        post.channel or "",
        result.lang,
        result.phase,
        str(result.score),
        result.band,
        "true" if result.tone_deaf else "false",
        LIST_SEPARATOR.join(result.category_ids),
        LIST_SEPARATOR.join(result.flag_ids),
        LIST_SEPARATOR.join(dict.fromkeys(f.rule for f in result.findings)),
        ADVICE_SEPARATOR.join(advice_list(result)),
        post.text,
    ]
    return [defuse(v or "") for v in values]


def iter_csv(result: AuditResult) -> Iterator[str]:
    """The CSV in pieces (BOM and header, then one row at a time): memory stays flat."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    for post_result in result.posts:
        writer.writerow(_row(post_result))
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def render_csv(result: AuditResult) -> str:
    """Render one row per audited post, with a header row, as Excel-friendly CSV text."""
    return "".join(iter_csv(result))
