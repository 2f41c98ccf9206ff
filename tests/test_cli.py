"""The command line as a user meets it: exit codes, one-line errors, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

POST_KEYS = {"id", "source", "lang", "phase", "categories", "tone_deaf", "score", "findings"}
FINDING_KEYS = {
    "rule",
    "name",
    "kind",
    "label",
    "severity",
    "start",
    "end",
    "text",
    "message",
    "advice",
}


def test_help_does_not_import_spacy() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from crisis_audit.cli import app; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
        "r = CliRunner().invoke(app, ['--version']); assert r.exit_code == 0; "
        "r = CliRunner().invoke(app, ['rules', 'list']); assert r.exit_code == 0; "
        "assert 'spacy' not in sys.modules, 'spacy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("crisis-audit ")


def check_contract(doc: dict) -> None:
    assert set(doc) >= {"tool", "context", "posts", "errors", "summary"}
    assert doc["tool"]["name"] == "crisis-audit" and doc["tool"]["version"]
    assert {"crisis", "phase"} <= set(doc["context"])
    assert set(doc["summary"]) >= {"posts", "tone_deaf", "errors"}
    for post in doc["posts"]:
        assert set(post) >= POST_KEYS
        assert isinstance(post["tone_deaf"], bool) and 0 <= post["score"] <= 100
        for cat in post["categories"]:
            assert set(cat) == {"id", "score"} and 0 <= cat["score"] <= 1
        for f in post["findings"]:
            assert set(f) >= FINDING_KEYS
            assert f["kind"] in ("category", "flag", "note")
            assert f["severity"] in ("error", "warning", "info")
            assert post["text"][f["start"] : f["end"]] == f["text"]
        cat_labels = {f["label"] for f in post["findings"] if f["kind"] == "category"}
        assert {c["id"] for c in post["categories"]} == cat_labels, "every category cites evidence"


def test_check_json_follows_the_machine_contract(tmp_path: Path) -> None:
    lines = (ROOT / "samples" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    sample = tmp_path / "posts.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "json", str(sample)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    check_contract(doc)
    assert doc["summary"]["posts"] == 40
    assert [p["source"] for p in doc["posts"]][:2] == [f"{sample}:1", f"{sample}:2"]
    assert doc["posts"][0]["id"] == json.loads(lines[0])["id"]


def test_check_reads_stdin_and_separated_posts() -> None:
    text = "Nos magasins restent ouverts.\n---\nOur stores remain open.\n"
    result = runner.invoke(app, ["check", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [p["lang"] for p in doc["posts"]] == ["fr", "en"]
    assert [p["source"] for p in doc["posts"]] == ["<stdin>:1", "<stdin>:3"]


def test_check_terminal_shows_verdict_evidence_and_categories() -> None:
    result = runner.invoke(app, ["check", "-"], input="Nos magasins restent ouverts 7j/7.\n")
    assert result.exit_code == 0
    assert "PUBLISH" in result.output or "REVIEW" in result.output or "HOLD" in result.output
    assert "#Réassurance" in result.output and "restent ouverts" in result.output


def test_missing_file_is_a_one_line_error() -> None:
    result = runner.invoke(app, ["check", "nope/missing.txt"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "nope/missing.txt" in result.output and "Traceback" not in result.output


def test_bad_jsonl_row_is_reported_and_the_rest_audited(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "a", "text": "Nos magasins restent ouverts."}\n'
        "{not json\n"
        '{"id": "c", "text": ""}\n'
        '{"id": "d", "text": "Stay home, stay safe."}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [p["id"] for p in doc["posts"]] == ["a", "d"]
    assert [e["source"] for e in doc["errors"]] == [f"{path}:2", f"{path}:3"]
    assert doc["summary"]["posts_in"] == 4


def test_only_bad_input_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": 3}\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code == 2


def test_bad_date_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["check", "--date", "25/03/2020", "-"], input="Bonjour\n")
    assert result.exit_code == 2 and "--date" in result.output


@pytest.mark.parametrize("args", [["rules", "list"], ["rules", "show", "RE01"]])
def test_rules_commands(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "RE01" in result.output


def test_eval_json_reports_per_category_and_macro(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["eval", "--format", "json", "--show-errors", str(ROOT / "samples" / "dev.jsonl")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["categories"]) >= {"reassurance", "al_ouest", "contact"}
    assert 0 <= data["macro_f1"] <= 1 and "tone_deaf" in data and "errors" in data
    for counts in data["categories"].values():
        assert counts["support"] == counts["tp"] + counts["fn"]
