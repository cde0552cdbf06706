"""The levels of a plan's scales and how risk rows name them.

A risk row names a level by its id (`S3`), its name (`Serious`), a number (`3` for `S3`, `S3`
for `3`) or a `[values]` alias of either; matching is case-insensitive.
"""

from __future__ import annotations

import re
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

    def label(self) -> str:
        if self.name and normal_form(self.name) != normal_form(self.id):
            return f"{self.id} ({self.name})"
        return self.id


def level_from_cell(text: str) -> Level | None:
    """The level a table cell defines: `S3 Serious`, `3 - Serious`, `Serious`."""
    cleaned = clean_cell(text).strip("*_ ")
    if not cleaned:
        return None
    split = _ID_AND_NAME.match(cleaned)
    if split:
        return Level(split.group("id").replace(" ", ""), split.group("name").strip())
    return Level(cleaned, cleaned)


@dataclass(frozen=True)
class Scale:
    axis: str
    levels: tuple[Level, ...] = ()
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
            digits = _ID_DIGITS.match(key)
            if not digits:
                continue
            bare = key.isdigit()
            found = [
                level
                for level in self.levels
                if (match := _ID_DIGITS.match(normal_form(level.id)))
                and match.group(1).lstrip("0") == digits.group(1).lstrip("0")
                and (bare or normal_form(level.id).isdigit())
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
        split = _ID_AND_NAME.match(clean_cell(candidate).strip("*_ "))
        if split:
            candidates.extend((split.group("id"), split.group("name")))
    return candidates
