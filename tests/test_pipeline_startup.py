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
