"""GitHub Actions workflow commands: one annotation per problem, then a plain summary line.

``::error file=F,line=L,col=C,endColumn=E,title=CODE name::message → advice``; severities map
error→``error``, warning→``warning``, info→``notice``. Baselined findings (known, not failing)
are demoted to ``notice`` with ``(baseline)`` in the title; rejected input rows are errors.

GitHub shows only 10 errors and 10 warnings per step, so every annotation is printed but
errors come first, then warnings, then notices (input order within a level). Columns are
only honoured on a single line, so a span over several lines gets ``endLine`` and no columns;
``endColumn`` is the column of the last matched character.

Escaping is what ``@actions/core`` writes and the runner decodes: in the message ``%``, CR
and LF become ``%25``, ``%0D``, ``%0A``; property values also escape ``:`` and ``,``. With
no raw line break left, post text such as ``::error::`` cannot start a command of its own,
so ``::stop-commands::`` is not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import AuditResult, Finding, PostResult
from .problems import locate, problems, split_source

LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "notice"}
_RANK: dict[str, int] = {"error": 0, "warning": 1, "notice": 2}
MAX_TITLE_CHARS = 255
MAX_MESSAGE_BYTES = 64_000  # GitHub's limit is 64 KB; leave room for the command itself
_UNESCAPABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def escape_data(text: str) -> str:
    """Escape a command's message (``%`` first, so escapes are not escaped twice).

    Control characters the runner has no escape for are dropped first: vertical tab, form
    feed, U+2028 and friends end a line in other log readers, and ESC starts terminal
    sequences that could hide or rewrite what the log shows.
    """
    text = _UNESCAPABLE.sub("", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def _truncate_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Annotation:
    """One workflow command before escaping."""

    level: str  # error, warning or notice
    message: str
    title: str = ""
    file: str | None = None
    line: int | None = None
    end_line: int | None = None
    col: int | None = None
    end_column: int | None = None

    def command(self) -> str:
        """The escaped ``::level props::message`` line."""
        props: list[tuple[str, str]] = []
        if self.file:
            props.append(("file", self.file))
            if self.line is not None:
                props.append(("line", str(self.line)))
            if self.end_line is not None:
                props.append(("endLine", str(self.end_line)))
            if self.col is not None:
                props.append(("col", str(self.col)))
            if self.end_column is not None:
                props.append(("endColumn", str(self.end_column)))
        if self.title:
            props.append(("title", _truncate_chars(self.title, MAX_TITLE_CHARS)))
        head = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        message = escape_data(_truncate_bytes(self.message, MAX_MESSAGE_BYTES))
        return f"::{self.level}{' ' + head if head else ''}::{message}"


def _finding_annotation(post_result: PostResult, finding: Finding) -> Annotation:
    post = post_result.post
    region = locate(post, finding)
    baselined = finding.baselined
    level = "notice" if baselined else LEVELS.get(finding.severity, "warning")
    title = f"{finding.rule} {finding.name}" + (" (baseline)" if baselined else "")
    advice = finding.advice.strip()
    message = f"{finding.message} → {advice}" if advice else finding.message
    if region.sheet:
        message = f"[sheet {region.sheet}] {message}"
    if region.path is None:
        return Annotation(level, f"{post.source or post.id}: {message}", title)
    end_line = col = end_column = None
    if region.end_line is not None and region.end_line != region.start_line:
        end_line = region.end_line
    else:
        col = region.start_column
        if region.end_column is not None and col is not None:
            end_column = max(col, region.end_column - 1)
    return Annotation(
        level, message, title, region.path, region.start_line, end_line, col, end_column
    )


def collect_annotations(result: AuditResult) -> list[Annotation]:
    """Every annotation of a run, errors first, then warnings, then notices."""
    found = [
        _finding_annotation(post_result, finding)
        for post_result in result.posts
        for finding in problems(post_result)
    ]
    for error in result.errors:
        path, line = split_source(error.source)
        message = error.reason if path else f"{error.source}: {error.reason}"
        found.append(Annotation("error", message, "crisis-audit: rejected input", path, line))
    return sorted(found, key=lambda a: _RANK.get(a.level, 3))


def render_github(result: AuditResult) -> str:
    """Render GitHub workflow commands (annotations) followed by a one-line summary."""
    notes = collect_annotations(result)
    counts = {level: sum(1 for a in notes if a.level == level) for level in _RANK}
    baselined = sum(1 for p in result.posts for f in problems(p) if f.baselined)
    summary = result.summary()
    line = (
        f"crisis-audit: {summary['audited']} posts audited, {summary['tone_deaf']} tone-deaf, "
        f"{summary['rejected']} rejected; {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['notice']} notices"
    )
    if baselined:
        line += f" ({baselined} baselined)"
    return "".join(a.command() + "\n" for a in notes) + line + "\n"
