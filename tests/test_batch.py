"""Batch audits: nothing lost, exit codes, cache and parallel runs never change a verdict."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

TONE_DEAF = "Nouvelle collection printemps 🌸 venez la découvrir samedi en boutique !"
FINE = (
    "Nos boutiques sont fermées pour protéger nos équipes. "
    "Livraison sans contact, prenez soin de vous."
)


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def audit_json(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", "--format", "json", "--quiet", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_same_post_is_business_as_usual_in_2020_not_in_2022(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "p.jsonl",
        [
            {"id": "a", "text": TONE_DEAF, "date": "2020-03-25"},
            {"id": "b", "text": TONE_DEAF, "date": "2022-03-25"},
        ],
    )
    code, doc = audit_json("--no-cache", str(path))
    flags = {
        p["id"]: {f["label"] for f in p["findings"] if f["kind"] == "flag"} for p in doc["posts"]
    }
    assert "business_as_usual" in flags["a"] and "business_as_usual" not in flags["b"]
    assert [p["phase"] for p in doc["posts"]] == ["acute", "recovery"]
    assert code == 1


def test_stay_home_is_stale_only_in_recovery(tmp_path: Path) -> None:
    text = (
        "Restez chez vous 🏠 respectez les gestes barrières, on se retrouve bientôt ! "
        "#RestezChezVous"
    )
    rows = [
        {"id": ph, "text": text, "phase": ph} for ph in ("acute", "reprieve", "recovery", "none")
    ]
    _, doc = audit_json("--no-cache", str(jsonl(tmp_path / "p.jsonl", rows)))
    stale = {
        p["id"]
        for p in doc["posts"]
        if any(f["label"] == "stale_crisis_message" for f in p["findings"])
    }
    assert stale == {"recovery"}


def test_fail_on_levels_and_score_threshold(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "p.jsonl", [{"text": FINE, "date": "2020-03-25"}])
    assert runner.invoke(app, ["audit", "-q", "--no-cache", str(path)]).exit_code == 0
    bad = jsonl(tmp_path / "bad.jsonl", [{"text": TONE_DEAF, "date": "2020-03-25"}])
    assert runner.invoke(app, ["audit", "-q", "--no-cache", str(bad)]).exit_code == 1
    assert (
        runner.invoke(app, ["audit", "-q", "--no-cache", "--fail-on", "never", str(bad)]).exit_code
        == 0
    )


def test_unreadable_file_is_reported_and_others_audited(tmp_path: Path) -> None:
    good = jsonl(tmp_path / "good.jsonl", [{"text": FINE}])
    _code, doc = audit_json("--no-cache", str(tmp_path / "missing.csv"), str(good))
    assert doc["summary"]["audited"] == 1 and doc["summary"]["rejected"] == 1
    assert "missing.csv" in doc["errors"][0]["source"]


def test_nothing_readable_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "-q", "--no-cache", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2


def test_cache_never_changes_a_result_and_is_used(tmp_path: Path) -> None:
    rows = [
        json.loads(line)
        for line in (ROOT / "samples" / "test.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    ]
    path = jsonl(tmp_path / "cal.jsonl", rows)
    cache = tmp_path / "cache"
    cfg = tmp_path / ".crisis-audit.yaml"
    cfg.write_text(f"cache-dir: {cache}\n", encoding="utf-8")
    _, fresh = audit_json("--no-cache", str(path))
    _, first = audit_json("--config", str(cfg), str(path))
    _, second = audit_json("--config", str(cfg), str(path))
    assert second["context"]["cache"] == {"hits": 60, "misses": 0}
    for doc in (first, second):
        doc["context"].pop("cache"), doc["context"].pop("config")
    assert fresh == first == second


def test_cached_result_is_not_reused_under_other_restrictions(tmp_path: Path) -> None:
    """The same text in the same phase on two dates with different restrictions in force:
    the second run, from the cache, still gives each its own verdict."""
    text = "Ce midi, brunch servi en salle, réservez votre table !"
    rows = [
        {"id": "summer", "text": text, "lang": "fr", "date": "2020-07-10"},
        {"id": "winter", "text": text, "lang": "fr", "date": "2021-02-10"},
    ]
    path = jsonl(tmp_path / "cal.jsonl", rows)
    cfg = tmp_path / ".crisis-audit.yaml"
    cfg.write_text(f"cache-dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    for _ in range(2):
        _, doc = audit_json("--config", str(cfg), str(path))
        fired = {p["id"]: {f["rule"] for f in p["findings"]} for p in doc["posts"]}
        assert "UI10" not in fired["summer"] and "UI10" in fired["winter"]
    assert doc["context"]["cache"] == {"hits": 2, "misses": 0}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper is forked (Linux)")
def test_few_changed_posts_are_audited_by_a_helper_with_identical_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run where a few posts changed sends them to a forked helper process while this
    one reads the hits; the report is the one a run without cache writes."""
    from crisis_audit import cache as cache_module

    rows = [
        json.loads(line)
        for line in (ROOT / "samples" / "test.jsonl").read_text(encoding="utf-8").splitlines()[:80]
    ]
    path = jsonl(tmp_path / "cal.jsonl", rows)
    cfg = tmp_path / ".crisis-audit.yaml"
    cfg.write_text(f"cache-dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    audit_json("--config", str(cfg), str(path))
    for i in (3, 41, 42, 77):  # one French or English post here and there
        rows[i]["text"] += " (modifié)"
    jsonl(path, rows)
    forked: list[object] = []
    real_fork = cache_module.fork_helper
    monkeypatch.setattr(cache_module, "fork_helper", lambda e: forked.append(e) or real_fork(e))
    monkeypatch.setattr(cache_module, "can_fork_warm", lambda: True)
    _, rerun = audit_json("--config", str(cfg), str(path))
    assert len(forked) == 1
    assert rerun["context"].pop("cache") == {"hits": 76, "misses": 4}
    rerun["context"].pop("config")
    _, fresh = audit_json("--no-cache", str(path))
    assert rerun == fresh


def test_parallel_jobs_give_identical_results(tmp_path: Path) -> None:
    rows = [
        json.loads(line)
        for line in (ROOT / "samples" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    ]
    path = jsonl(tmp_path / "cal.jsonl", rows)
    _, one = audit_json("--no-cache", str(path))
    _, two = audit_json("--no-cache", "--jobs", "2", str(path))
    assert one == two


def test_suppression_and_unused_ignores(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "id": "a",
                "text": TONE_DEAF,
                "date": "2020-03-25",
                "ignore": ["BU01", "UI01", "OB01"],
            },
            {"id": "b", "text": FINE, "date": "2020-03-25", "ignore": ["EX01"]},
        ],
    )
    _code, doc = audit_json("--no-cache", str(path))
    a = doc["posts"][0]
    assert not {"BU01", "UI01", "OB01"} & {f["rule"] for f in a["findings"]}
    result = runner.invoke(app, ["audit", "-q", "--no-cache", "--warn-unused-ignores", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: unused ignore EX01" in result.output


def test_inline_ignore_in_text_file(tmp_path: Path) -> None:
    path = tmp_path / "drafts.txt"
    path.write_text(f"{TONE_DEAF}\n# crisis-audit: ignore BU01, UI01, OB01\n", encoding="utf-8")
    _code, doc = audit_json("--no-cache", "--date", "2020-03-25", str(path))
    assert doc["posts"][0]["text"] == TONE_DEAF
    assert not {"BU01", "UI01"} & {f["rule"] for f in doc["posts"][0]["findings"]}


@pytest.mark.parametrize("suffix", ["report.html", "report.md", "report.csv", "report.json"])
def test_outputs_are_written_by_suffix(tmp_path: Path, suffix: str) -> None:
    path = jsonl(tmp_path / "p.jsonl", [{"text": FINE}, {"text": TONE_DEAF, "date": "2020-03-20"}])
    out = tmp_path / suffix
    result = runner.invoke(app, ["audit", "-q", "--no-cache", "-o", str(out), str(path)])
    assert result.exit_code == 1, result.output
    assert out.stat().st_size > 100


def test_reports_are_ordinary_readable_files(tmp_path: Path) -> None:
    import stat

    path = jsonl(tmp_path / "p.jsonl", [{"text": FINE}])
    out = tmp_path / "report.json"
    runner.invoke(app, ["audit", "-q", "--no-cache", "-o", str(out), str(path)])
    assert out.stat().st_mode & stat.S_IRGRP
