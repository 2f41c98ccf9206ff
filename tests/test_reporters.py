"""Reporters render what a user opens: HTML for a client, Markdown for a PR, CSV for Excel.

Results are built from the models directly (no spaCy), so these tests are fast.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from crisis_audit.models import (
    AuditResult,
    CategoryScore,
    Finding,
    InputError,
    Post,
    PostResult,
)
from crisis_audit.reporters import RENDERERS
from crisis_audit.reporters.common import Segment, evidence_segments
from crisis_audit.reporters.csv_report import COLUMNS, render_csv
from crisis_audit.reporters.html_report import render_html
from crisis_audit.reporters.markdown_report import escape_cell, render_markdown

SCRIPT_TEXT = "Nouvelle collection <script>alert(1)</script> & venez en boutique !"


def finding(text: str, part: str, kind: str, label: str, severity: str, rule: str) -> Finding:
    start = text.index(part)
    return Finding(
        rule=rule,
        name=f"{label}.test",
        kind=kind,
        label=label,
        severity=severity,
        start=start,
        end=start + len(part),
        text=part,
        message=f"{label}: « {part} »",
        advice=f"advice for {label}",
    )


def post_result(
    pid: str,
    text: str,
    findings: list[Finding],
    *,
    band: str = "publish",
    score: int = 100,
    date: str | None = "2020-03-24",
    channel: str | None = "instagram",
    phase: str = "acute",
    categories: tuple[str, ...] = (),
) -> PostResult:
    return PostResult(
        post=Post(text=text, id=pid, date=date, channel=channel, source=f"cal.csv:{pid[1:]}"),
        lang="fr",
        phase=phase,
        categories=[CategoryScore(c, 0.8) for c in categories],
        findings=findings,
        tone_deaf=band == "hold",
        score=score,
        band=band,
    )


@pytest.fixture
def result() -> AuditResult:
    t1 = SCRIPT_TEXT
    p1 = post_result(
        "p1",
        t1,
        [
            # overlapping: the error covers the category evidence and part of the warning
            finding(
                t1, "Nouvelle collection <script>", "flag", "business_as_usual", "error", "BU01"
            ),
            finding(t1, "collection", "category", "al_ouest", "info", "AO01"),
            finding(
                t1,
                "<script>alert(1)</script> & venez",
                "flag",
                "unanswered_objections",
                "warning",
                "OB01",
            ),
            finding(t1, "venez en boutique", "category", "al_ouest", "info", "AO01"),
        ],
        band="hold",
        score=45,
        categories=("al_ouest",),
    )
    t2 = "Vos commandes sont maintenues, livraison sans contact."
    p2 = post_result(
        "p2",
        t2,
        [finding(t2, "Vos commandes sont maintenues", "category", "reassurance", "info", "RE01")],
        date=None,
        channel=None,
        categories=("reassurance",),
    )
    t3 = "=SUM(A1) | promo @bob #1\nligne 2; fin"
    p3 = post_result(
        "p3",
        t3,
        [finding(t3, "promo", "flag", "unanswered_objections", "warning", "OB01")],
        band="review",
        score=85,
        date="2020-05-20",
        channel="twitter",
        phase="reprieve",
    )
    t4 = "-20% sur tout le site"
    p4 = post_result("p4", t4, [], date="2020-03-30", channel="facebook")
    return AuditResult(
        posts=[p1, p2, p3, p4],
        errors=[InputError(source="cal.csv:9", reason="missing 'text' | <b>bad</b>")],
        context={
            "crisis": "COVID-19 (France)",
            "context_version": "2020-2022.1",
            "context_file": "/somewhere/contexts/covid19-fr.yaml",
            "phase": "acute",
            "rule_packs": [{"name": "core-fr", "version": "1.4.0", "rules": 42}],
        },
        tool_version="9.9.9",
    )


# --- a minimal DOM over html.parser, enough to query what a browser test would --------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                found.append(child)
                found += child.iter()
        return found

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Node:
        (node,) = self.find_all(id=ident)
        return node


VOID = {"meta", "link", "input", "br", "img", "hr", "col", "source", "wbr"}


class DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def dom(html: str) -> Node:
    builder = DomBuilder()
    builder.feed(html)
    return builder.root


def row(page: Node, pid: str) -> Node:
    (found,) = [
        r
        for r in page.find_all("tr", cls="post-row")
        if r.find_all("span", cls="post-id") and r.find_all("span", cls="post-id")[0].text() == pid
    ]
    return found


# --- registry -----------------------------------------------------------------------------


def test_registry_offers_every_report_format() -> None:
    assert {"json", "html", "markdown", "csv"} <= set(RENDERERS)


@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "csv"])
def test_every_format_renders_an_empty_audit(fmt: str) -> None:
    out = RENDERERS[fmt](AuditResult(posts=[]))
    assert isinstance(out, str) and out


@pytest.mark.parametrize("fmt", ["html", "markdown", "csv"])
def test_rendering_does_not_change_the_result(fmt: str, result: AuditResult) -> None:
    before = result.to_dict()
    RENDERERS[fmt](result)
    assert result.to_dict() == before


def runs(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge neighbouring pieces of text that share a highlight class."""
    merged: list[tuple[str, str]] = []
    for text, css in pieces:
        if merged and merged[-1][1] == css:
            merged[-1] = (merged[-1][0] + text, css)
        else:
            merged.append((text, css))
    return merged


# --- evidence segments --------------------------------------------------------------------


def test_segments_cut_overlapping_spans_without_losing_or_repeating_text(
    result: AuditResult,
) -> None:
    post = result.posts[0]
    segments = evidence_segments(post.post.text, post.findings)
    assert "".join(s.text for s in segments) == post.post.text
    # the error wins over the category evidence inside it, and over the warning it overlaps
    assert runs([(s.text, s.css) for s in segments]) == [
        ("Nouvelle collection <script>", "sev-error"),
        ("alert(1)</script> & venez", "sev-warning"),
        (" en boutique", "cat"),
        (" !", ""),
    ]
    (inner,) = [s for s in segments if s.text == "collection"]
    assert inner.title == "BU01 business_as_usual; AO01 al_ouest"


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [Segment("abcdef")]),
        ([(0, 6)], [Segment("abcdef", "cat", "R1 x")]),
        (
            [(-5, 2), (4, 99)],
            [Segment("ab", "cat", "R1 x"), Segment("cd"), Segment("ef", "cat", "R1 x")],
        ),
        ([(3, 3), (5, 2)], [Segment("abcdef")]),  # empty and reversed spans are ignored
        ([(0, 4), (2, 6)], [Segment("abcdef", "cat", "R1 x")]),  # one finding, two spans
    ],
)
def test_segments_clamp_and_ignore_bad_offsets(
    spans: list[tuple[int, int]], expected: list[Segment]
) -> None:
    findings = [Finding("R1", "x.y", "category", "x", "info", s, e, "", "", "") for s, e in spans]
    assert evidence_segments("abcdef", findings) == expected


# --- HTML ---------------------------------------------------------------------------------


def test_html_escapes_post_text(result: AuditResult) -> None:
    html = render_html(result)
    assert "<script>alert" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; venez" in html.replace(
        '<mark class="evidence sev-warning" title="OB01 unanswered_objections">', ""
    ).replace("</mark>", "")
    assert "<b>bad</b>" not in html and "&lt;b&gt;bad&lt;/b&gt;" in html
    assert html.lower().count("<script") == 1  # only the report's own script


def test_html_loads_nothing_from_the_network(result: AuditResult) -> None:
    html = render_html(result)
    assert not re.search(r"""(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html)
    assert "@import" not in html and "<link" not in html.lower()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in csp.group(1)


def test_html_script_is_allowed_by_its_csp_hash(result: AuditResult) -> None:
    html = render_html(result)
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert script
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html


def test_html_has_the_hooks_browser_tests_query(result: AuditResult) -> None:
    page = dom(render_html(result))
    assert page.by_id("summary")
    for chart in ("chart-categories", "chart-flags", "timeline"):
        svgs = page.by_id(chart).find_all("svg")
        assert svgs and svgs[0].find_all("title"), chart
        assert svgs[0].attrs.get("role") == "img" and svgs[0].attrs.get("aria-labelledby")
    table = page.by_id("posts")
    assert table.tag == "table"
    rows = table.find_all("tr", cls="post-row")
    assert len(rows) == len(result.posts)
    for r in rows:
        assert {"data-band", "data-phase", "data-flags", "data-channel"} <= set(r.attrs)
    assert page.find_all("mark", cls="evidence")


def test_html_rows_carry_what_the_filters_need(result: AuditResult) -> None:
    page = dom(render_html(result))
    p1 = row(page, "p1")
    assert p1.attrs["data-band"] == "hold"
    assert p1.attrs["data-phase"] == "acute"
    assert p1.attrs["data-flags"].split() == ["business_as_usual", "unanswered_objections"]
    assert p1.attrs["data-channel"] == "instagram"
    assert p1.attrs["data-score"] == "45"
    p2 = row(page, "p2")
    assert p2.attrs["data-flags"] == "" and p2.attrs["data-channel"] == ""
    assert p2.attrs["data-date"] == ""
    flag_filter = [o.attrs["value"] for o in page.find_all("select")[1].find_all("option")]
    assert "business_as_usual" in flag_filter and "unanswered_objections" in flag_filter


def test_html_highlights_evidence_by_severity_without_duplicating_text(
    result: AuditResult,
) -> None:
    page = dom(render_html(result))
    p1 = row(page, "p1")
    (text,) = p1.find_all("p", cls="post-text")
    assert text.text() == SCRIPT_TEXT
    pieces = [
        (c, "") if isinstance(c, str) else (c.text(), " ".join(sorted(c.classes - {"evidence"})))
        for c in text.children
    ]
    assert all(isinstance(c, str) or "evidence" in c.classes for c in text.children)
    assert runs(pieces) == [
        ("Nouvelle collection <script>", "sev-error"),
        ("alert(1)</script> & venez", "sev-warning"),
        (" en boutique", "cat"),
        (" !", ""),
    ]
    advice = " ".join(p.text() for p in p1.find_all("p", cls="advice"))
    assert "advice for business_as_usual" in advice


def test_html_groups_undated_posts_apart_on_the_timeline(result: AuditResult) -> None:
    page = dom(render_html(result))
    timeline = page.by_id("timeline")
    (zone,) = timeline.find_all("g", cls="undated-zone")
    assert "No date (1)" in zone.text()
    links = [a.attrs["href"] for a in zone.find_all("a")]
    assert links == [f"#{row(page, 'p2').attrs['id']}"]
    red = timeline.find_all("a", cls="st-tonedeaf")
    assert [a.attrs["href"] for a in red] == [f"#{row(page, 'p1').attrs['id']}"]


def test_html_timeline_uses_the_context_phase_dates_when_present(result: AuditResult) -> None:
    result.context["periods"] = [
        {"phase": "acute", "start": "2020-03-17", "end": "2020-05-10", "label": "lockdown"},
        {"phase": "reprieve", "start": "2020-05-11", "end": "2020-10-29"},
        {"phase": "acute", "start": "not a date", "end": "2020-01-01"},
    ]
    page = dom(render_html(result))
    timeline = page.by_id("timeline")
    assert "Phase dates from the crisis context" in timeline.text()
    phases = [g.find_all("title")[0].text() for g in timeline.find_all("g", cls="phase")]
    assert phases[0].startswith("Acute · lockdown · 17 Mar 2020")
    assert len(phases) == 2


def test_html_summary_shows_score_and_band_shares(result: AuditResult) -> None:
    summary = dom(render_html(result)).by_id("summary")
    text = " ".join(summary.text().split())
    assert "COVID-19 (France)" in text
    mean = round(sum(r.score for r in result.posts) / len(result.posts))
    assert f"{mean} /100" in text or f"{mean}/100" in text
    assert "50 % publish · 2" in text and "25 % review · 1" in text and "25 % hold · 1" in text


def test_html_lists_rejected_rows_and_versions(result: AuditResult) -> None:
    page = dom(render_html(result))
    errors = page.by_id("errors")
    assert "cal.csv:9" in errors.text() and "<b>bad</b>" in errors.text()
    footer = " ".join(page.by_id("footer").text().split())
    for expected in ("9.9.9", "2020-2022.1", "covid19-fr.yaml", "core-fr version 1.4.0"):
        assert expected in footer
    assert "/somewhere" not in footer


def test_html_big_report_embeds_text_only_for_posts_to_act_on(result: AuditResult) -> None:
    page = dom(render_html(result, detail_limit=2))
    assert row(page, "p1").find_all("details")
    assert not row(page, "p2").find_all("details")
    assert "to hold or review only" in page.by_id("posts-section").text()


def test_html_huge_report_lists_posts_to_act_on_and_says_so(result: AuditResult) -> None:
    page = dom(render_html(result, row_limit=2))
    bands = [r.attrs["data-band"] for r in page.find_all("tr", cls="post-row")]
    assert bands == ["hold", "review"]
    assert "lists 2 of 4 posts" in page.by_id("posts-section").text()
    # charts still count every post
    assert "Al'Ouest: 1 post (25 %)" in page.by_id("chart-categories").text()


def test_html_renders_5000_posts_quickly(result: AuditResult) -> None:
    import time

    many = AuditResult(posts=[result.posts[i % 4] for i in range(5000)], context=result.context)
    start = time.perf_counter()
    html = render_html(many)
    assert time.perf_counter() - start < 10  # ~1 s on a laptop; guards against O(n²)
    assert html.count('class="post-row') == 5000


# --- Markdown -----------------------------------------------------------------------------


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_escapes_table_cells(result: AuditResult) -> None:
    md = render_markdown(result)
    (line,) = [x for x in md.splitlines() if "cal.csv:9" in x]
    assert unescaped_pipes(line) == 3  # two cells, one escaped | inside the reason
    assert "\\|" in line and "\\<b\\>" in line
    assert escape_cell("a|b\nc") == "a\\|b c"


def test_markdown_summary_counts(result: AuditResult) -> None:
    md = render_markdown(result)
    assert "| Posts in | 5 |" in md
    assert "| Rejected | 1 |" in md
    assert "| Tone-deaf | 1 | 25 % |" in md
    assert "| Band hold | 1 | 25 % |" in md
    assert "| Unanswered objections | `unanswered_objections` | 2 | 50 % |" in md


def test_markdown_sections_only_for_posts_to_act_on(result: AuditResult) -> None:
    md = render_markdown(result)
    headings = [x for x in md.splitlines() if x.startswith("### ")]
    assert len(headings) == 2
    assert "HOLD · p1" in headings[0] and "REVIEW · p3" in headings[1]


def rendered(md: str) -> str:
    """The Markdown as a CommonMark renderer with raw HTML and tables (like GitHub) shows it."""
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md))


def test_markdown_quotes_text_literally_with_evidence_in_bold(result: AuditResult) -> None:
    md = render_markdown(result)
    assert "<script>" not in md
    html = rendered(md)
    assert "<script" not in html and "<b>" not in html
    assert (
        "<blockquote>\n<p><strong>Nouvelle collection &lt;script&gt;alert(1)&lt;/script&gt; "
        "&amp; venez</strong> en boutique !</p>" in html
    )
    assert "<p>=SUM(A1) | <strong>promo</strong> @\u200bbob #\u200b1\nligne 2; fin</p>" in html
    assert "→ advice for business_as_usual" in html


@pytest.mark.parametrize(
    "text",
    ["# not a heading", "- not a list", "1. not a list", "    not code", "===", "[x](y) *z* `c`"],
)
def test_markdown_post_text_never_becomes_markup(text: str) -> None:
    audit = AuditResult(posts=[post_result("p1", text, [], band="review", score=70)])
    html = rendered(render_markdown(audit))
    quote = html.split("<blockquote>\n")[1].split("</blockquote>")[0]
    assert quote == f"<p>{text.strip()}</p>\n".replace("&", "&amp;")


def test_markdown_caps_sections_and_says_how_many_are_left(result: AuditResult) -> None:
    md = render_markdown(result, max_posts=1)
    assert len([x for x in md.splitlines() if x.startswith("### ")]) == 1
    assert "and 1 more post to hold or review" in md


# --- CSV ----------------------------------------------------------------------------------


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def test_csv_opens_in_french_excel(result: AuditResult) -> None:
    out = render_csv(result)
    assert out.startswith("\ufeff") and not out.startswith("\ufeff\ufeff")
    assert out.startswith("\ufeffid;source;date;")
    assert out.endswith("\r\n")
    rows = parse_csv(out)
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == len(result.posts)


def test_csv_round_trips_text_with_separators_and_newlines(result: AuditResult) -> None:
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in parse_csv(render_csv(result))[1:]}
    assert rows["p1"]["text"] == SCRIPT_TEXT
    assert rows["p1"]["flags"] == "business_as_usual, unanswered_objections"
    assert rows["p1"]["findings"] == "BU01, AO01, OB01"
    assert rows["p1"]["advice"].split(" | ")[0] == "advice for business_as_usual"
    assert rows["p1"]["tone_deaf"] == "true" and rows["p1"]["score"] == "45"
    assert rows["p2"]["date"] == "" and rows["p2"]["channel"] == ""
    assert rows["p3"]["text"].endswith("\nligne 2; fin")


@pytest.mark.parametrize(("pid", "expected"), [("p3", "'=SUM(A1) | promo"), ("p4", "'-20% sur")])
def test_csv_guards_against_formula_injection(result: AuditResult, pid: str, expected: str) -> None:
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in parse_csv(render_csv(result))[1:]}
    assert rows[pid]["text"].startswith(expected)


def test_csv_guards_every_cell(result: AuditResult) -> None:
    result.posts[1].post.channel = "@handle"
    result.posts[1].post.id = "+33"
    rows = parse_csv(render_csv(result))
    assert [rows[2][0], rows[2][3]] == ["'+33", "'@handle"]
    cells = [c for r in rows[1:] for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_reports_show_the_three_objections() -> None:
    text = "Nouvelle collection, livraison offerte !"
    post = post_result("p9", text, [], band="review", score=85)
    post.extra["objections"] = {"why_now": False, "safe": False, "spend": True}
    audit = AuditResult(posts=[post])
    html = render_html(audit)
    assert "✓ what eases the spend" in html and "✗ how it stays safe" in html
    markdown = render_markdown(audit)
    assert "✗ why buy now" in markdown and "✓ what eases the spend" in markdown


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_streamed_output_is_byte_identical(fmt: str, result: AuditResult) -> None:
    from crisis_audit.reporters import STREAMERS

    assert "".join(STREAMERS[fmt](result)) == RENDERERS[fmt](result)


def test_json_report_is_the_contract_one_post_per_line(result: AuditResult) -> None:
    import json

    text = RENDERERS["json"](result)
    assert json.loads(text) == json.loads(json.dumps(result.to_dict()))
    post_lines = [line for line in text.splitlines() if line.startswith('    {"id"')]
    assert len(post_lines) == len(result.posts)
    empty = AuditResult(posts=[])
    assert json.loads(RENDERERS["json"](empty)) == json.loads(json.dumps(empty.to_dict()))
