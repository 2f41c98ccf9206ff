"""A Markdown report for a pull request or a wiki page (GitHub-flavoured tables).

A summary first (posts in, audited, rejected, tone-deaf, bands, categories, flags), then one
section per post that needs attention (band ``hold`` or ``review``, held first, worst score
first, at most `MAX_POSTS` of them) with its text quoted, the evidence in bold, each flag's
message and advice, and the rejected rows.

Post text is escaped so it renders literally: Markdown punctuation gets a backslash, table cells
also escape ``|`` and fold newlines, and a zero-width space after ``@`` and before issue-like
``#12`` keeps a pull-request comment from mentioning people or linking issues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import AuditResult, Finding, PostResult
from ..taxonomy import CATEGORIES, FLAGS
from .common import (
    category_label,
    evidence_segments,
    flag_label,
    group_by_rule,
    issues,
    mean_score,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))", re.MULTILINE)
_MENTION = re.compile(r"(@(?=\w)|#(?=\d))")
ZWSP = "\u200b"
MAX_POSTS = 50
SEVERITY_ICON = {"error": "✗", "warning": "!", "info": "·"}
BAND_BADGE = {"hold": "🔴 HOLD", "review": "🟠 REVIEW", "publish": "🟢 PUBLISH"}


def _escape_line_start(match: re.Match[str]) -> str:
    # "# title", "- item", "+ item", "===" and "1." / "1)" would start a block at a line start
    lead, marker, number, dot = match.groups()
    return f"{lead}\\{marker}" if marker else f"{lead}{number}\\{dot}"


def _code(text: str) -> str:
    """`text` as a code span, or escaped text when it holds a backtick."""
    return f"`{text}`" if "`" not in text and text.strip() else escape(text)


def escape(text: str) -> str:
    """Escape `text` so Markdown shows it literally inside a line (see `_quote` for text that
    starts lines)."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub(lambda m: m.group(1) + ZWSP, text)


def escape_cell(text: str) -> str:
    """Escape `text` for a table cell: Markdown escapes, ``|`` escaped, one line only."""
    return escape(" ".join(str(text).split()))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    aligns = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in aligns]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _pct(count: int, total: int) -> str:
    return f"{round(100 * count / total)} %" if total else "–"


def _bold(text: str) -> str:
    """Bold each line of already-escaped `text`, markers tight to the words."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if core:
            start = line.index(core)
            line = f"{line[:start]}**{core}**{line[start + len(core) :]}"
        out.append(line)
    return "\n".join(out)


def _quote(result: PostResult) -> list[str]:
    """The post text as a block quote, the evidence of flags and warnings in bold."""
    risky = [f for f in result.findings if f.kind != "category"]
    runs: list[tuple[bool, str]] = []  # (bold, text); neighbours merged so ** never touch
    for segment in evidence_segments(result.post.text, risky):
        bold = segment.css.startswith("sev-")
        if runs and runs[-1][0] == bold:
            runs[-1] = (bold, runs[-1][1] + segment.text)
        else:
            runs.append((bold, segment.text))
    body = "".join(_bold(escape(text)) if bold else escape(text) for bold, text in runs)
    lines = []
    for line in body.splitlines():
        # no indented code block, no heading, list or rule started by the post's own text
        line = _LINE_START.sub(_escape_line_start, line.lstrip())
        lines.append(f"> {line}" if line else ">")
    return lines or [">"]


def _issue_lines(group: list[Finding]) -> list[str]:
    """One bullet per rule: its message(s), the evidence when the message doesn't quote it,
    and its advice."""
    first = group[0]
    icon = SEVERITY_ICON.get(first.severity, "·")
    head = f"- {icon} **{escape(first.rule)}** {escape(flag_label(first.label))} ({first.severity})"
    notes = []
    for finding in group:
        text = escape(finding.message) if finding.message else ""
        if finding.text and finding.text not in finding.message:
            quoted = f"“{escape(finding.text)}”"
            text = f"{text} (evidence: {quoted})" if text else f"evidence: {quoted}"
        if text and text not in notes:
            notes.append(text)
    lines = [f"{head}: {notes[0]}" if len(notes) == 1 else head]
    if len(notes) > 1:
        lines += [f"  - {n}" for n in notes]
    for advice in dict.fromkeys(f.advice for f in group if f.advice):
        lines.append(f"  - → {escape(advice)}")
    return lines


def _post_section(result: PostResult) -> list[str]:
    post = result.post
    name = post.id or post.source or "post"
    lines = [
        f"### {BAND_BADGE.get(result.band, result.band.upper())} · {escape(name)} · "
        f"score {result.score}/100" + (" · tone-deaf" if result.tone_deaf else ""),
        "",
    ]
    facts = [
        f"source {_code(post.source)}" if post.source else "",
        f"date {escape(post.date)}" if post.date else "no date",
        f"channel {escape(post.channel)}" if post.channel else "",
        f"phase {escape(result.phase)}",
        f"lang {escape(result.lang)}",
    ]
    if result.categories:
        facts.append(
            "categories " + ", ".join(escape(category_label(c)) for c in result.category_ids)
        )
    lines += [" · ".join(f for f in facts if f), "", *_quote(result), ""]
    objections = result.extra.get("objections")
    if isinstance(objections, dict):
        marks = [
            f"{'✓' if objections.get(key) else '✗'} {label}"
            for key, label in (
                ("why_now", "why buy now"),
                ("safe", "how it stays safe"),
                ("spend", "what eases the spend"),
            )
        ]
        lines += ["Three objections: " + " · ".join(marks), ""]
    found = issues(result)
    if found:
        for group in group_by_rule(found):
            lines += _issue_lines(group)
    else:
        lines.append("- no flag; the score comes from the notes above.")
    lines.append("")
    return lines


def render_markdown(result: AuditResult, *, max_posts: int | None = MAX_POSTS) -> str:
    """Render the audit as Markdown: summary tables, posts needing attention, rejected rows.

    At most `max_posts` post sections (worst first; None for all), with a line saying how
    many more there are: a pull-request comment is limited to 65,536 characters.
    """
    s = result.summary()
    audited = s["audited"]
    score = mean_score(result.posts)
    crisis = result.context.get("crisis")
    title = "# Crisis communication audit"
    if crisis:
        title += f": {escape(str(crisis))}"
    lines = [title, ""]
    summary_rows = [
        ("Posts in", str(s["posts_in"]), ""),
        ("Audited", str(audited), ""),
        ("Rejected", str(s["rejected"]), ""),
        ("Tone-deaf", str(s["tone_deaf"]), _pct(s["tone_deaf"], audited)),
        ("Campaign score (mean)", f"{score}/100" if score is not None else "–", ""),
    ]
    for band in ("publish", "review", "hold"):
        count = s["bands"].get(band, 0)
        summary_rows.append((f"Band {band}", str(count), _pct(count, audited)))
    for band, count in s["bands"].items():
        if band not in ("publish", "review", "hold"):
            summary_rows.append((f"Band {escape_cell(band)}", str(count), _pct(count, audited)))
    lines += [*_table(("", "posts", "share"), summary_rows, "lrr"), ""]

    cat_ids = [c for c in CATEGORIES if c in s["categories"]]
    cat_ids += [c for c in s["categories"] if c not in CATEGORIES]
    if cat_ids:
        rows = [
            (
                escape_cell(category_label(c)),
                _code(c),
                str(s["categories"][c]),
                _pct(s["categories"][c], audited),
            )
            for c in cat_ids
        ]
        lines += ["## Categories", ""]
        lines += [*_table(("category", "id", "posts", "share"), rows, "llrr"), ""]
    flag_ids = [f for f in FLAGS if f in s["flags"]] + [f for f in s["flags"] if f not in FLAGS]
    lines += ["## Flags", ""]
    if flag_ids:
        rows = [
            (escape_cell(flag_label(f)), _code(f), str(s["flags"][f]), _pct(s["flags"][f], audited))
            for f in flag_ids
        ]
        lines += [*_table(("flag", "id", "posts", "share"), rows, "llrr"), ""]
    else:
        lines += ["No risk flag fired.", ""]

    attention = [r for r in result.posts if r.band in ("hold", "review")]
    attention.sort(key=lambda r: (r.band != "hold", r.score))
    lines += [f"## Posts needing attention ({len(attention)})", ""]
    if not attention:
        lines += ["None: every audited post can be published.", ""]
    for post_result in attention[:max_posts]:
        lines += _post_section(post_result)
    if max_posts is not None and len(attention) > max_posts:
        more = len(attention) - max_posts
        lines += [
            f"_… and {more} more post{'s' if more != 1 else ''} to hold or review, not shown "
            "here: the HTML or CSV report lists every post._",
            "",
        ]

    if result.errors:
        lines += [f"## Rejected rows ({len(result.errors)})", ""]
        lines += [
            *_table(
                ("source", "reason"),
                [(escape_cell(e.source), escape_cell(e.reason)) for e in result.errors],
            ),
            "",
        ]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}" for n in result.notes] + [""]

    footer = [
        f"crisis-audit {escape(result.tool_version)}" if result.tool_version else "crisis-audit"
    ]
    if result.context.get("context_version"):
        footer.append(f"context version {escape(str(result.context['context_version']))}")
    if result.context.get("phase"):
        footer.append(f"phase {escape(str(result.context['phase']))}")
    lines += ["---", "", "_" + " · ".join(footer) + "_", ""]
    return "\n".join(lines)
