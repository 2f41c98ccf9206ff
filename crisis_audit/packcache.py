"""Data derived from files that rarely change, kept on disk between runs (like Python's
own ``__pycache__``): validated rule packs with their regexes' literals, the tokens of rule
terms per tokenizer (`matching.TermTokenizer`), flat copies of lemma tables (`lemma_tables`),
the compiled code of the tokenizers' and rules' regular expressions (`regex_store`).

A cold start used to spend about a third of a second parsing and validating the YAML packs,
a few tenths analysing each rule regex and tokenising terms, and a quarter of a second
unpacking the French lemma tables, on every run, for files that had not changed. All are
pure functions of those files, so the first run stores them and later runs load them in a
few milliseconds.

Each key hashes everything its entry depends on: the pack files' paths (as given and
resolved) and bytes, or the source file's path, size and mtime; the source of the modules
that computed it; the tool's and Python's versions. Edit a pack, move it, upgrade anything,
and the entry is simply not found. A stored entry can never change a result; the test suite
audits with and without it.

Where: ``$CRISIS_AUDIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/crisis-audit``, else
``~/.cache/crisis-audit``. ``CRISIS_AUDIT_CACHE_DIR=off`` turns it off. A folder that
cannot be written, or a damaged entry, only means the files are read the slow way again.
Entries are pickles, so the folder must be one only its user can write, as a home cache is
(the same trust as the installed packages themselves); never point it at a shared folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1  # bump when what is stored changes shape
KEEP = 16  # entries kept; older ones are removed when a new one is written


def cache_folder() -> Path | None:
    """The folder entries live in, or None when the user turned the cache off."""
    chosen = os.environ.get("CRISIS_AUDIT_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crisis-audit"


def _base(code: list[str]) -> Any:
    """A hash started with the versions and the source of the modules named in `code`
    (so that a change to the code that produced an entry is a miss, even between releases)."""
    h = hashlib.sha256()
    h.update(f"crisis-audit {__version__} format {FORMAT} python {sys.version}".encode())
    here = Path(__file__).resolve().parent
    for module in code:
        try:
            h.update((here / f"{module}.py").read_bytes())
        except OSError:  # installed without sources: the version has to do
            h.update(module.encode())
    return h


def packs_key(files: list[Path], contents: list[bytes]) -> str:
    """A hash of everything a loaded pack set depends on (`contents`: each file's bytes)."""
    h = _base(["rulepack", "regex_prefilter", "yamlsafe", "taxonomy"])
    for path, content in zip(files, contents, strict=True):
        # as given and as resolved: sources in messages keep the form they were given in
        h.update(f"{path}\x00{path.resolve()}\x00".encode("utf-8", "surrogatepass"))
        h.update(hashlib.sha256(content).digest())
    return h.hexdigest()


def load(key: str) -> Any | None:
    """The entry stored under `key`, or None (absent, unreadable, damaged, or turned off)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with (folder / f"{key[:40]}.pickle").open("rb") as handle:
            stored_key, value = pickle.load(handle)
    except Exception:  # any damage is a miss, never a failure
        return None
    return value if stored_key == key else None


def store(key: str, value: Any) -> None:
    """Write an entry atomically; silently give up when the folder is not writable."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{key[:40]}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the newest `KEEP` entries (one per pack set and version a user has run)."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-KEEP]:
        old.unlink(missing_ok=True)


def data_key(description: str, code: tuple[str, ...] = ("lemma_tables",)) -> str:
    """The key of data derived from files outside the packs (`description` names them and
    their state) by the modules named in `code`."""
    h = _base(list(code))
    h.update(description.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
