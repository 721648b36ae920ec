"""Read a YAML file into plain Python data, remembering the line of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Location = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the 1-based line where each value starts."""

    name: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of the value at `location`, or of its nearest enclosing value."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return None

    def field_name(self, location: Location) -> str:
        """A readable field path to `location` (see `field_name`)."""
        return field_name(self, location)


_constructor = yaml.constructor.SafeConstructor()
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same nodes, faster


def read_yaml(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse `path`; return the document, or None and the problems that stopped it."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(name, "", f"cannot be read: {error}")]
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(name, "", f"is not valid YAML: {reason}", line)]
    if root is None:
        return None, [Problem(name, "", "is empty")]
    document = YamlDocument(name, None)
    problems: list[Problem] = []
    document.data = _build(root, (), document, problems)
    return document, problems


def _build(node: yaml.Node, location: Location, document: YamlDocument, problems: list[Problem]) -> Any:
    document.lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _constructor.construct_object(key_node, deep=True)
            if key in mapping:
                problems.append(
                    Problem(document.name, dotted((*location, key)), "appears twice in the same entry",
                            key_node.start_mark.line + 1)
                )
            mapping[key] = _build(value_node, (*location, key), document, problems)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*location, index), document, problems) for index, item in enumerate(node.value)]
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):  # e.g. a date with month 13: kept as text for the schema to judge
        return node.value


def dotted(location: Location) -> str:
    """`('therapies', 2, 'uk')` -> `therapies[2].uk`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def field_name(document: YamlDocument, location: tuple[str | int, ...]) -> str:
    """A readable field path that names list entries: `partners[1] EZR.frequency.percent`."""
    text, node = "", document.data
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            label = _entry_label(node)
            text += f" {label}" if label else ""
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def _entry_label(entry: Any) -> str | None:
    """The id, name or symbol of a list entry, or `mutation/therapy` for an activity row."""
    if not isinstance(entry, dict):
        return None
    for key in ("id", "name", "symbol"):
        label = entry.get(key)
        if isinstance(label, str):
            return label
    if isinstance(entry.get("mutation"), str) and isinstance(entry.get("therapy"), str):
        return f"{entry['mutation']}/{entry['therapy']}"
    return None
