"""A self-contained HTML report a client can read without us in the room.

One file, no network: inline CSS, a small inline script (allowed by a hash in the page's
Content-Security-Policy, which also forbids every network load), and inline SVG charts whose
geometry is computed here. The page shows the campaign score and the publish / review / hold
shares, the category mix and the risk flags, a timeline of the posts against the crisis phases,
a table of posts that filters and sorts offline, each post's text with its evidence highlighted
beside the advice, the rejected rows, and the tool and context versions.

Post text only reaches the page through Jinja2 with autoescaping on; evidence highlighting is
computed as plain-text segments (`common.evidence_segments`) that the template escapes.

Big inputs: up to `detail_limit` posts every row carries its full text; above it only posts to
hold or review do. Above `row_limit` posts the table lists only posts to hold or review (at most
`row_limit`), and says so; charts and the timeline always count every post.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..judge import HOLD_BELOW, REVIEW_BELOW
from ..models import AuditResult, Finding, PostResult
from ..taxonomy import CATEGORIES, FLAGS, PHASES
from .common import (
    SEVERITY_RANK,
    Segment,
    category_label,
    evidence_segments,
    flag_label,
    group_by_rule,
    issues,
    mean_score,
    parse_date,
)

DETAIL_LIMIT = 5_000
ROW_LIMIT = 20_000
BANDS: tuple[str, ...] = ("publish", "review", "hold")
STATUSES: tuple[str, ...] = ("tonedeaf", "hold", "review", "publish")
STATUS_LABEL = {"tonedeaf": "Tone-deaf", "hold": "Hold", "review": "Review", "publish": "Publish"}
PHASE_LABEL = {
    "acute": "Acute",
    "reprieve": "Reprieve",
    "recovery": "Recovery",
    "none": "No crisis",
}
SEVERITY_ICON = {"error": "✗", "warning": "!", "info": "i"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PREVIEW_CHARS = 150
CONTEXT_SHOWN = {"crisis", "context_version", "context_file", "phase", "date", "phase_source"}
RULE_PACK_KEYS = ("rule_packs", "rulepacks", "rules", "packs")
PERIOD_KEYS = ("periods", "phases")


# --- view records -------------------------------------------------------------------------


@dataclass
class IssueView:
    """The findings of one rule on one post: messages in text order, distinct advice."""

    rule: str
    label: str
    kind: str
    severity: str
    icon: str
    messages: list[str]
    advice: list[str]


@dataclass
class PostView:
    index: int
    anchor: str
    id: str
    source: str
    date: str
    date_key: str
    channel: str
    lang: str
    phase: str
    phase_source: str
    band: str
    status: str
    score: int
    tone_deaf: bool
    flags: list[tuple[str, str, str]]  # id, label, worst severity
    categories: list[tuple[str, str, float]]  # id, hashtag, score
    preview: str
    segments: list[Segment] | None  # None: text not embedded (big report, publish band)
    issues: list[IssueView]
    evidence: list[IssueView]  # category evidence and informational notes
    breakdown: str
    objections: list[tuple[str, bool]]  # the three objections of a sales post in acute

    @property
    def flag_attr(self) -> str:
        return " ".join(f[0] for f in self.flags)

    @property
    def category_attr(self) -> str:
        return " ".join(c[0] for c in self.categories)


@dataclass
class Bar:
    key: str
    label: str
    count: int
    pct: int
    y: float
    width: float
    css: str


@dataclass
class BarChart:
    title: str
    desc: str
    width: int
    height: int
    label_width: int
    bar_space: int
    row_height: int
    bars: list[Bar]
    filter_name: str  # the table filter a click on a bar sets


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str = ""
    label: str = ""


@dataclass
class Dot:
    x: float
    y: float
    r: float
    css: str
    title: str
    href: str


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    plot_top: float
    plot_bottom: float
    plot_left: float
    plot_right: float
    desc: str
    caption: str
    unit: str
    phases: list[Rect] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    bars: list[Rect] = field(default_factory=list)
    undated: Rect | None = None
    undated_dots: list[Dot] = field(default_factory=list)
    undated_bars: list[Rect] = field(default_factory=list)
    scale_label: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)
    phase_legend: list[tuple[str, str]] = field(default_factory=list)


# --- small helpers ------------------------------------------------------------------------


def _status(result: PostResult) -> str:
    return "tonedeaf" if result.tone_deaf else result.band if result.band in BANDS else "review"


def _pct(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _fmt_day(day: dt.date, with_year: bool = True) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1].rstrip() + "…"


def _issue_views(findings: Iterable[Finding]) -> list[IssueView]:
    """One view per rule and label, its messages and distinct advice in text order."""
    views = []
    for group in group_by_rule(findings):
        first = group[0]
        label = category_label(first.label) if first.kind == "category" else flag_label(first.label)
        messages = [f.message or (f"“{f.text}”" if f.text else "") for f in group]
        views.append(
            IssueView(
                rule=first.rule,
                label=label,
                kind=first.kind,
                severity=first.severity,
                icon=SEVERITY_ICON.get(first.severity, "i"),
                messages=[m for m in dict.fromkeys(messages) if m],
                advice=[a for a in dict.fromkeys(f.advice for f in group) if a],
            )
        )
    return views


def _breakdown(result: PostResult) -> str:
    items = result.extra.get("score_breakdown")
    if not isinstance(items, list) or not items:
        return ""
    parts = ["100"]
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("cost"), int | float):
            parts.append(f"− {item['cost']:g} ({item.get('rule', '?')})")
    return " ".join(parts) + f" = {result.score}" if len(parts) > 1 else ""


OBJECTION_LABELS = (
    ("why_now", "why buy now"),
    ("safe", "how it stays safe"),
    ("spend", "what eases the spend"),
)


def _objections(result: PostResult) -> list[tuple[str, bool]]:
    answered = result.extra.get("objections")
    if not isinstance(answered, Mapping):
        return []
    return [(label, bool(answered.get(key))) for key, label in OBJECTION_LABELS]


def _post_view(index: int, result: PostResult, with_text: bool) -> PostView:
    post = result.post
    worst: dict[str, str] = {}
    for f in result.findings:
        if f.kind == "flag":
            old = worst.get(f.label)
            if old is None or SEVERITY_RANK.get(f.severity, 0) > SEVERITY_RANK.get(old, 0):
                worst[f.label] = f.severity
    day = parse_date(post.date)
    phase_source = result.extra.get("phase_source")
    return PostView(
        index=index,
        anchor=f"post-{index}",
        id=post.id or str(index),
        source=post.source,
        date=post.date or "",
        date_key=post.date.strip() if post.date and day else "",
        channel=post.channel or "",
        lang=result.lang,
        phase=result.phase,
        phase_source=phase_source if isinstance(phase_source, str) else "",
        band=result.band,
        status=_status(result),
        score=result.score,
        tone_deaf=result.tone_deaf,
        flags=[(fid, flag_label(fid), worst.get(fid, "warning")) for fid in result.flag_ids],
        categories=[(c.id, category_label(c.id), c.score) for c in result.categories],
        preview=_preview(post.text),
        segments=evidence_segments(post.text, result.findings) if with_text else None,
        issues=_issue_views(issues(result)),
        evidence=_issue_views(
            f
            for f in result.findings
            if f.kind == "category" or (f.kind == "note" and f.severity == "info")
        ),
        breakdown=_breakdown(result),
        objections=_objections(result),
    )


# --- charts -------------------------------------------------------------------------------


def _bar_chart(
    title: str,
    rows: list[tuple[str, str, int, str]],
    total: int,
    filter_name: str,
    unit: str,
) -> BarChart:
    """Horizontal bars, one per (key, label, count, css) row, scaled on the largest count."""
    row_height, label_width, bar_space, width = 26, 176, 240, 500
    top = max((r[2] for r in rows), default=0) or 1
    bars = [
        Bar(
            key=key,
            label=label,
            count=count,
            pct=_pct(count, total),
            y=8 + i * row_height,
            width=round(bar_space * count / top, 1),
            css=css if count else "zero",
        )
        for i, (key, label, count, css) in enumerate(rows)
    ]
    described = ", ".join(f"{b.label}: {b.count}" for b in bars if b.count) or f"no {unit}"
    return BarChart(
        title=title,
        desc=f"{title}, posts per {unit} out of {total}: {described}.",
        width=width,
        height=16 + len(rows) * row_height,
        label_width=label_width,
        bar_space=bar_space,
        row_height=row_height,
        bars=bars,
        filter_name=filter_name,
    )


def _category_chart(summary: Mapping[str, Any], total: int) -> BarChart:
    counts: Mapping[str, int] = summary["categories"]
    ids = list(CATEGORIES) + sorted(c for c in counts if c not in CATEGORIES)
    rows = [
        (c, category_label(c), counts.get(c, 0), "cat-al-ouest" if c == "al_ouest" else "cat")
        for c in ids
    ]
    return _bar_chart("Category mix", rows, total, "category", "category")


def _flag_chart(results: list[PostResult], summary: Mapping[str, Any], total: int) -> BarChart:
    counts: Mapping[str, int] = summary["flags"]
    worst: dict[str, int] = {}
    for r in results:
        for f in r.findings:
            if f.kind == "flag":
                worst[f.label] = max(worst.get(f.label, 0), SEVERITY_RANK.get(f.severity, 0))
    ids = list(FLAGS) + sorted(f for f in counts if f not in FLAGS)
    css = {2: "sev-error", 1: "sev-warning", 0: "sev-info"}
    rows = [(f, flag_label(f), counts.get(f, 0), css[worst.get(f, 1)]) for f in ids]
    return _bar_chart("Risk flags", rows, total, "flag", "flag")


# --- timeline -----------------------------------------------------------------------------

TIMELINE_WIDTH = 1120
PLOT_LEFT = 12.0
PLOT_TOP = 30.0
MAX_PLOT_HEIGHT = 178.0
MIN_PLOT_HEIGHT = 72.0
UNDATED_WIDTH = 120.0
DOT_CAP = 600  # above this many posts in a zone, stacked bars instead of one dot per post
Period = tuple[str, dt.date, dt.date, str]  # phase, first day, last day, label


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _bucketing(
    span_days: int,
) -> tuple[str, Callable[[dt.date], dt.date], Callable[[dt.date], dt.date]]:
    """Day buckets up to three months, weeks up to two years, months beyond: (unit, floor,
    next bucket start)."""
    if span_days <= 92:
        return "day", lambda d: d, lambda d: d + dt.timedelta(days=1)
    if span_days <= 731:
        return "week", lambda d: d - dt.timedelta(days=d.weekday()), lambda d: d + dt.timedelta(7)
    return "month", lambda d: d.replace(day=1), _next_month


def _context_periods(context: Mapping[str, Any]) -> list[Period]:
    """Dated phases from the context, if the run recorded them (``periods``: a list of
    ``{phase, start, end, label}``); malformed entries are skipped."""
    for key in PERIOD_KEYS:
        raw = context.get(key)
        if not isinstance(raw, list):
            continue
        periods = []
        for item in raw:
            if not isinstance(item, Mapping):
                continue
            start = parse_date(str(item.get("start", "")))
            end = parse_date(str(item.get("end", "")))
            if start and end and end >= start:
                phase = str(item.get("phase", "none"))
                periods.append((phase, start, end, str(item.get("label") or "")))
        if periods:
            return sorted(periods, key=lambda p: p[1])
    return []


def _post_periods(
    buckets: dict[dt.date, list[PostView]], step: Callable[[dt.date], dt.date]
) -> list[Period]:
    """Without dates from the context: each bucket takes its posts' most common phase, and
    neighbouring buckets in the same phase merge (posts may override their phase)."""
    periods: list[Period] = []
    for b_start in sorted(buckets):
        counts: dict[str, int] = {}
        for view in buckets[b_start]:
            counts[view.phase] = counts.get(view.phase, 0) + 1
        phase = max(counts, key=lambda p: counts[p])
        last_day = step(b_start) - dt.timedelta(days=1)
        if periods and periods[-1][0] == phase:
            periods[-1] = (phase, periods[-1][1], last_day, "")
        else:
            periods.append((phase, b_start, last_day, ""))
    return periods


def _ticks(start: dt.date, end: dt.date, scale: Callable[[dt.date], float]) -> list[Tick]:
    """At most about ten labelled ticks: days or weeks on short ranges, months beyond."""
    span = (end - start).days
    days: list[dt.date] = []
    for step in (1, 2, 7, 14):
        if span / step <= 10:
            first = start if step < 7 else start + dt.timedelta(days=(7 - start.weekday()) % 7)
            days = [first + dt.timedelta(days=k * step) for k in range(span // step + 1)]
            break
    else:
        every = next((m for m in (1, 2, 3, 6, 12, 24) if span / (30.4 * m) <= 10), 60)
        day = start if start.day == 1 else _next_month(start)
        while day < end:
            if (day.year * 12 + day.month - 1) % every == 0:
                days.append(day)
            day = _next_month(day)
    ticks, last_year = [], None
    for day in days:
        if start <= day < end:
            if span > 92:
                label = f"{MONTHS[day.month - 1]} {day.year}"
            else:
                label = _fmt_day(day, day.year != last_year)
            last_year = day.year
            ticks.append(Tick(round(scale(day), 1), label))
    return ticks


def _dot(view: PostView, cx: float, cy: float, radius: float) -> Dot:
    verdict = "tone-deaf" if view.tone_deaf else view.band
    flags = f" · {', '.join(f[1] for f in view.flags)}" if view.flags else ""
    return Dot(
        x=round(cx, 1),
        y=round(cy, 1),
        r=radius,
        css=f"st-{view.status}",
        title=f"{view.id} · {view.date or 'no date'} · {verdict} · {view.score}/100{flags}",
        href=f"#{view.anchor}",
    )


def _stacked_bar(
    group: list[PostView], x: float, w: float, bottom: float, height: float, when: str
) -> list[Rect]:
    """One column of rectangles, tone-deaf at the bottom; `height` is the column's height."""
    rects, y = [], bottom
    for status in STATUSES:
        count = sum(1 for v in group if v.status == status)
        if count:
            h = height * count / len(group)
            y -= h
            rects.append(
                Rect(
                    x=round(x, 1),
                    y=round(y, 1),
                    w=round(max(1.0, w), 1),
                    h=round(h, 1),
                    css=f"st-{status}",
                    title=f"{when}: {count} {STATUS_LABEL[status].lower()} of {len(group)} posts",
                )
            )
    return rects


def _timeline(views: list[PostView], context: Mapping[str, Any]) -> Timeline | None:
    """Posts by date against the crisis phases: a dot per post when they fit, stacked bars
    per day, week or month otherwise; posts without a date in a zone of their own."""
    if not views:
        return None
    dated = sorted(((d, v) for v in views if (d := parse_date(v.date_key))), key=lambda p: p[0])
    undated = sorted((v for v in views if not v.date_key), key=lambda v: STATUSES.index(v.status))
    left = PLOT_LEFT
    right = TIMELINE_WIDTH - 12.0 - (UNDATED_WIDTH + 28 if undated else 0)
    undated_slot, undated_r = 11.0, 4.5
    undated_cols = int((UNDATED_WIDTH - 8) // undated_slot)
    undated_rows = -(-len(undated) // undated_cols)
    undated_dots = len(undated) <= DOT_CAP and undated_rows * undated_slot <= MAX_PLOT_HEIGHT

    buckets: dict[dt.date, list[PostView]] = {}
    unit, radius, slot, tallest = "", 4.5, 11.0, 0
    if dated:
        first, last = dated[0][0], dated[-1][0]
        unit, floor, step = _bucketing((last - first).days + 1)
        start, end = floor(first), step(floor(last))
        for day, view in dated:
            buckets.setdefault(floor(day), []).append(view)
        n_buckets, day = 0, start
        while day < end:
            n_buckets, day = n_buckets + 1, step(day)
        radius = max(2.5, min(6.0, (right - left) / n_buckets / 2 - 1))
        slot = 2 * radius + 1.5
        tallest = max(len(group) for group in buckets.values())
    dots = len(dated) <= DOT_CAP and tallest * slot <= MAX_PLOT_HEIGHT
    needed = max(
        tallest * slot if dots else MAX_PLOT_HEIGHT,
        undated_rows * undated_slot if undated_dots else MAX_PLOT_HEIGHT if undated else 0,
    )
    plot_h = max(MIN_PLOT_HEIGHT, min(MAX_PLOT_HEIGHT, needed + 8))
    bottom = PLOT_TOP + plot_h
    present = {v.status for v in views}
    line = Timeline(
        width=TIMELINE_WIDTH,
        height=round(bottom + 42),
        plot_top=PLOT_TOP,
        plot_bottom=bottom,
        plot_left=left,
        plot_right=right,
        desc=(
            f"Timeline of {len(dated)} dated posts"
            + (f" and {len(undated)} without a date" if undated else "")
            + f"; {sum(1 for v in views if v.tone_deaf)} tone-deaf post(s) shown in red."
        ),
        caption="",
        unit=unit,
        legend=[(s, STATUS_LABEL[s]) for s in STATUSES if s in present],
    )

    if dated:
        total_days = max(1, (end - start).days)

        def scale(day: dt.date) -> float:
            return left + (right - left) * (day - start).days / total_days

        periods = _context_periods(context)
        if periods:
            crisis = context.get("crisis")
            line.caption = f"Phase dates from the crisis context{f' “{crisis}”' if crisis else ''}."
        else:
            periods = _post_periods(buckets, step)
            line.caption = "Phase backgrounds follow the phases assigned to the posts."
        for phase, p_start, p_end, label in periods:
            lo, hi = max(p_start, start), min(p_end + dt.timedelta(days=1), end)
            if hi <= lo:
                continue
            x0, x1 = scale(lo), scale(hi)
            name = PHASE_LABEL.get(phase, phase)
            line.phases.append(
                Rect(
                    x=round(x0, 1),
                    y=PLOT_TOP - 18,
                    w=round(x1 - x0, 1),
                    h=plot_h + 18,
                    css=f"ph-{phase}" if phase in PHASES else "ph-other",
                    title=f"{name}{f' · {label}' if label else ''} · "
                    f"{_fmt_day(p_start)} – {_fmt_day(p_end)}",
                    label=name if x1 - x0 > 8 * len(name) else "",
                )
            )
        shown = {p[0] for p in periods}
        line.phase_legend = [(p, PHASE_LABEL[p]) for p in PHASES if p in shown]
        line.ticks = _ticks(start, end, scale)
        for b_start, group in buckets.items():
            x0, x1 = scale(b_start), scale(step(b_start))
            if dots:
                group.sort(key=lambda v: STATUSES.index(v.status))
                for k, view in enumerate(group):
                    cy = bottom - radius - 1 - k * slot
                    line.dots.append(_dot(view, (x0 + x1) / 2, cy, radius))
            else:
                when = _fmt_day(b_start) if unit == "day" else f"{unit} of {_fmt_day(b_start)}"
                height = plot_h * len(group) / tallest
                line.bars += _stacked_bar(group, x0 + 0.5, x1 - x0 - 1, bottom, height, when)
        if not dots:
            line.scale_label = f"column height: up to {tallest:,} posts per {unit}"

    if undated:
        x0 = TIMELINE_WIDTH - 12.0 - UNDATED_WIDTH
        line.undated = Rect(
            x=x0,
            y=PLOT_TOP - 18,
            w=UNDATED_WIDTH,
            h=plot_h + 18,
            css="undated",
            label=f"No date ({len(undated):,})",
        )
        if undated_dots:
            for k, view in enumerate(undated):
                cx = x0 + 4 + undated_r + (k % undated_cols) * undated_slot
                cy = bottom - undated_r - 1 - (k // undated_cols) * undated_slot
                line.undated_dots.append(_dot(view, cx, cy, undated_r))
        else:
            line.undated_bars = _stacked_bar(
                undated, x0 + 30, UNDATED_WIDTH - 60, bottom, plot_h, "No date"
            )
    return line


# --- page ---------------------------------------------------------------------------------


def _rule_packs(context: Mapping[str, Any]) -> list[str]:
    for key in RULE_PACK_KEYS:
        raw = context.get(key)
        if not raw:
            continue
        items: Iterable[Any] = raw if isinstance(raw, list) else [raw]
        described = []
        for item in items:
            if isinstance(item, Mapping):
                name = item.get("name") or item.get("id") or item.get("source") or "rule pack"
                bits = [str(name)]
                if item.get("version"):
                    bits.append(f"version {item['version']}")
                if isinstance(item.get("rules"), int):
                    bits.append(f"{item['rules']} rules")
                if item.get("source") and item.get("source") != name:
                    bits.append(f"({os.path.basename(str(item['source']))})")
                described.append(" ".join(bits))
            else:
                described.append(str(item))
        return described
    return []


def _context_facts(context: Mapping[str, Any]) -> list[tuple[str, str]]:
    facts = []
    if context.get("crisis"):
        facts.append(("Crisis context", str(context["crisis"])))
    if context.get("context_version"):
        facts.append(("Context version", str(context["context_version"])))
    if context.get("context_file"):
        facts.append(("Context file", os.path.basename(str(context["context_file"]))))
    if context.get("phase"):
        when = f" on {context['date']}" if context.get("date") else ""
        how = f" (from {context['phase_source']})" if context.get("phase_source") else ""
        facts.append(("Phase in force", f"{context['phase']}{when}{how}"))
    skip = CONTEXT_SHOWN | set(RULE_PACK_KEYS) | set(PERIOD_KEYS)
    for key, value in context.items():
        if key not in skip and isinstance(value, str | int | float | bool) and value != "":
            facts.append((key.replace("_", " ").capitalize(), str(value)))
    return facts


def _score_css(score: int | None) -> str:
    if score is None:
        return "none"
    return "hold" if score < HOLD_BELOW else "review" if score < REVIEW_BELOW else "publish"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("crisis_audit", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _script() -> tuple[Markup, str]:
    """The page's script and its CSP hash (it is static, so both are computed once)."""
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, "report.js")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"sha256-{digest}"


def render_html(
    result: AuditResult, *, detail_limit: int = DETAIL_LIMIT, row_limit: int = ROW_LIMIT
) -> str:
    """Render the audit as one self-contained HTML page (see the module docstring)."""
    summary = result.summary()
    total = summary["audited"]
    big = total > detail_limit
    listed = list(enumerate(result.posts, start=1))
    rows_note = ""
    if total > row_limit:
        listed = [(i, r) for i, r in listed if r.band != "publish"][:row_limit]
        rows_note = (
            f"This table lists {len(listed):,} of {total:,} posts: those to hold or review"
            f"{' (the first ' + format(row_limit, ',') + ')' if len(listed) == row_limit else ''}. "
            "The CSV or JSON export holds every post."
        )
    listed_ids = {i for i, _ in listed}
    views = [
        _post_view(i, r, with_text=not big or r.band != "publish")
        for i, r in enumerate(result.posts, start=1)
    ]
    details_note = (
        f"{total:,} posts: the full text and evidence are embedded for posts to hold or review "
        "only, to keep this page fast."
        if big
        else ""
    )
    score = mean_score(result.posts)
    bands = [
        (band, summary["bands"].get(band, 0), _pct(summary["bands"].get(band, 0), total))
        for band in BANDS
    ]
    phase_order = [p for p in PHASES if p in summary["phases"]]
    phase_order += [p for p in summary["phases"] if p not in PHASES]
    channels = sorted({v.channel for v in views if v.channel}, key=str.lower)
    script, script_hash = _script()
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            result=result,
            summary=summary,
            score=score,
            score_css=_score_css(score),
            bands=bands,
            phases=[(p, PHASE_LABEL.get(p, p), summary["phases"][p]) for p in phase_order],
            tone_deaf_pct=_pct(summary["tone_deaf"], total),
            category_chart=_category_chart(summary, total),
            flag_chart=_flag_chart(result.posts, summary, total),
            timeline=_timeline(views, result.context),
            rows=[v for v in views if v.index in listed_ids],
            rows_note=rows_note,
            details_note=details_note,
            has_undated_channel=any(not v.channel for v in views),
            channels=channels,
            flag_options=[(f, flag_label(f)) for f in summary["flags"]],
            category_options=[(c, category_label(c)) for c in summary["categories"]],
            phase_options=[(p, PHASE_LABEL.get(p, p)) for p in phase_order],
            context_facts=_context_facts(result.context),
            rule_packs=_rule_packs(result.context),
            crisis=result.context.get("crisis") or "",
            hold_below=HOLD_BELOW,
            review_below=REVIEW_BELOW,
            script=script,
            script_hash=script_hash,
        )
    )
    return page
