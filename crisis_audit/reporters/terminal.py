"""Rich terminal output for people: the verdict first, then the evidence in the text, then
what to do. Colours: red for errors, yellow for warnings, cyan for category evidence."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from ..models import AuditResult, Finding, PostResult
from ..taxonomy import CATEGORIES

BAND_STYLE = {
    "publish": "bold white on green",
    "review": "bold black on yellow",
    "hold": "bold white on red",
}
SEVERITY_MARK = {"error": ("✗", "bold red"), "warning": ("!", "bold yellow"), "info": ("·", "cyan")}
HIGHLIGHT = {"error": "bold red underline", "warning": "bold yellow underline", "info": "bold cyan"}


def _highlight(text: str, findings: list[Finding]) -> Text:
    rich_text = Text(text)
    order = {"info": 0, "warning": 1, "error": 2}
    for f in sorted(findings, key=lambda f: order.get(f.severity, 0)):
        if f.kind == "note" and f.severity == "info":
            continue
        style = HIGHLIGHT["info"] if f.kind == "category" else HIGHLIGHT.get(f.severity, "bold")
        for start, end in f.all_spans:
            if end > start:
                rich_text.stylize(style, start, end)
    return rich_text


def render_post(result: PostResult, show_notes: bool = False) -> Group:
    post = result.post
    head = Text()
    head.append(f" {result.band.upper()} ", style=BAND_STYLE.get(result.band, "bold"))
    head.append(f"  score {result.score}/100 · {result.lang} · phase {result.phase}")
    source = result.extra.get("phase_source")
    if source:
        head.append(f" (from {source})", style="dim")
    if post.source:
        head.append(f"  {post.source}", style="dim")
    lines: list[Text | Padding] = [
        head,
        Padding(_highlight(post.text, result.findings), (0, 0, 0, 2)),
    ]
    for f in result.findings:
        if f.kind == "category" or (f.kind == "note" and not show_notes and f.severity == "info"):
            continue
        mark, style = SEVERITY_MARK.get(f.severity, ("·", ""))
        line = Text("  ")
        line.append(f"{mark} {f.rule} {f.label}", style=style)
        line.append(f"  {f.message}")
        lines.append(line)
        if f.advice:
            lines.append(Text(f"      → {f.advice}", style="green"))
    objections = result.extra.get("objections")
    if objections:
        line = Text("  three objections: ", style="bold")
        for key, label in (("why_now", "why now"), ("safe", "safe"), ("spend", "eases spend")):
            ok = objections.get(key)
            line.append(f"{'✓' if ok else '✗'} {label}  ", style="green" if ok else "red")
        lines.append(line)
    evidence = [f for f in result.findings if f.kind == "category"]
    if result.categories:
        cats = Text("  categories: ", style="bold")
        cats.append(
            ", ".join(f"{CATEGORIES.get(c.id, c.id)} ({c.score:.2f})" for c in result.categories)
        )
        lines.append(cats)
        for f in evidence:
            lines.append(Text(f"    {f.rule} {f.name}: “{f.text}”", style="dim"))
    else:
        lines.append(Text("  categories: none", style="dim"))
    return Group(*lines)


def print_result(result: AuditResult, console: Console, show_notes: bool = False) -> None:
    for r in result.posts:
        console.print(render_post(r, show_notes))
        console.print()
    for e in result.errors:
        console.print(Text(f"error: {e.source}: {e.reason}", style="bold red"))
    s = result.summary()
    console.print(
        Text(
            f"{s['posts']} post(s) audited, {s['tone_deaf']} tone-deaf, {s['rejected']} rejected",
            style="bold",
        )
    )


def print_summary(result: AuditResult, console: Console, limit: int = 50) -> None:
    """The batch view: counts first, then the posts to hold or review, worst first."""
    from rich.table import Table

    s = result.summary()
    head = Table.grid(padding=(0, 2))
    head.add_row(
        "posts in", str(s["posts_in"]), "audited", str(s["audited"]), "rejected", str(s["rejected"])
    )
    head.add_row(
        "tone-deaf",
        str(s["tone_deaf"]),
        "hold",
        str(s["bands"].get("hold", 0)),
        "review",
        str(s["bands"].get("review", 0)),
    )
    console.print(head)
    for title, counts in (
        ("category", s["categories"]),
        ("flag", s["flags"]),
        ("phase", s["phases"]),
    ):
        if counts:
            table = Table(title, "posts", box=None, pad_edge=False)
            for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                table.add_row(CATEGORIES.get(key, key), str(n))
            console.print(table)
    flagged = [r for r in result.posts if r.band != "publish"]
    flagged.sort(key=lambda r: (r.score, r.post.source))
    for r in flagged[:limit]:
        console.print(render_post(r))
        console.print()
    if len(flagged) > limit:
        console.print(
            Text(
                f"… and {len(flagged) - limit} more posts to hold or review "
                "(write a report with -o report.html)",
                style="dim",
            )
        )
    for e in result.errors:
        console.print(Text(f"rejected: {e.source}: {e.reason}", style="red"))
