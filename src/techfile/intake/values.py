"""Give YAML nodes and table cells their schema type without losing what the author wrote.

String fields keep the scalar's text (`version: 1.10` stays "1.10"); where another YAML
reader would change such a plain scalar, FM006 says so. Booleans and enumerations accept
the value aliases of `data/values.yaml` and `[values]`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from techfile.data.registry import ValueAliases
from techfile.data.schemas import Schema, item_schema, json_types, property_schema
from techfile.intake.yamltree import Node
from techfile.model.diagnostics import Diagnostic
from techfile.model.table import clean_cell

Path = tuple[str | int, ...]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CELL_SPLIT = re.compile(r"\s*(?:<br\s*/?>|,|;)\s*", re.IGNORECASE)

_EMPTY_CELLS = {"", "-", "\u2013", "\u2014", "n/a", "na", "none"}


@dataclass(slots=True)
class Typed:
    value: Any
    lines: dict[Path, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class NodeTyper:
    """Walks a node tree beside its schema. `offset` turns YAML lines into file lines."""

    def __init__(self, aliases: ValueAliases, offset: int) -> None:
        self.aliases = aliases
        self.offset = offset
        self.lines: dict[Path, int] = {}
        self.diagnostics: list[Diagnostic] = []

    def run(self, node: Node, schema: Schema) -> Typed:
        value = self._value(node, schema, ())
        return Typed(value, self.lines, self.diagnostics)

    def _value(self, node: Node, schema: Schema, path: Path) -> Any:
        self.lines.setdefault(path, node.line + self.offset)
        if node.kind == "map":
            return self._mapping(node, schema, path)
        if node.kind == "seq":
            inner = item_schema(schema)
            return [self._value(child, inner, (*path, i)) for i, child in enumerate(node.children)]
        return self._scalar(node, schema, path)

    def _mapping(self, node: Node, schema: Schema, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        repeats: dict[str, int] = {}
        for key_node, value_node in node.pairs:
            if key_node.kind != "scalar":
                self._note(
                    "FM001",
                    "a mapping key is itself a list or mapping",
                    key_node,
                    why="techfile ignored that entry, and other YAML readers may refuse the "
                    "whole block.",
                    fix="Write the key as plain text.",
                )
                continue
            key = key_node.value
            if key in seen:
                if key not in repeats:
                    self._note(
                        "FM006",
                        f"the key `{_dotted((*path, key))}` appears more than once",
                        key_node,
                        key=(_dotted((*path, key)),),
                        why="YAML readers disagree on which value wins, so the document can mean "
                        "different things to different tools.",
                        fix="Keep one of the lines, after checking which value is correct.",
                    )
                repeats[key] = repeats.get(key, 1) + 1
            seen[key] = key_node.line
            child_path = (*path, key)
            self.lines[child_path] = key_node.line + self.offset
            result[key] = self._value(value_node, property_schema(schema, key), child_path)
        return result

    def _scalar(self, node: Node, schema: Schema, path: Path) -> Any:
        expected = _json_types(schema)
        natural = _natural(node)
        if not expected:
            return natural
        if "string" in expected and not isinstance(natural, str) and natural is not None:
            if "boolean" in expected and isinstance(natural, bool):
                return natural
            if "number" in expected and isinstance(natural, (int, float)):
                return natural
            if (
                node.tag != _TIMESTAMP
                and _as_other_readers_print(natural) != node.value
                and node.plain
            ):
                self._note(
                    "FM006",
                    f"`{_dotted(path)}: {node.value}` is the text `{node.value}` to techfile, "
                    f"but other YAML readers turn it into {_as_other_readers_print(natural)}",
                    node,
                    key=(_dotted(path),),
                    why="a document register or script that reads the file with an ordinary "
                    "YAML library shows another value, such as another revision, than the "
                    "one approved.",
                    fix=f'Quote it: `{_dotted(path)}: "{node.value}"`.',
                    edit=(node.value, json.dumps(node.value, ensure_ascii=False)),
                )
            return _enum_or_text(node.value, schema, self.aliases)
        if "boolean" in expected and isinstance(natural, str):
            alias = self.aliases.as_boolean(natural)
            return natural if alias is None else alias
        if isinstance(natural, str):
            return _enum_or_text(natural, schema, self.aliases)
        return natural

    def _note(
        self,
        code: str,
        message: str,
        node: Node,
        key: tuple[str, ...] = (),
        *,
        why: str,
        fix: str,
        edit: tuple[str, str] | None = None,
    ) -> None:
        line = node.line + self.offset
        self.diagnostics.append(
            Diagnostic(code, message, line, node.column, key=key, why=why, fix=fix, edit=edit)
        )


_TYPES: dict[int, tuple[Schema, frozenset[str]]] = {}


def _json_types(schema: Schema) -> frozenset[str]:
    """`json_types`, answered by identity: schemas are read-only once loaded, and each entry
    holds its schema, so an id is never reused while its answer is kept."""
    kept = _TYPES.get(id(schema))
    if kept is not None:
        return kept[1]
    if len(_TYPES) >= 4096:
        _TYPES.clear()
    found = frozenset(json_types(schema))
    _TYPES[id(schema)] = (schema, found)
    return found


def _as_other_readers_print(value: Any) -> str:
    """How a YAML-to-JSON pipeline writes the value back: `2.0` -> 2, `no` -> false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _enum_or_text(text: str, schema: Schema, aliases: ValueAliases) -> str:
    allowed = schema.get("enum")
    if isinstance(allowed, list):
        return aliases.as_enum(text, allowed) or text
    return text


def _natural(node: Node) -> Any:
    """The value a YAML 1.1 safe loader would give, kept JSON-compatible."""
    tag, text = node.tag, node.value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.casefold() in ("yes", "true", "on", "y")
    if tag == _INT:
        try:
            return _yaml_int(text)
        except ValueError:
            return text
    if tag == _FLOAT:
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    return text


def _yaml_int(text: str) -> int:
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if ":" in digits:
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits, 8)
    return sign * int(digits)


class CellTyper:
    """`type_cell` for one column's schema, remembering the value of each cell text: a
    table repeats its values (`Yes`, `P1`, `pass`) row after row and file after file."""

    __slots__ = ("aliases", "known", "schema")

    def __init__(self, schema: Schema, aliases: ValueAliases) -> None:
        self.schema = schema
        self.aliases = aliases
        self.known: dict[str, Any] = {}

    def value(self, text: str) -> Any:
        try:
            value = self.known[text]
        except KeyError:
            value = self._learn(text)
        return _fresh(value) if isinstance(value, list) else value

    def _learn(self, text: str) -> Any:
        if len(self.known) >= _KNOWN_CELLS:
            self.known.clear()
        value = self.known[text] = type_cell(text, self.schema, self.aliases)
        return value


_KNOWN_CELLS = 50_000
_TYPERS: dict[tuple[int, int], CellTyper] = {}


def cell_typer(schema: Schema, aliases: ValueAliases) -> CellTyper:
    """The typer of a schema and alias set, by identity (each typer holds both, so an id
    is never reused while its typer is kept)."""
    key = (id(schema), id(aliases))
    typer = _TYPERS.get(key)
    if typer is None:
        if len(_TYPERS) >= 4096:
            _TYPERS.clear()
        typer = _TYPERS[key] = CellTyper(schema, aliases)
    return typer


def _fresh(value: Any) -> Any:
    """A copy of a remembered list, so no two items share one."""
    return [_fresh(v) for v in value] if isinstance(value, list) else value


def type_cell(text: str, schema: Schema, aliases: ValueAliases) -> Any:
    """Type one table cell. Returns None when the cell is empty or a placeholder."""
    expected = _json_types(schema)
    if "array" in expected:
        inner = item_schema(schema)
        parts = [clean_cell(p) for p in _CELL_SPLIT.split(text)]
        values = [type_cell(p, inner, aliases) for p in parts if p.casefold() not in _EMPTY_CELLS]
        return [v for v in values if v is not None] or None
    cleaned = clean_cell(text)
    if "boolean" in expected:
        alias = aliases.as_boolean(cleaned)
        if alias is not None:
            return alias
    allowed = schema.get("enum")
    if isinstance(allowed, list) and cleaned and aliases.as_enum(cleaned, allowed) is not None:
        return aliases.as_enum(cleaned, allowed)  # `none` is a value here, not an empty cell
    if cleaned.casefold() in _EMPTY_CELLS:
        return None
    if "number" in expected and "string" not in expected:
        try:
            return int(cleaned)
        except ValueError:
            try:
                return float(cleaned)
            except ValueError:
                return cleaned
    if "string" in expected or not expected:
        return _enum_or_text(cleaned, schema, aliases)
    return cleaned


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted
