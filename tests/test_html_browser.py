"""The HTML report of the bundled calendar, rendered by a real browser (headless Chromium).

.ci/run installs Chromium from the system packages; on a developer machine without it the
test is skipped, but under CI a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = ROOT / "samples" / "calendar-2020-2021.yaml"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (.ci/run installs it)")
    pytest.skip("Chromium is not installed")


class DomSummary(HTMLParser):
    """Collects what a reader of the rendered page would see."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.svg_in: dict[str, int] = {}
        self.rows = 0
        self.marks: list[str] = []
        self.scripts_with_src = 0
        self.title = ""
        self.text: list[str] = []
        self._mark_depth = 0
        self._current_mark: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.stack.append((tag, a))
        if tag == "svg":
            for _, parent in self.stack:
                if parent.get("id"):
                    self.svg_in[parent["id"]] = self.svg_in.get(parent["id"], 0) + 1
        if tag == "tr" and "post-row" in a.get("class", "").split():
            self.rows += 1
        if tag == "mark" and "evidence" in a.get("class", "").split():
            self._mark_depth += 1
            self._current_mark = []
        if tag == "script" and a.get("src"):
            self.scripts_with_src += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark_depth:
            self._mark_depth -= 1
            self.marks.append("".join(self._current_mark))
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
        if self._mark_depth:
            self._current_mark.append(data)
        if not self.stack or self.stack[-1][0] not in ("script", "style"):
            self.text.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> DomSummary:
    browser = chromium()
    out = tmp_path_factory.mktemp("report")
    report = out / "report.html"
    result = CliRunner().invoke(
        app,
        ["audit", str(CALENDAR), "--no-cache", "--quiet", "--fail-on", "never", "-o", str(report)],
    )
    assert result.exit_code == 0, result.output
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={out / 'profile'}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    summary = DomSummary()
    summary.feed(dom)
    return summary


def test_charts_and_timeline_are_drawn(rendered: DomSummary) -> None:
    for section in ("chart-categories", "chart-flags", "timeline"):
        assert rendered.svg_in.get(section), f"no SVG in #{section}"


def test_table_lists_every_post(rendered: DomSummary) -> None:
    posts = CALENDAR.read_text(encoding="utf-8").count("\n  - id:")
    assert rendered.rows == posts


def test_evidence_is_highlighted(rendered: DomSummary) -> None:
    assert any("CONFINEMENT" in m or "CONFINE25" in m for m in rendered.marks), rendered.marks[:10]


def test_post_with_script_is_shown_as_text(rendered: DomSummary) -> None:
    text = "".join(rendered.text)
    assert "<script>document.title='pwned'</script>" in text
    assert "pwned" not in rendered.title
    assert rendered.scripts_with_src == 0
