"""Render an `EvalReport` as tables on the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..evaluation import Counts, EvalReport


def _row(table: Table, name: str, c: Counts) -> None:
    table.add_row(name, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.support))


def print_eval(report: EvalReport, console: Console, show_errors: bool, title: str) -> None:
    table = Table(
        "category", "precision", "recall", "F1", "support", title=f"{title}: {report.posts} posts"
    )
    for name, counts in report.categories.items():
        _row(table, name, counts)
    micro = report.micro
    table.add_row(
        "micro",
        f"{micro.precision:.2f}",
        f"{micro.recall:.2f}",
        f"{micro.f1:.2f}",
        str(micro.support),
        style="bold",
    )
    table.add_row("macro F1", "", "", f"{report.macro_f1:.2f}", "", style="bold")
    console.print(table)
    if report.tone_deaf is not None or report.flags:
        flags = Table("verdict / flag", "precision", "recall", "F1", "support")
        if report.tone_deaf is not None:
            _row(flags, "tone_deaf", report.tone_deaf)
        for name, counts in report.flags.items():
            _row(flags, name, counts)
        console.print(flags)
    if show_errors:
        for e in report.errors:
            console.print(f"[bold]{e['source']}[/bold] {e['text'][:160]!r}")
            if e.get("missed"):
                console.print(f"  [red]missed[/red]: {', '.join(e['missed'])}")
            if e.get("false_alarms"):
                console.print(f"  [yellow]false alarms[/yellow]: {', '.join(e['false_alarms'])}")
            if "tone_deaf" in e:
                console.print(
                    f"  tone_deaf expected {e['tone_deaf']['expected']}, "
                    f"got {e['tone_deaf']['got']}"
                )
            if e.get("flags_missed") or e.get("flags_extra"):
                console.print(
                    f"  flags missed {e.get('flags_missed')}, extra {e.get('flags_extra')}"
                )
