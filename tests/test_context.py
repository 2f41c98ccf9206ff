"""Crisis contexts: the phase in force on a date, and one-line errors for bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crisis_audit.context import ContextError, PhaseResolver, load_context
from crisis_audit.models import Post


@pytest.mark.parametrize(
    "day, phase",
    [
        ("2020-03-01", "none"),
        ("2020-03-17", "acute"),
        ("2020-05-10", "acute"),
        ("2020-05-11", "reprieve"),
        ("2020-11-15", "acute"),
        ("2021-04-10", "acute"),
        ("2021-09-01", "reprieve"),
        ("2022-03-25", "recovery"),
        ("2024-01-01", "none"),
    ],
)
def test_covid_timeline(day: str, phase: str) -> None:
    assert load_context().phase_on(dt.date.fromisoformat(day))[0] == phase


def test_phase_precedence_is_reported() -> None:
    ctx = load_context()
    resolver = PhaseResolver(ctx, run_date=dt.date(2022, 3, 25), run_date_source="--date")
    assert resolver(Post(text="x", phase="acute")) == ("acute", "post phase")
    assert resolver(Post(text="x", date="2020-03-25T10:00")) == ("acute", "post date 2020-03-25")
    assert resolver(Post(text="x")) == ("recovery", "--date 2022-03-25")
    forced = PhaseResolver(ctx, forced_phase="reprieve")
    assert forced(Post(text="x", phase="acute", date="2020-03-25")) == ("reprieve", "--phase")


GOOD = """\
name: Grève
acknowledge:
  fr: [grève, mouvement social]
phases:
  - {phase: acute, start: 2023-01-10, end: 2023-01-20}
  - {phase: recovery, start: 2023-01-21, end: 2023-03-01}
"""


@pytest.mark.parametrize(
    "old, new, line, field",
    [
        ("start: 2023-01-10", "start: 2023-13-10", 5, "phases[0].start"),
        ("phase: recovery", "phase: aftermath", 6, "phases[1].phase"),
        ("start: 2023-01-21", "start: 2023-01-15", 6, "phases.start"),
        ("name: Grève", "nom: Grève", 1, "nom"),
        ("end: 2023-01-20", "end: 2023-01-01", 5, "phases[0].end"),
        (
            "end: 2023-01-20}",
            "end: 2023-01-20, restrictions: [Bars Closed]}",
            5,
            "phases[0].restrictions",
        ),
        ("end: 2023-01-20}", "end: 2023-01-20, restrictions: curfew}", 5, "phases[0].restrictions"),
    ],
)
def test_bad_context_names_file_line_field(
    tmp_path: Path, old: str, new: str, line: int, field: str
) -> None:
    path = tmp_path / "ctx.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(ContextError) as info:
        load_context(path)
    assert str(info.value).startswith(f"{path}:{line}: {field}"), str(info.value)


def test_custom_context_loads(tmp_path: Path) -> None:
    path = tmp_path / "ctx.yaml"
    path.write_text(GOOD, encoding="utf-8")
    ctx = load_context(path)
    assert ctx.phase_on(dt.date(2023, 1, 15))[0] == "acute"
    assert ctx.acknowledge["fr"] == ["grève", "mouvement social"]


def test_template_context_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    load_context(root / "contexts" / "template.yaml")


def test_restrictions_in_force_follow_the_post_date() -> None:
    """Restrictions come from the period of the post's date, when its phase is the post's;
    a phase given without a date knows none."""
    resolver = PhaseResolver(load_context(), run_date=dt.date(2022, 3, 25))
    feb_2021 = Post(text="x", date="2021-02-10")
    assert {"dining_in_closed", "curfew"} <= resolver.restrictions(feb_2021, "reprieve")
    summer_2020 = Post(text="x", date="2020-07-10")
    assert resolver.restrictions(summer_2020, "reprieve") == {
        "nightlife_closed",
        "large_gatherings_banned",
    }
    assert resolver.restrictions(Post(text="x", date="2020-07-10"), "acute") == frozenset()
    assert resolver.restrictions(Post(text="x"), "recovery") == frozenset()  # --date, none
    assert resolver.restrictions(Post(text="x", phase="reprieve"), "reprieve") == frozenset()
    undated = PhaseResolver(load_context(), forced_phase="reprieve")
    assert undated.restrictions(Post(text="x"), "reprieve") == frozenset()
    curfews = PhaseResolver(load_context(), forced_phase="reprieve", run_date=dt.date(2021, 2, 10))
    assert "curfew" in curfews.restrictions(Post(text="x"), "reprieve")  # --phase with --date


@pytest.mark.parametrize(
    "day, flagged",
    [("2021-02-10", True), ("2020-07-10", False), ("2021-06-20", False), ("2022-02-10", False)],
)
def test_dine_in_invitation_is_flagged_only_while_dining_rooms_are_closed(
    day: str, flagged: bool
) -> None:
    from crisis_audit.api import audit

    text = "Ce samedi, brunch servi en salle, réservez votre table !"
    [result] = audit([{"text": text, "date": day, "lang": "fr"}]).posts
    assert ("UI10" in result.fired) is flagged, (day, result.extra.get("restrictions"))
    if flagged:
        assert "dining_in_closed" in result.to_dict()["restrictions"]
