"""Import spaCy without its command-line package, for a faster cold start.

``spacy/__init__.py`` imports ``spacy.cli`` only to expose ``spacy.info``. That package
imports every spaCy command and their dependencies (requests, weasel, httpx, jinja2): a
quarter of a second of every ``crisis-audit check`` for code we never call. While spaCy
imports, `import_spacy` puts a placeholder for ``spacy.cli.info`` whose ``info`` imports the
real one on first call, then removes the placeholders, so a later ``import spacy.cli`` loads
the real package. If spaCy's ``__init__`` ever changes shape, spaCy is imported as usual.
``tests/test_pipeline_startup.py`` checks both behaviours.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_CLI_IMPORT = "from .cli.info import info"


def import_spacy() -> ModuleType:
    """The ``spacy`` module, imported without ``spacy.cli`` when that is safe."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return importlib.import_module("spacy")  # raises the usual ImportError
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        source = ""
    if source.count(_CLI_IMPORT) != 1 or "spacy.cli" in sys.modules:
        return importlib.import_module("spacy")
    placeholder_cli = ModuleType("spacy.cli")
    placeholder_cli.__path__ = []  # a package with no submodules of its own
    placeholder_info = ModuleType("spacy.cli.info")
    placeholder_info.info = _info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = placeholder_cli
    sys.modules["spacy.cli.info"] = placeholder_info
    try:
        return importlib.import_module("spacy")
    finally:
        for name, placeholder in (
            ("spacy.cli", placeholder_cli),
            ("spacy.cli.info", placeholder_info),
        ):
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is placeholder_cli:
            delattr(spacy, "cli")


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real function, imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)
