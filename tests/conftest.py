"""Shared fixtures: engines are expensive (spaCy load), so build each once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from crisis_audit.api import build_engine
from crisis_audit.engine import Engine

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the pack cache (`crisis_audit.packcache`) of this test run in a folder of its
    own, so that no run reads what an earlier one (or the developer's CLI) wrote."""
    folder = tempfile.mkdtemp(prefix="crisis-audit-test-cache-")
    os.environ["CRISIS_AUDIT_CACHE_DIR"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The bundled rule packs and the default COVID-19 context."""
    return build_engine()


@pytest.fixture(scope="session")
def mechanics_engine() -> Engine:
    """Only the small test pack in fixtures/rules: engine behaviour independent of the
    shipped rules, which keep evolving."""
    return build_engine(rules=[FIXTURES / "rules" / "mechanics.yaml"], include_default_rules=False)
