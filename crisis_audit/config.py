"""Configuration kept in the repository, found the way the best linters find theirs.

Order of discovery: ``--config FILE``; else the nearest ``.crisis-audit.yaml`` (or
``.crisis-audit.yml``) or ``pyproject.toml`` with a ``[tool.crisis-audit]`` table, searching
from the working directory upward. Precedence: command-line flags > config file > defaults.
Paths in a config file are relative to that file. Unknown keys and bad values are one-line
errors naming the file (and line, for YAML) and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .readers.common import ReadOptions
from .taxonomy import LANGUAGES, PHASES
from .yamlsafe import LineDict, YamlError, load_yaml

CONFIG_NAMES = (".crisis-audit.yaml", ".crisis-audit.yml")
FAIL_ON = ("error", "warning", "info", "never")
SEVERITIES = ("error", "warning", "info")


class ConfigError(ValueError):
    """A configuration problem, phrased as ``file[:line]: key: reason``."""


@dataclass
class Config:
    """Every setting, with its default; `source` is the file it came from, if any."""

    source: Path | None = None
    context: Path | None = None
    phase: str | None = None
    date: dt.date | None = None
    lang: str | None = None
    default_lang: str = "fr"
    rules: list[Path] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    fail_under: int | None = None
    formats: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    read: ReadOptions = field(default_factory=ReadOptions)  # columns, date format, sheet
    baseline: Path | None = None
    cache: bool = True
    cache_dir: Path | None = None
    jobs: int = 1
    fast: bool = False


Convert = Callable[[Any, Path], Any]  # (raw value, config folder) -> value, or ValueError


def _text(value: Any, base: Path) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
        raise ValueError("must be a non-empty string")
    return str(value).strip()


def _path(value: Any, base: Path) -> Path:
    path = Path(_text(value, base)).expanduser()
    return path if path.is_absolute() else base / path


def _texts(value: Any, base: Path) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ValueError("must be a string or a list of strings")
    return list(items)


def _paths(value: Any, base: Path) -> list[Path]:
    return [_path(v, base) for v in _texts(value, base)]


def _flag(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _choice(*options: str) -> Convert:
    def convert(value: Any, base: Path) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return str(value)

    return convert


def _whole(low: int, high: int | None = None) -> Convert:
    def convert(value: Any, base: Path) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        if not ok or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise ValueError(f"must be a whole number {bounds}")
        return int(value)

    return convert


def _date(value: Any, base: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _severities(value: Any, base: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and v in SEVERITIES for k, v in value.items()
    ):
        raise ValueError("must map rule codes or names to error, warning or info")
    return {str(k): str(v) for k, v in value.items()}


def _columns(value: Any, base: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must map text/date/id/channel to column names")
    for role, name in value.items():
        if role not in COLUMN_ROLES or not isinstance(name, (str, int)):
            raise ValueError(f"unknown column role {role!r} ({', '.join(COLUMN_ROLES)})")
    return {f"{role}_column": str(name) for role, name in value.items()}


COLUMN_ROLES = ("text", "date", "id", "channel")

# Every setting: key -> (attribute on Config, or "read.<attr>" on its ReadOptions, converter).
# "columns" sets several ReadOptions attributes at once (attribute "read.*").
SETTINGS: dict[str, tuple[str, Convert]] = {
    "context": ("context", _path),
    "phase": ("phase", _choice(*PHASES)),
    "date": ("date", _date),
    "lang": ("lang", _choice(*LANGUAGES)),
    "default-lang": ("default_lang", _choice(*LANGUAGES)),
    "rules": ("rules", _paths),
    "disable": ("disable", _texts),
    "severity": ("severity", _severities),
    "fail-on": ("fail_on", _choice(*FAIL_ON)),
    "fail-under": ("fail_under", _whole(0, 100)),
    "format": ("formats", _texts),
    "output": ("outputs", _paths),
    "columns": ("read.*", _columns),
    "date-format": ("read.date_format", _text),
    "sheet": ("read.sheet", _text),
    "baseline": ("baseline", _path),
    "cache": ("cache", _flag),
    "cache-dir": ("cache_dir", _path),
    "jobs": ("jobs", _whole(1)),
    "fast": ("fast", _flag),
}
KNOWN_KEYS = tuple(SETTINGS)


def _apply(config: Config, key: str, value: Any, base: Path) -> None:
    """Validate one setting and store it; KeyError for an unknown key, ValueError (with
    the reason) for a bad value."""
    attribute, convert = SETTINGS[key]
    converted = convert(value, base)
    if attribute == "read.*":
        for name, item in converted.items():
            setattr(config.read, name, item)
    elif attribute.startswith("read."):
        setattr(config.read, attribute.removeprefix("read."), converted)
    else:
        setattr(config, attribute, converted)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from `start` (default: the working directory) upward."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
    return None


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    table = data.get("tool", {}).get("crisis-audit")
    return table if isinstance(table, dict) else None


def load_config(path: Path | None = None, discover: bool = True) -> Config:
    """Load `path`, or the discovered config, or the defaults."""
    if path is None and discover:
        path = find_config()
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    if path.name == "pyproject.toml":
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        data = data.get("tool", {}).get("crisis-audit", {})
        where = "[tool.crisis-audit] "
    else:
        try:
            data = load_yaml(path)
        except YamlError as exc:
            raise ConfigError(str(exc)) from None
        where = ""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of settings")
    config = Config(source=path)
    for key, value in data.items():
        line = f":{data.line_of(key)}" if isinstance(data, LineDict) else ""
        try:
            _apply(config, key, value, path.parent)
        except KeyError:
            raise ConfigError(
                f"{path}{line}: {where}{key}: unknown setting (known: {', '.join(KNOWN_KEYS)})"
            ) from None
        except ValueError as exc:
            raise ConfigError(f"{path}{line}: {where}{key}: {exc}") from None
    return config


STARTER = """\
# crisis-audit configuration. Flags on the command line override these settings.
# Paths are relative to this file. Docs: crisis-audit --help, and the project README.

# The crisis context: which phase is in force on each date, and which words acknowledge
# the crisis. Default: the bundled COVID-19 (France) timeline.
# context: contexts/my-crisis.yaml

# Force a phase (acute, reprieve, recovery, none) or a publication date for posts that have
# none of their own. Posts with a date are judged on their date.
# phase: acute
# date: 2020-03-24

# Language: detected per post; force it, or choose the fallback for undecided posts.
# lang: fr
default-lang: fr

# Extra rule packs (your brand's vocabulary), rules to turn off or re-level.
# rules: [crisis-rules/]
# disable: [CL01]
# severity: {OB02: error}

# When does the run fail (exit 1)? error | warning | info | never; or a score floor.
fail-on: error
# fail-under: 60

# Outputs, by default to stdout: terminal, json, html, markdown, csv, sarif, junit, github.
# format: [sarif]
# output: [crisis-audit.sarif]

# Spreadsheet columns, when automatic detection is not enough.
# columns: {text: Message, date: Date de publication, id: ID, channel: Réseau}
# date-format: dmy

# Adopt the tool on an existing calendar: fail only on findings not in the baseline.
# baseline: .crisis-audit-baseline.json

# Results are cached on disk (never changing a verdict); turn off or move the cache.
cache: true
# cache-dir: .crisis-audit-cache
"""
