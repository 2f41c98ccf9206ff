"""The CI reporters (SARIF, JUnit, GitHub annotations) on hand-built results: no spaCy, fast.

Pins what CI consumers rely on: schema validity, file/line/column of the matched words,
fingerprints that survive moving a post, escaping that cannot be broken by post text, and
the order GitHub needs (it shows only the first 10 errors and warnings of a step).
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from crisis_audit.models import AuditResult, CategoryScore, Finding, InputError, Post, PostResult
from crisis_audit.reporters import RENDERERS, RULE_AWARE
from crisis_audit.reporters.github import collect_annotations, render_github
from crisis_audit.reporters.junit import render_junit, xml_safe
from crisis_audit.reporters.problems import (
    display_path,
    fingerprint,
    is_problem,
    locate,
    split_source,
    uri_for,
)
from crisis_audit.reporters.sarif import FINGERPRINT_KEY, render_sarif
from crisis_audit.rulepack import load_pack

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
FLAGS_PACK = Path(__file__).resolve().parent.parent / "rules" / "flags.yaml"

# -- building results by hand ----------------------------------------------------------------

LINE_1 = "Bonjour à tous !"
LINE_2 = "Nouvelle collection printemps, venez en boutique samedi."
LINE_3 = "À bientôt"
DRAFT = f"{LINE_1}\n{LINE_2}\n{LINE_3}"
DRAFT_LINES = [3, 4, 6]  # line 5 of the file was a `crisis-audit: ignore` line
INVITE = "venez en boutique"

NASTY = 'Promo ::error::boom 100% <b>&amp; "ok"\r\nnext, line: 50%0A\x00\x07\x0b\x1b\ufffe end'
NASTY_MATCH = "::error::boom 100% <b>&amp;"


def make_finding(
    rule: str = "BU01",
    *,
    kind: str = "flag",
    severity: str = "error",
    text: str = "",
    post_text: str = "",
    name: str | None = None,
    label: str = "business_as_usual",
    message: str | None = None,
    advice: str = "Say first what changed for your customers.",
) -> Finding:
    """A finding on the first occurrence of `text` in `post_text` (offsets 0, 0 if absent)."""
    start = post_text.find(text) if text and text in post_text else 0
    end = start + len(text) if text and text in post_text else 0
    return Finding(
        rule=rule,
        name=name or f"flag.{label}",
        kind=kind,
        label=label,
        severity=severity,
        start=start,
        end=end,
        text=text,
        message=message if message is not None else f"Promotion in the crisis: “{text}”.",
        advice=advice,
        spans=[(start, end)],
    )


def make_result(post: Post, findings: list[Finding], tone_deaf: bool = True) -> PostResult:
    return PostResult(
        post=post,
        lang="fr",
        phase="acute",
        categories=[CategoryScore("al_ouest", 0.9)],
        findings=findings,
        tone_deaf=tone_deaf,
        score=18 if tone_deaf else 90,
        band="hold" if tone_deaf else "publish",
    )


def text_post(lines: list[int] | None = None, file: str = "drafts/spring.txt") -> Post:
    lines = lines or DRAFT_LINES
    return Post(
        text=DRAFT,
        id=f"spring.txt:{lines[0]}",
        source=f"{file}:{lines[0]}",
        location={"file": file, "line": lines[0], "lines": lines},
    )


def text_result(lines: list[int] | None = None, rule: str = "BU01") -> PostResult:
    """A multi-line draft with one flag on its 2nd line, plus evidence that is no problem."""
    findings = [
        make_finding(rule, text=INVITE, post_text=DRAFT),
        make_finding(
            "AO01",
            kind="category",
            severity="info",
            label="al_ouest",
            text="Nouvelle collection",
            post_text=DRAFT,
            name="al_ouest.new_collection",
        ),
        make_finding(
            "ACK01",
            kind="note",
            severity="info",
            label="crisis_ack",
            text="Bonjour",
            post_text=DRAFT,
            name="note.crisis_ack",
        ),
    ]
    return make_result(text_post(lines), findings)


def csv_result() -> PostResult:
    text = "Soldes d'été : -50 % sur tout !"
    post = Post(
        text=text,
        id="p17",
        source="calendar.csv:17",
        location={"file": "calendar.csv", "line": 17, "row": 17, "column": 3},
    )
    note = make_finding(
        "OB02",
        kind="note",
        severity="warning",
        label="objections_partial",
        text="Soldes",
        post_text=text,
        name="flag.objections_partly_answered",
        message="Selling with only part of the objections answered.",
    )
    return make_result(post, [note], tone_deaf=False)


def excel_result() -> PostResult:
    text = "Venez nombreux au magasin"
    post = Post(
        text=text,
        id="r5",
        source="plan.xlsx:Avril:5",
        location={"file": "plan.xlsx", "line": 5, "row": 5, "sheet": "Avril"},
    )
    info_flag = make_finding(
        "UI99",
        severity="info",
        label="unsafe_invitation",
        text="Venez",
        post_text=text,
    )
    return make_result(post, [info_flag], tone_deaf=False)


def stdin_result() -> PostResult:
    text = "Nouvelle collection, venez en boutique !"
    post = Post(
        text=text,
        id="1",
        source="<stdin>:1",
        location={"file": "<stdin>", "line": 1, "lines": [1]},
    )
    return make_result(
        post, [make_finding("UI02", text=INVITE, post_text=text, label="unsafe_invitation")]
    )


def nasty_result() -> PostResult:
    post = Post(
        text=NASTY,
        id="evil",
        source="cal,endar: 2020.jsonl:9",
        location={"file": "cal,endar: 2020.jsonl", "line": 9},
    )
    flag = make_finding(
        "BU01",
        text=NASTY_MATCH,
        post_text=NASTY,
        message=f"Promotion: « {NASTY} »",
        advice="100% sure?\nSay it, then: sell.",
    )
    return make_result(post, [flag])


def full_result() -> AuditResult:
    return AuditResult(
        posts=[csv_result(), text_result(), excel_result(), stdin_result(), nasty_result()],
        errors=[InputError("calendar.csv:20", "missing 'text'"), InputError("<stdin>:4", "empty")],
        context={"crisis": "COVID-19", "phase": "acute"},
        tool_version="0.1.0",
    )


@pytest.fixture(scope="module")
def flag_rules() -> list[Any]:
    return load_pack(FLAGS_PACK)


# -- shared helpers: the problem predicate, locations, paths ---------------------------------


@pytest.mark.parametrize(
    ("kind", "severity", "expected"),
    [
        ("flag", "error", True),
        ("flag", "warning", True),
        ("flag", "info", True),
        ("note", "error", True),
        ("note", "warning", True),
        ("note", "info", False),
        ("category", "error", False),
        ("category", "info", False),
    ],
)
def test_is_problem_flags_and_serious_notes_only(kind: str, severity: str, expected: bool) -> None:
    assert is_problem(make_finding(kind=kind, severity=severity)) is expected


def test_locate_text_post_maps_finding_to_its_file_line_and_column() -> None:
    result = text_result()
    region = locate(result.post, result.findings[0])
    column = LINE_2.index(INVITE) + 1
    assert (region.path, region.start_line, region.start_column) == ("drafts/spring.txt", 4, column)
    assert (region.end_line, region.end_column) == (4, column + len(INVITE))


def test_locate_text_post_skips_lines_missing_from_the_text() -> None:
    """Line 5 was a suppression line: the post's 3rd line is file line 6."""
    post = text_post()
    finding = make_finding(text="bientôt", post_text=DRAFT)
    region = locate(post, finding)
    assert (region.start_line, region.start_column) == (6, LINE_3.index("bientôt") + 1)


def test_locate_span_over_a_line_break_ends_on_the_next_line() -> None:
    post = text_post()
    finding = make_finding(text="samedi.\nÀ", post_text=DRAFT)
    region = locate(post, finding)
    assert (region.start_line, region.end_line, region.end_column) == (4, 6, 2)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"file": "calendar.csv", "line": 17, "column": 3}, ("calendar.csv", 17, 3, None)),
        ({"file": "posts.jsonl", "line": 8}, ("posts.jsonl", 8, 1, None)),
        ({"file": "plan.xlsx", "row": 5, "sheet": "Avril"}, ("plan.xlsx", 5, 1, "Avril")),
        ({"file": "<stdin>", "line": 2, "lines": [2]}, (None, 2, 1, None)),
        ({}, (None, None, None, None)),
    ],
)
def test_locate_rows_and_stdin(location: dict[str, Any], expected: tuple[Any, ...]) -> None:
    post = Post(text="Venez", location=location)
    region = locate(post, make_finding(text="Venez", post_text="Venez"))
    assert (region.path, region.start_line, region.start_column, region.sheet) == expected


def test_paths_are_relative_with_forward_slashes_and_uris_encoded() -> None:
    assert display_path("/repo/drafts/a.txt", base="/repo") == "drafts/a.txt"
    assert display_path("./drafts/a.txt") == "drafts/a.txt"
    assert display_path("/elsewhere/a.txt", base="/repo") == "/elsewhere/a.txt"
    assert uri_for("my drafts/été.txt") == "my%20drafts/%C3%A9t%C3%A9.txt"
    assert uri_for("/elsewhere/a b.txt") == "file:///elsewhere/a%20b.txt"
    assert split_source("calendar.csv:20") == ("calendar.csv", 20)
    assert split_source("<stdin>:4") == (None, 4)
    assert split_source("broken.xlsx") == ("broken.xlsx", None)


def test_fingerprint_survives_moving_the_post_and_separates_rules() -> None:
    assert fingerprint("BU01", "Venez  en\nBoutique") == fingerprint("BU01", "venez en boutique")
    assert fingerprint("BU01", DRAFT) != fingerprint("UI02", DRAFT)
    assert fingerprint("BU01", DRAFT) != fingerprint("BU01", DRAFT + " !")


# -- SARIF -----------------------------------------------------------------------------------


def sarif_errors(log: dict[str, Any]) -> list[str]:
    from jsonschema import Draft4Validator

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = Draft4Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def sarif_results(log: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


@pytest.mark.parametrize("with_rules", [True, False], ids=["rule-pack", "no-rules"])
def test_sarif_is_valid_against_the_official_schema(
    with_rules: bool, flag_rules: list[Any]
) -> None:
    log = json.loads(render_sarif(full_result(), rules=flag_rules if with_rules else ()))
    assert sarif_errors(log) == []
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")


def test_sarif_of_an_empty_audit_is_valid() -> None:
    log = json.loads(render_sarif(AuditResult(posts=[])))
    assert sarif_errors(log) == []
    assert sarif_results(log) == []


def test_sarif_results_are_problems_only_with_rule_index_and_advice(flag_rules: list[Any]) -> None:
    log = json.loads(render_sarif(full_result(), rules=flag_rules))
    run = log["runs"][0]
    results = sarif_results(log)
    assert [r["ruleId"] for r in results] == ["OB02", "BU01", "UI99", "UI02", "BU01"]
    assert [r["level"] for r in results] == ["warning", "error", "note", "error", "error"]
    for r in results:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[1]["message"]["text"].endswith(" → Say first what changed for your customers.")


def test_sarif_rule_metadata_comes_from_the_rule_pack(flag_rules: list[Any]) -> None:
    log = json.loads(render_sarif(full_result(), rules=flag_rules))
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "crisis-audit" and driver["version"] == "0.1.0"
    by_id = {d["id"]: d for d in driver["rules"]}
    bu01 = by_id["BU01"]
    rule = next(r for r in flag_rules if r.code == "BU01")
    assert bu01["name"] == "flag.business_as_usual"
    assert bu01["shortDescription"]["text"] == rule.summary
    assert bu01["fullDescription"]["text"] == rule.why
    assert rule.advice["fr"] in bu01["help"]["text"] and rule.advice["en"] in bu01["help"]["text"]
    assert bu01["defaultConfiguration"]["level"] == "error"
    assert bu01["properties"]["tags"] == ["flag", "business_as_usual"]
    assert by_id["OB02"]["defaultConfiguration"]["level"] == "warning"
    # A rule the pack does not hold still gets a descriptor, built from its finding.
    assert by_id["UI99"]["name"] == "flag.unsafe_invitation"
    assert by_id["UI99"]["defaultConfiguration"]["level"] == "note"


def test_sarif_region_points_at_the_matched_words_on_the_second_line() -> None:
    log = json.loads(render_sarif(AuditResult(posts=[text_result()])))
    (result,) = sarif_results(log)
    physical = result["locations"][0]["physicalLocation"]
    column = LINE_2.index(INVITE) + 1
    assert physical["artifactLocation"]["uri"] == "drafts/spring.txt"
    assert physical["region"] == {
        "startLine": 4,
        "startColumn": column,
        "endLine": 4,
        "endColumn": column + len(INVITE),
        "snippet": {"text": INVITE},
    }
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_sarif_other_spans_of_a_finding_are_related_locations() -> None:
    result = text_result()
    flag = result.findings[0]
    second = DRAFT.index("bientôt")
    flag.spans = [(flag.start, flag.end), (second, second + len("bientôt"))]
    log = json.loads(render_sarif(AuditResult(posts=[result])))
    assert sarif_errors(log) == []
    (related,) = sarif_results(log)[0]["relatedLocations"]
    region = related["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["snippet"]["text"]) == (
        6,
        LINE_3.index("bientôt") + 1,
        "bientôt",
    )


def test_sarif_rows_sheets_and_stdin_locations() -> None:
    log = json.loads(render_sarif(full_result()))
    csv_loc, _, xlsx_loc, stdin_loc, _ = (r["locations"][0] for r in sarif_results(log))
    assert csv_loc["physicalLocation"]["artifactLocation"]["uri"] == "calendar.csv"
    assert csv_loc["physicalLocation"]["region"]["startLine"] == 17
    assert csv_loc["physicalLocation"]["region"]["startColumn"] == 3
    assert xlsx_loc["physicalLocation"]["properties"] == {"sheet": "Avril"}
    assert stdin_loc["physicalLocation"]["artifactLocation"]["uri"] == "stdin"
    assert stdin_loc["logicalLocations"] == [{"name": "1", "fullyQualifiedName": "<stdin>:1"}]


def test_sarif_fingerprint_stable_when_the_post_moves_to_another_line() -> None:
    before = sarif_results(json.loads(render_sarif(AuditResult(posts=[text_result([3, 4, 6])]))))
    after = sarif_results(json.loads(render_sarif(AuditResult(posts=[text_result([40, 41, 42])]))))
    assert before[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 41
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]
    other = AuditResult(posts=[text_result(rule="UI02")])
    other_rule = sarif_results(json.loads(render_sarif(other)))
    assert other_rule[0]["partialFingerprints"] != before[0]["partialFingerprints"]


def test_sarif_repeated_rule_and_text_get_distinct_fingerprints() -> None:
    twice = AuditResult(posts=[text_result([3, 4, 6]), text_result([9, 10, 12])])
    log = json.loads(render_sarif(twice))
    first, second = (r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif_results(log))
    assert second == f"{first}:2"


def test_sarif_notifications_summary_and_baseline() -> None:
    audit = full_result()
    audit.posts[1].findings[0].baselined = True
    log = json.loads(render_sarif(audit))
    assert sarif_errors(log) == []
    run = log["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    rejected = invocation["toolExecutionNotifications"]
    assert rejected[0]["level"] == "error" and "missing 'text'" in rejected[0]["message"]["text"]
    assert rejected[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 20}
    assert rejected[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stdin"
    assert run["properties"]["summary"]["rejected"] == 2
    assert run["properties"]["summary"]["tone_deaf"] == 3
    assert sarif_results(log)[1]["suppressions"][0]["kind"] == "external"


# -- JUnit -----------------------------------------------------------------------------------


def junit_errors(text: str) -> list[str]:
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    return [str(e.reason) for e in schema.iter_errors(text.encode("utf-8"))]


def test_junit_is_valid_against_the_jenkins_schema() -> None:
    text = render_junit(full_result())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert junit_errors(text) == []
    assert junit_errors(render_junit(AuditResult(posts=[]))) == []


def test_junit_one_suite_per_file_one_case_per_post_and_rejected_rows_as_errors() -> None:
    root = ET.fromstring(render_junit(full_result()).encode("utf-8"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [
        "calendar.csv",
        "drafts/spring.txt",
        "plan.xlsx",
        "stdin",
        "cal,endar: 2020.jsonl",
    ]
    csv_suite = suites["calendar.csv"]
    counts = tuple(csv_suite.get(key) for key in ("tests", "failures", "errors"))
    assert counts == ("2", "1", "1")
    row_case, error_case = csv_suite.findall("testcase")
    assert row_case.get("name") == "p17 (calendar.csv:17)"
    assert row_case.get("classname") == "calendar.csv"
    error = error_case.find("error")
    assert error is not None and error.get("message") == "missing 'text'"
    assert error_case.get("name") == "calendar.csv:20"
    assert suites["stdin"].get("errors") == "1"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "5", "2")


def test_junit_failure_carries_every_problem_with_code_severity_words_and_advice() -> None:
    root = ET.fromstring(render_junit(AuditResult(posts=[text_result()])).encode("utf-8"))
    (case,) = root.iter("testcase")
    assert case.get("name") == "drafts/spring.txt:3"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == f"Promotion in the crisis: “{INVITE}”."
    assert failure.get("type") == "BU01"
    body = failure.text or ""
    assert f"BU01 flag.business_as_usual [error] « {INVITE} »" in body
    assert "→ Say first what changed for your customers." in body
    assert "AO01" not in body and "ACK01" not in body  # evidence and info notes are no problem


def test_junit_post_without_problems_passes_and_baselined_ones_do_not_fail() -> None:
    clean = make_result(
        Post(
            text="Prenez soin de vous.",
            id="ok",
            source="a.jsonl:1",
            location={"file": "a.jsonl", "line": 1},
        ),
        [],
        tone_deaf=False,
    )
    known = text_result()
    known.findings[0].baselined = True
    root = ET.fromstring(render_junit(AuditResult(posts=[clean, known])).encode("utf-8"))
    cases = list(root.iter("testcase"))
    assert all(c.find("failure") is None for c in cases)
    out = cases[1].find("system-out")
    assert out is not None and "Baselined" in (out.text or "") and "BU01" in (out.text or "")


def test_junit_escapes_markup_and_strips_characters_xml_cannot_hold() -> None:
    text = render_junit(AuditResult(posts=[nasty_result()]))
    assert junit_errors(text) == []
    root = ET.fromstring(text.encode("utf-8"))
    out = root.find(".//system-out")
    assert out is not None
    assert out.text == 'Promo ::error::boom 100% <b>&amp; "ok"\nnext, line: 50%0A end'
    failure = root.find(".//failure")
    assert failure is not None and "\x00" not in (failure.get("message") or "")
    assert xml_safe("a\ud800b\x1fc\U0001f338") == "abc\U0001f338"


# -- GitHub annotations ----------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<level>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def decode(text: str, prop: bool) -> str:
    """What the runner reads back (independent single-pass decoder)."""
    keys = "%25|%0D|%0A|%3A|%2C" if prop else "%25|%0D|%0A"
    return re.sub(keys, lambda m: _ESCAPES[m.group(0)], text)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.match(line)
    assert match, line
    props = {}
    for pair in (match["props"] or "").split(","):
        if pair:
            key, value = pair.split("=", 1)
            props[key] = decode(value, prop=True)
    return match["level"], props, decode(match["message"], prop=False)


def test_github_annotation_for_the_second_line_of_a_text_post() -> None:
    out = render_github(AuditResult(posts=[text_result()]))
    level, props, message = parse_command(out.splitlines()[0])
    column = LINE_2.index(INVITE) + 1
    assert level == "error"
    assert props == {
        "file": "drafts/spring.txt",
        "line": "4",
        "col": str(column),
        "endColumn": str(column + len(INVITE) - 1),
        "title": "BU01 flag.business_as_usual",
    }
    advice = "Say first what changed for your customers."
    assert message == f"Promotion in the crisis: “{INVITE}”. → {advice}"


def test_github_escaping_round_trips_and_keeps_one_command_per_line() -> None:
    out = render_github(AuditResult(posts=[nasty_result()]))
    lines = out.splitlines()
    assert len(lines) == 2 and not lines[1].startswith("::")
    assert "\r" not in out and out.count("\n") == 2
    level, props, message = parse_command(lines[0])
    assert level == "error"
    assert props["file"] == "cal,endar: 2020.jsonl" and props["line"] == "9"
    shown = NASTY.replace("\x00", "").replace("\x07", "").replace("\x0b", "").replace("\x1b", "")
    assert message == f"Promotion: « {shown} » → 100% sure?\nSay it, then: sell."


def test_github_orders_errors_then_warnings_then_notices() -> None:
    audit = full_result()
    levels = [parse_command(line)[0] for line in render_github(audit).splitlines()[:-1]]
    assert levels == ["error"] * 5 + ["warning", "notice"]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    annotations = collect_annotations(audit)
    rejected = [a for a in annotations if a.title == "crisis-audit: rejected input"]
    assert [(a.file, a.line) for a in rejected] == [("calendar.csv", 20), (None, 4)]


def test_github_multi_line_span_gets_end_line_and_no_columns() -> None:
    post = text_post()
    result = make_result(post, [make_finding(text="samedi.\nÀ", post_text=DRAFT)])
    _, props, _ = parse_command(render_github(AuditResult(posts=[result])).splitlines()[0])
    assert (props["line"], props["endLine"]) == ("4", "6")
    assert "col" not in props and "endColumn" not in props


def test_github_stdin_and_sheet_go_into_the_message_and_summary_is_last() -> None:
    out = render_github(AuditResult(posts=[stdin_result(), excel_result()]))
    (_, stdin_props, stdin_message), (_, sheet_props, sheet_message) = (
        parse_command(line) for line in out.splitlines()[:2]
    )
    assert "file" not in stdin_props and stdin_message.startswith("<stdin>:1: ")
    assert sheet_props["file"] == "plan.xlsx" and sheet_message.startswith("[sheet Avril] ")
    assert out.splitlines()[-1] == (
        "crisis-audit: 2 posts audited, 1 tone-deaf, 0 rejected; 1 errors, 0 warnings, 1 notices"
    )


# -- registry and fixtures -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_ci_formats_are_registered(fmt: str) -> None:
    text = RENDERERS[fmt](AuditResult(posts=[text_result()]))
    assert isinstance(text, str) and text.endswith("\n")


def test_only_sarif_takes_the_rule_pack(flag_rules: list[Any]) -> None:
    assert set(RULE_AWARE) == {"sarif"}
    for fmt in RULE_AWARE:
        assert RENDERERS[fmt](AuditResult(posts=[]), rules=flag_rules)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("name", "sha256"),
    [
        (
            "sarif-schema-2.1.0.json",
            "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
        ),
        ("junit-10.xsd", "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"),
    ],
)
def test_schema_fixtures_are_unmodified_copies(name: str, sha256: str) -> None:
    assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == sha256
    assert f"`{sha256}`" in (SCHEMAS / "README.md").read_text(encoding="utf-8")
