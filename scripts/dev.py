#!/usr/bin/env python3
"""Set up a virtual environment and run the demo or the tests: the README's two commands.

    python3 scripts/dev.py demo    # install, then check and audit the bundled samples
    python3 scripts/dev.py test    # install with test extras, then run the test suite

Only the standard library is used here, so a machine with Python and pip is enough.
The environment lives in .venv (override with CRISIS_AUDIT_VENV); it is reused when present.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("CRISIS_AUDIT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def setup(extras: str = "") -> None:
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".{extras}")


def demo() -> None:
    """Check the sample drafts as on 24 March 2020, then audit the sample calendar into an
    HTML report (out/report.html) and a CSV (out/results.csv)."""
    setup()
    cli = BIN / "crisis-audit"
    run(cli, "check", "--date", "2020-03-24", "samples/drafts.txt")
    run(
        cli,
        "audit",
        "samples/calendar-2020-2021.yaml",
        "--no-cache",
        "--fail-on",
        "never",
        "-o",
        "out/report.html",
        "-o",
        "out/results.csv",
    )


def test() -> None:
    setup("[test]")
    run(BIN / "python", "-m", "pytest", *sys.argv[2:])


def main() -> int:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
