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


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _check_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


# key -> (validator returning the converted value or raising ValueError, attribute name)
def _apply(config: Config, key: str, value: Any, base: Path) -> None:
    if key == "context":
        config.context = _path(base, _need_str(value))
    elif key == "phase":
        if value not in PHASES:
            raise ValueError(f"must be one of {', '.join(PHASES)}")
        config.phase = value
    elif key == "date":
        try:
            config.date = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    elif key in ("lang", "default-lang"):
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        if key == "lang":
            config.lang = value
        else:
            config.default_lang = value
    elif key == "rules":
        items = _check_list(value)
        if items is None:
            raise ValueError("must be a list of rule files or folders")
        config.rules = [_path(base, v) for v in items]
    elif key == "disable":
        items = _check_list(value)
        if items is None:
            raise ValueError("must be a list of rule codes or names")
        config.disable = items
    elif key == "severity":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and v in SEVERITIES for k, v in value.items()
        ):
            raise ValueError("must map rule codes or names to error, warning or info")
        config.severity = {str(k): str(v) for k, v in value.items()}
    elif key == "fail-on":
        if value not in FAIL_ON:
            raise ValueError(f"must be one of {', '.join(FAIL_ON)}")
        config.fail_on = value
    elif key == "fail-under":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ValueError("must be a whole number from 0 to 100")
        config.fail_under = value
    elif key == "format":
        items = _check_list(value)
        if items is None:
            raise ValueError("must be a format name or a list of them")
        config.formats = items
    elif key == "output":
        items = _check_list(value)
        if items is None:
            raise ValueError("must be a file name or a list of them")
        config.outputs = [_path(base, v) for v in items]
    elif key == "columns":
        if not isinstance(value, dict):
            raise ValueError("must map text/date/id/channel to column names")
        for col, name in value.items():
            if col not in ("text", "date", "id", "channel") or not isinstance(name, (str, int)):
                raise ValueError(f"unknown column role {col!r} (text, date, id, channel)")
            setattr(config.read, f"{col}_column", str(name))
    elif key == "date-format":
        config.read.date_format = _need_str(value)
    elif key == "sheet":
        config.read.sheet = str(value)
    elif key == "baseline":
        config.baseline = _path(base, _need_str(value))
    elif key == "cache":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        config.cache = value
    elif key == "cache-dir":
        config.cache_dir = _path(base, _need_str(value))
    elif key == "jobs":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError("must be a whole number of at least 1")
        config.jobs = value
    elif key == "fast":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        config.fast = value
    else:
        raise KeyError(key)


KNOWN_KEYS = (
    "context",
    "phase",
    "date",
    "lang",
    "default-lang",
    "rules",
    "disable",
    "severity",
    "fail-on",
    "fail-under",
    "format",
    "output",
    "columns",
    "date-format",
    "sheet",
    "baseline",
    "cache",
    "cache-dir",
    "jobs",
    "fast",
)


def _need_str(value: Any) -> str:
    text = _str(value)
    if text is None:
        raise ValueError("must be a non-empty string")
    return text


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
