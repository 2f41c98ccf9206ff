"""Rich terminal output for people: the verdict first, then the evidence in the text, then
what to do. Colours: red for errors, yellow for warnings, cyan for category evidence."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from ..models import AuditResult, Finding, PostResult
from ..taxonomy import CATEGORIES

BAND_STYLE = {"publish": "bold white on green", "review": "bold black on yellow", "hold": "bold white on red"}
SEVERITY_MARK = {"error": ("✗", "bold red"), "warning": ("!", "bold yellow"), "info": ("·", "cyan")}
HIGHLIGHT = {"error": "bold red underline", "warning": "bold yellow underline", "info": "bold cyan"}


def _highlight(text: str, findings: list[Finding]) -> Text:
    rich_text = Text(text)
    order = {"info": 0, "warning": 1, "error": 2}
    for f in sorted(findings, key=lambda f: order.get(f.severity, 0)):
        if f.kind == "note" and f.severity == "info":
            continue
        style = HIGHLIGHT["info"] if f.kind == "category" else HIGHLIGHT.get(f.severity, "bold")
        for start, end in f.spans or [(f.start, f.end)]:
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
    lines: list[Text | Padding] = [head, Padding(_highlight(post.text, result.findings), (0, 0, 0, 2))]
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
            f"{s['posts']} post(s) audited, {s['tone_deaf']} tone-deaf, "
            f"{s['rejected']} rejected",
            style="bold",
        )
    )
