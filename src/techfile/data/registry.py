"""The shipped type registry, column aliases and value aliases (data/*.yaml)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml

from techfile.data.resources import bundled
from techfile.util.nearest import NearestIndex

TYPE_SUGGESTION_CUTOFF = 0.6


@dataclass(frozen=True, slots=True)
class ValueAliases:
    """Case-folded alias text → value, for booleans and for enumerated strings."""

    boolean: dict[str, bool]
    enum: dict[str, str]

    def as_boolean(self, text: str) -> bool | None:
        return self.boolean.get(text.strip().casefold())

    def as_enum(self, text: str, allowed: list[Any]) -> str | None:
        folded = text.strip().casefold()
        for choice in allowed:
            if isinstance(choice, str) and choice.casefold() == folded:
                return choice
        target = self.enum.get(folded) or self.enum.get(folded.replace("-", " "))
        return target if target in allowed else None


_HEADER_JUNK = re.compile(r"\*\*|__|`|<[^>]+>")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def load_data(name: str) -> Any:
    """A shipped data file. These are our own files, so the safe loader is enough."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (bundled("data") / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader)


@dataclass(frozen=True, slots=True)
class DocType:
    name: str
    evidence_class: str
    title: str
    schema_id: str
    parse_body: bool
    aliases: tuple[str, ...]
    h1: tuple[str, ...]


@dataclass(frozen=True)
class TypeRegistry:
    types: dict[str, DocType]
    aliases: dict[str, str]  # alias (case-folded) -> canonical name

    def canonical(self, name: str) -> str | None:
        folded = name.strip().casefold()
        if folded in self.types:
            return folded
        return self.aliases.get(folded)

    def suggest(self, name: str) -> str | None:
        """The known type or alias closest to `name`, as its canonical type. The names are
        indexed once per registry: `[aliases.types]` comes from the tree and may be long,
        and every document with an unknown type asks, so each question is bounded work."""
        close = self._names.suggest(name.strip().casefold(), cutoff=TYPE_SUGGESTION_CUTOFF)
        return None if close is None else self.canonical(close)

    @functools.cached_property
    def _names(self) -> NearestIndex:
        return NearestIndex({*self.types, *self.aliases})


@functools.cache
def type_registry(extra_aliases: tuple[tuple[str, str], ...] = ()) -> TypeRegistry:
    data = load_data("types.yaml")
    types: dict[str, DocType] = {}
    aliases: dict[str, str] = {}
    for name, entry in sorted(data["types"].items()):
        types[name] = DocType(
            name=name,
            evidence_class=entry["class"],
            title=entry.get("title", name),
            schema_id=entry.get("schema", f"types/{name}.schema.json"),
            parse_body=bool(entry.get("body", False)),
            aliases=tuple(entry.get("aliases", [])),
            h1=tuple(entry.get("h1", [])),
        )
        for alias in entry.get("aliases", []):
            aliases[str(alias).casefold()] = name
    for alias, target in extra_aliases:
        aliases[alias.casefold()] = target
    return TypeRegistry(types, aliases)


def normalise_header(text: str) -> str:
    """`**Risk Control ID(s)**` -> `risk control id s`."""
    return _NON_ALNUM.sub(" ", _HEADER_JUNK.sub("", text).casefold()).strip()


@functools.cache
def column_aliases(
    extra: tuple[tuple[str, str, str], ...] = (),
) -> dict[str, dict[str, tuple[str, ...]]]:
    """list name -> normalised header -> fields by position of repetition."""
    data = load_data("columns.yaml")
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for list_name, headers in data["lists"].items():
        mapping: dict[str, tuple[str, ...]] = {}
        for header, fields in headers.items():
            names = tuple(fields) if isinstance(fields, list) else (str(fields),)
            mapping[normalise_header(str(header))] = names
        table[list_name] = mapping
    for list_name, header, field_name in extra:
        table.setdefault(list_name, {})[normalise_header(header)] = (field_name,)
    return table


@functools.cache
def value_aliases(extra: tuple[tuple[str, Any], ...] = ()) -> ValueAliases:
    data = load_data("values.yaml")
    boolean: dict[str, bool] = {}
    for truth, words in data["boolean"].items():
        for word in words:
            boolean[str(word).casefold()] = bool(truth)
    enum = {str(k).casefold(): str(v) for k, v in data["enum"].items()}
    for alias, target in extra:
        if isinstance(target, bool):
            boolean[alias.casefold()] = target
        else:
            enum[alias.casefold()] = str(target)
    return ValueAliases(boolean, enum)
