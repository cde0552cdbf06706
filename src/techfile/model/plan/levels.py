"""The levels of a plan's scales and how risk rows name them.

A risk row names a level by its id (`S3`), its name (`Serious`), a number (`3` for `S3`, `S3`
for `3`) or a `[values]` alias of either; matching is case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from techfile.data.registry import ValueAliases
from techfile.model.table import clean_cell

AXES = ("severity", "probability", "exploitability")

_ID_AND_NAME = re.compile(
    r"^(?P<id>[A-Za-z]{0,3}\s?\d+)\s*(?:[:=\u2013\u2014-]\s*|\.\s+|\(\s*|\s+)(?P<name>[^()]+?)\)?$"
)
_ID_DIGITS = re.compile(r"^[a-z]{0,3}\s?(\d+)$")


def normal_form(text: str) -> str:
    """Case-folded text without emphasis markers and surplus white space."""
    return " ".join(clean_cell(text).strip("*_ ").casefold().split())


def as_text(value: Any) -> str | None:
    """A level value as text: strings as written, integral numbers without `.0`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: str | None = None
    maps_to: str | None = None  # exploitability levels: the probability level they count as
    line: int = field(default=0, compare=False)  # where the scale defines it (0: not known)

    def label(self) -> str:
        if self.name and normal_form(self.name) != normal_form(self.id):
            return f"{self.id} ({self.name})"
        return self.id

    @property
    def own_name(self) -> str | None:
        """The name, when the level has one besides its id (`Serious` of `S3 Serious`)."""
        if self.name and normal_form(self.name) != normal_form(self.id):
            return normal_form(self.name)
        return None


def split_id_and_name(text: str) -> tuple[str, str] | None:
    """`S3: Serious` -> (`S3`, `Serious`); None for text that is not an id and a name."""
    split = _ID_AND_NAME.match(clean_cell(text).strip("*_ "))
    if split is None:
        return None
    return split.group("id").replace(" ", ""), split.group("name").strip()


def level_from_cell(text: str, line: int = 0) -> Level | None:
    """The level a table cell defines: `S3 Serious`, `3 - Serious`, `Serious`."""
    cleaned = clean_cell(text).strip("*_ ")
    if not cleaned:
        return None
    split = split_id_and_name(cleaned)
    if split:
        return Level(split[0], split[1], line=line)
    return Level(cleaned, cleaned, line=line)


def same_number(first: str, second: str) -> bool:
    """`3` and `S3`, `P03` and `P3`: ids that differ only in their letters or leading zeros."""
    a, b = _ID_DIGITS.match(normal_form(first)), _ID_DIGITS.match(normal_form(second))
    return bool(a and b and a.group(1).lstrip("0") == b.group(1).lstrip("0"))


@dataclass(frozen=True, slots=True)
class DuplicateLevel:
    """Two rows of one scale that make a value name two levels: one id given two names
    (`S3 Serious`, `S3 Critical`), or one name given to two ids (`S3 Major`, `S4 Major`).
    Rows that repeat a level with the same id and name are one level defined by several
    criteria (the NHS DCB0129 severity table) and are not duplicates."""

    axis: str
    first: Level
    second: Level
    path: str | None = None  # the file of the scale, when not the plan document

    @property
    def same_id(self) -> bool:
        return normal_form(self.first.id) == normal_form(self.second.id)


def distinct_levels(
    axis: str, found: Iterable[Level], path: str | None = None
) -> tuple[tuple[Level, ...], tuple[DuplicateLevel, ...]]:
    """The levels of a scale in order, each once (the first definition wins), and the rows
    that give an id two names or a name two ids."""
    levels: list[Level] = []
    duplicates: list[DuplicateLevel] = []
    by_id: dict[str, Level] = {}
    by_name: dict[str, Level] = {}
    for level in found:
        first = by_id.get(normal_form(level.id))
        if first is not None:
            if first.own_name and level.own_name and first.own_name != level.own_name:
                duplicates.append(DuplicateLevel(axis, first, level, path))
            continue
        named = by_name.get(level.own_name) if level.own_name else None
        if named is not None:
            duplicates.append(DuplicateLevel(axis, named, level, path))
        by_id[normal_form(level.id)] = level
        if level.own_name:
            by_name.setdefault(level.own_name, level)
        levels.append(level)
    return tuple(levels), tuple(duplicates)


@dataclass(frozen=True)
class Scale:
    axis: str
    levels: tuple[Level, ...] = ()
    path: str | None = None  # the file the scale is written in, when not the plan (a data file)
    # text -> (aliases, level): every risk row asks again for the same few texts
    _found: dict[tuple[str, int], tuple[ValueAliases | None, Level | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __bool__(self) -> bool:
        return bool(self.levels)

    def find(self, value: Any, aliases: ValueAliases | None = None) -> Level | None:
        """The level a risk row's value names, or None."""
        text = as_text(value)
        if text is None or not self.levels:
            return None
        key = (text, id(aliases))
        kept = self._found.get(key)
        if kept is None or kept[0] is not aliases:
            kept = self._found[key] = (aliases, self._find(text, aliases))
        return kept[1]

    def _find(self, text: str, aliases: ValueAliases | None) -> Level | None:
        candidates = _candidates(text, aliases)
        return self._by_id_or_name(candidates) or self._by_number(candidates)

    def _by_id_or_name(self, candidates: list[str]) -> Level | None:
        for candidate in candidates:
            key = normal_form(candidate)
            for level in self.levels:
                if key == normal_form(level.id) or (level.name and key == normal_form(level.name)):
                    return level
        return None

    def _by_number(self, candidates: list[str]) -> Level | None:
        """`3` names `S3`, and `S3` names `3`, when exactly one level has that number."""
        for candidate in candidates:
            key = normal_form(candidate)
            if not _ID_DIGITS.match(key):
                continue
            bare = key.isdigit()
            found = [
                level
                for level in self.levels
                if same_number(key, level.id) and (bare or normal_form(level.id).isdigit())
            ]
            if len(found) == 1:
                return found[0]
        return None

    def describe(self, limit: int = 8) -> str:
        shown = ", ".join(
            f"{lv.id} {lv.name}"
            if lv.name and normal_form(lv.name) != normal_form(lv.id)
            else lv.id
            for lv in self.levels[:limit]
        )
        return shown + (", ..." if len(self.levels) > limit else "")

    def signature(self) -> tuple[tuple[str, str], ...]:
        return tuple((normal_form(lv.id), normal_form(lv.name or lv.id)) for lv in self.levels)


def _candidates(text: str, aliases: ValueAliases | None) -> list[str]:
    """The texts a value may name a level by: as written, its alias, and the id and the name
    of `S3 Serious`."""
    candidates = [text]
    alias = aliases.enum.get(normal_form(text)) if aliases else None
    if alias:
        candidates.append(alias)
    for candidate in list(candidates):
        split = split_id_and_name(candidate)
        if split:
            candidates.extend(split)
    return candidates
