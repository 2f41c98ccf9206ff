"""What the text reporters share: evidence segments, advice lists, labels and dates.

Everything here is presentation: it reorders and groups what the engine decided, and never
adds a verdict of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Finding, PostResult
from ..taxonomy import CATEGORIES

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

# Which highlight wins where evidence overlaps: the most serious finding covers the others.
_CSS_PRIORITY: dict[str, int] = {
    "note": 0,
    "cat": 1,
    "sev-info": 2,
    "sev-warning": 3,
    "sev-error": 4,
}


@dataclass(frozen=True)
class Segment:
    """A run of a post's text covered by the same set of findings (none for plain text).

    `css` is the class of the most serious covering finding (``sev-error``, ``sev-warning``,
    ``sev-info``, ``cat`` or ``note``), empty for plain text; `title` names every covering rule.
    """

    text: str
    css: str = ""
    title: str = ""


def finding_css(finding: Finding) -> str:
    """The highlight class of one finding: category evidence, a note, or a risk by severity."""
    if finding.kind == "category":
        return "cat"
    if finding.severity in ("error", "warning"):
        return f"sev-{finding.severity}"
    return "sev-info" if finding.kind == "flag" else "note"


def _spans(finding: Finding, length: int) -> Iterable[tuple[int, int]]:
    for start, end in finding.all_spans:
        start, end = max(0, min(length, start)), max(0, min(length, end))
        if end > start:
            yield start, end


def evidence_segments(text: str, findings: list[Finding]) -> list[Segment]:
    """Cut `text` into non-overlapping segments from possibly overlapping finding spans.

    A sweep over the span boundaries, O((n + k) log k) for k spans; out-of-range offsets are
    clamped and empty spans ignored, so a bad offset never breaks a report.
    """
    length = len(text)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for index, finding in enumerate(findings):
        for start, end in _spans(finding, length):
            starts.setdefault(start, []).append(index)
            ends.setdefault(end, []).append(index)
    if not starts:
        return [Segment(text)] if text else []
    bounds = sorted({0, length, *starts, *ends})
    active: dict[int, int] = {}  # finding index -> number of its spans open here
    segments: list[Segment] = []
    for here, after in itertools.pairwise(bounds):
        for index in ends.get(here, ()):
            active[index] -= 1
            if not active[index]:
                del active[index]
        for index in starts.get(here, ()):
            active[index] = active.get(index, 0) + 1
        css, title = "", ""
        if active:
            covering = sorted(
                (findings[i] for i in active),
                key=lambda f: -_CSS_PRIORITY[finding_css(f)],
            )
            css = finding_css(covering[0])
            title = "; ".join(dict.fromkeys(f"{f.rule} {f.label}" for f in covering))
        piece = text[here:after]
        if segments and segments[-1].css == css and segments[-1].title == title:
            segments[-1] = Segment(segments[-1].text + piece, css, title)
        else:
            segments.append(Segment(piece, css, title))
    return segments


def issues(result: PostResult, include_info_notes: bool = False) -> list[Finding]:
    """Findings a reader must act on (flags, then notes), most serious first.

    Category evidence is left out; informational notes (such as the crisis acknowledgement)
    only on request.
    """
    picked = [
        f
        for f in result.findings
        if f.kind == "flag"
        or (f.kind == "note" and (include_info_notes or f.severity != "info"))
        or (f.kind not in ("flag", "note", "category"))
    ]
    return sorted(picked, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.kind != "flag"))


def group_by_rule(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings grouped by (rule, label), groups in order of first appearance, so a rule
    that fired on two spans reads as one issue with two pieces of evidence."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule, finding.label), []).append(finding)
    return list(groups.values())


def advice_list(result: PostResult) -> list[str]:
    """Every distinct non-empty advice of a post, from the most serious finding down."""
    ordered = sorted(
        result.findings,
        key=lambda f: (f.kind == "category", -SEVERITY_RANK.get(f.severity, 0)),
    )
    return list(dict.fromkeys(f.advice.strip() for f in ordered if f.advice and f.advice.strip()))


def category_label(category_id: str) -> str:
    """The hashtag of a taxonomy category (``#Réassurance``), or the id of a custom one."""
    return CATEGORIES.get(category_id, category_id)


def flag_label(flag_id: str) -> str:
    """A readable name for a risk-flag id: ``business_as_usual`` -> ``Business as usual``."""
    words = flag_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else flag_id


def parse_date(value: str | None) -> dt.date | None:
    """The calendar day of an ISO date or date-time string, or None when absent or unparsable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def mean_score(results: list[PostResult]) -> int | None:
    """The campaign score: the mean post score, rounded; None when nothing was audited."""
    if not results:
        return None
    return round(sum(r.score for r in results) / len(results))
