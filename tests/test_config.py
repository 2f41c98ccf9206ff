"""Configuration discovery, precedence and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.cli import app
from crisis_audit.config import ConfigError, find_config, load_config


def test_yaml_config_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / ".crisis-audit.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / ".crisis-audit.yaml"


def test_pyproject_table_is_found(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.crisis-audit]\nfail-on = "never"\nrules = ["brand"]\n',
        encoding="utf-8",
    )
    path = find_config(tmp_path)
    config = load_config(path)
    assert config.fail_on == "never" and config.rules == [tmp_path / "brand"]


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) != tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    "text, line, key",
    [
        ("fail-on: sometimes\n", 1, "fail-on"),
        ("# c\nfail_under: 50\n", 2, "fail_under"),
        ("phase: acute\ndate: 2020-31-03\n", 2, "date"),
        ("columns: {texte: Message}\n", 1, "columns"),
        ("jobs: 0\n", 1, "jobs"),
    ],
)
def test_bad_setting_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str
) -> None:
    path = tmp_path / ".crisis-audit.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:{line}: {key}: "), str(info.value)


def test_init_writes_a_config_that_loads(tmp_path: Path) -> None:
    target = tmp_path / ".crisis-audit.yaml"
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 0
    config = load_config(target)
    assert config.fail_on == "error" and config.cache is True
    again = CliRunner().invoke(app, ["init", str(target)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_bad_config_stops_audit_with_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("colour: blue\n", encoding="utf-8")
    post = tmp_path / "p.txt"
    post.write_text("Bonjour\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "--config", str(cfg), str(post)])
    assert result.exit_code == 2
    assert result.output.strip().startswith(
        f"crisis-audit: error: {cfg}:1: colour: unknown setting"
    )
