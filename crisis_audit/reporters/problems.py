"""What the CI formats (SARIF, JUnit, GitHub annotations) share: which findings are
problems, where each one sits in the input file, and a fingerprint that survives edits.

The three formats must agree with each other and with the exit gate, so the answers live
here once. `is_problem` is the same predicate that `batch.gate` and the baseline use.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..baseline import is_problem, normalised_text_hash
from ..models import Finding, Post, PostResult
from .common import SEVERITY_RANK

if TYPE_CHECKING:
    from ..rulepack import Rule

__all__ = [
    "STDIN_NAMES",
    "SourceRegion",
    "display_path",
    "fingerprint",
    "is_problem",
    "is_real_file",
    "locate",
    "locate_span",
    "post_path",
    "problems",
    "rule_reports_problems",
    "split_source",
    "uri_for",
]

# The names readers give to standard input (and "no file" for posts built in Python).
STDIN_NAMES = frozenset({"", "-", "<stdin>", "stdin"})

_SOURCE = re.compile(r"^(?P<path>.*?):(?P<line>[0-9]+)$")


def rule_reports_problems(rule: Rule) -> bool:
    """Whether a rule's findings are problems at its default severity (as `is_problem`)."""
    probe = Finding(rule.code, rule.name, rule.kind, rule.label, rule.severity, 0, 0, "", "", "")
    return is_problem(probe)


def problems(result: PostResult) -> list[Finding]:
    """A post's problem findings, most severe first, flags before notes, then by position.

    CI consumers cap what they show (GitHub: 10 annotations per type per step), so the
    order puts what matters first.
    """
    picked = [f for f in result.findings if is_problem(f)]
    return sorted(
        picked, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.kind != "flag", f.start)
    )


@dataclass(frozen=True)
class SourceRegion:
    """Where a finding sits in its input: 1-based lines and columns (code points).

    `path` is relative with forward slashes, or None when the post has no file (stdin, or
    posts built in Python). `end_column` is exclusive (SARIF convention: the column after
    the last character); ends are None when only the start is known (a CSV/JSONL/Excel row).
    """

    path: str | None
    start_line: int | None = None
    start_column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    sheet: str | None = None


def display_path(file: str, base: str | os.PathLike[str] | None = None) -> str:
    """`file` relative to `base` (default: the working directory), with forward slashes.

    CI tools resolve paths against the checkout root, where CI runs us; an absolute path
    outside `base` is kept absolute. Nothing is resolved on disk.
    """
    path = PurePath(file)
    if path.is_absolute():
        root = PurePath(base) if base is not None else Path.cwd()
        if path.is_relative_to(root):
            path = path.relative_to(root)
    text = path.as_posix()
    return text[2:] if text.startswith("./") else text


def uri_for(path: str) -> str:
    """A SARIF artifact URI for a `display_path`: percent-encoded, ``file://`` if absolute."""
    pure = PurePath(path)
    if pure.is_absolute():
        return Path(path).as_uri()
    return quote(path, safe="/")


def post_path(post: Post) -> str | None:
    """The post's file as `display_path`, or None for stdin and posts without a file."""
    file = post.location.get("file")
    return display_path(file) if isinstance(file, str) and is_real_file(file) else None


def is_real_file(name: str) -> bool:
    """False for standard input and pseudo-files such as ``<stdin>`` or ``<api>``."""
    return name not in STDIN_NAMES and not (name.startswith("<") and name.endswith(">"))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _position(text: str, lines: list[int], offset: int) -> tuple[int, int]:
    """File line and column of character `offset` of a post whose i-th line is `lines[i]`."""
    offset = max(0, min(len(text), offset))
    index = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if index < len(lines):
        return lines[index], column
    # More lines in the text than recorded: continue counting after the last known line.
    return lines[-1] + index - len(lines) + 1, column


def locate(post: Post, finding: Finding | None = None) -> SourceRegion:
    """Map a finding's span (or the whole post, when None) onto its input file.

    Text files record the file line of each line of the post (``location["lines"]``;
    suppression lines and trimmed blank lines are not in the text), so offsets map exactly
    to line and column. Rows of CSV/JSONL/Excel only give the row (``line``) and, maybe,
    the column of the text cell; offsets inside an escaped cell cannot be mapped.
    """
    if finding is None:
        return locate_span(post, None)
    return locate_span(post, (finding.start, finding.end))


def locate_span(post: Post, span: tuple[int, int] | None) -> SourceRegion:
    """`locate` for any character span ``(start, end)`` of the post text (None: the post)."""
    location = post.location
    path = post_path(post)
    sheet = location.get("sheet")
    sheet_name = str(sheet) if sheet not in (None, "") else None
    lines = location.get("lines")
    if isinstance(lines, list) and lines and all(_int(n) for n in lines):
        if span is None:
            return SourceRegion(path, lines[0], 1, None, None, sheet_name)
        text = post.text
        start = max(0, min(len(text), span[0]))
        end = max(start, min(len(text), span[1]))
        start_line, start_column = _position(text, lines, start)
        if end > start:
            end_line, last_column = _position(text, lines, end - 1)
            end_column = last_column + 1
        else:
            end_line, end_column = start_line, start_column
        return SourceRegion(path, start_line, start_column, end_line, end_column, sheet_name)
    line = _int(location.get("line")) or _int(location.get("row"))
    if line is None:
        return SourceRegion(path, sheet=sheet_name)
    column = _int(location.get("column")) or 1
    return SourceRegion(path, line, column, None, None, sheet_name)


def split_source(source: str) -> tuple[str | None, int | None]:
    """Split an `InputError` source such as ``calendar.csv:17`` into a path and a line."""
    match = _SOURCE.match(source)
    file, line = (match["path"], int(match["line"])) if match else (source, None)
    if not is_real_file(file):
        return None, line
    return display_path(file), (line or None)


def fingerprint(rule_code: str, text: str) -> str:
    """A stable identity for "this rule on this post", independent of where the post sits.

    sha256 of the rule code and the baseline's hash of the normalised post text (NFC,
    casefolded, whitespace collapsed): moving the post or editing other posts keeps it,
    a different rule or a reworded post changes it.
    """
    key = f"{rule_code}\x00{normalised_text_hash(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
