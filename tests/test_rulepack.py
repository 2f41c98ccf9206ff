"""Broken rule packs are reported with file, line and field, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisis_audit.api import build_engine
from crisis_audit.cli import app
from crisis_audit.rulepack import RuleError, load_pack, load_rules

GOOD_RULE = """\
pack: demo
rules:
  - code: DM01
    name: demo.stay_home
    label: engagement
    summary: Relays stay-home advice.
    why: Civic messages help.
    match:
      fr: {terms: [restez chez vous]}
    message: "relaie : {matched}"
    advice: Continuez.
    examples:
      fail: [restez chez vous, "Restez chez vous !"]
      pass: [bonjour, venez en boutique]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_pack_loads(tmp_path: Path) -> None:
    [rule] = load_pack(write(tmp_path, GOOD_RULE))
    assert (rule.code, rule.kind, rule.languages) == ("DM01", "category", ("fr",))


@pytest.mark.parametrize(
    "old, new, line, field",
    [
        ("label: engagement", "label: engagment", 5, "label"),
        ("code: DM01", "code: dm-1", 3, "code"),
        ("fr: {terms: [restez chez vous]}", "de: {terms: [bleiben]}", 9, "match.de"),
        ("fr: {terms: [restez chez vous]}", "fr: {regex: ['(unclosed']}", 9, "match.fr.regex"),
        ("      pass: [bonjour, venez en boutique]", "      pass: [bonjour]", 14, "examples.pass"),
        ("    advice: Continuez.", "    advise: Continuez.", 11, "advise"),
        ("    why: Civic messages help.", "    why: [1, 2]", 7, "why"),
    ],
)
def test_error_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str
) -> None:
    path = write(tmp_path, GOOD_RULE.replace(old, new))
    with pytest.raises(RuleError) as info:
        load_pack(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert field in message
    assert "\n" not in message


def test_elsewhere_needs_phases(tmp_path: Path) -> None:
    when = "    when:\n      elsewhere: [engagement]\n"
    text = GOOD_RULE.replace("    message:", when + "    message:")
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}:11: ") and "elsewhere" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("    summary: Relays", "  summary: - Relays"))
    with pytest.raises(RuleError, match=rf"^{path}:\d+: invalid YAML"):
        load_pack(path)


def test_invalid_token_pattern_is_caught_by_spacy(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "fr: {terms: [restez chez vous]}", "fr: {tokens: [[{LEMMA: {NOPE: [x]}}]]}"
        ),
    )
    engine = build_engine(rules=[path], include_default_rules=False)
    with pytest.raises(RuleError, match=r"pack.yaml:\d+: match.fr: invalid token pattern in DM01"):
        engine.language("fr")


def test_when_referring_to_unknown_label_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_RULE.replace("    match:\n", "    when: {all: [nothing_makes_this]}\n    match:\n"),
    )
    with pytest.raises(RuleError, match="nothing_makes_this"):
        build_engine(rules=[path], include_default_rules=False)


def test_cli_reports_broken_pack_in_one_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_RULE.replace("severity", "x").replace("label: engagement", "label: nope")
    )
    result = CliRunner().invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{path}:5:" in lines[0] and "label" in lines[0]
    assert "Traceback" not in result.output


def test_duplicate_code_across_packs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        GOOD_RULE.replace("demo.stay_home", "demo.other"), encoding="utf-8"
    )
    from crisis_audit.rulepack import load_rules

    with pytest.raises(RuleError, match="DM01 is already defined"):
        load_rules([tmp_path], include_default=False)


def test_an_unreadable_pack_in_a_folder_is_named_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "broken.yaml").mkdir()  # a folder where a pack file is expected
    with pytest.raises(RuleError, match=r"broken\.yaml: cannot read"):
        load_rules([tmp_path], include_default=False)


def test_validate_warns_about_a_restriction_the_context_never_lists(tmp_path: Path) -> None:
    """A misspelt restriction would leave a rule silent for ever: `rules validate` says so."""
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "    match:\n", "    when: {restricted: [dinning_in_closed, curfew]}\n    match:\n"
        ).replace("code: DM01", "code: DM02"),
    )
    path.write_text(
        path.read_text(encoding="utf-8")
        + GOOD_RULE.split("rules:\n", 1)[1]
        .replace("code: DM01", "code: DM03")
        .replace("demo.stay_home", "demo.typo")
        .replace("    match:\n", "    when: {restricted: [curfue]}\n    match:\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert f"{path}:3: DM02 waits for 'dinning_in_closed'" in warnings[0]
    assert "never fire" not in warnings[0]  # curfew is listed: it still fires under a curfew
    assert "DM03 waits for 'curfue'" in warnings[1] and "it can never fire" in warnings[1]


def test_the_bundled_packs_wait_only_for_restrictions_the_default_context_lists() -> None:
    result = CliRunner().invoke(app, ["rules", "validate"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert "restricted" in (Path(__file__).parent.parent / "rules" / "flags.yaml").read_text(
        encoding="utf-8"
    )  # the check has something to check
