"""The sample repository layout of samples/ci-repo behaves as its README says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "ci-repo"
    shutil.copytree(ROOT / "samples" / "ci-repo", target)
    monkeypatch.chdir(target)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    return target


def annotations(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::error")]


def test_calendar_fails_then_baseline_then_new_post_fails(repo: Path) -> None:
    first = runner.invoke(app, ["audit", "calendar.csv"])
    assert first.exit_code == 1, first.output
    errors = annotations(first.stdout)
    assert errors and all("file=calendar.csv,line=4" in e for e in errors), errors
    assert any("BU01" in e for e in errors)

    written = runner.invoke(app, ["audit", "calendar.csv", "--write-baseline", "baseline.json"])
    assert written.exit_code == 0 and (repo / "baseline.json").is_file()

    again = runner.invoke(app, ["audit", "calendar.csv", "--baseline", "baseline.json"])
    assert again.exit_code == 0, again.output
    assert not annotations(again.stdout)

    with (repo / "calendar.csv").open("a", encoding="utf-8") as handle:
        handle.write("26/03/2020;instagram;PROMO FLASH ce week-end : venez nombreux en magasin !\n")
    new = runner.invoke(app, ["audit", "calendar.csv", "--baseline", "baseline.json"])
    assert new.exit_code == 1
    errors = annotations(new.stdout)
    assert errors and all("line=8" in e for e in errors), errors


def test_auto_format_is_terminal_outside_github(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS")
    result = runner.invoke(app, ["audit", "calendar.csv"])
    assert result.exit_code == 1
    assert "::error" not in result.output and "business_as_usual" in result.output
