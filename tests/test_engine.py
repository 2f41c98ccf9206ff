"""Engine mechanics on the pitfalls of social-media text (shared/nlp-notes.md).

These use the small pack in fixtures/rules/mechanics.yaml, so they pin what the engine does
with hashtags, emoji, capitals, apostrophes and negation, whatever the shipped rules say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_audit.api import build_engine
from crisis_audit.engine import Engine
from crisis_audit.models import Post, PostResult

ROOT = Path(__file__).resolve().parent.parent


def run(engine: Engine, text: str, lang: str | None = None, phase: str = "acute") -> PostResult:
    return engine.audit_one(Post(text=text, lang=lang, phase=phase, source="t:1"))


def codes(result: PostResult) -> set[str]:
    return result.fired


def evidence(result: PostResult, code: str) -> list[str]:
    return [
        result.post.text[s:e] for f in result.findings if f.rule == code for s, e in f.all_spans
    ]


def test_hashtag_is_split_for_matching_and_shown_whole(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "Prenez soin de vous #RestezChezVous 🏠")
    assert "TM03" in codes(result)
    assert evidence(result, "TM03") == ["#RestezChezVous"]


def test_english_hashtag_camel_case(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "We are with you. #StayHome #StaySafe", lang="en")
    assert evidence(result, "TM03") == ["#StayHome"]


def test_all_caps_post_is_analysed_like_lowercase(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "NOUS FERMONS TOUS NOS MAGASINS JUSQU'À NOUVEL ORDRE")
    assert "TM01" in codes(result)
    assert evidence(result, "TM01") == ["FERMONS"]


@pytest.mark.parametrize("text", ["l’équipe reste là", "l'équipe reste là"])
def test_both_apostrophes_match(mechanics_engine: Engine, text: str) -> None:
    assert "TM06" in codes(run(mechanics_engine, text, lang="fr"))


def test_emoji_with_variation_selector_keeps_offsets(mechanics_engine: Engine) -> None:
    text = "Merci à tous ❤️ on continue"
    result = run(mechanics_engine, text)
    [span] = [f for f in result.findings if f.rule == "TM05"]
    assert text[span.start : span.end].startswith("❤")
    assert result.post.text == text


def test_analysis_text_is_the_original_character_by_character() -> None:
    """Whatever mix of invisible marks, capital sigmas, dotted capitals, apostrophes and
    hashtags a post holds, each analysed character is its original character normalised
    alone (invisible marks dropped), and the offsets say which one."""
    import random

    from crisis_audit.textprep import _INVISIBLE, _normalise_char, prepare

    rng = random.Random(2020)
    alphabet = "aΣσİ\ufe0f\u200d ’#Éé❤x\u00a0."
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        prepared = prepare(text)
        if "#" in text:  # hashtag bodies are re-spaced; check the plain parts only
            continue
        kept = [i for i, c in enumerate(text) if c not in _INVISIBLE]
        assert prepared.offsets == kept, text
        assert prepared.text == "".join(_normalise_char(text[i]) for i in kept), text


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Nous ne fermons pas nos magasins.", "fr"),
        ("On ferme pas, on s'adapte !", "fr"),
        ("Nos boutiques ne seront jamais fermées le dimanche", "fr"),
        ("We are not closing our stores.", "en"),
        ("We won't close.", "en"),
    ],
)
def test_negated_closure_is_not_a_closure(mechanics_engine: Engine, text: str, lang: str) -> None:
    result = run(mechanics_engine, text, lang=lang)
    assert "TM01" not in codes(result)
    assert "TM02" in codes(result)


@pytest.mark.parametrize(
    "text", ["Pas de panique : tout est prévu.", "Livraison sans contact à domicile."]
)
def test_fixed_expressions_are_not_negations(mechanics_engine: Engine, text: str) -> None:
    assert "TM04" in codes(run(mechanics_engine, text, lang="fr"))


def test_negation_does_not_cross_a_clause(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "Ce n'est pas simple, mais nous fermons nos boutiques.")
    assert "TM01" in codes(result)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Pas simple 😔 nous fermons nos boutiques.", "fr"),  # an emoji ends the clause
        ("Pourquoi ne pas fermer plus tôt le samedi ?", "fr"),  # a suggestion, not a negation
        ("Why not close early on Saturdays?", "en"),
    ],
)
def test_emoji_and_rhetorical_questions_do_not_negate(
    mechanics_engine: Engine, text: str, lang: str
) -> None:
    assert "TM01" in codes(run(mechanics_engine, text, lang=lang))


def test_derived_rule_needs_absence_of_acknowledgement(mechanics_engine: Engine) -> None:
    assert "TM07" in codes(run(mechanics_engine, "Découvrez notre nouvelle collection !"))
    acknowledged = run(mechanics_engine, "Malgré le confinement, notre nouvelle collection arrive.")
    assert "TM07" not in codes(acknowledged)
    assert "CTX01" in codes(acknowledged)


def test_derived_rule_cites_the_evidence_it_builds_on(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "Découvrez notre nouvelle collection !")
    assert evidence(result, "TM07") == ["nouvelle collection"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nos magasins restent ouverts, prenez soin de vous.", "fr"),
        ("Our stores stay open, take care of yourselves.", "en"),
        ("Merci à l’équipe !", "fr"),
        ("Thank you to the whole team!", "en"),
    ],
)
def test_language_is_detected_per_post(mechanics_engine: Engine, text: str, expected: str) -> None:
    assert run(mechanics_engine, text, lang=None).lang == expected


def test_forced_language_wins(mechanics_engine: Engine) -> None:
    assert run(mechanics_engine, "Nous fermons", lang="en").lang == "en"


def test_category_score_is_noisy_or_of_rule_weights(mechanics_engine: Engine) -> None:
    result = run(mechanics_engine, "Nous fermons. Restez chez vous !")
    scores = {c.id: c.score for c in result.categories}
    assert scores == {"safety": pytest.approx(0.6), "engagement": pytest.approx(0.6)}


def test_batch_keeps_input_order_across_languages(mechanics_engine: Engine) -> None:
    posts = [
        Post(text=t, id=str(i), phase="acute")
        for i, t in enumerate(["Nous fermons", "We close", "Restez chez vous", "Stay home"] * 3)
    ]
    results = list(mechanics_engine.audit(posts))
    assert [r.post.id for r in results] == [p.id for p in posts]
    assert [r.lang for r in results[:4]] == ["fr", "en", "fr", "en"]


def test_spans_point_into_the_original_text(mechanics_engine: Engine) -> None:
    text = "ALERTE 🚨 #RestezChezVous : nous FERMONS demain."
    result = run(mechanics_engine, text)
    for f in result.findings:
        assert text[f.start : f.end] == f.text


def test_regex_with_backreference_still_matches(tmp_path: Path) -> None:
    pack = tmp_path / "echo.yaml"
    pack.write_text(
        """pack: echo
rules:
  - code: TE01
    name: test.echo
    label: humour
    summary: A doubled word.
    why: test
    match:
      fr: {regex: ['(qq|ww)x', '\\b(\\w+) \\1\\b']}
    message: echo
    advice: conseil
    examples: {fail: [tour tour, encore encore], pass: [tour de France, bonjour]}
""",
        encoding="utf-8",
    )
    engine = build_engine(rules=[pack], include_default_rules=False)
    assert "TE01" in run(engine, "Le tour tour de magie", lang="fr").fired


def test_elsewhere_lets_a_rule_fire_outside_its_phases_only_with_more_evidence(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "fear.yaml"
    pack.write_text(
        """pack: fear
rules:
  - code: TF01
    name: test.fear
    kind: flag
    label: anxiogenic_tone
    severity: error
    summary: Fear words.
    why: test
    when:
      phases: [acute]
      elsewhere: [crisis_ack]
    match:
      fr: {terms: [cauchemar]}
    message: peur
    advice: conseil
    examples:
      fail: [un cauchemar, "le cauchemar du confinement"]
      pass: [un rêve, {text: un cauchemar, phase: none}]
""",
        encoding="utf-8",
    )
    engine = build_engine(rules=[pack], include_default_rules=False)
    series = "Cette série est un vrai cauchemar pour les nerfs."
    lockdown = "Ce confinement est un cauchemar."
    assert "TF01" in run(engine, series, lang="fr", phase="acute").fired
    assert "TF01" not in run(engine, series, lang="fr", phase="none").fired
    assert "TF01" in run(engine, lockdown, lang="fr", phase="none").fired
    assert run(engine, lockdown, lang="fr", phase="none").tone_deaf


def test_shipped_fear_rules_leave_ordinary_times_alone(engine: Engine) -> None:
    halloween = "The nightmare begins tonight 🎃 Our horror movie marathon starts at 8pm!"
    assert run(engine, halloween, lang="en", phase="acute").tone_deaf
    assert not run(engine, halloween, lang="en", phase="none").tone_deaf
    warning = "The virus has reached Europe: a nightmare is coming and nobody is safe."
    assert "anxiogenic_tone" in run(engine, warning, lang="en", phase="none").flag_ids


def test_a_post_without_negation_cue_has_no_negated_span(mechanics_engine: Engine) -> None:
    """`has_negation_cue` lets the engine skip the negation check for a whole post: on every
    sample post it says False for, no span of one to three tokens is negated."""
    import json

    from crisis_audit.negation import has_negation_cue, is_negated
    from crisis_audit.textprep import prepare

    rows = [
        json.loads(line)
        for line in (ROOT / "samples" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    checked = {"fr": 0, "en": 0}
    for row in rows:
        lang = row.get("lang") or "fr"
        entry = mechanics_engine.language(lang)
        doc = next(iter(entry.docs([prepare(row["text"]).text], 1)))
        tokens = entry.compiled.fold(doc)
        if has_negation_cue(tokens, lang):
            continue
        checked[lang] += 1
        for start in range(len(doc)):
            for end in range(start + 1, min(start + 4, len(doc) + 1)):
                assert not is_negated(doc, tokens, start, end, lang), (row["text"], start, end)
    assert checked["fr"] > 50 and checked["en"] > 50
