"""YAML with the safe loader, remembering the line of every mapping key and list item.

Rule packs, crisis contexts and configs are written by people; when one is wrong, the
error must name the file, the line and the field. PyYAML's SafeLoader forgets positions,
so this loader keeps them on lightweight dict/list subclasses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


class YamlError(ValueError):
    """A file that is not valid YAML; the message names file and line."""


@cache
def _line_loader() -> type:
    """The safe loader (libyaml's C parser when PyYAML has it: packs load ~10x faster) that
    builds `LineDict`/`LineList`. Built on first use, so importing this module does not
    import PyYAML: a run whose packs and context come from the pack cache never parses."""
    import yaml

    class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def mapping(loader: Any, node: Any) -> LineDict:
        loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def sequence(loader: Any, node: Any) -> LineList:
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    def timestamp_as_text(loader: Any, node: Any) -> str:
        """Keep dates as written: callers parse them and can then name the bad field."""
        return str(loader.construct_scalar(node))

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_as_text)
    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return _LineLoader


def load_yaml(path: Path, content: bytes | None = None) -> Any:
    """Load one YAML document safely (`content`: the file's bytes, when already read);
    raise `YamlError` naming file and line."""
    try:
        text = (path.read_bytes() if content is None else content).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"{path}: cannot read: {exc}") from None
    return load_yaml_text(text, str(path))


def load_yaml_text(text: str, name: str) -> Any:
    """Load YAML from a string; `name` is used in error messages."""
    import yaml

    try:
        return yaml.load(text, Loader=_line_loader())  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"{name}:{line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{name}: invalid YAML: {exc}") from None
