"""Cold-start shortcuts keep spaCy whole: `spacy.cli` is skipped at import, not lost."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from crisis_audit import pipeline
assert "spacy.cli" not in sys.modules, "spacy.cli was imported during start-up"
import spacy
assert spacy.info.__module__ == "crisis_audit.spacy_startup"
import spacy.cli
assert callable(spacy.cli.setup_cli), "the real spacy.cli must still import"
from spacy.cli.info import info
print(type(spacy.info(markdown=False)).__name__, info is not None)
"""


def test_spacy_imports_without_its_cli_and_the_cli_still_works() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["dict", "True"]


def test_cli_exits_with_the_command_status_after_flushing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`main` ends the process itself: the exit code and every byte of output survive."""
    draft = tmp_path / "draft.txt"
    draft.write_text("Profitez de -30 % sur toute la collection ce week-end !\\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "crisis_audit",
            "audit",
            str(draft),
            "--date",
            "2020-03-25",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout.rstrip().endswith("}")
    assert '"business_as_usual"' in done.stdout


def test_lookup_lemmas_identical_to_spacys_own_initialisation() -> None:
    """Blank pipelines (English, and French in fast mode) get spacy-lookups-data's tables
    built in one step; the lemmas equal those of spaCy's own ``initialize()``."""
    import json
    from pathlib import Path

    import spacy

    from crisis_audit.pipeline import get_pipeline

    samples = Path(__file__).resolve().parent.parent / "samples"
    rows = [
        json.loads(line)
        for path in sorted(samples.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for lang, fast in (("en", False), ("fr", True)):
        texts = [r["text"].lower() for r in rows if r.get("lang") == lang]
        assert len(texts) > 100
        stock = spacy.blank(lang)
        stock.add_pipe("lemmatizer", config={"mode": "lookup"})
        stock.initialize()
        ours = get_pipeline(lang, fast=fast)
        expected = [[t.lemma_ for t in doc] for doc in stock.pipe(texts)]
        got = [[(t.text, t.lemma_) for t in doc] for doc in ours.pipe(texts)]
        assert [[lemma for _, lemma in doc] for doc in got] == expected
        assert sum(text != lemma for doc in got for text, lemma in doc) > 100  # tables in use
